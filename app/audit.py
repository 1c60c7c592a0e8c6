"""Typed audit events, written in the same transaction as the action they record.

On a force's site they go to the force's audit_event (Data Protection Act 2018 s.62:
who, what, which record, why, when); on the central site to the platform trail. Each
journey declares its tags as an enum of ForceTag or PlatformTag (tenants.audit), and a
tag written to the other trail is refused. Only ids and field names go in, never the
personal data itself.
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask_login import current_user

from app.models import AuditEvent
from tenants.audit import Actor, ForceTag, PlatformTag, WrongTrail, write_platform_event
from tenants.binding import db
from tenants.extension import current_scope
from tenants.resolution import ScopeKind


def _actor() -> Actor:
    if g.get("audit_actor"):  # set by an authenticator that is not Flask-Login (API clients)
        actor: Actor = g.audit_actor
        return actor
    if current_user and current_user.is_authenticated:
        return current_user.kind, str(current_user.id)
    return "anonymous", None


def record(
    tag: ForceTag | PlatformTag,
    *,
    record_type: str | None = None,
    record_id: Any = None,
    purpose: str | None = None,
    **detail: Any,
) -> None:
    """Add an audit row to the current transaction (it commits or rolls back with it)."""
    kind = current_scope().kind
    if kind is ScopeKind.FORCE and isinstance(tag, ForceTag):
        _record_in_force(tag, record_type, record_id, purpose, detail)
    elif kind is ScopeKind.CENTRAL and isinstance(tag, PlatformTag):
        force = detail.pop("force", None)
        write_platform_event(
            db.session.connection(),
            tag,
            _actor(),
            force_slug=force,
            request_id=g.get("request_id"),
            **detail,
        )
    else:
        raise WrongTrail(f"{tag!r} cannot be recorded on a {kind.value} request")


def _record_in_force(
    tag: ForceTag, record_type: str | None, record_id: Any, purpose: str | None, detail: Any
) -> None:
    actor_type, actor_id = _actor()
    db.session.add(
        AuditEvent(
            tag=tag.value,
            actor_type=actor_type,
            actor_id=actor_id,
            request_id=g.get("request_id"),
            detail=detail,
            record_type=record_type,
            purpose=purpose,
            record_id=str(record_id) if record_id else None,
        )
    )
