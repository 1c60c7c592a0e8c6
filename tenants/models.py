"""The public registry: which forces exist, their status, schema, role and branding.

Public tables are always schema-qualified: the application's login role has an empty
search_path, so nothing resolves to public by accident.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Enum, ForeignKey, String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.binding import PUBLIC_SCHEMA, Base
from tenants.forces import TenantStatus


class Tenant(Base):
    """A force: its slug names its host, schema and role."""

    __tablename__ = "tenant"
    __table_args__ = {"schema": PUBLIC_SCHEMA}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[TenantStatus] = mapped_column(
        Enum(
            TenantStatus,
            native_enum=False,
            length=20,
            values_callable=lambda members: [m.value for m in members],
        ),
        default=TenantStatus.PENDING,
    )
    schema_name: Mapped[str] = mapped_column(String(63), unique=True)
    db_role: Mapped[str] = mapped_column(String(63), unique=True)
    # Validated design tokens only (see tenants/branding.py), never raw HTML or CSS.
    branding: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Identity-provider settings: filled in by the officer sign-in work.
    idp_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The force's own settings (tenants.forces.Force.settings), edited by its admins.
    settings: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    welsh_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    domains: Mapped[list[Domain]] = relationship(back_populates="tenant")


class Domain(Base):
    """A custom hostname for a force, beside its <slug>.<BASE_DOMAIN> one."""

    __tablename__ = "domain"
    __table_args__ = {"schema": PUBLIC_SCHEMA}

    hostname: Mapped[str] = mapped_column(String(253), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(f"{PUBLIC_SCHEMA}.tenant.id"))

    tenant: Mapped[Tenant] = relationship(back_populates="domains")


class AuditColumns:
    """Who did what, when, in which request: common to the platform and force trails."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(UTC), index=True
    )
    tag: Mapped[str] = mapped_column(String(64), index=True)
    actor_type: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # Recipients of a disclosure, fields changed by an alteration: ids and names of
    # fields only, never their values.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PlatformAuditEvent(AuditColumns, Base):
    """The central trail: forces created, suspended, resumed; operators' actions."""

    __tablename__ = "platform_audit_event"
    __table_args__ = {"schema": PUBLIC_SCHEMA}

    force_slug: Mapped[str | None] = mapped_column(String(40), index=True)
