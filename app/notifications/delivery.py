"""Delivering outbox rows: the RQ jobs and the sweep.

deliver(id) runs in three steps, each its own short transaction or none:
  1. claim: lock the row (FOR UPDATE SKIP LOCKED), check it is due and unsent, mark it
     "sending" with a lease, count the attempt, commit;
  2. send, holding no lock and no transaction;
  3. record: sent (address and link cleared), or back to queued with a backoff, or
     failed after MAX_ATTEMPTS or a permanent refusal.
A second worker with the same id finds the row locked, sending under a live lease, or
sent, and does nothing. A worker killed in step 2 leaves a "sending" row whose lease
runs out; the sweep hands it over again and it is claimed afresh.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, or_, select, update
from sqlalchemy.exc import OperationalError

from app.models.base import utcnow
from app.models.outbox import CentralOutboxMessage, OutboxMessage
from app.notifications import handoff
from app.notifications.channels import Envelope, PermanentFailure, TransientFailure, channel_for
from app.notifications.content import central_host, force_host, render, sender_name, site_url
from app.notifications.kinds import Kind, Reason, Status
from tenants import registry
from tenants.binding import bound_force, db
from tenants.forces import Force, TenantStatus

log = logging.getLogger(__name__)
# Core tables, not ORM entities: a work horse is a fresh fork, and the first ORM
# statement in a process configures every mapper (tens of milliseconds per delivery).
OUTBOX = cast(Table, OutboxMessage.__table__)
CENTRAL_OUTBOX = cast(Table, CentralOutboxMessage.__table__)

# Longer than any send can take (SMTP timeout 30 s, Notify 30 s): a live sender's lease
# never runs out under it, so no second worker claims a row that is being sent.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# A due row handed to RQ within this long is left alone by the sweep.
HANDOVER_GRACE = timedelta(minutes=1)
SWEEP_BATCH = 1000
# Seconds between tries to record an outcome (30 s in all: a restart or a failover).
RECORD_RETRY_PAUSES = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 12.0)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, 8 min … capped at an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def deliver(outbox_id: str) -> str:
    """Send one force outbox row at most once; idempotent (claim under lock and lease)."""
    force = bound_force(db.session())
    assert force is not None, "deliver runs through tenants.jobs.run_for_force"
    return _deliver(OUTBOX, uuid.UUID(outbox_id), force)


def deliver_central(outbox_id: str) -> str:
    """Send one central outbox row at most once; idempotent (as deliver)."""
    return _deliver(CENTRAL_OUTBOX, uuid.UUID(outbox_id), None)


def _deliver(table: Table, outbox_id: uuid.UUID, force: Force | None) -> str:
    claim = _claim(table, outbox_id, force)
    db.session.commit()  # the claim is durable before anything leaves
    if claim is None:
        return "skipped"
    outcome = _send(claim.envelope, claim.link_path, force)
    _record_durably(table, claim, outcome)
    return outcome.status


@dataclass(frozen=True)
class Claim:
    envelope: Envelope
    link_path: str
    lease: datetime
    attempts: int


@dataclass(frozen=True)
class Outcome:
    status: Status
    reason: Reason | None = None
    error: str | None = None


def _claim(table: Table, outbox_id: uuid.UUID, force: Force | None) -> Claim | None:
    """One statement: lock the row if it is claimable and nobody holds it, mark it
    sending under a new lease, count the attempt, return what the send needs."""
    now = utcnow()
    free = (
        select(table.c.id)
        .where(table.c.id == outbox_id, claimable(table, now))
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed = db.session.execute(
        update(table)
        .where(table.c.id == free)
        .values(status=Status.SENDING, lease_until=now + LEASE, attempts=table.c.attempts + 1)
        .returning(
            table.c.kind,
            table.c.channel,
            table.c.address,
            table.c.language,
            table.c.link_path,
            table.c.lease_until,
            table.c.attempts,
        ),
    ).one_or_none()
    if claimed is None:
        return None
    host = force_host(force) if force is not None else central_host()
    sender = sender_name(force, claimed.language)
    envelope = Envelope(outbox_id, claimed.kind, claimed.channel, claimed.address or "",
                        claimed.language, host, sender)  # fmt: skip
    return Claim(envelope, claimed.link_path or "/", claimed.lease_until, claimed.attempts)


def claimable(table: Table, now: datetime) -> ColumnElement[bool]:
    """Queued and due, or "sending" under a lease that ran out (its worker died)."""
    return or_(
        and_(table.c.status == Status.QUEUED, table.c.due_at <= now),
        and_(table.c.status == Status.SENDING, table.c.lease_until < now),
    )


def _send(envelope: Envelope, link_path: str, force: Force | None) -> Outcome:
    rendered = render(
        Kind(envelope.kind),
        sender=envelope.sender,
        url=site_url(envelope.host) + link_path,
        language=envelope.language,
    )
    try:
        channel_for(force, envelope.channel).send(envelope, rendered)
    except PermanentFailure as error:
        return Outcome(Status.FAILED, Reason.REJECTED, str(error))
    except TransientFailure as error:
        return Outcome(Status.QUEUED, None, str(error))
    except Exception as error:  # a bug or the unforeseen: retried, then failed
        log.warning("outbox %s: channel raised %s", envelope.id, type(error).__name__)
        return Outcome(Status.QUEUED, None, type(error).__name__)
    return Outcome(Status.SENT)


def _record_durably(table: Table, claim: Claim, outcome: Outcome) -> None:
    """_record and commit, retried while the database is away: the message has gone,
    and failing to say so now would send it again when the lease runs out."""
    for pause in (*RECORD_RETRY_PAUSES, None):
        try:
            _record(table, claim, outcome)
            db.session.commit()
            return
        except OperationalError:
            db.session.rollback()
            if pause is None:
                raise
            log.warning("outbox %s: database unavailable; recording again", claim.envelope.id)
            time.sleep(pause)


def _record(table: Table, claim: Claim, outcome: Outcome) -> None:
    """Write what happened, only if our claim still stands (still sending, our lease)."""
    ours = and_(
        table.c.id == claim.envelope.id,
        table.c.status == Status.SENDING,
        table.c.lease_until == claim.lease,
    )
    values = _outcome_values(outcome, claim.attempts, utcnow())
    written = db.session.execute(
        update(table).where(ours).values(**values).returning(table.c.id),
    ).one_or_none()
    if written is None:
        log.warning("outbox %s: lease lost before the outcome was recorded", claim.envelope.id)
    elif values["status"] is Status.FAILED:
        log.warning("outbox %s failed: %s", claim.envelope.id, values["reason"])


def _outcome_values(outcome: Outcome, attempts: int, now: datetime) -> dict[str, Any]:
    """The row's new columns: sent (address and link cleared), queued for a retry after
    the backoff, or failed (a refusal, or the last attempt)."""
    values: dict[str, Any] = {
        "lease_until": None,
        "last_error": (outcome.error or "")[:200] or None,
    }
    if outcome.status is Status.SENT:
        return {**values, "status": Status.SENT, "sent_at": now, "address": None, "link_path": None}
    if outcome.status is Status.QUEUED and attempts < MAX_ATTEMPTS:
        return {**values, "status": Status.QUEUED, "due_at": now + backoff(attempts),
                "enqueued_at": None}  # fmt: skip
    reason = outcome.reason or Reason.RETRIES_EXHAUSTED
    return {**values, "status": Status.FAILED, "reason": reason, "address": None,
            "link_path": None}  # fmt: skip


# --- The sweep ----------------------------------------------------------------------


def sweep(now: datetime | None = None) -> int:
    """Hand RQ this force's due rows that were never (or not lately) handed over:
    never enqueued (Redis was down), due retries, safe times reached, expired leases.
    Idempotent: a row handed over twice is still claimed once."""
    force = bound_force(db.session())
    assert force is not None, "sweep runs through tenants.jobs.run_for_force"
    return _sweep(OUTBOX, force.slug, now or utcnow())


def sweep_central(now: datetime | None = None) -> int:
    """The sweep for the public outbox (central-site mail)."""
    return _sweep(CENTRAL_OUTBOX, handoff.CENTRAL, now or utcnow())


def _sweep(table: Table, force_slug: str | None, now: datetime) -> int:
    handed = or_(table.c.enqueued_at.is_(None), table.c.enqueued_at < now - HANDOVER_GRACE)
    ids = list(
        db.session.scalars(
            select(table.c.id)
            .where(claimable(table, now), handed)
            .order_by(table.c.due_at)
            .limit(SWEEP_BATCH)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        db.session.execute(update(table).where(table.c.id.in_(ids)).values(enqueued_at=now))
    for outbox_id in ids:
        handoff.after_commit(db.session(), force_slug, str(outbox_id))
    return len(ids)


def sweep_all() -> int:
    """The periodic job (every minute, app.notifications.schedule): a sweep job per
    active force, then the central sweep here. No force is bound: it reads the public
    registry and the public outbox only. Returns how many forces it queued a sweep for."""
    forces, _domains = registry.load_all(db.engine)
    active = [f.slug for f in forces.values() if f.status is TenantStatus.ACTIVE]
    for slug in active:
        handoff.enqueue_force(slug, sweep)
    session = db.session()
    try:
        sweep_central()
        session.commit()
    finally:
        session.close()
    return len(active)
