"""Victim accounts beyond the victim row: single-use password-reset links."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel, created_at, fk, uuid_pk


class PasswordReset(ForceModel):
    """A password-reset link sent to a victim. Only the token's hash is kept."""

    __tablename__ = "password_reset"

    id: Mapped[uuid.UUID] = uuid_pk()
    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
