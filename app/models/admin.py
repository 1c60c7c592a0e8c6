"""Force administration's own tables, in every force schema.

subject_access_export: a victim's subject access request, produced by a job and kept,
sealed (tenants.secrets), only until the requesting administrator downloads it once or
it expires. brand_asset: the force's logo, checked on upload and served from the force's
own site.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel, created_at, fk, uuid_pk

EXPORT_STATES = ("queued", "ready", "downloaded", "expired", "failed")


class SubjectAccessExport(ForceModel):
    """Everything held about one victim, for the administrator who asked for it."""

    __tablename__ = "subject_access_export"

    id: Mapped[uuid.UUID] = uuid_pk()
    victim_id: Mapped[uuid.UUID] = mapped_column(fk("victim.id"), index=True)
    requested_by: Mapped[uuid.UUID] = mapped_column(fk("officer.id"), index=True)
    requested_at: Mapped[datetime] = created_at()
    status: Mapped[str] = mapped_column(String(12), default="queued")
    ready_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    downloaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The export as JSON, sealed; cleared when downloaded or expired.
    content_sealed: Mapped[str | None] = mapped_column(Text)


class BrandAsset(ForceModel):
    """An image a force shows on its site (today only its logo), already checked."""

    __tablename__ = "brand_asset"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)  # "logo"
    content_type: Mapped[str] = mapped_column(String(40))  # image/png | image/svg+xml
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = created_at()
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(fk("officer.id"))
