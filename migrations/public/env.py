"""Public track: the registry and central tables, as the admin role.

tenants.migrate hands over a connection; the alembic command connects to
ADMIN_DATABASE_URL. Importing app.models makes every model known to autogenerate.
"""

from alembic import context

import app.models  # noqa: F401 - every model, so autogenerate sees them
from tenants.migrate import run_public_environment

run_public_environment(context)
