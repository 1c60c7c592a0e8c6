"""Change a force's registry row behind the application's back, for one test."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import Engine, text

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
