"""Per-transaction binding of a force: the heart of tenant isolation.

Tenant tables are declared under the placeholder schema TENANT_SCHEMA, which never
exists in the database. A session bound to a force maps it to the force's schema
(schema_translate_map) and, when each transaction begins, runs SET LOCAL ROLE and SET
LOCAL search_path. Both end with the transaction, so a pooled connection carries
nothing to its next user; and in case anything did (a bug, a committed plain SET), every
connection is reset when it goes back to the pool. Unbound, an ORM query on a tenant
table raises TenantNotBound before reaching the database; anything that slips past finds
no schema called TENANT_SCHEMA, and the login role can read no force's tables anyway
(NOINHERIT). Only this module may change the database role: any other statement that
tries is refused before it reaches the server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, Engine, MetaData, Table, event
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, Session, SessionTransaction
from sqlalchemy.pool import Pool
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.util import find_tables

from tenants.forces import Force
from tenants.names import quoted

TENANT_SCHEMA = "tenant"
PUBLIC_SCHEMA = "public"
_FORCE_KEY = "tmc_force"
# Execution option that marks the binding code's own role changes.
_BINDING_OPTION = {"tmc_binding": True}

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Typed base of every model, public and force; one metadata for both."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class TenantNotBound(RuntimeError):
    """A tenant table was queried with no force bound to the session."""


class RoleChangeRefused(RuntimeError):
    """A statement outside the binding code tried to change the database role."""


def tenant_tables() -> list[Table]:
    """Every table declared in the placeholder tenant schema, in dependency order."""
    return [t for t in db.metadata.sorted_tables if t.schema == TENANT_SCHEMA]


def bind(session: Session, force: Force) -> None:
    """Bind force to session; must happen before the session's first query."""
    if session.in_transaction():
        raise RuntimeError("bind a force before the session's first query, not during one")
    session.info[_FORCE_KEY] = force


def bound_force(session: Session) -> Force | None:
    """The force bound to session, if any."""
    return session.info.get(_FORCE_KEY)


def unbind(session: Session) -> None:
    """Close session and forget its force."""
    session.close()
    session.info.pop(_FORCE_KEY, None)


def apply_binding(connection: Connection, force: Force) -> None:
    """Act as force for the rest of connection's current transaction."""
    connection.execution_options(schema_translate_map={TENANT_SCHEMA: force.schema_name})
    # One round trip for both (every transaction pays it): psycopg2 sends a parameterless
    # statement as one simple query, and the identifiers come from tenants.names.quoted.
    _as_binding(
        connection,
        f"SET LOCAL ROLE {quoted(force.db_role)}; "
        f"SET LOCAL search_path TO {quoted(force.schema_name)}",
    )


def release_binding(connection: Connection) -> None:
    """Act as the connecting role again for the rest of the transaction (registry updates)."""
    _as_binding(connection, "RESET ROLE; RESET search_path")


def _as_binding(connection: Connection, statement: str) -> None:
    connection.exec_driver_sql(statement, execution_options=_BINDING_OPTION)


@contextmanager
def force_scope(force: Force) -> Iterator[Session]:
    """Run a unit of work as force, outside a request: commit on success, else roll back.

    Used by jobs and the CLI; requests bind in the tenancy extension and commit at the edge.
    """
    session = db.session()
    bind(session, force)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        unbind(session)


@event.listens_for(Session, "after_begin")
def _bind_transaction(session: Session, _tx: SessionTransaction, connection: Connection) -> None:
    force = bound_force(session)
    if force is not None:
        apply_binding(connection, force)


@event.listens_for(Session, "do_orm_execute")
def _refuse_unbound(state: ORMExecuteState) -> None:
    if bound_force(state.session) is not None:
        return
    # Walk the statement for any table in the placeholder schema: entities, columns,
    # counts, subqueries, updates and deletes alike (only unbound sessions, i.e. the
    # central site, pay for this walk).
    statement = state.statement
    if not isinstance(statement, ClauseElement):
        return
    tables = find_tables(
        statement, include_crud=True, include_joins=True, include_aliases=True, include_selects=True
    )
    for table in tables:
        if getattr(table, "schema", None) == TENANT_SCHEMA:
            raise TenantNotBound(f"{table.name} queried with no force bound")


# --- Only the binding code changes the role -------------------------------------------

# Line comments, and block comments innermost first: PostgreSQL nests them, so
# "/* /* */ */" is one comment and must not leave "*/" in front of the next statement.
_LINE_COMMENT = re.compile(r"--[^\n]*")
_INNERMOST_BLOCK = re.compile(r"/\*(?:(?!/\*|\*/).)*\*/", re.S)
# At the start of any statement: SET/RESET [SESSION|LOCAL] ROLE | SESSION AUTHORIZATION,
# RESET ALL, and DO blocks (dynamic SQL would hide a role change from this check).
_ROLE_STATEMENT = re.compile(
    r'^\s*(?:(?:set|reset)\s+(?:session\s+|local\s+)?"?(?:role|session\s+authorization)\b'
    r"|reset\s+all\b|do\b)",
    re.I,
)
# Anywhere: set_config() can set 'role' from inside any query.
_SET_CONFIG = re.compile(r"\bset_config\s*\(", re.I)


# Every way above names one of these words: a statement with none of them (almost every
# statement the app sends) needs no regular expression. Lower-casing is the whole cost.
_ROLE_WORDS = ("role", "authorization", "reset", "set_config", "do", "u&")


def changes_role(statement: str) -> bool:
    """True if statement (any of its ;-separated parts) could change the session's role."""
    lowered = statement.lower()
    if not any(word in lowered for word in _ROLE_WORDS):
        return False
    if "u&" in lowered:  # SET U&"\0072ole" spells role with escapes; we never send U&
        return True
    text = _without_comments(statement)
    if _SET_CONFIG.search(text):
        return True
    return any(_ROLE_STATEMENT.match(part) for part in text.split(";"))


def _without_comments(statement: str) -> str:
    text = _LINE_COMMENT.sub(" ", statement)
    while True:
        shorter = _INNERMOST_BLOCK.sub(" ", text)
        if shorter == text:
            return text
        text = shorter


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_role_changes(
    _conn: Connection, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
) -> None:
    options = context.execution_options if context is not None else {}
    if not options.get("tmc_binding") and changes_role(statement):
        raise RoleChangeRefused("only tenants.binding may change the database role")


@event.listens_for(Pool, "checkin")
def _reset_on_return(dbapi_connection: Any, record: Any) -> None:
    """Whatever a transaction left on the session (a committed plain SET ROLE or
    search_path, say), the next user of this pooled connection starts clean."""
    if dbapi_connection is None:
        return
    try:
        dbapi_connection.rollback()
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute("DISCARD ALL")  # role, session authorization, settings, plans
        dbapi_connection.autocommit = False
    except Exception as error:  # a broken connection is dropped, never reused
        record.invalidate(error)
