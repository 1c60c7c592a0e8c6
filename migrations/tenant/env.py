"""Not used: tenants/migrate.py builds the Alembic environment itself for each track,
with the connection, role and version-table schema it needs. Run migrations with
`flask --app wsgi tenants migrate` (tenant track) or `flask --app wsgi tenants
upgrade-public` (public track)."""

raise SystemExit(__doc__)
