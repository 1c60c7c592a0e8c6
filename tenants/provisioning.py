"""Create a force: role, schema, tables from current metadata, migration stamp, seed.

One transaction, idempotent, and no replay of the migration history or cloning of a
template schema: the cost stays flat however many forces already exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, exists, insert, select, text

from tenants import migrate
from tenants.branding import validate_branding
from tenants.db import ForceBinding, apply_binding, db, release_binding, tenant_tables
from tenants.models import (
    SYSTEM,
    Actor,
    PlatformTag,
    Tenant,
    TenantStatus,
    record_platform_event,
)
from tenants.names import quoted, role_name, schema_name, validate_slug
from tenants.runtime import Seeder

_tenant = Tenant.__table__


class SlugTaken(ValueError):
    """Another force already uses this slug."""


@dataclass(frozen=True)
class NewForce:
    """What provisioning needs to know about a force."""

    slug: str
    name: str
    welsh_enabled: bool = False
    branding: Mapping[str, Any] | None = None


def create_force(
    engine: Engine,
    force: NewForce,
    role_prefix: str,
    seeders: Iterable[Seeder] = (),
    actor: Actor = SYSTEM,
) -> ForceBinding:
    """Provision a force whose slug is new; raise SlugTaken (creating nothing) if not."""
    validate_slug(force.slug)
    return provision(engine, force, role_prefix, seeders, actor, must_be_new=True)


def provision(
    engine: Engine,
    force: NewForce,
    role_prefix: str,
    seeders: Iterable[Seeder] = (),
    actor: Actor = SYSTEM,
    must_be_new: bool = False,
) -> ForceBinding:
    """Make sure force exists and is complete; running it again changes nothing.

    The first run registers the force and records force:created, naming actor. With
    must_be_new, a force already registered raises SlugTaken and the transaction,
    with anything it touched, rolls back.
    """
    name = force.name.strip()
    if not 2 <= len(name) <= 120:
        raise ValueError("A force's name must be 2 to 120 characters.")
    branding = validate_branding(force.branding or {})
    binding = ForceBinding(force.slug, schema_name(force.slug), role_name(force.slug, role_prefix))
    with engine.begin() as conn:
        _ensure_role_and_schema(conn, binding)
        apply_binding(conn, binding)
        db.metadata.create_all(conn, tables=tenant_tables(), checkfirst=True)
        migrate.stamp_head(conn, binding)
        for seed in seeders:
            seed(conn, binding)
        release_binding(conn)
        if _register(conn, binding, name, force.welsh_enabled, branding):
            record_platform_event(conn, PlatformTag.FORCE_CREATED, *actor, force_slug=binding.slug)
        elif must_be_new:
            raise SlugTaken(f"A force called '{force.slug}' already exists.")
    return binding


def _ensure_role_and_schema(conn: Connection, binding: ForceBinding) -> None:
    role, schema = quoted(binding.db_role), quoted(binding.schema_name)
    role_exists = conn.scalar(
        text("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :r)"), {"r": binding.db_role}
    )
    if not role_exists:
        conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN NOINHERIT")
    # The login role may act as the force (SET ROLE) but never inherits its rights.
    # Granting again is harmless, and on PostgreSQL 16 the CREATEROLE grant that came
    # with CREATE ROLE is ADMIN only, without the SET option this needs.
    conn.exec_driver_sql(f"GRANT {role} TO CURRENT_USER")
    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {role}")


def _register(
    conn: Connection, binding: ForceBinding, name: str, welsh: bool, branding: dict[str, str]
) -> bool:
    """Add the registry row unless it is there; True if it was added."""
    if conn.scalar(select(exists().where(_tenant.c.slug == binding.slug))):
        return False
    conn.execute(
        insert(_tenant).values(
            id=uuid.uuid4(),
            slug=binding.slug,
            name=name,
            status=TenantStatus.ACTIVE,
            schema_name=binding.schema_name,
            db_role=binding.db_role,
            branding=branding,
            idp_settings={},
            welsh_enabled=welsh,
            revision=migrate.tenant_head(),
        )
    )
    return True
