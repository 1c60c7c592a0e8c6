"""Audit trails: one in each force schema (victim data access), one central (platform).

Rows are written in the same transaction as the action they record, so a failed request
leaves neither. They name records by id and never copy personal data into the trail.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import IN_FORCE, IN_PUBLIC, created_at, uuid_pk
from tenants.db import db


class _AuditColumns:
    """Who did what, when, in which request: common to both trails."""

    id: Mapped[uuid.UUID] = uuid_pk()
    occurred_at: Mapped[datetime] = created_at()
    tag: Mapped[str] = mapped_column(String(64), index=True)
    actor_type: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # Recipients of a disclosure, fields changed by an alteration: ids and names of
    # fields only, never their values.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditEvent(_AuditColumns, db.Model):  # type: ignore[name-defined]
    __tablename__ = "audit_event"
    __table_args__ = IN_FORCE

    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    purpose: Mapped[str | None] = mapped_column(String(200))


class PlatformAuditEvent(_AuditColumns, db.Model):  # type: ignore[name-defined]
    __tablename__ = "platform_audit_event"
    __table_args__ = IN_PUBLIC

    force_slug: Mapped[str | None] = mapped_column(String(40), index=True)
