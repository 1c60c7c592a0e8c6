"""The platform audit trail as the console shows it (it is written by tenants.audit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.models import PlatformAuditEvent
from tenants.audit import TenancyTag
from tenants.binding import db

LIMIT = 200


def recent(force_slug: str | None = None, limit: int = LIMIT) -> list[PlatformAuditEvent]:
    """The newest events, of one force if named."""
    query = select(PlatformAuditEvent).order_by(PlatformAuditEvent.occurred_at.desc())
    if force_slug:
        query = query.where(PlatformAuditEvent.force_slug == force_slug)
    return list(db.session.scalars(query.limit(limit)))


def joined_dates() -> dict[str, datetime]:
    """When each force was created, from the trail's force:created events."""
    rows = db.session.execute(
        select(PlatformAuditEvent.force_slug, func.min(PlatformAuditEvent.occurred_at))
        .where(PlatformAuditEvent.tag == TenancyTag.FORCE_CREATED.value)
        .group_by(PlatformAuditEvent.force_slug)
    )
    return {slug: when for slug, when in rows if slug}
