"""What one person on a case sees of everyone's requests.

A request's duties have no case event, so the victim site's list of what the police owe
(app.casework.victims.owed) shows them to everyone on the case. Another person's review,
complaint or statement is theirs alone: its duties are left out of the others' list.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.models import Case, Complaint, PersonalStatementRequest, ReviewRequest, Victim
from tenants.binding import db


def others_request_duties(victim: Victim, case: Case) -> set[uuid.UUID]:
    """The ids of duties made by requests on case that someone other than victim made."""
    columns = (
        (ReviewRequest, ReviewRequest.acknowledge_duty_id),
        (ReviewRequest, ReviewRequest.decide_duty_id),
        (Complaint, Complaint.acknowledge_duty_id),
        (PersonalStatementRequest, PersonalStatementRequest.duty_id),
    )
    found: set[uuid.UUID] = set()
    for model, column in columns:
        found.update(
            db.session.scalars(
                select(column).where(
                    model.case_id == case.id, model.victim_id != victim.id, column.is_not(None)
                )
            )
        )
    return found
