"""The lists officers page through, each one query (plus one per page for row details).

Caseloads are keyset-paginated on (next_due_on, id) with NULLs last, which the indexes
ix_case_oic_due / ix_case_team_due serve; no OFFSET, so page 400 of a million-case
force costs what page 1 does.
"""

from __future__ import annotations

import base64
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select

from app.casework import deadlines
from app.models import Case, CaseVictim, Duty, Message, Officer, Victim
from tenants.binding import db

PAGE_SIZE = 25


def officer_sees(officer: Officer) -> ColumnElement[bool]:
    """The cases an officer may open: their own, and their team's."""
    mine = Case.oic_id == officer.id
    return or_(mine, Case.team == officer.team) if officer.team else mine


def visible_case(officer: Officer, case_id: uuid.UUID) -> Case | None:
    return db.session.scalar(select(Case).where(Case.id == case_id, officer_sees(officer)))


@dataclass(frozen=True)
class CaseloadQuery:
    scope: str = "mine"  # or "team"
    status: str = "open"  # open, closed or all
    overdue_only: bool = False
    reference: str = ""
    after: str | None = None


@dataclass
class CaseRow:
    case: Case
    victim_names: list[str] = field(default_factory=list)
    next_duty: Duty | None = None
    unread: int = 0


@dataclass
class Page:
    rows: list[CaseRow]
    next_cursor: str | None


def caseload(officer: Officer, query: CaseloadQuery, today: date) -> Page:
    statement = select(Case).where(_scope(officer, query.scope))
    if query.status in ("open", "closed"):
        statement = statement.where(Case.status == query.status)
    if query.overdue_only:
        statement = statement.where(Case.next_due_on < today)
    if query.reference:
        statement = statement.where(
            Case.crime_reference.startswith(query.reference, autoescape=True)
        )
    statement = _after(statement, query.after)
    statement = statement.order_by(Case.next_due_on.asc().nulls_last(), Case.id).limit(
        PAGE_SIZE + 1
    )
    cases = list(db.session.scalars(statement))
    more = len(cases) > PAGE_SIZE
    cases = cases[:PAGE_SIZE]
    rows = _with_details(cases)
    return Page(rows, _cursor(cases[-1]) if more and cases else None)


def _scope(officer: Officer, scope: str) -> ColumnElement[bool]:
    if scope == "team":
        return Case.team == officer.team if officer.team else false()
    return Case.oic_id == officer.id


def _cursor(case: Case) -> str:
    due = case.next_due_on.isoformat() if case.next_due_on else ""
    return base64.urlsafe_b64encode(f"{due}|{case.id}".encode()).decode()


def _after(statement: Select[Any], cursor: str | None) -> Select[Any]:
    """Rows after the cursor in (next_due_on NULLS LAST, id) order; a bad cursor is page 1."""
    if not cursor:
        return statement
    try:
        due_text, case_text = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        case_id = uuid.UUID(case_text)
        due = date.fromisoformat(due_text) if due_text else None
    except (ValueError, UnicodeDecodeError):
        return statement
    if due is None:
        return statement.where(Case.next_due_on.is_(None), Case.id > case_id)
    return statement.where(
        or_(
            Case.next_due_on > due,
            and_(Case.next_due_on == due, Case.id > case_id),
            Case.next_due_on.is_(None),
        )
    )


def _with_details(cases: list[Case]) -> list[CaseRow]:
    rows = {case.id: CaseRow(case) for case in cases}
    if not rows:
        return []
    ids = list(rows)
    for case_id, name in db.session.execute(
        select(CaseVictim.case_id, Victim.name)
        .join(Victim, Victim.id == CaseVictim.victim_id)
        .where(CaseVictim.case_id.in_(ids))
        .order_by(CaseVictim.added_at)
    ):
        rows[case_id].victim_names.append(name)
    # A case has a handful of open duties: take the first of each in Python rather than
    # DISTINCT ON, whose select().distinct(expr) spelling SQLAlchemy 2.1 deprecates.
    for duty in db.session.scalars(
        select(Duty)
        .where(Duty.case_id.in_(ids), Duty.met_at.is_(None))
        .order_by(Duty.case_id, Duty.due_on)
    ):
        row = rows[duty.case_id]
        row.next_duty = row.next_duty or duty
    for case_id, count in db.session.execute(
        select(Message.case_id, func.count())
        .where(Message.case_id.in_(ids), _from_victim(), Message.read_by_officer_at.is_(None))
        .group_by(Message.case_id)
    ):
        rows[case_id].unread = count
    return [rows[case.id] for case in cases]


def _from_victim() -> ColumnElement[bool]:
    return Message.officer_id.is_(None)


# --- inbox ------------------------------------------------------------------------------


@dataclass
class InboxItem:
    message: Message
    case: Case
    age_working_days: int


def inbox(officer: Officer, scope: str, today: date, limit: int = 100) -> list[InboxItem]:
    """Victims' unanswered messages and update requests, oldest first."""
    rows = db.session.execute(
        select(Message, Case)
        .join(Case, Case.id == Message.case_id)
        .where(_scope(officer, scope), _from_victim(), Message.answered_at.is_(None))
        .order_by(Message.created_at)
        .limit(limit)
    )
    return [
        InboxItem(message, case, deadlines.working_days_since(message.created_at, today))
        for message, case in rows
    ]


def case_messages(case: Case) -> list[Message]:
    return list(
        db.session.scalars(
            select(Message).where(Message.case_id == case.id).order_by(Message.created_at)
        )
    )


def case_duties(case: Case) -> list[Duty]:
    return list(
        db.session.scalars(
            select(Duty)
            .where(Duty.case_id == case.id)
            .order_by(Duty.met_at.is_not(None), Duty.due_on)
        )
    )


# --- supervisor ------------------------------------------------------------------------


@dataclass
class TeamSummary:
    overdue: list[tuple[Duty, Case]]
    unanswered_1: int
    unanswered_5: int
    oldest_unanswered: list[InboxItem]
    due_this_month: int
    met_on_time_this_month: int

    @property
    def on_time_percent(self) -> int | None:
        if not self.due_this_month:
            return None
        return round(100 * self.met_on_time_this_month / self.due_this_month)


def team_summary(team: str | None, today: date) -> TeamSummary:
    in_team = Case.team == team if team else false()
    overdue = [
        (duty, case)
        for duty, case in db.session.execute(
            select(Duty, Case)
            .join(Case, Case.id == Duty.case_id)
            .where(in_team, Duty.met_at.is_(None), Duty.due_on < today)
            .order_by(Duty.due_on)
            .limit(200)
        )
    ]
    waiting = db.session.execute(
        select(Message, Case)
        .join(Case, Case.id == Message.case_id)
        .where(in_team, _from_victim(), Message.answered_at.is_(None))
        .order_by(Message.created_at)
        .limit(500)
    )
    items = [
        InboxItem(message, case, deadlines.working_days_since(message.created_at, today))
        for message, case in waiting
    ]
    due, on_time = _month_compliance(in_team, today)
    return TeamSummary(
        overdue=overdue,
        unanswered_1=sum(1 for item in items if item.age_working_days > 1),
        unanswered_5=sum(1 for item in items if item.age_working_days > 5),
        oldest_unanswered=items[:20],
        due_this_month=due,
        met_on_time_this_month=on_time,
    )


def _month_compliance(in_team: ColumnElement[bool], today: date) -> tuple[int, int]:
    """Duties due this month that are settled (met, or already late) and how many were
    met on time. A duty met before its due date counts now: leaving it out until the
    date passed showed a team that had met everything early as having no figure."""
    first = today.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    duties = db.session.scalars(
        select(Duty)
        .join(Case, Case.id == Duty.case_id)
        .where(in_team, Duty.due_on >= first, Duty.due_on < next_month)
    )
    counted: dict[str, int] = defaultdict(int)
    for duty in duties:
        if duty.met_at is None and duty.due_on >= today:
            continue  # still in time: neither met nor missed yet
        counted["due"] += 1
        if duty.met_at is not None and deadlines.local_day(duty.met_at) <= duty.due_on:
            counted["on_time"] += 1
    return counted["due"], counted["on_time"]
