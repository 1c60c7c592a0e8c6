"""The people a force's site knows: its officers and its victims.

Officers come from the force's identity provider and never have a password here. A
victim is a person on one or more cases; their account (password, invite) belongs to
this force only: the same person on another force is another row in another schema.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel, created_at, fk, utcnow, uuid_pk

OFFICER_ROLES = ("officer", "supervisor", "admin")
CASE_ROLES = ("victim", "parent_guardian", "spokesperson", "advocate")
CHANNELS = ("email", "sms", "none")
LANGUAGES = ("en", "cy")


class Officer(ForceModel):
    """An officer, identified by (issuer, subject) at the force's identity provider."""

    __tablename__ = "officer"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_officer_issuer_subject"),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    collar_number: Mapped[str | None] = mapped_column(String(20), index=True)
    # Taken from the identity provider's claims at every sign-in.
    role: Mapped[str] = mapped_column(String(20))
    team: Mapped[str | None] = mapped_column(String(60), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at()
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    kind = "officer"  # for flask-login and the access rules

    # flask-login's user protocol, without its mixin's remember-me helpers.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"officer:{self.id}"


class Victim(ForceModel):
    """A victim (or the person acting for one) and how they may be contacted."""

    __tablename__ = "victim"
    __table_args__ = (
        # An account signs in by email: one account per address in a force (people
        # without an account may share one, a parent for two children, say).
        Index(
            "uq_victim_account_email",
            "email",
            unique=True,
            postgresql_where=text("password_hash IS NOT NULL"),
        ),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    mobile: Mapped[str | None] = mapped_column(String(30))
    preferred_language: Mapped[str] = mapped_column(String(2), default="en")
    # The contact plan the victim agreed: channel, how often, and when it is safe.
    contact_channel: Mapped[str] = mapped_column(String(10), default="email")
    cadence_days: Mapped[int] = mapped_column(Integer, default=28)
    safe_from: Mapped[time | None] = mapped_column(Time)
    safe_until: Mapped[time | None] = mapped_column(Time)
    safety_flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The account, made when the victim accepts an invite (the victim site's journey).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    account_created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Consecutive wrong passwords, and the time sign-in is refused until (app.victims).
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Two-step sign-in (app.victims.two_step): the authenticator app's secret, sealed
    # with SECRETS_KEY. Set without totp_enabled_at while the victim is still setting
    # it up; the last time step whose code was accepted, so each code works once.
    totp_secret_sealed: Mapped[str | None] = mapped_column(String(300))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_at()

    kind = "victim"  # for flask-login and the access rules

    # flask-login's user protocol, without its mixin's remember-me helpers.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.password_hash is not None

    def get_id(self) -> str:
        return f"victim:{self.id}"


class CaseVictim(ForceModel):
    """A person on a case, in a role: the victim, a parent or guardian, a spokesperson
    for a bereaved family, or an advocate (IDVA/ISVA)."""

    __tablename__ = "case_victim"

    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"), primary_key=True)
    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20), default="victim")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Invite(ForceModel):
    """A single-use invitation to the victim site. Only the token's hash is kept."""

    __tablename__ = "invite"

    id: Mapped[uuid.UUID] = uuid_pk()
    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(fk("case.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
    created_at: Mapped[datetime] = created_at()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def state(self, now: datetime) -> str:
        """pending, used, revoked, locked or expired."""
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.locked_at:
            return "locked"
        return "expired" if now >= self.expires_at else "pending"


def detail_keys(values: dict[str, Any]) -> list[str]:
    """The names of changed fields, for an audit row (never the values)."""
    return sorted(values)


class SignedInSession(ForceModel):
    """A sign-in, server side: the cookie names it, sign-out and timeouts end it.

    The session cookie alone cannot be revoked (it is signed, not stored), so each
    sign-in is a row here; the user loader accepts the cookie only while its row is live.
    """

    __tablename__ = "signed_in_session"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(20))
