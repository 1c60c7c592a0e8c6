"""Removing a decommissioned force from the database: its schema, its role, its custom
hostnames; the registry row stays (status decommissioned) so the slug stays reserved.

Runs as the admin role, in the caller's transaction (the workflow in app.central adds
its own rows and audit event to the same one), and is safe to run again: a force that
is already decommissioned is left alone. Only names from the registry reach the DDL,
validated and quoted by tenants.names.
"""

from __future__ import annotations

from typing import Any, cast

from redis import Redis
from sqlalchemy import Connection, Table, delete, select, text

from tenants import registry
from tenants.binding import apply_binding, release_binding
from tenants.forces import Force, TenantStatus
from tenants.keys import force_key_pattern
from tenants.models import Domain, Tenant
from tenants.names import quoted
from tenants.provisioning import role_marker

_tenant = cast(Table, Tenant.__table__)


class RemovalRefused(RuntimeError):
    """The force cannot be removed (not suspended, or its role is not ours)."""


def remove_force(conn: Connection, slug: str) -> bool:
    """Drop the suspended force's schema and role and mark it decommissioned, in conn's
    transaction (conn is the admin role's); False if it was already decommissioned."""
    row = conn.execute(
        select(_tenant.c.id, _tenant.c.status, _tenant.c.schema_name, _tenant.c.db_role)
        .where(_tenant.c.slug == slug)
        .with_for_update()
    ).first()
    if row is None:
        raise RemovalRefused(f"no force {slug!r} is registered")
    if row.status == TenantStatus.DECOMMISSIONED:
        return False
    if row.status != TenantStatus.SUSPENDED:
        raise RemovalRefused(f"force {slug!r} is {row.status}: only a suspended one is removed")
    _drop_schema_and_role(conn, Force(slug, row.schema_name, row.db_role))
    conn.execute(delete(Domain).where(Domain.tenant_id == row.id))
    registry.set_status(conn, slug, TenantStatus.DECOMMISSIONED, TenantStatus.SUSPENDED)
    return True


def _drop_schema_and_role(conn: Connection, force: Force) -> None:
    note = conn.execute(
        text("SELECT shobj_description(oid, 'pg_authid') AS note FROM pg_roles WHERE rolname = :r"),
        {"r": force.db_role},
    ).first()
    if note is None:  # an earlier release's cleanup got this far: only the schema is left
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {quoted(force.schema_name)} CASCADE")
        return
    database = conn.scalar(text("SELECT current_database()"))
    if note.note != role_marker(str(database)):
        raise RemovalRefused(f"role {force.db_role} was not made for this database")
    # The force role owns its schema and everything in it; the admin role is NOINHERIT,
    # so it acts as the force (as provisioning does) to drop them.
    apply_binding(conn, force)
    conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {quoted(force.schema_name)} CASCADE")
    conn.exec_driver_sql(f"DROP OWNED BY {quoted(force.db_role)}")
    release_binding(conn)
    conn.exec_driver_sql(f"DROP ROLE IF EXISTS {quoted(force.db_role)}")


def schema_and_role_exist(conn: Connection, schema: str, role: str) -> tuple[bool, bool]:
    """Whether the schema and the role are still in the database (for checks and tests)."""
    found: Any = conn.execute(
        text(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = :s) AS schema, "
            "EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :r) AS role"
        ),
        {"s": schema, "r": role},
    ).one()
    return bool(found.schema), bool(found.role)


def delete_force_keys(redis: Redis, slug: str) -> int:
    """Delete every Redis key of the force (cache, rate limits...); how many there were."""
    count = 0
    batch: list[bytes] = []
    for key in redis.scan_iter(match=force_key_pattern(slug), count=500):
        batch.append(key)
        if len(batch) >= 500:
            count += int(redis.delete(*batch))
            batch = []
    if batch:
        count += int(redis.delete(*batch))
    return count
