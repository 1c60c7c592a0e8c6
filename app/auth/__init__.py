"""Sign-in for victims and officers, and the access rules every route carries."""
