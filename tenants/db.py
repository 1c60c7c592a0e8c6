"""Per-transaction binding of a force: the heart of tenant isolation.

Tenant tables are declared under the placeholder schema TENANT_SCHEMA, which never
exists in the database. A session bound to a force maps it to the force's schema
(schema_translate_map) and, when each transaction begins, runs SET LOCAL ROLE and SET
LOCAL search_path. Both end with the transaction, so a pooled connection carries
nothing to its next user. Unbound, an ORM query on a tenant table raises TenantNotBound
before reaching the database; anything that slips past finds no schema called
TENANT_SCHEMA, and the login role can read no force's tables anyway (NOINHERIT).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, MetaData, Table, event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.util import find_tables

from tenants.names import quoted

TENANT_SCHEMA = "tenant"
PUBLIC_SCHEMA = "public"
_FORCE_KEY = "tmc_force"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))


class TenantNotBound(RuntimeError):
    """A tenant table was queried with no force bound to the session."""


@dataclass(frozen=True)
class ForceBinding:
    """What the database needs to know to act as one force."""

    slug: str
    schema_name: str
    db_role: str


def tenant_tables() -> list[Table]:
    """Every table declared in the placeholder tenant schema, in dependency order."""
    return [t for t in db.metadata.sorted_tables if t.schema == TENANT_SCHEMA]


def bind(session: Session, force: ForceBinding) -> None:
    """Bind force to session; must happen before the session's first query."""
    if session.in_transaction():
        raise RuntimeError("bind a force before the session's first query, not during one")
    session.info[_FORCE_KEY] = force


def bound_force(session: Session) -> ForceBinding | None:
    """The force bound to session, if any."""
    return session.info.get(_FORCE_KEY)


def unbind(session: Session) -> None:
    """Close session and forget its force."""
    session.close()
    session.info.pop(_FORCE_KEY, None)


def apply_binding(connection: Connection, force: ForceBinding) -> None:
    """Act as force for the rest of connection's current transaction."""
    connection.execution_options(schema_translate_map={TENANT_SCHEMA: force.schema_name})
    connection.exec_driver_sql(f"SET LOCAL ROLE {quoted(force.db_role)}")
    connection.exec_driver_sql(f"SET LOCAL search_path TO {quoted(force.schema_name)}")


def release_binding(connection: Connection) -> None:
    """Act as the login role again for the rest of the transaction (registry updates)."""
    connection.exec_driver_sql("RESET ROLE")
    connection.exec_driver_sql("RESET search_path")


@contextmanager
def force_scope(force: ForceBinding) -> Iterator[Session]:
    """Run a unit of work as force, outside a request: commit on success, else roll back.

    Used by jobs and the CLI; requests bind in app/ and commit at the edge.
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
    # Every table the statement touches, subqueries and joins included (only unbound
    # sessions, i.e. the central site, pay for this walk).
    statement = state.statement
    if not isinstance(statement, ClauseElement):
        return
    tables = find_tables(
        statement,
        include_crud=True,
        include_joins=True,
        include_aliases=True,
        include_selects=True,
    )
    for table in tables:
        if getattr(table, "schema", None) == TENANT_SCHEMA:
            raise TenantNotBound(f"{table.name} queried with no force bound")
