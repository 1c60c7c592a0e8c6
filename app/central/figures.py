"""Each force's figures for operators: counts, a median and a percentage, never a row.

One statement per force, bound to the force (its role, its schema), made only of
count(*), counts of ids and timestamps, and a median of time differences. It reads no
column that holds anything about a person: not the victim table at all, and of
messages, duties and sessions only ids, kinds and times (tests/integration/central
proves it on the statements issued). A force whose schema cannot answer shows nothing
rather than breaking the console.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, cast, extract, func, not_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.models import Case, Duty, Message, SignedInSession
from tenants.binding import bind, db
from tenants.forces import Force

log = logging.getLogger(__name__)
ACTIVE_ACCOUNT_DAYS = 90  # a victim account used within this many days is active
RESPONSE_WINDOW_DAYS = 30  # the median first response is over this many days
LONDON = ZoneInfo("Europe/London")  # "this month" and "on time" are England and Wales days


@dataclass(frozen=True)
class Figures:
    cases: int
    active_victim_accounts: int
    awaiting_reply: int
    median_first_response_hours: float | None
    duties_due_this_month: int
    duties_met_on_time: int

    @property
    def on_time_percent(self) -> int | None:
        if not self.duties_due_this_month:
            return None
        return round(100 * self.duties_met_on_time / self.duties_due_this_month)


def _count(*where: Any) -> Any:
    return func.count().filter(*where) if where else func.count()


def _statement(now: datetime, today: date) -> Any:
    first = today.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    from_victim = Message.officer_id.is_(None)
    in_month = and_(Duty.due_on >= first, Duty.due_on < next_month)
    settled = and_(in_month, not_(and_(Duty.met_at.is_(None), Duty.due_on >= today)))
    met_day = cast(func.timezone("Europe/London", Duty.met_at), Date)
    response = extract("epoch", Message.answered_at - Message.created_at) / 3600.0
    return select(
        select(_count()).select_from(Case).scalar_subquery(),
        select(func.count(SignedInSession.user_id.distinct()))
        .where(
            SignedInSession.user_kind == "victim",
            SignedInSession.last_seen_at >= now - timedelta(days=ACTIVE_ACCOUNT_DAYS),
        )
        .scalar_subquery(),
        select(_count(from_victim, Message.answered_at.is_(None)))
        .select_from(Message)
        .scalar_subquery(),
        select(func.percentile_cont(0.5).within_group(response))
        .where(
            from_victim,
            Message.answered_at.is_not(None),
            Message.created_at >= now - timedelta(days=RESPONSE_WINDOW_DAYS),
        )
        .scalar_subquery(),
        select(_count(settled)).select_from(Duty).scalar_subquery(),
        select(_count(settled, Duty.met_at.is_not(None), met_day <= Duty.due_on))
        .select_from(Duty)
        .scalar_subquery(),
    )


def figures_for(force: Force, now: datetime) -> Figures | None:
    """force's figures now, read as the force in a short transaction of their own."""
    try:
        with Session(db.engine) as session:
            bind(session, force)
            row = session.execute(_statement(now, now.astimezone(LONDON).date())).one()
    except SQLAlchemyError as error:
        log.warning("figures for %s unavailable (%s)", force.slug, type(error).__name__)
        return None
    cases, active, awaiting, median, due, on_time = row
    return Figures(
        int(cases),
        int(active),
        int(awaiting),
        round(float(median), 1) if median is not None else None,
        int(due),
        int(on_time),
    )
