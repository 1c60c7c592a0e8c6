"""The central site's tables, all in the public schema: operators and their sessions,
force applications with their emailed links, and the force admins an approved
application pre-authorises.

Nothing here holds a victim's data. An application holds its contact's name and email
(the applicant's own, for the confirmation and decision emails) and its identity
provider's client secret, sealed by tenants.secrets like every stored secret.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import utcnow
from tenants.binding import PUBLIC_SCHEMA, Base

# An application's life: the applicant answers (draft), submits, an operator decides.
APPLICATION_STATUSES = ("draft", "submitted", "approved", "rejected", "live")
# An approved application's provisioning job: queued -> running -> done | failed.
PROVISIONING_STATES = ("queued", "running", "done", "failed")
# A slug is held by the application that submitted it first, until it is rejected.
HOLDS_SLUG = ("submitted", "approved", "live")


class Operator(Base):
    """A central operator: pre-authorised by email, bound to (issuer, subject) at the
    central identity provider on first sign-in."""

    __tablename__ = "operator"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_operator_issuer_subject"),
        {"schema": PUBLIC_SCHEMA},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower case
    name: Mapped[str | None] = mapped_column(String(120))
    issuer: Mapped[str | None] = mapped_column(String(300))
    subject: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    kind = "operator"  # for flask-login and the access rules
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"operator:{self.id}"


class CentralSignedInSession(Base):
    """A sign-in on the central site, server side (the force schemas' signed_in_session,
    in public): app.auth.signin picks it on the central site."""

    __tablename__ = "central_signed_in_session"
    __table_args__ = {"schema": PUBLIC_SCHEMA}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(20))


class ForceApplication(Base):
    """A force's application to join, from its first answer to its site going live."""

    __tablename__ = "force_application"
    __table_args__ = (
        # Two applications may draft the same address; only one may hold it.
        Index(
            "uq_force_application_held_slug",
            "slug",
            unique=True,
            postgresql_where=text("status IN ('submitted', 'approved', 'live')"),
        ),
        {"schema": PUBLIC_SCHEMA},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    force_name: Mapped[str | None] = mapped_column(String(120))
    slug: Mapped[str | None] = mapped_column(String(40))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    colour: Mapped[str | None] = mapped_column(String(7))
    # The optional logo, as app.logos checked and rebuilt it (None: no logo).
    logo_content_type: Mapped[str | None] = mapped_column(String(32))
    logo_data: Mapped[bytes | None] = mapped_column(LargeBinary)
    idp_issuer: Mapped[str | None] = mapped_column(String(300))
    idp_client_id: Mapped[str | None] = mapped_column(String(200))
    idp_client_secret_sealed: Mapped[str | None] = mapped_column(Text)
    idp_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    admin_email: Mapped[str | None] = mapped_column(String(254))
    welsh_enabled: Mapped[bool | None] = mapped_column(Boolean)
    agreement_accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    language: Mapped[str] = mapped_column(String(2), default="en")  # for its emails
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(f"{PUBLIC_SCHEMA}.operator.id"))
    rejection_reason: Mapped[str | None] = mapped_column(String(1000))
    provisioning_state: Mapped[str | None] = mapped_column(String(10))
    provisioning_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A worker is provisioning until then; past it, a retry may claim the job again.
    provisioning_lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    provisioning_error: Mapped[str | None] = mapped_column(String(60))  # a code, no text
    provisioned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApplicationLink(Base):
    """A single-use emailed link that proves the applicant reads contact_email. Only the
    token's hash is kept; the address it went to must still be the application's."""

    __tablename__ = "application_link"
    __table_args__ = {"schema": PUBLIC_SCHEMA}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(f"{PUBLIC_SCHEMA}.force_application.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ForceAdminGrant(Base):
    """The administrator an approved application named: made force admin when they first
    sign in to the force's site with this email (app.officers asks through a hook)."""

    __tablename__ = "force_admin_grant"
    __table_args__ = (
        UniqueConstraint("force_slug", "email", name="uq_force_admin_grant_force_slug"),
        {"schema": PUBLIC_SCHEMA},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    force_slug: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(254))  # lower case
    application_id: Mapped[uuid.UUID | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    first_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# A decommissioned force's export: queued -> running -> ready | failed; ready -> downloaded.
EXPORT_STATES = ("queued", "running", "ready", "failed", "downloaded")


class ForceDecommission(Base):
    """An operator's decision to remove a suspended force: its grace period, the export
    of its data handed to the force, and the removal of its role and schema.

    The export's password is kept sealed only until an operator has been shown it once;
    the download link's token only as a hash. At most one open decommission per force.
    """

    __tablename__ = "force_decommission"
    __table_args__ = (
        Index(
            "uq_force_decommission_open_slug",
            "force_slug",
            unique=True,
            postgresql_where=text("cancelled_at IS NULL AND removed_at IS NULL"),
        ),
        {"schema": PUBLIC_SCHEMA},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    force_slug: Mapped[str] = mapped_column(String(40))
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey(f"{PUBLIC_SCHEMA}.operator.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    remove_after: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    export_state: Mapped[str] = mapped_column(String(12), default="queued")
    export_file: Mapped[str | None] = mapped_column(String(100))
    export_error: Mapped[str | None] = mapped_column(String(60))  # a code, no text
    export_ready_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_sealed: Mapped[str | None] = mapped_column(Text)
    password_shown_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    download_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    download_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    downloaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
