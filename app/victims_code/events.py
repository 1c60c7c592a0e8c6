"""Event types: the stable keys the database and the API store for what happened.

Renaming a value breaks stored rows; add new values, never change old ones. Labels for
people (English and Welsh) belong to the journeys that show them, keyed by these values.
"""

from __future__ import annotations

from enum import StrEnum

from app.victims_code.errors import UnknownEventType


class EventType(StrEnum):
    ARRESTED = "arrested"
    INTERVIEWED_UNDER_CAUTION = "interviewed_under_caution"
    RELEASED_WITHOUT_CHARGE = "released_without_charge"
    BAILED = "bailed"
    RELEASED_UNDER_INVESTIGATION = "released_under_investigation"
    BAIL_CHANGED = "bail_changed"
    BAIL_CANCELLED = "bail_cancelled"
    DECISION_NOT_TO_INVESTIGATE = "decision_not_to_investigate"
    CHARGED = "charged"
    OUT_OF_COURT_DISPOSAL = "out_of_court_disposal"
    NO_FURTHER_ACTION = "no_further_action"
    HEARING_LISTED = "hearing_listed"
    VERDICT = "verdict"
    SENTENCE = "sentence"
    NEEDS_ASSESSED = "needs_assessed"
    SUPPORT_REFERRAL_MADE = "support_referral_made"
    REVIEW_REQUESTED = "review_requested"
    # The police's answers to a review request or a complaint: without them nothing
    # could meet the acknowledge/decide duties those two events create.
    REVIEW_ACKNOWLEDGED = "review_acknowledged"
    REVIEW_DECIDED = "review_decided"
    COMPLAINT_MADE = "complaint_made"
    COMPLAINT_ACKNOWLEDGED = "complaint_acknowledged"
    COMPLAINT_ANSWERED = "complaint_answered"
    FREE_UPDATE = "free_update"


# Things the victim did, not news the police gave them: recording one is no update to
# the victim, so it does not meet the agreed update cadence.
VICTIM_INITIATED = frozenset({EventType.REVIEW_REQUESTED, EventType.COMPLAINT_MADE})


def event_type(key: str) -> EventType:
    """The EventType for key, or UnknownEventType listing the known ones."""
    try:
        return EventType(key)
    except ValueError:
        known = ", ".join(e.value for e in EventType)
        raise UnknownEventType(f"unknown event type {key!r}; known: {known}") from None
