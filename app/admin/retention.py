"""Retention and disposal: how long a force keeps a closed case, and the sweep that
erases what it no longer needs.

A force's rules (settings["retention"]) give years after closure by case outcome, with a
default for the other outcomes. Until a force sets a rule nothing is ever disposed. A
case is due when it is closed, its rule's years have passed since it closed, its review
date (if any) has come, and it is not on legal hold. Disposal erases the case with
everything that points at it (app.admin.erasure), and each of its victims whom no case
still kept links to; a victim another case still needs keeps their record. Each erasure
is an audit row naming the record's id and the rule, and nothing of what was erased.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select

from app.admin import erasure
from app.admin.blueprint import AdminTag
from app.admin.trail import write
from app.casework.catalogue import OUTCOME_LABELS
from app.models import Case, CaseVictim, SubjectAccessExport
from app.models.base import utcnow
from tenants.audit import SYSTEM, Actor
from tenants.binding import db

OUTCOMES = tuple(OUTCOME_LABELS)
MAX_YEARS = 100
DEFAULT_RULE = "default"  # the rule for outcomes without their own


@dataclass(frozen=True)
class RetentionRules:
    """Years to keep a closed case, by outcome; None keeps it until a rule is set."""

    default_years: int | None = None
    by_outcome: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> RetentionRules:
        """The force's rules; anything malformed in the stored value is ignored."""
        raw = settings.get("retention")
        raw = raw if isinstance(raw, Mapping) else {}
        outcomes = raw.get("by_outcome")
        outcomes = outcomes if isinstance(outcomes, Mapping) else {}
        return cls(
            _years(raw.get("default_years")),
            {k: y for k, v in outcomes.items() if k in OUTCOMES and (y := _years(v)) is not None},
        )

    def to_settings(self) -> dict[str, Any]:
        return {"default_years": self.default_years, "by_outcome": dict(self.by_outcome)}

    def years_for(self, outcome: str | None) -> tuple[str, int | None]:
        """The rule (its name) that applies to outcome, and its years."""
        if outcome in self.by_outcome:
            return str(outcome), self.by_outcome[str(outcome)]
        return DEFAULT_RULE, self.default_years

    @property
    def empty(self) -> bool:
        return self.default_years is None and not self.by_outcome


def _years(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_YEARS else None


def years_before(moment: datetime, years: int) -> datetime:
    """moment, years earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def rule_name(rule: str, years: int) -> str:
    """How an erasure's audit row names its rule: "closed+7y:charged"."""
    return f"closed+{years}y:{rule}"


# --- which cases are due ------------------------------------------------------------------


@dataclass(frozen=True)
class DueCase:
    case: Case
    rule: str
    years: int

    @property
    def due_on(self) -> date:
        closed = self.case.closed_at
        assert closed is not None
        return years_before(closed, -self.years).date()

    @property
    def rule_name(self) -> str:
        return rule_name(self.rule, self.years)


def _due_condition(rules: RetentionRules, moment: datetime) -> ColumnElement[bool]:
    """Closed before moment minus the years of the case's rule."""
    own = [
        and_(Case.outcome == outcome, Case.closed_at <= years_before(moment, years))
        for outcome, years in rules.by_outcome.items()
    ]
    if rules.default_years is not None:
        others = or_(Case.outcome.is_(None), Case.outcome.not_in(list(rules.by_outcome)))
        cutoff = years_before(moment, rules.default_years)
        own.append(and_(others, Case.closed_at <= cutoff))
    return or_(*own) if own else false()


def due_cases(
    rules: RetentionRules,
    now: datetime | None = None,
    within_days: int = 0,
    limit: int | None = None,
) -> list[DueCase]:
    """Closed cases past their retention (or within_days of it), not on legal hold,
    longest closed first (at most limit of them)."""
    now = now or utcnow()
    moment = now + timedelta(days=within_days)
    statement = (
        select(Case)
        .where(
            Case.status == "closed",
            Case.closed_at.is_not(None),
            Case.legal_hold.is_(False),
            or_(Case.retention_review_on.is_(None), Case.retention_review_on <= moment.date()),
            _due_condition(rules, moment),
        )
        .order_by(Case.closed_at, Case.id)
        .limit(limit)
    )
    found = []
    for case in db.session.scalars(statement):
        rule, years = rules.years_for(case.outcome)
        assert years is not None
        found.append(DueCase(case, rule, years))
    return found


def held_cases() -> list[Case]:
    return list(
        db.session.scalars(select(Case).where(Case.legal_hold.is_(True)).order_by(Case.closed_at))
    )


# --- what disposal would do ---------------------------------------------------------------


@dataclass
class DisposalPlan:
    cases: list[DueCase]
    victims_of: dict[uuid.UUID, list[uuid.UUID]]  # case id -> its victims
    erase_victims: list[uuid.UUID]  # no case kept links them: their record goes
    keep_victims: list[uuid.UUID]  # another case still needs them: only the link goes


def plan(due: list[DueCase]) -> DisposalPlan:
    """What disposing of due would erase, worked out without changing anything."""
    going = {d.case.id for d in due}
    linked = select(CaseVictim.victim_id).where(CaseVictim.case_id.in_(going))
    links = db.session.execute(
        select(CaseVictim.victim_id, CaseVictim.case_id).where(CaseVictim.victim_id.in_(linked))
    )
    cases_of: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    victims_of: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for victim_id, case_id in links:
        cases_of[victim_id].add(case_id)
        if case_id in going:
            victims_of[case_id].append(victim_id)
    erase = sorted(v for v, cases in cases_of.items() if cases <= going)
    keep = sorted(v for v, cases in cases_of.items() if not cases <= going)
    return DisposalPlan(due, dict(victims_of), erase, keep)


# --- disposal ---------------------------------------------------------------------------------


def dispose(disposal: DisposalPlan, actor: Actor = SYSTEM) -> None:
    """Erase what disposal names, with an erasure audit row for each record."""
    erased = set(disposal.erase_victims)
    cases = [
        (d.case.id, d.rule_name, len(erased & set(disposal.victims_of.get(d.case.id, []))))
        for d in disposal.cases
    ]  # read before the rows go
    kept_exports = SubjectAccessExport.victim_id.in_(disposal.keep_victims)
    for export in db.session.scalars(select(SubjectAccessExport).where(kept_exports)):
        db.session.delete(export)  # made before disposal, it holds the disposed case
    db.session.flush()
    erasure.erase("case", [case_id for case_id, _rule, _n in cases])
    erasure.erase("victim", disposal.erase_victims)
    for case_id, rule, victims in cases:
        write(
            AdminTag.RECORD_ERASED,
            actor,
            record_type="case",
            record_id=case_id,
            purpose="retention",
            rule=rule,
            victims_erased=victims,
        )
    for victim_id in disposal.erase_victims:
        write(
            AdminTag.RECORD_ERASED,
            actor,
            record_type="victim",
            record_id=victim_id,
            purpose="retention",
            rule="no case kept links them",
        )
