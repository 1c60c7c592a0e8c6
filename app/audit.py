"""Typed audit events, written in the same transaction as the action they record.

Force scope writes the force's audit_event (Data Protection Act 2018 s.62: who, what,
which record, why, when); the central site writes public.platform_audit_event. Only
ids and field names go in, never the personal data itself.
"""

from __future__ import annotations

import enum
from typing import Any

from flask import g
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent, PlatformAuditEvent
from app.tenancy import current_scope
from tenants.models import PlatformTag


class AuditTag(enum.StrEnum):
    """Typed tags of a force's trail; journeys add theirs here."""

    SESSION_EXITED = "session:exited"
    CASE_VIEWED = "case:viewed"
    CASE_CREATED = "case:created"
    CASE_UPDATED = "case:updated"


def _actor() -> tuple[str, str | None]:
    if current_user and current_user.is_authenticated:
        return current_user.kind, str(current_user.id)
    return "anonymous", None


def record(
    tag: AuditTag | PlatformTag,
    *,
    record_type: str | None = None,
    record_id: Any = None,
    purpose: str | None = None,
    **detail: Any,
) -> None:
    """Add an audit row to the current transaction (it commits or rolls back with it)."""
    actor_type, actor_id = _actor()
    common = {
        "tag": tag.value,
        "actor_type": actor_type,
        "actor_id": actor_id,
        "request_id": g.get("request_id"),
        "detail": detail,
    }
    scope = current_scope()
    if scope.kind == "force":
        db.session.add(
            AuditEvent(
                record_type=record_type,
                purpose=purpose,
                record_id=str(record_id) if record_id else None,
                **common,
            )
        )
    else:
        db.session.add(PlatformAuditEvent(force_slug=detail.pop("force", None), **common))
