"""Deadlines: what an event obliges the police to do by when, and how each duty stands."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.victims_code.errors import NoRuleSetInForce
from app.victims_code.events import VICTIM_INITIATED, EventType, event_type
from app.victims_code.rules import CADENCE_DUTY, Rule, RuleSet
from app.victims_code.workdays import local_date, working_days_after

REVIEW_RIGHT = "request-review"


class DutyStatus(StrEnum):
    DUE = "due"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"


@dataclass(frozen=True)
class DutySpec:
    """One duty an event created: what (duty, rule), by when (due_on), under which
    version of the Code (ruleset_key, kept even when a newer version comes in)."""

    duty: str
    rule: Rule
    event: EventType
    event_on: date
    enhanced: bool
    working_days: int
    due_on: date
    ruleset_key: str


def duties_for_event(
    event: str, occurred_at: datetime | date, *, enhanced: bool, ruleset: RuleSet
) -> list[DutySpec]:
    """The duties event creates for a victim (enhanced rights or not) under ruleset.

    occurred_at is an aware datetime (read as its date in the jurisdiction's zone) or
    a local date. An event type with no duty (a free update) gives []; an unknown one
    raises UnknownEventType. Pick ruleset with ruleset_for(jurisdiction, occurred_at).
    """
    kind = event_type(event)
    event_on = local_date(occurred_at, ruleset.jurisdiction.timezone)
    if event_on < ruleset.in_force_from:
        raise NoRuleSetInForce(
            f"an event on {event_on} is before {ruleset.key} came into force "
            f"({ruleset.in_force_from}): use ruleset_for() to pick the rule set"
        )
    specs = []
    for rule in ruleset.rules_for(kind):
        days = rule.working_days(enhanced=enhanced)
        if days is None:
            continue
        due_on = working_days_after(event_on, days, ruleset.jurisdiction.calendar)
        specs.append(DutySpec(rule.duty, rule, kind, event_on, enhanced, days, due_on, ruleset.key))
    return specs


def status_on(due_on: date, today: date, met_on: date | None = None) -> DutyStatus:
    """How a duty stands on today: a duty is met on time up to the end of due_on."""
    if met_on is not None:
        return DutyStatus.MET_ON_TIME if met_on <= due_on else DutyStatus.MET_LATE
    if today < due_on:
        return DutyStatus.DUE
    return DutyStatus.DUE_TODAY if today == due_on else DutyStatus.OVERDUE


def next_cadence_due(last_update_on: date, cadence_days: int) -> date:
    """When the next update is due: cadence_days calendar days after the last update
    the victim received (or, before any, the day the cadence was agreed)."""
    if cadence_days < 1:
        raise ValueError(f"cadence_days must be 1 or more, not {cadence_days}")
    return last_update_on + timedelta(days=cadence_days)


def fulfils(update_event: str, duty: str, ruleset: RuleSet) -> bool:
    """Whether an update of type update_event, given to the victim, meets duty (a duty
    key of ruleset, the version the duty was made under, or CADENCE_DUTY).

    An update about event X meets X's inform duty; a support referral meets the
    referral duty; the rule's fulfilled_by says. Any update the police give the victim
    meets the cadence; what the victim did themselves (asking for a review, complaining)
    does not. Which occurrence of X an update is about is for the caller to match.
    """
    kind = event_type(update_event)
    if duty == CADENCE_DUTY:
        return kind not in VICTIM_INITIATED
    return kind in ruleset.rule(duty).fulfilled_by


def duties_fulfilled_by(update_event: str, ruleset: RuleSet) -> frozenset[str]:
    """Every duty key of ruleset (CADENCE_DUTY included) that such an update meets."""
    keys = {rule.duty for rule in ruleset.rules} | {CADENCE_DUTY}
    return frozenset(key for key in keys if fulfils(update_event, key, ruleset))


def add_months(day: date, months: int) -> date:
    """The corresponding date months later; when that month is too short, its last day
    (30 November + 3 months is 28 February, or 29 in a leap year)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_closes(right: str, told_on: date, ruleset: RuleSet) -> date:
    """The last day (inclusive) on which the victim may use right, told on told_on."""
    return add_months(told_on, ruleset.window(right).months)


def review_window_closes(told_on: date, ruleset: RuleSet) -> date:
    """The last day to ask for a review of a decision not to charge (3 months under
    ew-2021), counted from the day the victim was told of the decision."""
    return window_closes(REVIEW_RIGHT, told_on, ruleset)


def windows_opened_by(event: str, ruleset: RuleSet) -> tuple[str, ...]:
    """The rights (window keys) that telling the victim of event opens."""
    kind = event_type(event)
    return tuple(window.right for window in ruleset.windows if kind in window.opened_by)
