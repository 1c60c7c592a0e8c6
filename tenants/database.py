"""Create the application's login role and database, once per environment.

The login role owns the public schema and nothing in any force schema. It may create
force roles and act as them (SET ROLE), but with NOINHERIT it holds none of their
rights until it does, and its search_path is empty so nothing resolves by accident.
Development and tests run this against the embedded or local server; in production a
DBA runs the same SQL (docs/operations.md) and hands us DATABASE_URL for the login role.
"""

from __future__ import annotations

from sqlalchemy import create_engine, make_url, text

from tenants.names import checked_identifier, quoted


def ensure_database(admin_url: str, database: str, login_role: str) -> str:
    """Make login_role and database (owned by it) exist; return the login role's URL.

    admin_url must be a superuser (or a role with CREATEROLE and CREATEDB).
    """
    checked_identifier(database)
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            _ensure_login_role(conn, login_role)
            has_db = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}
            )
            if not has_db:
                conn.exec_driver_sql(
                    f"CREATE DATABASE {quoted(database)} OWNER {quoted(login_role)}"
                )
    finally:
        engine.dispose()
    _lock_down_public(
        make_url(admin_url).set(database=database).render_as_string(False), login_role
    )
    return (
        make_url(admin_url)
        .set(username=login_role, password=None, database=database)
        .render_as_string(hide_password=False)
    )


def _ensure_login_role(conn: object, login_role: str) -> None:
    exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login_role})  # type: ignore[attr-defined]
    if not exists:
        conn.exec_driver_sql(  # type: ignore[attr-defined]
            f"CREATE ROLE {quoted(login_role)} LOGIN NOINHERIT CREATEROLE"
        )
    conn.exec_driver_sql(f"ALTER ROLE {quoted(login_role)} SET search_path = ''")  # type: ignore[attr-defined]


def _lock_down_public(database_url: str, login_role: str) -> None:
    """Only the login role may use the public schema: force roles get nothing there."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"ALTER SCHEMA public OWNER TO {quoted(login_role)}")
            conn.exec_driver_sql("REVOKE ALL ON SCHEMA public FROM PUBLIC")
    finally:
        engine.dispose()


def drop_database(admin_url: str, database: str) -> None:
    """Drop database (tests use it to clean up after themselves)."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted(database)} WITH (FORCE)")
    finally:
        engine.dispose()
