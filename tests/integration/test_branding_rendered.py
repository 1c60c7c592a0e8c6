"""Branding written straight into the registry is checked again when a page renders."""

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from tenants.extension import tenancy

HOSTILE = {
    "colour": "red}body{display:none",
    "email": "x?subject=Your case&body=Click here@kent.example",
    "phone": '101"><script>alert(1)</script>',
    "address": "1 High Street",
}


@pytest.fixture
def kent_branding(app, admin_engine) -> Iterator[None]:
    """Kent's registry row holds HOSTILE (bypassing validation); restored afterwards."""
    select = text("SELECT branding FROM public.tenant WHERE slug = 'kent'")
    update = text("UPDATE public.tenant SET branding = CAST(:b AS json) WHERE slug = 'kent'")
    with admin_engine.begin() as conn:
        original = conn.execute(select).scalar_one()
        conn.execute(update, {"b": json.dumps(HOSTILE)})
    with app.app_context():
        tenancy().registry.invalidate()
    yield
    with admin_engine.begin() as conn:
        conn.execute(update, {"b": json.dumps(original)})
    with app.app_context():
        tenancy().registry.invalidate()


def test_hostile_branding_in_the_registry_never_reaches_the_page(client, kent_branding):
    body = client.get("/", headers={"Host": "kent.localhost"}).get_data(as_text=True)
    assert "1 High Street" in body, "the registry change was not picked up"
    assert "display:none" not in body
    assert ":root{--tmc-brand:#1d70b8}" in body, "a bad colour falls back to the default"
    assert "subject=" not in body and "mailto:" not in body
    assert "<script>alert(1)" not in body and "Phone:" not in body
