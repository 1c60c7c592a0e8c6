"""The records-system API's own tables, in every force schema.

An api_client is a force's records system (Niche, Athena, Connect…) holding OAuth 2.0
client credentials: only an HMAC of its secret is kept. idempotency_key remembers what
a POST with an Idempotency-Key answered, so a retried call creates nothing twice; it
keeps the response (ids and dates, never personal data) and a hash of the request.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel, created_at, fk, uuid_pk

API_SCOPES = ("cases:read", "cases:write")


class ApiClient(ForceModel):
    __tablename__ = "api_client"

    id: Mapped[uuid.UUID] = uuid_pk()
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # "<scheme>$<digest>": the scheme names how it was made, so it can change later.
    secret_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = created_at()
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IdempotencyKey(ForceModel):
    """One remembered POST: (client, key) is unique, so a concurrent twin waits on the
    first one's transaction and then replays its answer."""

    __tablename__ = "idempotency_key"
    __table_args__ = (
        UniqueConstraint("client_id", "key", name="uq_idempotency_key_client_key"),
        ForceModel.__table_args__,
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    client_id: Mapped[uuid.UUID] = mapped_column(fk("api_client.id"), index=True)
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[dict[str, object] | None] = mapped_column(JSON)
    response_location: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = created_at()
