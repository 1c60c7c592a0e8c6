"""A crime case, first cut: the journeys' issues add victims, events and messages."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel, created_at, uuid_pk


class Case(ForceModel):
    __tablename__ = "case"

    id: Mapped[uuid.UUID] = uuid_pk()
    crime_reference: Mapped[str] = mapped_column(String(40), unique=True)
    offence_category: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(30), default="open")
    created_at: Mapped[datetime] = created_at()
