"""Change a force's registry row behind the application's back, for one test."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import Connection, Engine, text

from tenants.extension import tenancy

_SELECT = text("SELECT branding FROM public.tenant WHERE slug = :s")
_UPDATE = text("UPDATE public.tenant SET branding = CAST(:b AS json) WHERE slug = :s")


@contextmanager
def branding_set(
    app: Flask, admin_engine: Engine, slug: str, tokens: Mapping[str, Any]
) -> Iterator[None]:
    """slug's stored branding is tokens (no validation) until the block ends."""
    with admin_engine.begin() as conn:
        original = conn.execute(_SELECT, {"s": slug}).scalar_one()
        conn.execute(_UPDATE, {"b": json.dumps(dict(tokens)), "s": slug})
    _invalidate(app)
    try:
        yield
    finally:
        with admin_engine.begin() as conn:
            conn.execute(_UPDATE, {"b": json.dumps(original), "s": slug})
        _invalidate(app)


def _invalidate(app: Flask) -> None:
    with app.app_context():
        tenancy().registry.invalidate()


_COLUMNS = "name, branding, settings, welsh_enabled"
_RESTORE = text(
    "UPDATE public.tenant SET name = :name, branding = CAST(:branding AS json), "
    "settings = CAST(:settings AS json), welsh_enabled = :welsh_enabled WHERE slug = :slug"
)


def snapshot(conn: Connection, slugs: list[str]) -> list[dict[str, Any]]:
    """The forces' editable registry columns, to put back after tests change them."""
    rows = conn.execute(
        text(f"SELECT slug, {_COLUMNS} FROM public.tenant WHERE slug = ANY(:s)"), {"s": slugs}
    )
    return [
        {
            "slug": row.slug,
            "name": row.name,
            "branding": json.dumps(row.branding),
            "settings": json.dumps(row.settings),
            "welsh_enabled": row.welsh_enabled,
        }
        for row in rows
    ]


def restore(conn: Connection, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        conn.execute(_RESTORE, row)
