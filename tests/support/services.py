"""Where the test database and Redis come from.

TEST_DATABASE_URL (a superuser URL) and TEST_REDIS_URL point at running servers;
without them the embedded PostgreSQL and Redis start under instance/test/. Either way
each run gets a database and login role of its own, dropped at the end.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url

from config.settings import database_url
from tenants import embedded
from tenants.bootstrap import drop_database, ensure_database

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class TestServices:
    superuser_url: str  # superuser, on the run's own database: inspecting and resetting
    app_url: str  # the run's login role (web and workers)
    admin_url: str  # the run's admin role (provisioning, migrations)
    redis_url: str
    role_prefix: str
    login_role: str
    admin_role: str


def _admin_base_url(instance: Path) -> tuple[str, object]:
    if os.environ.get("TEST_DATABASE_URL"):
        return database_url(os.environ["TEST_DATABASE_URL"]), None
    return embedded.start_postgres_server(instance)


def _redis_url(instance: Path, run: str) -> tuple[str, object]:
    if os.environ.get("TEST_REDIS_URL"):
        return os.environ["TEST_REDIS_URL"], None
    # A server per run: runs side by side never flush each other's queues.
    return embedded.start_redis(instance, f"redis-{run}.db")


def drop_roles(superuser_url: str, prefix: str, *roles: str) -> None:
    """Drop the run's force roles, login and admin roles (cluster-wide objects)."""
    engine = create_engine(superuser_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        found = (
            conn.exec_driver_sql(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (prefix + "\\_%",)
            )
            .scalars()
            .all()
        )
        for role in [*found, *roles]:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
    engine.dispose()


@contextmanager
def test_services() -> Iterator[TestServices]:
    instance = ROOT / "instance" / "test"
    instance.mkdir(parents=True, exist_ok=True)
    base_admin, pg = _admin_base_url(instance)
    run = secrets.token_hex(3)
    redis_url, rd = _redis_url(instance, run)
    database, prefix = f"tmc_test_{run}", f"tt{run}"
    login_role, admin_role = f"tmc_test_app_{run}", f"tmc_test_admin_{run}"
    urls = ensure_database(base_admin, database, login_role, admin_role)
    superuser_url = make_url(base_admin).set(database=database).render_as_string(False)
    try:
        yield TestServices(
            superuser_url, urls.login_url, urls.admin_url, redis_url, prefix, login_role, admin_role
        )
    finally:
        drop_database(base_admin, database)
        drop_roles(base_admin, prefix, login_role, admin_role)
        if rd is not None:
            embedded.stop_redis(rd)
            (instance / f"redis-{run}.db").unlink(missing_ok=True)
        del pg
