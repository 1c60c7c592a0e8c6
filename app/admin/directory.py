"""The force's support directory: local services its administrators add, edit, order
and retire. National services are seeded for every force and are not edited here.

Each change is an audit row with the old and new value of every field that changed
(a directory entry is public information, not personal data).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from app.admin.blueprint import AdminTag
from app.admin.force_settings import changes
from app.audit import record
from app.models import SupportService
from tenants.binding import db

FIELDS = ("name", "name_cy", "description", "description_cy", "area", "phone", "url")


def services() -> tuple[list[SupportService], list[SupportService]]:
    """(local services in their order, national services by name)."""
    rows = list(
        db.session.scalars(
            select(SupportService).order_by(
                SupportService.retired, SupportService.position, SupportService.name
            )
        )
    )
    national = sorted((s for s in rows if s.national), key=lambda s: s.name)
    return [s for s in rows if not s.national], national


def local_or_none(service_id: uuid.UUID) -> SupportService | None:
    service = db.session.get(SupportService, service_id)
    return service if service is not None and not service.national else None


def _values(service: SupportService) -> dict[str, Any]:
    return {name: getattr(service, name) for name in (*FIELDS, "position", "retired")}


def _key(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:24] or "service"
    return f"{slug}-{uuid.uuid4().hex[:8]}"


def add(values: Mapping[str, Any]) -> SupportService:
    last = db.session.scalar(
        select(func.max(SupportService.position)).where(SupportService.national.is_(False))
    )
    service = SupportService(
        id=uuid.uuid4(),
        key=_key(str(values["name"])),
        national=False,
        position=(last or 0) + 1,
        retired=False,
        **{name: values.get(name) or None for name in FIELDS},
    )
    db.session.add(service)
    db.session.flush()
    record(
        AdminTag.SUPPORT_SERVICE_ADDED,
        record_type="support_service",
        record_id=service.id,
        changes=changes({}, _values(service)),
    )
    return service


def change(service: SupportService, values: Mapping[str, Any], purpose: str) -> bool:
    """Set fields on service with an audit row of old and new values; False if none changed."""
    before = _values(service)
    for name, value in values.items():
        setattr(service, name, value)
    differences = changes(before, _values(service))
    if differences:
        record(
            AdminTag.SUPPORT_SERVICE_CHANGED,
            record_type="support_service",
            record_id=service.id,
            purpose=purpose,
            changes=differences,
        )
    return bool(differences)


def move(service: SupportService, step: int) -> None:
    """Swap service with its neighbour above (step -1) or below (+1) among live services."""
    order, _national = services()
    live = [s for s in order if not s.retired]
    if service not in live:
        return
    at = live.index(service)
    if not 0 <= at + step < len(live):
        return
    live[at], live[at + step] = live[at + step], live[at]
    for position, each in enumerate(live, start=1):
        if each.position != position:
            change(each, {"position": position}, "order")
