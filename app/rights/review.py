"""The Victims' Right to Review a police decision not to charge.

The right opens when the victim is told of the decision: a published update of a type
the rule set says opens the request window (no further action, under ew-2021), or the
case closed with a decision-not-to-charge outcome (told when the case page first said
so). The victim may ask within the window (3 calendar months); after it they may still
ask, with a reason. A request makes the Code's duties (acknowledge in 10 working days,
decide in 30) and the officer's acknowledgement and decision meet them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app import victims_code as code
from app.audit import record
from app.casework import deadlines
from app.casework.victims import timeline
from app.models import Case, Duty, Officer, ReviewRequest, Victim
from app.models.base import utcnow
from app.rights.contact import tell_oic, tell_requester
from app.rights.tags import RightsTag
from tenants.binding import db

# Case outcomes (app.casework.catalogue) that are a police decision not to charge.
REVIEWABLE_OUTCOMES = ("no_further_action", "evidential_difficulties", "not_in_public_interest")
REQUEST_EVENT = code.EventType.REVIEW_REQUESTED.value
ACKNOWLEDGED = code.EventType.REVIEW_ACKNOWLEDGED.value
DECIDED = code.EventType.REVIEW_DECIDED.value


@dataclass(frozen=True)
class ReviewRight:
    """When the victim was told of the decision and the last day to ask in time."""

    told_on: date
    closes_on: date

    def late_on(self, today: date) -> bool:
        return today > self.closes_on


def review_right(case: Case) -> ReviewRight | None:
    """The right to a review on case, if a decision not to charge opened it (the most
    recent such decision the victim was told of)."""
    for event in timeline(case):  # published updates, newest first
        assert event.published_at is not None
        right = _window(event.event_type, event.occurred_at, event.published_at)
        if right is not None:
            return right
    if case.status == "closed" and case.outcome in REVIEWABLE_OUTCOMES and case.closed_at:
        return _window(code.EventType.NO_FURTHER_ACTION.value, case.closed_at, case.closed_at)
    return None


def _window(event_type: str, occurred_at: datetime, told_at: datetime) -> ReviewRight | None:
    try:
        rules = code.ruleset_for(deadlines.jurisdiction(), occurred_at)
    except code.NoRuleSetInForce:
        return None  # a decision from before the Victims' Code applied
    if code.REVIEW_RIGHT not in code.windows_opened_by(event_type, rules):
        return None
    told_on = deadlines.local_day(told_at)
    return ReviewRight(told_on, code.window_closes(code.REVIEW_RIGHT, told_on, rules))


def review_of(victim: Victim, case: Case, right: ReviewRight | None) -> ReviewRequest | None:
    """The victim's request for a review of the current decision, if they made one."""
    if right is None:
        return None
    return db.session.scalar(
        select(ReviewRequest)
        .where(
            ReviewRequest.case_id == case.id,
            ReviewRequest.victim_id == victim.id,
            ReviewRequest.told_on == right.told_on,
        )
        .order_by(ReviewRequest.requested_at.desc())
        .limit(1)
    )


def ask_for_review(
    victim: Victim, case: Case, right: ReviewRight, reasons: str, late_reason: str | None
) -> ReviewRequest:
    """Record the request, make its Code duties, tell the officer in charge."""
    now = utcnow()
    late = right.late_on(deadlines.local_day(now))
    review = ReviewRequest(
        id=uuid.uuid4(),
        case_id=case.id,
        victim_id=victim.id,
        reasons=reasons,
        told_on=right.told_on,
        window_closes_on=right.closes_on,
        late=late,
        late_reason=late_reason if late else None,
        requested_at=now,
    )
    db.session.add(review)
    db.session.flush()
    for duty in deadlines.add_request_duties(case, REQUEST_EVENT, now):
        kind = code.ruleset(duty.ruleset).rule(duty.duty).kind
        if kind is code.DutyKind.ACKNOWLEDGE:
            review.acknowledge_duty_id = duty.id
        elif kind is code.DutyKind.DECIDE:
            review.decide_duty_id = duty.id
    deadlines.refresh_next_due(case)
    tell_oic(case, f"review_requested:{review.id}", f"/officer/cases/{case.id}/reviews/{review.id}")
    record(
        RightsTag.REVIEW_REQUESTED,
        record_type="review_request",
        record_id=review.id,
        case=str(case.id),
        late=late,
    )
    return review


def review_duties(review: ReviewRequest) -> list[Duty]:
    ids = [i for i in (review.acknowledge_duty_id, review.decide_duty_id) if i is not None]
    return list(db.session.scalars(select(Duty).where(Duty.id.in_(ids)).order_by(Duty.due_on)))


def reviews_on(case: Case) -> list[ReviewRequest]:
    return list(
        db.session.scalars(
            select(ReviewRequest)
            .where(ReviewRequest.case_id == case.id)
            .order_by(ReviewRequest.requested_at.desc())
        )
    )


def review_on(case: Case, review_id: uuid.UUID) -> ReviewRequest | None:
    return db.session.scalar(
        select(ReviewRequest).where(ReviewRequest.id == review_id, ReviewRequest.case_id == case.id)
    )


def view_review(review: ReviewRequest, purpose: str) -> None:
    record(
        RightsTag.REVIEW_VIEWED, record_type="review_request", record_id=review.id, purpose=purpose
    )


def acknowledge(case: Case, review: ReviewRequest, by: Officer) -> bool:
    """Record that the force acknowledged the request; False if already answered."""
    if review.acknowledged_at is not None or review.decided_at is not None:
        return False
    review.acknowledged_at, review.acknowledged_by = utcnow(), by.id
    deadlines.meet_by_answer(review_duties(review), ACKNOWLEDGED)
    deadlines.refresh_next_due(case)
    tell_requester(review.victim_id, case, f"review_acknowledged:{review.id}")
    record(RightsTag.REVIEW_ACKNOWLEDGED, record_type="review_request", record_id=review.id)
    return True


def decide(case: Case, review: ReviewRequest, by: Officer, outcome: str, text: str) -> bool:
    """Record the review's outcome and the words the victim reads; False if decided."""
    if review.decided_at is not None:
        return False
    review.decided_at, review.decided_by = utcnow(), by.id
    review.outcome, review.outcome_text = outcome, text
    deadlines.meet_by_answer(review_duties(review), DECIDED)
    deadlines.refresh_next_due(case)
    tell_requester(review.victim_id, case, f"review_decided:{review.id}")
    record(
        RightsTag.REVIEW_DECIDED,
        record_type="review_request",
        record_id=review.id,
        outcome=outcome,
    )
    return True
