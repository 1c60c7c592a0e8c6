"""The force administrator an approved application named, made admin on first sign-in.

app.officers cannot import this journey, so it asks through a hook:
app.extensions["force_admin_granted"](force_slug, email) -> bool. It reads the public
table in its own short transaction as the login role (a force's role cannot read public
tables), and records the first time the grant was used.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, select, update

from app.models.base import utcnow
from app.models.central import ForceAdminGrant
from tenants.binding import db

HOOK = "force_admin_granted"


def admin_granted(force_slug: str, email: str) -> bool:
    """Whether email is the pre-authorised administrator of force_slug."""
    address = email.strip().lower()
    table = cast(Table, ForceAdminGrant.__table__)
    with db.engine.begin() as conn:
        found = conn.scalar(
            select(table.c.id).where(table.c.force_slug == force_slug, table.c.email == address)
        )
        if found is not None:
            conn.execute(
                update(table)
                .where(table.c.id == found, table.c.first_used_at.is_(None))
                .values(first_used_at=utcnow())
            )
    return found is not None
