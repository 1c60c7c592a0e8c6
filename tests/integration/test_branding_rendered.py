"""Branding written straight into the registry is checked again when a page renders."""

from collections.abc import Iterator

import pytest

from tests.support.registry_rows import branding_set

HOSTILE = {
    "colour": "red}body{display:none",
    "email": "x?subject=Your case&body=Click here@kent.example",
    "phone": '101"><script>alert(1)</script>',
    "address": "1 High Street",
}


@pytest.fixture
def kent_branding(app, admin_engine) -> Iterator[None]:
    """Kent's registry row holds HOSTILE (bypassing validation); restored afterwards."""
    with branding_set(app, admin_engine, "kent", HOSTILE):
        yield


def test_hostile_branding_in_the_registry_never_reaches_the_page(client, kent_branding):
    body = client.get("/", headers={"Host": "kent.localhost"}).get_data(as_text=True)
    assert "1 High Street" in body, "the registry change was not picked up"
    assert "display:none" not in body
    assert ":root{--tmc-brand:#1d70b8}" in body, "a bad colour falls back to the default"
    assert "subject=" not in body and "mailto:" not in body
    assert "<script>alert(1)" not in body and "Phone:" not in body
