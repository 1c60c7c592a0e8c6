"""Audit rows written by jobs, where there is no request (and so no signed-in user)
for app.audit.record to name: the job names its actor itself."""

from __future__ import annotations

from typing import Any

from app.models import AuditEvent
from tenants.audit import SYSTEM, Actor, ForceTag
from tenants.binding import db


def write(
    tag: ForceTag,
    actor: Actor = SYSTEM,
    *,
    record_type: str | None = None,
    record_id: Any = None,
    purpose: str | None = None,
    **detail: Any,
) -> None:
    """Add a force-trail row to the current (job's) transaction."""
    db.session.add(
        AuditEvent(
            tag=tag.value,
            actor_type=actor[0],
            actor_id=actor[1],
            request_id=None,
            record_type=record_type,
            record_id=str(record_id) if record_id else None,
            purpose=purpose,
            detail=detail,
        )
    )
