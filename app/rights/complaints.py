"""Complaints: a victim complains about how they were treated by the service or the
force; the force's professional standards contact is told; the Code's clock (acknowledge
or answer in 10 working days) is a duty on the case; the victim sees where it stands.

The contact is the force setting `professional_standards_email` (set by the force's
administrators). Without one, the force's administrators are told instead, so a
complaint never waits unseen; the duty on the case shows it either way.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import ColumnElement, select

from app import victims_code as code
from app.audit import record
from app.casework import deadlines
from app.casework.queries import officer_sees
from app.casework.victims import officer_recipient
from app.models import Case, Complaint, Duty, Officer, Victim
from app.models.base import utcnow
from app.notifications import Recipient, notify
from app.rights.contact import OFFICER_NOTICE, tell_requester
from app.rights.tags import RightsTag
from tenants.binding import db
from tenants.extension import current_force

SETTING = "professional_standards_email"
REQUEST_EVENT = code.EventType.COMPLAINT_MADE.value
ACKNOWLEDGED = code.EventType.COMPLAINT_ACKNOWLEDGED.value
ANSWERED = code.EventType.COMPLAINT_ANSWERED.value
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# The outbox names each recipient by id; a mailbox is not a person, so it gets a fixed one.
_MAILBOX_NAMESPACE = uuid.UUID("6f1d7c8e-3b0a-4f61-9a55-2d4f0c9e7b13")


def professional_standards_email() -> str | None:
    """The force's professional standards address, if it set a usable one."""
    value = current_force().settings.get(SETTING)
    return value.strip() if isinstance(value, str) and _EMAIL.fullmatch(value.strip()) else None


def make_complaint(
    victim: Victim, case: Case, topic: str, details: str, wanted: str | None
) -> Complaint:
    """Record the complaint, make its Code duty, send it to professional standards."""
    now = utcnow()
    complaint = Complaint(
        id=uuid.uuid4(),
        case_id=case.id,
        victim_id=victim.id,
        topic=topic,
        details=details,
        wanted=wanted,
        made_at=now,
        routed_to="nobody",
    )
    db.session.add(complaint)
    db.session.flush()
    duties = deadlines.add_request_duties(case, REQUEST_EVENT, now)
    complaint.acknowledge_duty_id = duties[0].id if duties else None
    deadlines.refresh_next_due(case)
    complaint.routed_to = _route(case, complaint)
    record(
        RightsTag.COMPLAINT_MADE,
        record_type="complaint",
        record_id=complaint.id,
        case=str(case.id),
        routed_to=complaint.routed_to,
    )
    return complaint


def _route(case: Case, complaint: Complaint) -> str:
    link = f"/officer/cases/{case.id}/complaints/{complaint.id}"
    key = f"complaint_made:{complaint.id}"
    address = professional_standards_email()
    if address is not None:
        mailbox = Recipient(
            kind="officer", id=uuid.uuid5(_MAILBOX_NAMESPACE, address), email=address
        )
        notify(
            OFFICER_NOTICE,
            mailbox,
            dedupe_key=key,
            case_id=case.id,
            link_path=link,
            automatic=False,
        )
        routed = "professional_standards"
    else:
        admins = list(
            db.session.scalars(
                select(Officer).where(
                    Officer.role == "admin", Officer.active.is_(True), Officer.email.is_not(None)
                )
            )
        )
        for admin in admins:
            notify(
                OFFICER_NOTICE,
                officer_recipient(admin),
                dedupe_key=f"{key}:{admin.id}",
                case_id=case.id,
                link_path=link,
                automatic=False,
            )
        routed = "force_admins" if admins else "nobody"
    # The officer in charge is not told: the complaint may be about them. The duty on
    # the case page shows them a reply is owed, without its words.
    return routed


def complaints_of(victim: Victim, case: Case) -> list[Complaint]:
    return list(
        db.session.scalars(
            select(Complaint)
            .where(Complaint.case_id == case.id, Complaint.victim_id == victim.id)
            .order_by(Complaint.made_at.desc())
        )
    )


def complaints_on(case: Case) -> list[Complaint]:
    return list(
        db.session.scalars(
            select(Complaint).where(Complaint.case_id == case.id).order_by(Complaint.made_at.desc())
        )
    )


def handles_complaints(officer: Officer) -> ColumnElement[bool]:
    """The cases whose complaints an officer may read and answer: an administrator (the
    professional standards role here) every case; a supervisor their team's."""
    if officer.role == "admin":
        return Case.id.is_not(None)
    return officer_sees(officer)


def complaint_for(
    officer: Officer, case_id: uuid.UUID, complaint_id: uuid.UUID
) -> Complaint | None:
    return db.session.scalar(
        select(Complaint)
        .join(Case, Case.id == Complaint.case_id)
        .where(
            Complaint.id == complaint_id,
            Complaint.case_id == case_id,
            handles_complaints(officer),
        )
    )


def open_complaints(
    officer: Officer, limit: int = 200
) -> list[tuple[Complaint, Case, Duty | None]]:
    """Complaints not yet answered that officer handles, oldest first, with their duty."""
    rows = db.session.execute(
        select(Complaint, Case, Duty)
        .join(Case, Case.id == Complaint.case_id)
        .outerjoin(Duty, Duty.id == Complaint.acknowledge_duty_id)
        .where(Complaint.answered_at.is_(None), handles_complaints(officer))
        .order_by(Complaint.made_at)
        .limit(limit)
    )
    found: list[tuple[Complaint, Case, Duty | None]] = [
        (complaint, case, duty) for complaint, case, duty in rows
    ]
    record(
        RightsTag.COMPLAINTS_LISTED,
        purpose="open complaints",
        complaints=[str(complaint.id) for complaint, _case, _duty in found],
    )
    return found


def view_complaint(complaint: Complaint, purpose: str) -> None:
    record(
        RightsTag.COMPLAINT_VIEWED, record_type="complaint", record_id=complaint.id, purpose=purpose
    )


def complaint_duty(complaint: Complaint) -> Duty | None:
    if complaint.acknowledge_duty_id is None:
        return None
    return db.session.get(Duty, complaint.acknowledge_duty_id)


def _meet(case: Case, complaint: Complaint, answer: str) -> None:
    duty = complaint_duty(complaint)
    if duty is not None:
        deadlines.meet_by_answer([duty], answer)
    deadlines.refresh_next_due(case)


def acknowledge(case: Case, complaint: Complaint, by: Officer) -> bool:
    """Record the acknowledgement; False if already acknowledged or answered."""
    if complaint.acknowledged_at is not None or complaint.answered_at is not None:
        return False
    complaint.acknowledged_at, complaint.acknowledged_by = utcnow(), by.id
    _meet(case, complaint, ACKNOWLEDGED)
    tell_requester(complaint.victim_id, case, f"complaint_acknowledged:{complaint.id}")
    record(RightsTag.COMPLAINT_ACKNOWLEDGED, record_type="complaint", record_id=complaint.id)
    return True


def answer(case: Case, complaint: Complaint, by: Officer, text: str) -> bool:
    """Record the answer the victim reads; False if already answered."""
    if complaint.answered_at is not None:
        return False
    complaint.answered_at, complaint.answered_by, complaint.answer_text = utcnow(), by.id, text
    _meet(case, complaint, ANSWERED)
    tell_requester(complaint.victim_id, case, f"complaint_answered:{complaint.id}")
    record(RightsTag.COMPLAINT_ANSWERED, record_type="complaint", record_id=complaint.id)
    return True
