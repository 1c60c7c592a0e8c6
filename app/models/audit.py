"""Audit trails: one in each force schema (victim data access), one central (platform).

Rows are written in the same transaction as the action they record, so a failed request
leaves neither. They name records by id and never copy personal data into the trail.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel
from tenants.models import AuditColumns, PlatformAuditEvent

__all__ = ["AuditEvent", "PlatformAuditEvent"]


class AuditEvent(AuditColumns, ForceModel):
    __tablename__ = "audit_event"

    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    purpose: Mapped[str | None] = mapped_column(String(200))
