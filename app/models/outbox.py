"""The outbox: every notification is first a row here, written in the same transaction
as the event that caused it (app.notifications delivers it).

One table in every force's schema (victims and officers) and one in public for the
central site (force applicants). A row holds what delivery needs and nothing more: the
recipient's address and the link (an invite token, say) are cleared once it is sent.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import utcnow
from tenants.binding import PUBLIC_SCHEMA, TENANT_SCHEMA, Base


class OutboxColumns:
    """What both outboxes hold (app.notifications.kinds names the values)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # Ids only, never personal data: "victim_update:<event id>:<victim id>".
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))  # email | sms | none
    address: Mapped[str | None] = mapped_column(String(320))  # cleared once sent
    language: Mapped[str] = mapped_column(String(2), default="en")
    link_path: Mapped[str | None] = mapped_column(String(300))  # cleared once sent
    # queued | sending | sent | withheld | failed
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(40))  # why withheld or failed
    last_error: Mapped[str | None] = mapped_column(String(200))  # error type only, no text
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Not before this moment: a safe time, or the next retry after a failure.
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Last handed to RQ (the sweep re-enqueues a due row only when this is old or unset).
    enqueued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A worker is sending until then; past it, the row may be claimed again.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxMessage(OutboxColumns, Base):
    """A notification to a victim or an officer of this force."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_status_due", "status", "due_at"),
        {"schema": TENANT_SCHEMA},
    )

    recipient_kind: Mapped[str] = mapped_column(String(10))  # victim | officer
    recipient_id: Mapped[uuid.UUID | None] = mapped_column()
    case_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # The victim's safe window put delivery off until then (shown to the officer).
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CentralOutboxMessage(OutboxColumns, Base):
    """A notification from the central site (a force applicant confirming an address)."""

    __tablename__ = "central_outbox_message"
    __table_args__ = (
        Index("ix_central_outbox_message_status_due", "status", "due_at"),
        {"schema": PUBLIC_SCHEMA},
    )
