"""Management information for a force: Victims' Code duties met on time (by month,
team and event type), the median time to a first reply to a victim, and invites sent
against invites accepted, and an estimate of 101 calls avoided. Counts only: no row
names a victim.

A duty counts once it is settled: met (on time if met by the end of its due day in UK
time), or still open after its due date (late). Duties not yet due and still open are
left out, so a month in progress is not shown as worse than it is.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.admin.audit_search import UK
from app.casework.victims import VictimTag
from app.models import AuditEvent, Case, CaseEvent, Duty, Invite, Message
from app.models.base import utcnow
from tenants.binding import db

MONTHS = 12


@dataclass
class Tally:
    settled: int = 0
    on_time: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.settled) if self.settled else None


@dataclass
class Figures:
    since: date
    by_month: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_team: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_event: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    median_reply_hours: float | None = None
    invites_sent: int = 0
    invites_accepted: int = 0
    calls_avoided: int = 0


def _settled(duty: Duty, today: date) -> bool | None:
    """True met on time, False late, None not settled yet."""
    if duty.met_at is not None:
        return duty.met_at.astimezone(UK).date() <= duty.due_on
    return False if duty.due_on < today else None


def _duties(since: date) -> Iterator[tuple[Duty, str | None, str | None]]:
    rows = db.session.execute(
        select(Duty, Case.team, CaseEvent.event_type)
        .join(Case, Case.id == Duty.case_id)
        .outerjoin(CaseEvent, CaseEvent.id == Duty.event_id)
        .where(Duty.due_on >= since)
    )
    yield from ((duty, team, event) for duty, team, event in rows)


def figures(today: date | None = None) -> Figures:
    today = today or utcnow().astimezone(UK).date()
    since = (today.replace(day=1) - timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    found = Figures(since)
    for duty, team, event in _duties(since):
        outcome = _settled(duty, today)
        if outcome is None:
            continue
        for tally in (
            found.by_month[duty.due_on.strftime("%Y-%m")],
            found.by_team[team or "-"],
            found.by_event[event or duty.duty],
        ):
            tally.settled += 1
            tally.on_time += int(outcome)
    found.median_reply_hours = _median_reply_hours(since)
    found.invites_sent, found.invites_accepted = _invites(since)
    found.calls_avoided = _calls_avoided(since)
    return found


def _median_reply_hours(since: date) -> float | None:
    start = datetime.combine(since, datetime.min.time(), tzinfo=UK)
    waits = db.session.execute(
        select(Message.created_at, Message.answered_at).where(
            Message.officer_id.is_(None),
            Message.answered_at.is_not(None),
            Message.created_at >= start,
        )
    )
    hours = [(answered - asked).total_seconds() / 3600 for asked, answered in waits if answered]
    return round(statistics.median(hours), 1) if hours else None


def _invites(since: date) -> tuple[int, int]:
    start = datetime.combine(since, datetime.min.time(), tzinfo=UK)
    sent, accepted = db.session.execute(
        select(func.count(), func.count(Invite.used_at)).where(Invite.created_at >= start)
    ).one()
    return int(sent), int(accepted)


def _calls_avoided(since: date) -> int:
    """An estimate of 101 calls avoided: each day a victim read their case online (a call
    chasing an update they did not need to make), and each message of theirs answered."""
    start = datetime.combine(since, datetime.min.time(), tzinfo=UK)
    days = select(AuditEvent.actor_id, func.date_trunc("day", AuditEvent.occurred_at)).where(
        AuditEvent.tag == VictimTag.CASE_VIEWED.value, AuditEvent.occurred_at >= start
    )
    viewed = db.session.scalar(select(func.count()).select_from(days.distinct().subquery()))
    answered = db.session.scalar(
        select(func.count()).where(
            Message.officer_id.is_(None),
            Message.answered_at.is_not(None),
            Message.created_at >= start,
        )
    )
    return int(viewed or 0) + int(answered or 0)
