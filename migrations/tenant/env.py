"""Tenant track: every force's schema, run once per force as that force's role.

tenants.migrate hands over a connection already bound to the force; the alembic command
takes `-x force=<slug>` and ADMIN_DATABASE_URL. Scripts use unqualified table names.
"""

from alembic import context

import app.models  # noqa: F401 - every model, so autogenerate sees them
from tenants.migrate import run_tenant_environment

run_tenant_environment(context)
