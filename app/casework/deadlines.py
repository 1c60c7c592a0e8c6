"""Victims' Code duties on a case: made from events, met by updates, kept in order.

The rules and the arithmetic are app.victims_code's (pure, table-driven); this module
only turns its answers into Duty rows and back. Each duty keeps the rule set it was made
under, so a new Code version never moves an existing deadline.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from app import victims_code as code
from app.models import Case, CaseEvent, Duty
from app.models.base import utcnow
from tenants.binding import db
from tenants.extension import current_force

DEFAULT_JURISDICTION = "england-and-wales"


def jurisdiction() -> str:
    return str(current_force().settings.get("jurisdiction", DEFAULT_JURISDICTION))


def today() -> date:
    """Today in the jurisdiction's zone (a duty due today is due until midnight there)."""
    return local_day(utcnow())


def add_duties_for(case: Case, event: CaseEvent) -> list[Duty]:
    """The duties event creates on case (none for a free update, and none for an event
    from before the Victims' Code applied: no rule set was in force to make any)."""
    try:
        rules = code.ruleset_for(jurisdiction(), event.occurred_at)
    except code.NoRuleSetInForce:
        return []
    specs = code.duties_for_event(
        event.event_type, event.occurred_at, enhanced=case.enhanced_rights, ruleset=rules
    )
    duties = [
        Duty(
            case_id=case.id,
            event_id=event.id,
            duty=spec.duty,
            ruleset=spec.ruleset_key,
            due_on=spec.due_on,
        )
        for spec in specs
    ]
    db.session.add_all(duties)
    return duties


def start_cadence(case: Case, cadence_days: int, from_day: date | None = None) -> Duty:
    """The recurring duty to update the victim at the agreed cadence (28 days by default)."""
    rules = code.ruleset_for(jurisdiction(), utcnow())
    duty = Duty(
        case_id=case.id,
        duty=code.CADENCE_DUTY,
        ruleset=rules.key,
        due_on=code.next_cadence_due(from_day or today(), cadence_days),
    )
    db.session.add(duty)
    return duty


def meet_duties(case: Case, update: CaseEvent, cadence_days: int) -> list[Duty]:
    """Mark met every open duty that telling the victims of update fulfils.

    An update about event X meets X's own duties (not those of another X); an update of
    another kind meets what the rules say it fulfils (a support referral meets the
    referral duty of a needs assessment); any police update meets the cadence, which
    then starts again.
    """
    now, met = utcnow(), []
    for duty in open_duties(case):
        rules = code.ruleset(duty.ruleset)
        if not is_code_duty(duty, rules):
            continue  # a force's own duty (a personal statement): its request meets it
        if not code.fulfils(update.event_type, duty.duty, rules):
            continue
        if duty.event_id is not None and duty.event_id != update.id:
            made_by = db.session.get(CaseEvent, duty.event_id)
            if made_by is not None and made_by.event_type == update.event_type:
                continue  # another occurrence of the same event: not this update's duty
        duty.met_at, duty.met_by_event_id = now, update.id
        met.append(duty)
    if any(duty.duty == code.CADENCE_DUTY for duty in met):
        start_cadence(case, cadence_days)
    return met


def is_code_duty(duty: Duty, rules: code.RuleSet) -> bool:
    """Whether duty is one of the Code's (a rule of its rule set, or the cadence)."""
    return duty.duty == code.CADENCE_DUTY or any(rule.duty == duty.duty for rule in rules.rules)


# --- duties made by a victim's request (app.rights) -------------------------------------


def add_request_duties(case: Case, event_type: str, at: datetime) -> list[Duty]:
    """The duties a victim's request of event_type (review_requested, complaint_made)
    creates on case under the rule set in force at `at`, as an event's would be made.

    There is no case event: the request is its own record (app.models.rights) and the
    officer's recorded answer meets its duties (meet_by_answer), not an update.
    """
    rules = code.ruleset_for(jurisdiction(), at)
    specs = code.duties_for_event(event_type, at, enhanced=case.enhanced_rights, ruleset=rules)
    duties = [
        Duty(case_id=case.id, duty=spec.duty, ruleset=spec.ruleset_key, due_on=spec.due_on)
        for spec in specs
    ]
    db.session.add_all(duties)
    db.session.flush()
    return duties


def add_force_duty(case: Case, duty: str, working_days: int, at: datetime) -> Duty:
    """A duty whose deadline the force sets (the Code gives none): due working_days
    working days after at, counted on the jurisdiction's calendar like the Code's."""
    rules = code.ruleset_for(jurisdiction(), at)
    calendar = rules.jurisdiction.calendar
    due_on = code.working_days_after(local_day(at), working_days, calendar)
    row = Duty(case_id=case.id, duty=duty, ruleset=rules.key, due_on=due_on)
    db.session.add(row)
    db.session.flush()
    return row


def meet_by_answer(duties: list[Duty], answer: str | None) -> list[Duty]:
    """Mark met the open duties (of one request) that the police's answer fulfils.

    answer is an event type (review_acknowledged, review_decided...) matched against
    each Code duty's rule; None meets a force's own duty (a statement taken).
    """
    now, met = utcnow(), []
    for duty in duties:
        if duty.met_at is not None:
            continue
        rules = code.ruleset(duty.ruleset)
        if is_code_duty(duty, rules):
            if answer is None or not code.fulfils(answer, duty.duty, rules):
                continue
        elif answer is not None:
            continue
        duty.met_at = now
        met.append(duty)
    return met


def open_duties(case: Case) -> list[Duty]:
    return list(
        db.session.scalars(
            select(Duty).where(Duty.case_id == case.id, Duty.met_at.is_(None)).order_by(Duty.due_on)
        )
    )


def refresh_next_due(case: Case) -> None:
    """Keep case.next_due_on (the caseload's sort key) equal to its earliest open duty."""
    db.session.flush()
    case.next_due_on = db.session.scalar(
        select(func.min(Duty.due_on)).where(Duty.case_id == case.id, Duty.met_at.is_(None))
    )


def status(duty: Duty, on: date) -> code.DutyStatus:
    met_on = local_day(duty.met_at) if duty.met_at else None
    return code.status_on(duty.due_on, on, met_on)


def local_day(moment: datetime) -> date:
    """moment's calendar date where the force's Code applies (Europe/London)."""
    return code.local_date(moment, code.jurisdiction(jurisdiction()).timezone)


def working_days_since(moment: datetime, on: date) -> int:
    """Whole working days from moment's date to on (a message's age)."""
    calendar = code.jurisdiction(jurisdiction()).calendar
    return max(0, code.working_days_between(local_day(moment), on, calendar))
