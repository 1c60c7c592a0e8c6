"""Extension objects, created unbound; create_app() binds them to the app."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from tenants.db import db

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()

__all__ = ["babel", "csrf", "db", "login_manager"]
