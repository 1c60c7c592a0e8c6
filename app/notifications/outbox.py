"""Writing to the outbox, and the named queries the officer, admin and operator pages call.

notify() adds a row in the caller's transaction (no commit: one commit per request, at
the edge) and arranges its delivery after that commit. The safety rules are decided
here, once, so no caller can forget them: a row that must not go is still written, as
"withheld" with its reason, so the officer can see the victim was not told and why.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.models.base import utcnow
from app.models.outbox import CentralOutboxMessage, OutboxMessage
from app.notifications import handoff
from app.notifications.kinds import CENTRAL_KINDS, Kind, Reason, Recipient, Status
from app.notifications.safe_times import next_safe_moment
from tenants.binding import bind, bound_force, db
from tenants.forces import Force

# A path on the site: letters, digits and -._~/ only (an invite token is url-safe
# base64). No query string, nothing a caller could smuggle words or data through easily.
LINK_PATH = re.compile(r"/[A-Za-z0-9/_.~-]{0,299}")


def checked_link_path(path: str) -> str:
    if not LINK_PATH.fullmatch(path) or "//" in path:
        raise ValueError("link_path must be a plain path on the site, like /invite/<token>")
    return path


class NoForceBound(RuntimeError):
    """notify() was called where no force is bound (use notify_central on the central site)."""


def notify(
    kind: Kind,
    recipient: Recipient,
    *,
    dedupe_key: str,
    case_id: uuid.UUID | None = None,
    link_path: str = "/sign-in",
    automatic: bool = True,
    contact_allowed: bool = True,
    now: datetime | None = None,
) -> OutboxMessage:
    """Write a notification to the current force's outbox; deliver it after commit.

    A second call with the same dedupe_key writes nothing and returns the first row.
    """
    if kind in CENTRAL_KINDS:
        raise ValueError(f"{kind} is central-site mail: use notify_central")
    session = db.session()
    force = bound_force(session)
    if force is None:
        raise NoForceBound("notify() needs a force's request or job")
    now = now or utcnow()
    values = _row(kind, recipient, dedupe_key, case_id, checked_link_path(link_path), now)
    reason = withheld_reason(recipient, automatic, contact_allowed)
    if reason is not None:
        values.update(status=Status.WITHHELD, reason=reason, address=None, link_path=None)
    return _insert(session, OutboxMessage, values, force.slug)  # type: ignore[return-value]


def notify_central(
    kind: Kind, email: str, link_path: str, dedupe_key: str, language: str = "en"
) -> CentralOutboxMessage:
    """Write central-site mail (an applicant's confirmation) to the public outbox."""
    if kind not in CENTRAL_KINDS:
        raise ValueError(f"{kind} is force mail: use notify")
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "dedupe_key": dedupe_key,
        "kind": kind.value,
        "channel": "email",
        "address": email,
        "language": language,
        "link_path": checked_link_path(link_path),
        "status": Status.QUEUED if email else Status.WITHHELD,
        "reason": None if email else Reason.NO_ADDRESS,
        "due_at": utcnow(),
        "enqueued_at": utcnow(),
    }
    row = _insert(db.session(), CentralOutboxMessage, values, handoff.CENTRAL)
    return row  # type: ignore[return-value]


def withheld_reason(recipient: Recipient, automatic: bool, contact_allowed: bool) -> Reason | None:
    """Why this recipient must not be sent this notification, if they must not."""
    if automatic and not contact_allowed:
        return Reason.AUTOMATIC_CONTACT_OFF
    if recipient.channel == "none":
        return Reason.VICTIM_CHOSE_NO_CONTACT
    if recipient.address is None:
        return Reason.NO_ADDRESS
    return None


def _row(
    kind: Kind,
    recipient: Recipient,
    dedupe_key: str,
    case_id: uuid.UUID | None,
    link_path: str,
    now: datetime,
) -> dict[str, Any]:
    due = next_safe_moment(now, recipient.safe_from, recipient.safe_until)
    later = due > now
    return {
        "id": uuid.uuid4(),
        "dedupe_key": dedupe_key,
        "kind": kind.value,
        "recipient_kind": recipient.kind,
        "recipient_id": recipient.id,
        "case_id": case_id,
        "channel": recipient.channel,
        "address": recipient.address,
        "language": recipient.language,
        "link_path": link_path,
        "status": Status.QUEUED,
        "due_at": due,
        "not_before": due if later else None,
        # A row for later is left to the sweep; one for now is handed over at commit.
        "enqueued_at": None if later else now,
        "created_at": now,
    }


def _insert(
    session: Session,
    model: type[OutboxMessage] | type[CentralOutboxMessage],
    values: dict[str, Any],
    force_slug: str | None,
) -> OutboxMessage | CentralOutboxMessage:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING: a concurrent twin waits for the
    first to commit, then writes nothing; either way the first row is returned."""
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    inserted = session.execute(statement.returning(model.id)).scalar_one_or_none()
    if inserted is None:
        existing = session.execute(select(model).where(model.dedupe_key == values["dedupe_key"]))
        return cast(OutboxMessage | CentralOutboxMessage, existing.scalar_one())
    if values["status"] == Status.QUEUED and values["enqueued_at"] is not None:
        handoff.after_commit(session, force_slug, str(inserted))
    found = session.get(model, inserted)
    assert found is not None
    return cast(OutboxMessage | CentralOutboxMessage, found)


# --- What the pages show ----------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A notification as an officer or admin page shows it: no address, no link."""

    id: uuid.UUID
    kind: str
    recipient_kind: str
    recipient_id: uuid.UUID | None
    case_id: uuid.UUID | None
    status: str
    reason: str | None
    created_at: datetime
    not_before: datetime | None
    attempts: int


def _notice(row: OutboxMessage) -> Notice:
    return Notice(
        row.id,
        row.kind,
        row.recipient_kind,
        row.recipient_id,
        row.case_id,
        row.status,
        row.reason,
        row.created_at,
        row.not_before,
        row.attempts,
    )


def withheld_for_case(case_id: uuid.UUID) -> list[Notice]:
    """Notifications about this case that were not sent on purpose, newest first."""
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.case_id == case_id, OutboxMessage.status == Status.WITHHELD)
        .order_by(OutboxMessage.created_at.desc())
    )
    return [_notice(row) for row in rows]


def pending_for_case(case_id: uuid.UUID) -> list[Notice]:
    """Notifications about this case waiting for a safe time or a retry."""
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.case_id == case_id, OutboxMessage.status == Status.QUEUED)
        .order_by(OutboxMessage.due_at)
    )
    return [_notice(row) for row in rows]


def failed_messages(limit: int = 100) -> list[Notice]:
    """The force's notifications that gave up, newest first (the force admin's list)."""
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == Status.FAILED)
        .order_by(OutboxMessage.created_at.desc())
        .limit(limit)
    )
    return [_notice(row) for row in rows]


def failed_count(force: Force) -> int:
    """How many of force's notifications failed: a number only (for operators, who
    never see a victim's details). Reads in its own short transaction, bound to force."""
    with Session(db.engine) as session:
        bind(session, force)
        count = select(func.count()).where(OutboxMessage.status == Status.FAILED)
        return int(session.scalar(count.select_from(OutboxMessage)) or 0)


def central_failed_count() -> int:
    """Failed central-site mail (applicants)."""
    count = select(func.count()).where(CentralOutboxMessage.status == Status.FAILED)
    return int(db.session.scalar(count.select_from(CentralOutboxMessage)) or 0)
