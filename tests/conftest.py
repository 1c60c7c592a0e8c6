"""Shared fixtures.

Isolation: one database and one login role per test run (tests/support/services.py).
Every test that touches the app starts with the three demo forces provisioned and
empty of cases and audit rows, all active, nothing in Redis; forces a test creates are
dropped (schema, role, registry row) after it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, text

from app import create_app
from app.demo import DEMO_FORCES
from config import TestSettings
from tenants import migrate
from tenants.db import db, tenant_tables
from tenants.provisioning import provision
from tenants.runtime import tenancy
from tests.support.html import ValidatingClient
from tests.support.services import TestServices, test_services

os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")  # pgserver's platformdirs asks for it
DEMO_SLUGS = tuple(force.slug for force in DEMO_FORCES)


@dataclass(frozen=True)
class Site:
    """A force (or the central site) as a test reaches it: by Host header."""

    slug: str
    host: str


@pytest.fixture(scope="session")
def services() -> Iterator[TestServices]:
    """The run's own database, login role and Redis (dropped at the end)."""
    with test_services() as found:
        yield found


@pytest.fixture(scope="session")
def settings(services: TestServices, tmp_path_factory: pytest.TempPathFactory) -> TestSettings:
    return TestSettings(
        database_url=services.app_url, redis_url=services.redis_url, base_domain="localhost",
        db_role_prefix=services.role_prefix, instance_path=tmp_path_factory.mktemp("instance"),
    )  # fmt: skip


def _provision_demo(app: Flask) -> None:
    t = tenancy()
    for force in DEMO_FORCES:
        provision(db.engine, force, t.role_prefix, t.seeders)
    t.registry.invalidate()


@pytest.fixture(scope="session")
def app(settings: TestSettings) -> Flask:
    """The app, with the public schema at head and the demo forces provisioned."""
    application = create_app(settings)
    application.test_client_class = ValidatingClient
    with application.app_context():
        migrate.upgrade_public(db.engine)
        _provision_demo(application)
    return application


@pytest.fixture(scope="session")
def admin_engine(services: TestServices) -> Iterator[Engine]:
    """A superuser on the run's database: for inspecting and resetting, never the app."""
    engine = create_engine(services.admin_url)
    yield engine
    engine.dispose()


def _reset(app: Flask, admin: Engine) -> None:
    with admin.begin() as conn:
        extra = conn.execute(
            text("SELECT slug, schema_name, db_role FROM public.tenant WHERE slug <> ALL(:demo)"),
            {"demo": list(DEMO_SLUGS)},
        ).all()
        for row in extra:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{row.schema_name}" CASCADE')
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{row.db_role}"')
        conn.execute(text("DELETE FROM public.domain"))
        conn.execute(
            text("DELETE FROM public.tenant WHERE slug <> ALL(:demo)"), {"demo": list(DEMO_SLUGS)}
        )
        conn.execute(text("UPDATE public.tenant SET status = 'active'"))
        conn.execute(text("DELETE FROM public.platform_audit_event"))
        names = ", ".join(f'"{{schema}}"."{t.name}"' for t in tenant_tables())
        for slug in DEMO_SLUGS:
            schema = "t_" + slug.replace("-", "_")
            conn.exec_driver_sql(f"TRUNCATE {names.format(schema=schema)}")
    with app.app_context():
        _provision_demo(app)  # re-seeds what the truncate removed
        app.extensions["redis"].flushdb()


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
