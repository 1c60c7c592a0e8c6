"""The typed bases and column helpers every product model uses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from tenants.binding import TENANT_SCHEMA, Base


class ForceModel(Base):
    """A table in every force's schema (declared under the placeholder schema)."""

    __abstract__ = True
    __table_args__: Any = {"schema": TENANT_SCHEMA}


def utcnow() -> datetime:
    return datetime.now(UTC)


def uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(primary_key=True, default=uuid.uuid4)


def created_at() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, index=True)


def fk(target: str) -> ForeignKey:
    """A foreign key to another table of the same force schema ("officer.id")."""
    return ForeignKey(f"{TENANT_SCHEMA}.{target}")
