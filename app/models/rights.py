"""Victims' rights asked for through the service: a review of a decision not to charge,
a complaint, a Victim Personal Statement, feedback, and people acting for a victim.

Each request keeps the Victims' Code duties it made (app.casework.deadlines), so the
officer pages, the caseload and the supervisor's view count them like any other duty.

Feedback is anonymous by construction: `feedback` holds the answers and nothing that
names a victim, a case, an officer or a moment (only the month); `feedback_prompt`
holds who was asked on which case, and never what they answered.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel, created_at, fk, uuid_pk

REVIEW_OUTCOMES = ("decision_stands", "decision_overturned")
COMPLAINT_TOPICS = ("treatment", "investigation", "code", "website", "other")
STATEMENT_KINDS = ("new", "update")
STATEMENT_DELIVERY = ("read_myself", "read_for_me", "court_reads", "not_sure")
FEEDBACK_MILESTONES = ("first_update", "case_closed")
SAVED_CALL = ("yes", "no", "would_not_call")
REPRESENTATIVE_ROLES = ("parent_guardian", "spokesperson", "advocate")


class ReviewRequest(ForceModel):
    """A victim's request for a review of a police decision not to charge (the
    Victims' Right to Review), with its two Code clocks: acknowledge, then decide."""

    __tablename__ = "review_request"
    __table_args__ = (
        Index("ix_review_request_case", "case_id", "requested_at"),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"))
    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"), index=True)
    reasons: Mapped[str] = mapped_column(Text)
    # The victim's own deadline: told_on + 3 months (the rule set's request window).
    told_on: Mapped[date] = mapped_column(Date)
    window_closes_on: Mapped[date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    late_reason: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = created_at()
    acknowledge_duty_id: Mapped[uuid.UUID | None] = mapped_column(fk("duty.id"))
    decide_duty_id: Mapped[uuid.UUID | None] = mapped_column(fk("duty.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))  # REVIEW_OUTCOMES
    outcome_text: Mapped[str | None] = mapped_column(Text)  # what the victim reads


class Complaint(ForceModel):
    """A victim's complaint about the service or the force, routed to the force's
    professional standards contact; acknowledged or answered within the Code's clock."""

    __tablename__ = "complaint"
    __table_args__ = (
        Index("ix_complaint_case", "case_id", "made_at"),
        Index("ix_complaint_open", "made_at", postgresql_where=text("answered_at IS NULL")),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"))
    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"), index=True)
    topic: Mapped[str] = mapped_column(String(20))  # COMPLAINT_TOPICS
    details: Mapped[str] = mapped_column(Text)
    wanted: Mapped[str | None] = mapped_column(Text)
    made_at: Mapped[datetime] = created_at()
    # Where the notice went: "professional_standards", "force_admins" or "nobody".
    routed_to: Mapped[str] = mapped_column(String(30))
    acknowledge_duty_id: Mapped[uuid.UUID | None] = mapped_column(fk("duty.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
    answer_text: Mapped[str | None] = mapped_column(Text)  # what the victim reads


class PersonalStatementRequest(ForceModel):
    """A victim asking to make (or update) a Victim Personal Statement, and when an
    officer took it."""

    __tablename__ = "personal_statement_request"
    __table_args__ = (
        Index("ix_personal_statement_case", "case_id", "requested_at"),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"))
    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # STATEMENT_KINDS
    delivery: Mapped[str] = mapped_column(String(20))  # STATEMENT_DELIVERY
    contact_note: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = created_at()
    duty_id: Mapped[uuid.UUID | None] = mapped_column(fk("duty.id"))
    taken_on: Mapped[date | None] = mapped_column(Date)
    taken_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    taken_by: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))


class Feedback(ForceModel):
    """One victim's answers to the feedback questions, for management information.

    Deliberately no victim, case, officer, team or time of day: nothing here can be
    joined back to the person who answered. given_in is the first day of the month.
    """

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_month", "given_in"), ForceModel.__table_args__)

    id: Mapped[uuid.UUID] = uuid_pk()
    milestone: Mapped[str] = mapped_column(String(20))  # FEEDBACK_MILESTONES
    satisfaction: Mapped[int] = mapped_column(SmallInteger)  # 1 very dissatisfied .. 5
    saved_call: Mapped[str] = mapped_column(String(20))  # SAVED_CALL
    improvement: Mapped[str | None] = mapped_column(Text)
    given_in: Mapped[date] = mapped_column(Date)


class FeedbackPrompt(ForceModel):
    """That a victim has answered the feedback questions for a milestone of a case (so
    they are not asked again). Never what they answered, and no time."""

    __tablename__ = "feedback_prompt"

    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"), primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"), primary_key=True)
    milestone: Mapped[str] = mapped_column(String(20), primary_key=True)


class Representative(ForceModel):
    """A person acting for a victim on a case: a parent or guardian, a family
    spokesperson, an independent advocate (IDVA/ISVA). The person is a victim row of
    their own (their own account and invite) linked to the case in that role."""

    __tablename__ = "case_representative"
    __table_args__ = (
        Index("ix_case_representative_case", "case_id", "victim_id"),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"))
    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"))  # the person acted for
    person_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # REPRESENTATIVE_ROLES
    added_by: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
    added_at: Mapped[datetime] = created_at()
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[str | None] = mapped_column(String(10))  # "officer" or "victim"
