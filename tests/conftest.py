"""Shared fixtures.

Isolation: one database, login role and admin role per test process (each pytest-xdist
worker has its own: tests/support/services.py), dropped at the end. The three test
forces (tests/support/forces.py) are provisioned once per process. After every test
that used the app, `_isolate` puts the database back as it was: every force table
truncated and re-seeded, forces the test created dropped, statuses active, custom
domains and platform audit rows gone, Redis flushed. That costs one TRUNCATE, not a
re-provisioning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Connection, Engine, create_engine, text

from app import create_app
from config import TestSettings
from tenants.binding import db, tenant_tables
from tenants.extension import tenancy
from tenants.provisioning import run_seeders
from tests.support import registry_rows
from tests.support.forces import TEST_FORCES, TEST_SLUGS
from tests.support.html import ValidatingClient
from tests.support.operators import CENTRAL_TABLES
from tests.support.services import TestServices, test_services

pytest_plugins = ["tests.support.officers", "tests.oidc.fixtures"]


@dataclass(frozen=True)
class Site:
    """A force (or the central site) as a test reaches it: by Host header."""

    slug: str
    host: str


@pytest.fixture(scope="session")
def services() -> Iterator[TestServices]:
    """This process's own database, roles and Redis (dropped at the end)."""
    with test_services() as found:
        yield found


@pytest.fixture(scope="session")
def settings(services: TestServices, tmp_path_factory: pytest.TempPathFactory) -> TestSettings:
    return TestSettings(
        database_url=services.app_url, admin_database_url=services.admin_url,
        redis_url=services.redis_url, base_domain="localhost",
        db_role_prefix=services.role_prefix, instance_path=tmp_path_factory.mktemp("instance"),
    )  # fmt: skip


@pytest.fixture(scope="session")
def app(settings: TestSettings) -> Iterator[Flask]:
    """The app, with the public schema at head and the test forces provisioned.

    Its pools are closed at the end, before `services` drops the database under them.
    """
    application = create_app(settings)
    application.test_client_class = ValidatingClient
    with application.app_context():
        tenancy().upgrade_public()
        for force in TEST_FORCES:
            tenancy().provision(force)
        with db.engine.connect() as conn:
            _clean["registry"] = registry_rows.snapshot(conn, list(TEST_SLUGS))
    yield application
    with application.app_context():
        db.engine.dispose()
        tenancy().admin_engine.dispose()


@pytest.fixture(scope="session")
def admin_engine(services: TestServices) -> Iterator[Engine]:
    """A superuser on the run's database: for inspecting and resetting, never the app."""
    engine = create_engine(services.superuser_url)
    yield engine
    engine.dispose()


def _drop_extra_forces(conn: Connection) -> None:
    extra = conn.execute(
        text("SELECT schema_name, db_role FROM public.tenant WHERE slug <> ALL(:keep)"),
        {"keep": list(TEST_SLUGS)},
    ).all()
    for row in extra:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{row.schema_name}" CASCADE')
        conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{row.db_role}"')
    if extra:
        conn.execute(
            text("DELETE FROM public.tenant WHERE slug <> ALL(:keep)"), {"keep": list(TEST_SLUGS)}
        )


def _emptying_statement() -> str:
    """One batch that empties every test force's tables (DELETE: far cheaper than
    TRUNCATE on the handful of rows a test writes) and the central rows tests make."""
    # Children before parents: the foreign keys would refuse the other order.
    tables = [
        f'"t_{slug.replace("-", "_")}"."{t.name}"'
        for slug in TEST_SLUGS
        for t in reversed(tenant_tables())
    ]
    return "; ".join(
        [
            "DELETE FROM public.domain",
            "DELETE FROM public.platform_audit_event",
            *(f"DELETE FROM public.{table}" for table in CENTRAL_TABLES),
            "UPDATE public.tenant SET status = 'active' WHERE status <> 'active'",
            *(f"DELETE FROM {table}" for table in tables),
        ]
    )


def _fingerprint_query() -> str:
    """One query hashing every row a test can change: force tables, the registry, domains,
    the platform trail. Equal hashes mean the test left the database as it found it."""
    tables = [
        *(
            f'"t_{slug.replace("-", "_")}"."{t.name}"'
            for slug in TEST_SLUGS
            for t in tenant_tables()
        ),
        "public.tenant",
        "public.domain",
        "public.platform_audit_event",
        *(f"public.{table}" for table in CENTRAL_TABLES),
    ]
    parts = [
        f"(SELECT coalesce(string_agg(x::text, '|' ORDER BY x::text), '') FROM {t} x)"
        for t in tables
    ]
    return "SELECT md5(" + " || '#' || ".join(parts) + ")"


_clean: dict[str, Any] = {}  # the fingerprint of the database as the last reset left it


def _fingerprint(admin: Engine) -> str:
    with admin.connect() as conn:
        return str(conn.exec_driver_sql(_fingerprint_query()).scalar())


def _reset(app: Flask, admin: Engine) -> None:
    with app.app_context():
        t = tenancy()
        t.redis.flushdb()
        t.registry.invalidate()
        if _fingerprint(admin) == _clean.get("db"):
            return  # the test changed nothing in PostgreSQL
        with admin.begin() as conn:
            _drop_extra_forces(conn)
            conn.exec_driver_sql(_emptying_statement())
            # Names, branding, settings and Welsh as provisioning left them (IdP settings
            # are the `idp` fixture's to put right).
            registry_rows.restore(conn, _clean["registry"])
        with t.admin_engine.begin() as conn:
            for slug in TEST_SLUGS:
                run_seeders(conn, t.registry.by_slug(slug), t.seeders)  # type: ignore[arg-type]
    _clean["db"] = _fingerprint(admin)


@pytest.fixture(autouse=True)
def _isolate(request: pytest.FixtureRequest) -> Iterator[None]:
    uses_app = "app" in request.fixturenames
    found = (
        (request.getfixturevalue("app"), request.getfixturevalue("admin_engine"))
        if uses_app
        else None
    )
    yield
    if found:
        _reset(*found)


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def client(app: Flask) -> ValidatingClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def force_a() -> Site:
    return Site("kent", "kent.localhost")


@pytest.fixture
def force_b() -> Site:
    return Site("dyfed-powys", "dyfed-powys.localhost")


@pytest.fixture
def central() -> Site:
    return Site("central", "localhost")
