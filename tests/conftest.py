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

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, text

from app import create_app
from config import TestSettings
from tenants.binding import tenant_tables
from tenants.extension import tenancy
from tenants.provisioning import run_seeders
from tests.support.forces import TEST_FORCES, TEST_SLUGS
from tests.support.html import ValidatingClient
from tests.support.services import TestServices, test_services


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
def app(settings: TestSettings) -> Flask:
    """The app, with the public schema at head and the test forces provisioned."""
    application = create_app(settings)
    application.test_client_class = ValidatingClient
    with application.app_context():
        tenancy().upgrade_public()
        for force in TEST_FORCES:
            tenancy().provision(force)
    return application


@pytest.fixture(scope="session")
def admin_engine(services: TestServices) -> Iterator[Engine]:
    """A superuser on the run's database: for inspecting and resetting, never the app."""
    engine = create_engine(services.superuser_url)
    yield engine
    engine.dispose()


def _drop_extra_forces(conn: object) -> None:
    extra = conn.execute(  # type: ignore[attr-defined]
        text("SELECT schema_name, db_role FROM public.tenant WHERE slug <> ALL(:keep)"),
        {"keep": list(TEST_SLUGS)},
    ).all()
    for row in extra:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{row.schema_name}" CASCADE')  # type: ignore[attr-defined]
        conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{row.db_role}"')  # type: ignore[attr-defined]
    conn.execute(text("DELETE FROM public.tenant WHERE slug <> ALL(:keep)"), {"keep": list(TEST_SLUGS)})  # type: ignore[attr-defined]


def _reset(app: Flask, admin: Engine) -> None:
    names = [f'"t_{slug.replace("-", "_")}"."{t.name}"' for slug in TEST_SLUGS for t in tenant_tables()]
    with admin.begin() as conn:
        _drop_extra_forces(conn)
        conn.execute(text("DELETE FROM public.domain"))
        conn.execute(text("UPDATE public.tenant SET status = 'active' WHERE status <> 'active'"))
        conn.execute(text("DELETE FROM public.platform_audit_event"))
        conn.exec_driver_sql(f"TRUNCATE {', '.join(names)}")
    with app.app_context():
        t = tenancy()
        t.registry.invalidate()
        with t.admin_engine.begin() as conn:
            for slug in TEST_SLUGS:
                run_seeders(conn, t.registry.by_slug(slug), t.seeders)  # type: ignore[arg-type]
        t.redis.flushdb()


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
