"""A crime case and what happens on it: events, Victims' Code duties, messages, property.

Every journey reads this model: officers run it, victims follow it, the records-system
API feeds it, notifications and rights requests hang off it. Indexes serve the lists an
officer pages through (caseload by OIC or team, ordered by the next duty due).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel, created_at, fk, utcnow, uuid_pk

CASE_STATUSES = ("open", "closed")


class Case(ForceModel):
    __tablename__ = "case"
    __table_args__ = (
        # The caseload: my cases / my team's, most urgent duty first, then keyset by id.
        Index("ix_case_oic_due", "oic_id", "status", "next_due_on", "id"),
        Index("ix_case_team_due", "team", "status", "next_due_on", "id"),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    crime_reference: Mapped[str] = mapped_column(String(40), unique=True)
    offence_category: Mapped[str] = mapped_column(String(60))
    reported_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), default="open")
    outcome: Mapped[str | None] = mapped_column(String(40))
    oic_id: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
    team: Mapped[str | None] = mapped_column(String(60))
    enhanced_rights: Mapped[bool] = mapped_column(Boolean, default=False)
    enhanced_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Off by default for domestic abuse and sexual offences (DOMAIN.md safety rules).
    automatic_contact: Mapped[bool] = mapped_column(Boolean, default=True)
    # The earliest open Victims' Code duty (kept by app.casework.duties), for sorting.
    next_due_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retention_review_on: Mapped[date | None] = mapped_column(Date)
    # A legal hold stops disposal whatever the retention rules say (app.admin.retention).
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )


class CaseEvent(ForceModel):
    """Something that happened on the case: the timeline and the deadline engine read it.

    victim_text is what victims see once published; internal_note never leaves the
    officer pages (no victim page, email, SMS or API response carries it).
    """

    __tablename__ = "case_event"
    __table_args__ = (
        Index("ix_case_event_case_occurred", "case_id", "occurred_at"),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"))
    event_type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    posted_by: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
    source: Mapped[str] = mapped_column(String(10), default="officer")
    victim_text: Mapped[str | None] = mapped_column(Text)
    victim_text_cy: Mapped[str | None] = mapped_column(Text)
    internal_note: Mapped[str | None] = mapped_column(Text)
    # Structured facts (hearing date and place, bail conditions...), shown to victims.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # When the victims were told (the update was published): meets the inform duty.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Duty(ForceModel):
    """A Victims' Code duty with its due date, under the rules version it was made by."""

    __tablename__ = "duty"
    __table_args__ = (
        Index("ix_duty_open_due", "due_on", postgresql_where=text("met_at IS NULL")),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"), index=True)
    event_id: Mapped[uuid.UUID | None] = mapped_column(fk("case_event.id"))
    duty: Mapped[str] = mapped_column(String(40))
    ruleset: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at()
    met_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    met_by_event_id: Mapped[uuid.UUID | None] = mapped_column(fk("case_event.id"))


class Message(ForceModel):
    """A message on a case, from a victim or an officer; or a victim's update request."""

    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_case_created", "case_id", "created_at"),
        Index(
            "ix_message_unanswered",
            "created_at",
            postgresql_where=text("officer_id IS NULL AND answered_at IS NULL"),
        ),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"))
    victim_id: Mapped[uuid.UUID | None] = mapped_column(fk("victim.id"))
    officer_id: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
    kind: Mapped[str] = mapped_column(String(20), default="message")  # or update_request
    body: Mapped[str] = mapped_column(Text)
    in_reply_to: Mapped[uuid.UUID | None] = mapped_column(fk("message.id"))
    created_at: Mapped[datetime] = created_at()
    read_by_officer_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_by_victim_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PropertyItem(ForceModel):
    """Stolen or damaged property a victim listed; officers mark it recovered/returned."""

    __tablename__ = "property_item"

    id: Mapped[uuid.UUID] = uuid_pk()
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"), index=True)
    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"))
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(500))
    make: Mapped[str | None] = mapped_column(String(80))
    model: Mapped[str | None] = mapped_column(String(80))
    serial_number: Mapped[str | None] = mapped_column(String(80))
    value_pence: Mapped[int | None] = mapped_column(Integer)
    marks: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="missing")
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class OffenceCategory(ForceModel):
    """The Home Office offence groups a force offers, seeded at provisioning."""

    __tablename__ = "offence_category"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_cy: Mapped[str] = mapped_column(String(120))
    offered: Mapped[bool] = mapped_column(Boolean, default=True)
    automatic_contact_default: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class UpdateTemplate(ForceModel):
    """The victim-facing wording for each event type, editable per force."""

    __tablename__ = "update_template"

    event_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    text_en: Mapped[str] = mapped_column(Text)
    text_cy: Mapped[str] = mapped_column(Text)
