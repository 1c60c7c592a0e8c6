"""Feedback after a milestone (the first update, the case closed): GOV.UK's satisfaction
question, "did this save you a call to 101?" and an optional suggestion.

Anonymous by construction, not by promise: the answers (Feedback) carry no victim,
case, officer, team or time (only the month); that a victim answered (FeedbackPrompt)
is kept apart, without the answers, so they are not asked twice; the audit row names
the case and the milestone, never the answers' row. The force's figures are counts per
month, shown only when enough people answered that nobody can be picked out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.audit import record
from app.casework import deadlines
from app.casework.victims import timeline
from app.models import Case, Feedback, FeedbackPrompt, Victim
from app.rights.tags import RightsTag
from tenants.binding import db

# Fewer answers than this in a month and that month's figures are not shown: with two
# or three closed cases in a month an officer could guess who said what.
MIN_ANSWERS = 5
MONTHS_SHOWN = 12


def milestones_reached(case: Case) -> list[str]:
    """The milestones case has reached, in FEEDBACK_MILESTONES order."""
    reached = []
    if timeline(case):
        reached.append("first_update")
    if case.status == "closed":
        reached.append("case_closed")
    return reached


def pending_milestone(victim: Victim, case: Case) -> str | None:
    """The latest milestone the victim has not yet been asked about (None when none)."""
    answered = set(
        db.session.scalars(
            select(FeedbackPrompt.milestone).where(
                FeedbackPrompt.victim_id == victim.id, FeedbackPrompt.case_id == case.id
            )
        )
    )
    waiting = [m for m in milestones_reached(case) if m not in answered]
    return waiting[-1] if waiting else None


def give_feedback(
    victim: Victim,
    case: Case,
    milestone: str,
    satisfaction: int,
    saved_call: str,
    improvement: str | None,
) -> None:
    """Store the answers with nothing that names the victim, and apart from them that
    this victim answered for this milestone (and the earlier ones: asked once only)."""
    db.session.add(
        Feedback(
            milestone=milestone,
            satisfaction=satisfaction,
            saved_call=saved_call,
            improvement=improvement,
            given_in=deadlines.today().replace(day=1),
        )
    )
    reached = milestones_reached(case)
    for earlier in reached[: reached.index(milestone) + 1]:
        db.session.merge(FeedbackPrompt(victim_id=victim.id, case_id=case.id, milestone=earlier))
    record(RightsTag.FEEDBACK_GIVEN, record_type="case", record_id=case.id, milestone=milestone)


@dataclass
class Month:
    month: date
    answers: int
    satisfaction: Counter[int] = field(default_factory=Counter)
    saved_call: Counter[str] = field(default_factory=Counter)
    by_milestone: Counter[str] = field(default_factory=Counter)

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS

    @property
    def satisfied_percent(self) -> int:
        return round(100 * (self.satisfaction[4] + self.satisfaction[5]) / self.answers)

    @property
    def saved_call_percent(self) -> int:
        return round(100 * self.saved_call["yes"] / self.answers)


@dataclass
class Figures:
    months: list[Month]
    suggestions: list[str]  # from the months shown only, in no order that dates them


def figures(with_suggestions: bool) -> Figures:
    """The last MONTHS_SHOWN months of answers, counted; suggestions only if asked for."""
    this_month = deadlines.today().replace(day=1)
    since = _months_before(this_month, MONTHS_SHOWN - 1)
    rows = list(db.session.scalars(select(Feedback).where(Feedback.given_in >= since)))
    months: dict[date, Month] = {}
    for row in rows:
        month = months.setdefault(row.given_in, Month(row.given_in, 0))
        month.answers += 1
        month.satisfaction[row.satisfaction] += 1
        month.saved_call[row.saved_call] += 1
        month.by_milestone[row.milestone] += 1
    shown = {m.month for m in months.values() if m.shown}
    suggestions = sorted(
        row.improvement for row in rows if row.improvement and row.given_in in shown
    )
    record(RightsTag.FEEDBACK_FIGURES_VIEWED, purpose="management information")
    return Figures(
        sorted(months.values(), key=lambda m: m.month, reverse=True),
        suggestions if with_suggestions else [],
    )


def _months_before(month: date, count: int) -> date:
    years, index = divmod(month.month - 1 - count, 12)
    return date(month.year + years, index + 1, 1)
