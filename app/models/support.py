"""The force's directory of support services, seeded with the national ones."""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import Boolean, Connection, Integer, String, Table, exists, false, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel, uuid_pk
from tenants.forces import Force


class SupportService(ForceModel):
    """A support service victims may contact: national (seeded, the same for every force)
    or local (the force's administrators add, edit, order and retire them)."""

    __tablename__ = "support_service"

    id: Mapped[uuid.UUID] = uuid_pk()
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(30))
    url: Mapped[str | None] = mapped_column(String(200))
    national: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(String(500))
    area: Mapped[str | None] = mapped_column(String(120))
    name_cy: Mapped[str | None] = mapped_column(String(120))
    description_cy: Mapped[str | None] = mapped_column(String(500))
    # The order victims see local services in (smallest first).
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Retired services stay for the record (referrals name them) but are not shown.
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


NATIONAL_SERVICES = (
    {
        "key": "victim-support",
        "name": "Victim Support",
        "phone": "08 08 16 89 111",
        "url": "https://www.victimsupport.org.uk/",
    },
    {
        "key": "national-da-helpline",
        "name": "National Domestic Abuse Helpline",
        "phone": "0808 2000 247",
        "url": "https://www.nationaldahelpline.org.uk/",
    },
)


def seed_support_services(conn: Connection, _force: Force) -> None:
    """Provisioning seeder: add the national services a force lacks (idempotent)."""
    table = cast(Table, SupportService.__table__)
    for service in NATIONAL_SERVICES:
        if not conn.scalar(select(exists().where(table.c.key == service["key"]))):
            conn.execute(insert(table).values(id=uuid.uuid4(), national=True, **service))
