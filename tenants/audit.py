"""Audit tags, grouped by trail, and the platform trail's writer.

Two trails: each force's audit_event (victim data: who consulted, changed or erased
what, and why) and the central platform_audit_event (forces created, suspended,
operators' actions). A tag belongs to exactly one trail by its type: journeys declare
their tags as enums subclassing ForceTag or PlatformTag, and a writer refuses a tag of
the other trail. Rows name records by id and never copy personal data.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert

from tenants.models import PlatformAuditEvent


class ForceTag(enum.StrEnum):
    """Base of every force-trail tag enum (no members of its own)."""


class PlatformTag(enum.StrEnum):
    """Base of every platform-trail tag enum (no members of its own)."""


class TenancyTag(PlatformTag):
    """What the tenancy machinery itself records."""

    FORCE_CREATED = "force:created"
    FORCE_SUSPENDED = "force:suspended"
    FORCE_RESUMED = "force:resumed"
    FORCE_IDP_CONFIGURED = "force:idp-configured"
    SECRETS_ROTATED = "platform:secrets-rotated"


class WrongTrail(TypeError):
    """A tag was written to the trail it does not belong to."""


# (kind, id): ("cli", "<os user>"), ("operator", "<uuid>"), ("system", None)
Actor = tuple[str, str | None]
SYSTEM: Actor = ("system", None)


def write_platform_event(
    conn: Connection,
    tag: PlatformTag,
    actor: Actor,
    *,
    force_slug: str | None = None,
    request_id: str | None = None,
    **detail: Any,
) -> None:
    """Write a platform audit row in conn's transaction; refuse a force-trail tag."""
    if not isinstance(tag, PlatformTag):
        raise WrongTrail(f"{tag!r} is not a platform-trail tag")
    conn.execute(
        insert(PlatformAuditEvent).values(
            id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            tag=tag.value,
            actor_type=actor[0],
            actor_id=actor[1],
            request_id=request_id,
            force_slug=force_slug,
            detail=detail,
        )
    )


def all_tags() -> list[enum.StrEnum]:
    """Every tag declared by any trail's enums (the tests check values are unique)."""
    return [
        member
        for base in (ForceTag, PlatformTag)
        for cls in base.__subclasses__()
        for member in cls
    ]
