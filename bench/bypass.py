"""P1's baseline: the app with tenancy bypassed. A benchmark instrument, never production.

    gunicorn -c config/gunicorn.py bench.bypass:app   (BENCH_BYPASS_FORCE=<slug>)

It builds the real app from the same settings and then takes away, for one force chosen
at start-up, the work tenancy does per request:

- **Resolution**: the Host header is never read; a WSGI middleware hands every request
  that force's scope before Flask sees it, so current_scope() never consults the
  registry. (The tenancy hook still runs: it finds the scope and marks the session.)
- **Binding**: no SET LOCAL ROLE / SET LOCAL search_path per transaction and no DISCARD
  ALL when a connection goes back to the pool. Instead each pooled connection becomes
  the force's role, with its search_path, once, when it is opened; the ORM's schema
  translation is set on the engine. The statement guard that refuses role changes is
  removed too. The session still carries the force as a marker (a dict entry, no SQL),
  because notify() and the audit trail ask which force they write for.

Every view, query, template and commit is the real app's, against the same schema.

Why production cannot reach it: nothing in app/, tenants/, config/ or wsgi.py imports
bench/, the container image leaves bench/ out (.dockerignore), no setting or variable
turns it on (only naming this module as the WSGI entry point does), and it refuses to
start unless its database is a throwaway one made by tests/support/services.py
(tmc_test_*), whatever TMC_ENV says.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from app import create_app
from config import load_settings
from tenants import binding
from tenants.binding import TENANT_SCHEMA, db
from tenants.extension import Tenancy
from tenants.names import quoted
from tenants.resolution import Scope, ScopeKind

_SCOPE_KEY = "tmc.scope"  # tenants.extension's environ key for the request's scope


def _refuse_outside_bench(database_url: str | None) -> None:
    name = make_url(database_url or "").database or ""
    if not name.startswith("tmc_test_"):
        raise SystemExit("bench.bypass serves only a benchmark's throwaway database")


def build() -> Flask:
    settings = load_settings()
    _refuse_outside_bench(settings.database_url)
    slug = os.environ["BENCH_BYPASS_FORCE"]
    app = create_app(settings)
    with app.app_context():
        tenancy: Tenancy = app.extensions["tenancy"]
        force = tenancy.registry.by_slug(slug)
        if force is None:
            raise SystemExit(f"no force {slug!r}")
        engine = db.engine
    role, schema = quoted(force.db_role), quoted(force.schema_name)

    event.remove(Session, "after_begin", binding._bind_transaction)
    event.remove(Pool, "checkin", binding._reset_on_return)
    event.remove(Engine, "before_cursor_execute", binding._refuse_role_changes)

    @event.listens_for(engine, "connect")
    def _act_as_force(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")
            cursor.execute(f"SET search_path TO {schema}")
        dbapi_connection.commit()

    engine.update_execution_options(schema_translate_map={TENANT_SCHEMA: force.schema_name})
    engine.dispose()  # the registry read above used a connection opened before the hook

    scope, inner = Scope(ScopeKind.FORCE, force), app.wsgi_app

    def fixed_scope(environ: dict[str, Any], start_response: Any) -> Any:
        environ[_SCOPE_KEY] = scope
        return inner(environ, start_response)

    app.wsgi_app = fixed_scope  # type: ignore[method-assign]
    return app


app = build()
