"""The database enforces isolation too: role attributes, role switching, pool resets,
roles made for another deployment, and production refusing an unsafe login role.

Each test uses the run's own database and roles (tests/support/services.py); roles and
databases a test makes are dropped by that test.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import psycopg2
import pytest
from sqlalchemy import create_engine, make_url, text

from tenants.binding import RoleChangeRefused, changes_role, db, force_scope
from tenants.bootstrap import drop_database, ensure_database, login_role_problems
from tenants.extension import tenancy
from tenants.forces import NewForce
from tenants.provisioning import ProvisioningError
from tests.support.processes import run_python

ROOT = Path(__file__).resolve().parents[2]


def _attributes(admin_engine, role):
    with admin_engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT rolsuper, rolcreaterole, rolbypassrls, rolinherit, rolcreatedb "
                "FROM pg_roles WHERE rolname = :r"
            ),
            {"r": role},
        ).one()


def test_the_login_role_can_do_nothing_but_act_as_a_force(services, admin_engine, app_context):
    assert tuple(_attributes(admin_engine, services.login_role)) == (False,) * 5
    assert tenancy().login_role_problems() == []


def test_the_checks_name_every_problem_of_a_superuser(admin_engine):
    with admin_engine.connect() as conn:
        problems = login_role_problems(conn)
    assert any("superuser" in problem for problem in problems)
    assert any("CREATEROLE" in problem for problem in problems)


def _login_connection(services):
    """A raw DBAPI connection as the login role: past SQLAlchemy and its guards."""
    url = make_url(services.app_url)
    return psycopg2.connect(
        dbname=url.database, user=url.username, host=url.query.get("host") or url.host
    )


def test_the_login_role_cannot_grant_itself_server_programs(services):
    """On PostgreSQL < 16 a CREATEROLE role could do this and run programs on the host."""
    conn = _login_connection(services)
    try:
        with conn.cursor() as cursor, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute(f'GRANT pg_execute_server_program TO "{services.login_role}"')
    finally:
        conn.close()


@pytest.mark.parametrize(
    "statement",
    [
        "RESET ROLE",
        'SET ROLE "tenant_x"',
        "set local role tenant_x",
        "SET SESSION ROLE tenant_x",
        "SET SESSION AUTHORIZATION DEFAULT",
        "RESET ALL",
        "/* hidden */ SET ROLE tenant_x",
        "SELECT 1; SET ROLE tenant_x",
        "SELECT set_config('role', 'tenant_x', true)",
        "SELECT pg_catalog.set_config('role', 'tenant_x', false)",
        "DO $$ BEGIN EXECUTE 'SET ROLE tenant_x'; END $$",
        'SET LOCAL U&"\\0072ole" TO tenant_x',  # "role" spelt with a Unicode escape
        "SELECT 1; /* /* nested */ */ SET ROLE tenant_x",
    ],
)
def test_role_changing_statements_are_recognised(statement):
    assert changes_role(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE case_victim SET role = 'victim' WHERE id = %(id)s",
        "SELECT role FROM officer",
        "SET LOCAL lock_timeout = '5s'",
        "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING",
    ],
)
def test_ordinary_statements_pass(statement):
    assert not changes_role(statement)


def test_application_code_cannot_switch_to_another_force(app_context):
    other = tenancy().registry.by_slug("dyfed-powys")
    kent = tenancy().registry.by_slug("kent")
    assert other and kent
    for statement in ("RESET ROLE", f'SET LOCAL ROLE "{other.db_role}"', "RESET ALL"):
        with pytest.raises(RoleChangeRefused), force_scope(kent) as session:
            session.execute(text(statement))
    with pytest.raises(RoleChangeRefused), db.engine.connect() as conn:
        conn.execute(text("SELECT set_config('role', :r, true)"), {"r": other.db_role})


def test_a_connection_returns_to_the_pool_with_nothing_set(services, app_context):
    """A committed plain SET ROLE or search_path never reaches the next user."""
    kent = tenancy().registry.by_slug("kent")
    assert kent
    engine = create_engine(services.app_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(
                f'SET ROLE "{kent.db_role}"', execution_options={"tmc_binding": True}
            )
            conn.exec_driver_sql(f'SET search_path TO "{kent.schema_name}"')
            conn.commit()
            before = conn.exec_driver_sql("SELECT current_user").scalar()
        with engine.connect() as conn:  # the same, single pooled connection
            after = conn.exec_driver_sql("SELECT current_user").scalar()
            path = conn.exec_driver_sql("SHOW search_path").scalar()
    finally:
        engine.dispose()
    assert before == kent.db_role
    assert after == services.login_role
    assert path == '""'


def test_bootstrap_puts_a_wrongly_made_login_role_right(services, admin_engine):
    run = secrets.token_hex(3)
    login, admin, database = f"tmc_bad_{run}", f"tmc_bad_admin_{run}", f"tmc_bad_{run}"
    base = make_url(services.superuser_url).set(database="postgres").render_as_string(False)
    with admin_engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            f'CREATE ROLE "{login}" LOGIN SUPERUSER CREATEROLE BYPASSRLS INHERIT'
        )
    try:
        ensure_database(base, database, login, admin)
        assert tuple(_attributes(admin_engine, login)) == (False,) * 5
    finally:
        drop_database(base, database)
        with admin_engine.connect() as conn:
            autocommit = conn.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
            autocommit.exec_driver_sql(f'DROP ROLE IF EXISTS "{admin}"')


def test_provisioning_refuses_a_role_made_for_another_database(app_context, admin_engine, settings):
    """Two deployments sharing a cluster and a prefix must not adopt each other's roles."""
    role = f"{settings.db_role_prefix}_squatted"
    with admin_engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" NOLOGIN')
        conn.exec_driver_sql(f"COMMENT ON ROLE \"{role}\" IS 'trackmycrime force role for x'")
    with pytest.raises(ProvisioningError, match="not made for this database"):
        tenancy().provision(NewForce("squatted", "Squatted Police"))
    with admin_engine.begin() as conn:
        schema = conn.scalar(text("SELECT to_regnamespace('t_squatted')"))
        registered = conn.scalar(text("SELECT count(*) FROM public.tenant WHERE slug = 'squatted'"))
        conn.exec_driver_sql(f'DROP ROLE "{role}"')
    assert (schema, registered) == (None, 0)


def _wsgi_import(database_url: str, redis_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TMC_ENV": "production",
        "SECRET_KEY": "x" * 40,
        "SECRETS_KEY": "Q7xXn3o1Yk8m2Jb5r0sVtW4cZ6dEf9gH1iJ2kL3mN4o=",
        "SMTP_URL": "smtp://127.0.0.1:1",
        "DATABASE_URL": database_url,
        "REDIS_URL": "redis://127.0.0.1:1/0" if redis_url.startswith("unix") else redis_url,
        "BASE_DOMAIN": "trackmycrime.example",
    }
    return run_python(env, "-c", "import wsgi", timeout=60)


def test_production_refuses_to_start_as_an_unsafe_role(services):
    refused = _wsgi_import(services.superuser_url, services.redis_url)
    assert refused.returncode != 0
    assert "is a superuser" in refused.stderr and "can create roles" in refused.stderr
    started = _wsgi_import(services.app_url, services.redis_url)
    assert started.returncode == 0, started.stderr


def test_a_role_made_before_markers_is_adopted_only_for_its_registered_force(
    app_context, admin_engine
):
    kent = tenancy().registry.by_slug("kent")
    assert kent
    with admin_engine.begin() as conn:
        conn.exec_driver_sql(f'COMMENT ON ROLE "{kent.db_role}" IS NULL')
    tenancy().provision(NewForce("kent", "Test Kent Police"))  # completes, does not refuse
    with admin_engine.connect() as conn:
        note = conn.scalar(
            text("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = :r"),
            {"r": kent.db_role},
        )
    assert note and "force role for database" in note


def test_the_login_role_cannot_make_temporary_objects(services):
    """A pg_temp function could hide a role change from the statement guard."""
    conn = _login_connection(services)
    try:
        with conn.cursor() as cursor, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute("CREATE TEMP TABLE t (x int)")
    finally:
        conn.close()
