"""Cases, victims, events and duties, for the force's records system.

Views are thin: check what casework cannot (the reference's format, the OIC), call
app.casework exactly as the officer screens do, audit the read, and answer with the
output models. A crime reference of another force is simply not in this force's
schema, so it answers exactly as a missing one does.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.api import schemas
from app.api.blueprint import ApiTag, bp
from app.api.idempotency import Answer, run_once
from app.api.openapi import operation
from app.api.problems import Problem
from app.audit import record
from app.auth.access import api_client_required
from app.casework import cases as casework
from app.casework import deadlines, queries
from app.casework.catalogue import DUTY_LABELS
from app.models import Case, CaseVictim, Duty, Officer, Victim
from tenants.binding import db

READ, WRITE = "cases:read", "cases:write"
READ_ERRORS = (401, 403, 404, 422, 429)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 422, 429)


# --- shared -------------------------------------------------------------------------------


def case_or_404(crime_reference: str) -> Case:
    reference = casework.normalise_reference(crime_reference)[:40]
    case = db.session.scalar(select(Case).where(Case.crime_reference == reference))
    if case is None:
        raise Problem("not-found", "There is no case with this crime reference.")
    return case


def _invalid(location: str, message: str) -> Problem:
    return Problem(
        "validation-failed",
        "The request failed validation.",
        extra={"errors": [{"location": location, "message": message}]},
    )


def case_out(case: Case) -> schemas.CaseOut:
    officer = db.session.get(Officer, case.oic_id) if case.oic_id else None
    victims = db.session.scalar(
        select(func.count()).select_from(CaseVictim).where(CaseVictim.case_id == case.id)
    )
    return schemas.CaseOut(
        crime_reference=case.crime_reference,
        offence_category=case.offence_category,
        reported_on=case.reported_on,
        status=case.status,
        outcome=case.outcome,
        oic=schemas.OfficerRef(collar_number=officer.collar_number, email=officer.email)
        if officer
        else None,
        team=case.team,
        enhanced_rights=case.enhanced_rights,
        enhanced_reasons=list(case.enhanced_reasons or []),
        automatic_contact=case.automatic_contact,
        next_due_on=case.next_due_on,
        victim_count=victims or 0,
        created_at=case.created_at,
        updated_at=case.updated_at,
        closed_at=case.closed_at,
    )


def duty_out(duty: Duty) -> schemas.DutyOut:
    return schemas.DutyOut(
        duty=duty.duty,
        label=str(DUTY_LABELS.get(duty.duty, duty.duty)),
        due_on=duty.due_on,
        status=deadlines.status(duty, deadlines.today()).value,
        met_at=duty.met_at,
        ruleset=duty.ruleset,
    )


def _case_location(case: Case) -> str:
    return url_for("api.get_case", crime_reference=case.crime_reference)


# --- cases --------------------------------------------------------------------------------


@bp.post("/cases")
@api_client_required(WRITE)
@operation(
    "createCase",
    responses={201: schemas.CaseOut},
    errors=(*WRITE_ERRORS, 409),
    scopes=(WRITE,),
    idempotent=True,
)
def create_case(json: schemas.NewCase) -> Any:
    """Create a case

    The crime reference must match the force's format and be new; the OIC is an active
    officer of the force, by collar number or email. The case starts the Victims' Code
    update cadence exactly as a case made on the officer screen does.
    """
    return run_once(lambda: _create_case(json))


def _create_case(new: schemas.NewCase) -> Answer:
    pattern, example = casework.reference_pattern()
    reference = casework.normalise_reference(new.crime_reference)
    if not pattern.fullmatch(reference):
        raise _invalid("body.crime_reference", f"must be in the force's format, like {example}")
    if new.reported_on > deadlines.today():
        raise _invalid("body.reported_on", "must be today or in the past")
    oic = casework.find_officer(new.oic)
    if oic is None:
        raise _invalid(
            "body.oic", "no active officer of this force has that collar number or email"
        )
    if casework.reference_taken(reference):
        raise Problem("conflict", "A case with this crime reference already exists.")
    case = _create(new, reference, oic)
    return Answer(case_out(case).model_dump(mode="json"), 201, _case_location(case))


def _create(new: schemas.NewCase, reference: str, oic: Officer) -> Case:
    try:
        with db.session.begin_nested():  # a concurrent twin with another key: 409, not 500
            case = casework.create_case(
                casework.NewCase(
                    crime_reference=reference,
                    offence_category=new.offence_category,
                    reported_on=new.reported_on,
                    oic=oic,
                    team=new.team or oic.team,
                    enhanced_reasons=tuple(dict.fromkeys(new.enhanced_reasons)),
                ),
                source="api",
            )
    except casework.CaseworkError:
        raise _invalid(
            "body.offence_category", "is not an offence category this force offers"
        ) from None
    except IntegrityError:
        raise Problem("conflict", "A case with this crime reference already exists.") from None
    if new.automatic_contact is not None:
        casework.change_case(case, "records system", automatic_contact=new.automatic_contact)
    return case


@bp.get("/cases/<path:crime_reference>")
@api_client_required(READ)
@operation("getCase", responses={200: schemas.CaseOut}, errors=READ_ERRORS, scopes=(READ,))
def get_case(crime_reference: str) -> Any:
    """Read a case

    The case's state as the records system needs it: no victim's details, no messages,
    no internal notes.
    """
    case = case_or_404(crime_reference)
    record(ApiTag.CASE_READ, record_type="case", record_id=case.id, purpose="records system")
    return case_out(case)


def _cursor(case: Case) -> str:
    raw = f"{case.updated_at.isoformat()}|{case.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _after(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        moment, _, case_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(moment), uuid.UUID(case_id)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise _invalid("query.cursor", "is not a cursor this API gave") from None


@bp.get("/cases")
@api_client_required(READ)
@operation("listCases", responses={200: schemas.CasePage}, errors=READ_ERRORS, scopes=(READ,))
def list_cases(query: schemas.CaseQuery) -> Any:
    """List cases changed since a moment

    Oldest change first, keyset-paginated on (updated_at, id): follow next_cursor until
    it is null, then keep the last updated_at you saw for the next poll.
    """
    statement = select(Case)
    if query.updated_since is not None:
        since = query.updated_since
        if since.tzinfo is None:
            raise _invalid("query.updated_since", "must include a time zone (Z or +01:00)")
        statement = statement.where(Case.updated_at >= since.astimezone(UTC))
    if query.cursor:
        moment, case_id = _after(query.cursor)
        statement = statement.where(
            or_(Case.updated_at > moment, and_(Case.updated_at == moment, Case.id > case_id))
        )
    cases = list(
        db.session.scalars(statement.order_by(Case.updated_at, Case.id).limit(query.limit + 1))
    )
    more, cases = len(cases) > query.limit, cases[: query.limit]
    record(ApiTag.CASES_LISTED, purpose="records system", cases=[str(c.id) for c in cases])
    return schemas.CasePage(
        cases=[case_out(case) for case in cases],
        next_cursor=_cursor(cases[-1]) if more and cases else None,
    )


# --- victims ------------------------------------------------------------------------------


@bp.post("/cases/<path:crime_reference>/victims")
@api_client_required(WRITE)
@operation(
    "addVictim",
    responses={201: schemas.VictimOut},
    errors=WRITE_ERRORS,
    scopes=(WRITE,),
    idempotent=True,
    tag="Victims",
)
def add_victim(crime_reference: str, json: schemas.NewVictim) -> Any:
    """Add a victim to a case

    Adds the person with their contact plan and sends the invite to the victim site by
    the outbox, exactly as the officer screen's Add person and Send invite do. The
    answer carries the new person's id, never their details.
    """
    case = case_or_404(crime_reference)
    return run_once(lambda: _add_victim(case, json))


def _add_victim(case: Case, new: schemas.NewVictim) -> Answer:
    if new.date_of_birth > deadlines.today():
        raise _invalid("body.date_of_birth", "must be in the past")
    if new.contact_channel == "email" and not new.email:
        raise _invalid("body.email", "is needed when contact_channel is email")
    if new.contact_channel == "sms" and not new.mobile:
        raise _invalid("body.mobile", "is needed when contact_channel is sms")
    person = Victim(
        id=uuid.uuid4(),
        name=new.name,
        date_of_birth=new.date_of_birth,
        email=new.email.lower() if new.email else None,
        mobile=new.mobile.replace(" ", "") if new.mobile else None,
        preferred_language=new.preferred_language,
        contact_channel=new.contact_channel,
        safe_from=new.safe_from.replace(second=0, microsecond=0) if new.safe_from else None,
        safe_until=new.safe_until.replace(second=0, microsecond=0) if new.safe_until else None,
    )
    # Written first: casework.add_victim flushes the victim and its case_victim link
    # together, and with no relationship() between them SQLAlchemy may insert the link
    # first (a foreign-key error). Reported to the lead; harmless once fixed there.
    db.session.add(person)
    db.session.flush()
    victim = casework.add_victim(case, person, new.role)
    invite = casework.send_invite(case, victim, None) if new.send_invite else None
    out = schemas.VictimOut(
        id=victim.id,
        role=new.role,
        invite_sent=invite is not None,
        invite_expires_at=invite.expires_at if invite else None,
    )
    return Answer(out.model_dump(mode="json"), 201)


# --- events and duties --------------------------------------------------------------------


@bp.post("/cases/<path:crime_reference>/events")
@api_client_required(WRITE)
@operation(
    "postEvent",
    responses={201: schemas.EventOut},
    errors=WRITE_ERRORS,
    scopes=(WRITE,),
    idempotent=True,
    tag="Events",
)
def post_event(crime_reference: str, json: schemas.NewEvent) -> Any:
    """Post what happened on a case

    The same event types as the officer screen; creates the same Victims' Code duties.
    With publish true the victims are told now (which meets the duties the update
    fulfils); otherwise the update waits for an officer to publish it. Without
    victim_text the force's wording for the event type is used.
    """
    case = case_or_404(crime_reference)
    return run_once(lambda: _post_event(case, json))


def _post_event(case: Case, new: schemas.NewEvent) -> Answer:
    if case.status == "closed":
        raise Problem("conflict", "The case is closed.")
    if new.occurred_at.tzinfo is None:
        raise _invalid("body.occurred_at", "must include a time zone (Z or +01:00)")
    if new.occurred_at > datetime.now(UTC):
        raise _invalid("body.occurred_at", "must not be in the future")
    template = casework.update_template(new.event_type)
    text = new.victim_text or (template.text_en if template else "")
    text_cy = new.victim_text_cy or (template.text_cy if template and not new.victim_text else None)
    if new.publish and not text.strip():
        raise _invalid("body.victim_text", "is needed to publish this event")
    event = casework.post_event(
        case,
        casework.NewEvent(
            event_type=new.event_type,
            occurred_at=new.occurred_at.astimezone(UTC),
            victim_text=text,
            victim_text_cy=text_cy or None,
            internal_note=new.internal_note or None,
            details={"text": new.details} if new.details else {},
        ),
        None,
        publish=new.publish,
    )
    created = db.session.scalars(select(Duty).where(Duty.event_id == event.id)).all()
    out = schemas.EventOut(
        id=event.id,
        event_type=event.event_type,
        occurred_at=event.occurred_at,
        posted_at=event.posted_at,
        published_at=event.published_at,
        duties_created=[duty_out(duty) for duty in created],
    )
    return Answer(out.model_dump(mode="json"), 201)


@bp.get("/cases/<path:crime_reference>/duties")
@api_client_required(READ)
@operation(
    "listDuties",
    responses={200: schemas.DutyList},
    errors=READ_ERRORS,
    scopes=(READ,),
    tag="Events",
)
def list_duties(crime_reference: str) -> Any:
    """List a case's Victims' Code duties

    Open duties first (earliest due first), then met ones; status is due, due_today,
    overdue, met_on_time or met_late, in the force's time zone.
    """
    case = case_or_404(crime_reference)
    duties = queries.case_duties(case)
    record(ApiTag.DUTIES_READ, record_type="case", record_id=case.id, purpose="records system")
    return schemas.DutyList(duties=[duty_out(duty) for duty in duties])
