"""Every query on the public registry (public.tenant and public.domain), by name.

Nothing else in the code base selects from or writes to these tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, exists, insert, select, text, update

from tenants.branding import safe_branding, validate_branding
from tenants.forces import Force, TenantStatus
from tenants.models import Domain, Tenant

_tenant = cast(Table, Tenant.__table__)
_FORCE_COLUMNS = (
    _tenant.c.slug,
    _tenant.c.schema_name,
    _tenant.c.db_role,
    _tenant.c.name,
    _tenant.c.status,
    _tenant.c.welsh_enabled,
    _tenant.c.branding,
    _tenant.c.idp_settings,
    _tenant.c.settings,
)


def _force(row: Any) -> Force:
    return Force(
        slug=row.slug,
        schema_name=row.schema_name,
        db_role=row.db_role,
        name=row.name,
        status=TenantStatus(row.status),
        welsh_enabled=row.welsh_enabled,
        # Re-validated on the way out: a value written straight into the table (or by an
        # older release) never reaches a page unless it matches the token grammar.
        branding=MappingProxyType(safe_branding(row.branding or {})),
        idp=MappingProxyType(dict(row.idp_settings or {})),
        settings=MappingProxyType(dict(row.settings or {})),
    )


def public_schema_ready(engine: Engine) -> bool:
    """True once `tenants upgrade-public` has created the registry."""
    with engine.connect() as conn:
        return conn.scalar(text("SELECT to_regclass('public.tenant') IS NOT NULL")) is True


def load_all(engine: Engine) -> tuple[dict[str, Force], dict[str, str]]:
    """Every force by slug, and every custom hostname -> slug, in two small queries."""
    with engine.connect() as conn:
        forces = {row.slug: _force(row) for row in conn.execute(select(*_FORCE_COLUMNS))}
        domains = conn.execute(select(Domain.hostname, Tenant.slug).join(Tenant)).all()
    return forces, {hostname: slug for hostname, slug in domains}


def fresh_force(engine: Engine, slug: str) -> Force | None:
    """The force with this slug read now (not from any cache), or None."""
    with engine.connect() as conn:
        row = conn.execute(select(*_FORCE_COLUMNS).where(_tenant.c.slug == slug)).first()
    return _force(row) if row else None


def all_forces(engine: Engine) -> list[Force]:
    """Every registered force, by slug, with its revision (for listings)."""
    with engine.connect() as conn:
        rows = conn.execute(select(*_FORCE_COLUMNS).order_by(_tenant.c.slug))
        return [_force(row) for row in rows]


def revisions(engine: Engine) -> dict[str, str | None]:
    """Each force's recorded tenant-track revision."""
    with engine.connect() as conn:
        rows = conn.execute(select(_tenant.c.slug, _tenant.c.revision))
        return {row.slug: row.revision for row in rows}


def forces_to_migrate(engine: Engine, slugs: Iterable[str] | None = None) -> list[Any]:
    """Provisioned forces (active or suspended), all or those named, with their revision."""
    query = (
        select(*_FORCE_COLUMNS, _tenant.c.revision)
        .where(_tenant.c.status.in_([TenantStatus.ACTIVE, TenantStatus.SUSPENDED]))
        .order_by(_tenant.c.slug)
    )
    if slugs is not None:
        query = query.where(_tenant.c.slug.in_(list(slugs)))
    with engine.connect() as conn:
        return [(_force(row), row.revision) for row in conn.execute(query)]


def set_status(conn: Connection, slug: str, to: TenantStatus, allowed_from: TenantStatus) -> bool:
    """Move a force from allowed_from to `to`; False if it was not in allowed_from."""
    changed = conn.execute(
        update(_tenant)
        .where(_tenant.c.slug == slug, _tenant.c.status == allowed_from)
        .values(status=to)
    ).rowcount
    return bool(changed)


def status_of(conn: Connection, slug: str) -> TenantStatus | None:
    """The force's status in conn's transaction, or None if it is not registered."""
    status = conn.scalar(select(_tenant.c.status).where(_tenant.c.slug == slug))
    return TenantStatus(status) if status is not None else None


def registered_role(conn: Connection, slug: str) -> str | None:
    """The database role the registry names for slug, if it is registered."""
    return conn.scalar(select(_tenant.c.db_role).where(_tenant.c.slug == slug))


def record_revision(conn: Connection, slug: str, revision: str) -> None:
    """Remember the tenant-track revision a force was migrated (or stamped) to."""
    conn.execute(update(_tenant).where(_tenant.c.slug == slug).values(revision=revision))


def register(conn: Connection, force: Force, revision: str) -> bool:
    """Add the registry row unless the slug is there; True if it was added."""
    if conn.scalar(select(exists().where(_tenant.c.slug == force.slug))):
        return False
    conn.execute(
        insert(_tenant).values(
            id=uuid.uuid4(),
            slug=force.slug,
            name=force.name,
            status=force.status,
            schema_name=force.schema_name,
            db_role=force.db_role,
            branding=dict(force.branding),
            idp_settings={},
            settings={},
            welsh_enabled=force.welsh_enabled,
            revision=revision,
        )
    )
    return True


def set_idp_settings(conn: Connection, slug: str, settings: dict[str, Any]) -> bool:
    """Replace a force's identity-provider settings (secrets already sealed)."""
    changed = conn.execute(
        update(_tenant).where(_tenant.c.slug == slug).values(idp_settings=settings)
    ).rowcount
    return bool(changed)


def set_force_settings(conn: Connection, slug: str, settings: dict[str, Any]) -> bool:
    """Replace a force's own settings (secrets inside already sealed)."""
    changed = conn.execute(
        update(_tenant).where(_tenant.c.slug == slug).values(settings=settings)
    ).rowcount
    return bool(changed)


@dataclass(frozen=True)
class ForceChange:
    """What a force's administrators change about it; None leaves a part as it is.

    branding and settings are merged into what is stored, key by key (a key given as
    None or "" is removed); idp replaces the stored settings whole.
    """

    name: str | None = None
    welsh_enabled: bool | None = None
    branding: Mapping[str, Any] | None = None
    settings: Mapping[str, Any] | None = None
    idp: Mapping[str, Any] | None = None

    def fields(self) -> list[str]:
        """The names of what changes (for an audit row: never the values)."""
        parts = [("name", self.name), ("welsh_enabled", self.welsh_enabled), ("idp", self.idp)]
        names = [name for name, value in parts if value is not None]
        names += [f"branding.{key}" for key in self.branding or {}]
        names += [f"settings.{key}" for key in self.settings or {}]
        return sorted(names)


def _merged(stored: Mapping[str, Any] | None, changes: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**(stored or {}), **changes}
    return {key: value for key, value in merged.items() if value not in (None, "")}


def change_force(conn: Connection, slug: str, change: ForceChange) -> bool:
    """Apply change to slug's registry row (branding re-validated); False if not found.

    The row is locked first, so two administrators saving different settings at once
    both keep their change.
    """
    row = conn.execute(
        select(_tenant.c.branding, _tenant.c.settings)
        .where(_tenant.c.slug == slug)
        .with_for_update()
    ).first()
    if row is None:
        return False
    values: dict[str, Any] = {}
    if change.name is not None:
        values["name"] = change.name
    if change.welsh_enabled is not None:
        values["welsh_enabled"] = change.welsh_enabled
    if change.branding is not None:
        # Only the valid stored tokens carry over: one written straight into the table (or
        # allowed by an older rule) must not make every later save fail.
        stored = safe_branding(row.branding or {})
        values["branding"] = validate_branding(_merged(stored, change.branding))
    if change.settings is not None:
        values["settings"] = _merged(row.settings, change.settings)
    if change.idp is not None:
        values["idp_settings"] = dict(change.idp)
    if values:
        conn.execute(update(_tenant).where(_tenant.c.slug == slug).values(**values))
    return True
