"""Create the database and its two roles, once per environment.

- The **login role** (web and workers) is never a superuser, cannot create roles or
  databases, bypasses no row security, and inherits nothing (NOINHERIT): it holds each
  force role but gets its rights only by SET ROLE, which only tenants.binding issues.
  Its search_path is empty, so nothing resolves by accident. It may read and write the
  public registry tables and owns nothing.
- The **admin role** (provisioning, migrations, decommissioning: the CLI, the migration
  Job and the provisioning queue's worker) owns the database and the public schema and
  may create roles (CREATEROLE). On PostgreSQL < 16 CREATEROLE is close to superuser
  (it may grant itself pg_execute_server_program), so its credentials never reach web
  pods; docs/security.md says more.

Development and tests run this against the embedded or local server as a superuser; in
production a DBA runs the same SQL (docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, create_engine, make_url, text

from tenants.names import checked_identifier, quoted

LOGIN_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS NOINHERIT NOREPLICATION"
ADMIN_ATTRIBUTES = "LOGIN NOSUPERUSER CREATEROLE NOCREATEDB NOBYPASSRLS NOINHERIT NOREPLICATION"


@dataclass(frozen=True)
class DatabaseUrls:
    """Where the two roles connect."""

    login_url: str
    admin_url: str


def ensure_database(superuser_url: str, database: str, login: str, admin: str) -> DatabaseUrls:
    """Make both roles (fixing wrong attributes on existing ones) and the database exist."""
    for name in (database, login, admin):
        checked_identifier(name)
    engine = create_engine(superuser_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            _ensure_role(conn, login, LOGIN_ATTRIBUTES)
            _ensure_role(conn, admin, ADMIN_ATTRIBUTES)
            if not conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}
            ):
                conn.exec_driver_sql(f"CREATE DATABASE {quoted(database)} OWNER {quoted(admin)}")
    finally:
        engine.dispose()
    on_database = make_url(superuser_url).set(database=database)
    _lock_down(on_database.render_as_string(False), database, login, admin)
    as_role = on_database.set(password=None)
    return DatabaseUrls(
        as_role.set(username=login).render_as_string(False),
        as_role.set(username=admin).render_as_string(False),
    )


def _ensure_role(conn: Connection, role: str, attributes: str) -> None:
    """Create role, or put an existing one's attributes right (never trust what is there)."""
    if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}):
        conn.exec_driver_sql(f"ALTER ROLE {quoted(role)} {attributes}")
    else:
        conn.exec_driver_sql(f"CREATE ROLE {quoted(role)} {attributes}")
    conn.exec_driver_sql(f"ALTER ROLE {quoted(role)} SET search_path = ''")


def _lock_down(database_url: str, database: str, login: str, admin: str) -> None:
    """Only our roles connect; the admin owns public; the login role may use its tables."""
    statements = (
        f"ALTER DATABASE {quoted(database)} OWNER TO {quoted(admin)}",
        f"REVOKE ALL ON DATABASE {quoted(database)} FROM PUBLIC",
        # CONNECT only: with TEMPORARY, stacked SQL could define a pg_temp function that
        # hides a role change from the statement guard (docs/security.md).
        f"GRANT CONNECT ON DATABASE {quoted(database)} TO {quoted(login)}",
        f"ALTER SCHEMA public OWNER TO {quoted(admin)}",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {quoted(login)}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted(login)}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {quoted(admin)} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted(login)}",
    )
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def drop_database(superuser_url: str, database: str) -> None:
    """Drop database (tests use it to clean up after themselves)."""
    engine = create_engine(superuser_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted(database)} WITH (FORCE)")
    finally:
        engine.dispose()


def login_role_problems(conn: Connection) -> list[str]:
    """Why the connected role must not serve web or worker traffic (empty if it may)."""
    row = conn.execute(
        text(
            "SELECT rolsuper, rolcreaterole, rolbypassrls, "
            "EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname <> current_user "
            "        AND pg_has_role(current_user, r.oid, 'USAGE')) AS inherits "
            "FROM pg_roles WHERE rolname = current_user"
        )
    ).one()
    problems = {
        "is a superuser": row.rolsuper,
        "can create roles (CREATEROLE)": row.rolcreaterole,
        "bypasses row security (BYPASSRLS)": row.rolbypassrls,
        "inherits the rights of other roles (it must be NOINHERIT)": row.inherits,
    }
    return [problem for problem, present in problems.items() if present]
