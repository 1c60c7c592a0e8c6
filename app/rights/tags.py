"""Audit tags for victims' rights requests, whoever makes or answers them."""

from __future__ import annotations

from tenants.audit import ForceTag


class RightsTag(ForceTag):
    RIGHTS_VIEWED = "rights:viewed"
    REVIEW_REQUESTED = "review:requested"
    REVIEW_VIEWED = "review:viewed"
    REVIEW_ACKNOWLEDGED = "review:acknowledged"
    REVIEW_DECIDED = "review:decided"
    COMPLAINT_MADE = "complaint:made"
    COMPLAINT_VIEWED = "complaint:viewed"
    COMPLAINTS_LISTED = "complaint:listed"
    COMPLAINT_ACKNOWLEDGED = "complaint:acknowledged"
    COMPLAINT_ANSWERED = "complaint:answered"
    STATEMENT_REQUESTED = "statement:requested"
    STATEMENT_VIEWED = "statement:viewed"
    STATEMENT_TAKEN = "statement:taken"
    FEEDBACK_GIVEN = "feedback:given"
    FEEDBACK_FIGURES_VIEWED = "feedback:figures-viewed"
    REPRESENTATIVE_ADDED = "representative:added"
    REPRESENTATIVE_ENDED = "representative:ended"
