"""The Victim Personal Statement: the victim asks to make one (or to update it, until
the court passes sentence), says whether they want to read it in court or have it
read, and asks to be contacted to give it; the officer takes it and records when.

The Victims' Code gives the right but no deadline for contacting the victim, so the
duty's deadline is the force's: `personal_statement_days` working days (setting),
10 by default, counted on the Code's calendar like every other duty.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from app.audit import record
from app.casework import deadlines
from app.casework.victims import timeline
from app.models import Case, Duty, Officer, PersonalStatementRequest, Victim
from app.models.base import utcnow
from app.rights.contact import tell_oic, tell_requester
from app.rights.tags import RightsTag
from tenants.binding import db
from tenants.extension import current_force

DUTY = "take-personal-statement"
SETTING = "personal_statement_days"
DEFAULT_DAYS = 10


def working_days() -> int:
    value = current_force().settings.get(SETTING)
    return value if isinstance(value, int) and 1 <= value <= 60 else DEFAULT_DAYS


def open_for_statements(case: Case) -> bool:
    """Whether a statement can still be made or updated: not once the court has passed
    sentence (a published sentence update), nor on a case closed without a charge."""
    if case.status == "closed" and case.outcome != "charged":
        return False
    return not any(event.event_type == "sentence" for event in timeline(case))


def statements_of(victim: Victim, case: Case) -> list[PersonalStatementRequest]:
    """The victim's requests on case, newest first."""
    return list(
        db.session.scalars(
            select(PersonalStatementRequest)
            .where(
                PersonalStatementRequest.case_id == case.id,
                PersonalStatementRequest.victim_id == victim.id,
            )
            .order_by(PersonalStatementRequest.requested_at.desc())
        )
    )


def request_statement(
    victim: Victim, case: Case, delivery: str, contact_note: str | None
) -> PersonalStatementRequest | None:
    """Ask to make a statement (or to update one already taken); None while an earlier
    request is still waiting for the officer."""
    earlier = statements_of(victim, case)
    if any(request.taken_on is None for request in earlier):
        return None
    now = utcnow()
    request = PersonalStatementRequest(
        id=uuid.uuid4(),
        case_id=case.id,
        victim_id=victim.id,
        kind="update" if earlier else "new",
        delivery=delivery,
        contact_note=contact_note,
        requested_at=now,
    )
    db.session.add(request)
    db.session.flush()
    request.duty_id = deadlines.add_force_duty(case, DUTY, working_days(), now).id
    deadlines.refresh_next_due(case)
    tell_oic(
        case,
        f"statement_requested:{request.id}",
        f"/officer/cases/{case.id}/personal-statements/{request.id}",
    )
    record(
        RightsTag.STATEMENT_REQUESTED,
        record_type="personal_statement_request",
        record_id=request.id,
        case=str(case.id),
        kind=request.kind,
    )
    return request


def statements_on(case: Case) -> list[PersonalStatementRequest]:
    return list(
        db.session.scalars(
            select(PersonalStatementRequest)
            .where(PersonalStatementRequest.case_id == case.id)
            .order_by(PersonalStatementRequest.requested_at.desc())
        )
    )


def statement_on(case: Case, request_id: uuid.UUID) -> PersonalStatementRequest | None:
    return db.session.scalar(
        select(PersonalStatementRequest).where(
            PersonalStatementRequest.id == request_id,
            PersonalStatementRequest.case_id == case.id,
        )
    )


def view_statement(request: PersonalStatementRequest, purpose: str) -> None:
    record(
        RightsTag.STATEMENT_VIEWED,
        record_type="personal_statement_request",
        record_id=request.id,
        purpose=purpose,
    )


def statement_duty(request: PersonalStatementRequest) -> Duty | None:
    return db.session.get(Duty, request.duty_id) if request.duty_id else None


def record_taken(
    case: Case, request: PersonalStatementRequest, by: Officer, taken_on: date
) -> bool:
    """Record the day the statement was taken (meets the duty); False if recorded."""
    if request.taken_on is not None:
        return False
    request.taken_on, request.taken_by, request.taken_recorded_at = taken_on, by.id, utcnow()
    duty = statement_duty(request)
    if duty is not None:
        deadlines.meet_by_answer([duty], None)
    deadlines.refresh_next_due(case)
    tell_requester(request.victim_id, case, f"statement_taken:{request.id}")
    record(
        RightsTag.STATEMENT_TAKEN,
        record_type="personal_statement_request",
        record_id=request.id,
    )
    return True
