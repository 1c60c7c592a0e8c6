"""What a person reads on the force pages: each thing said once, in the page's language."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from app.demo import DEMO_FORCES
from tenants.audit import TenancyTag
from tenants.extension import tenancy
from tenants.forces import TenantStatus
from tests.support.registry_rows import branding_set

DYFED_POWYS = "dyfed-powys.localhost"


def _page(client, host: str, language: str = "en") -> tuple[int, str]:
    response = client.get("/", headers={"Host": host, "Accept-Language": language})
    return response.status_code, response.get_data(as_text=True)


def _above_the_footer(body: str) -> str:
    """The page's body (no <head>, so no <title>) down to the footer."""
    return body.split("<body", 1)[1].split("<footer", 1)[0]


def _footer(body: str) -> str:
    return body.split("<footer", 1)[1]


@pytest.fixture
def demo_dyfed_powys_branding(app, admin_engine) -> Iterator[None]:
    """The test force dyfed-powys wears the demo force's branding; restored afterwards."""
    demo = next(force for force in DEMO_FORCES if force.slug == "dyfed-powys")
    with branding_set(app, admin_engine, "dyfed-powys", demo.branding or {}):
        yield


def test_the_english_page_shows_the_english_address(client, demo_dyfed_powys_branding):
    status, body = _page(client, DYFED_POWYS, "en")
    assert status == 200 and '<html lang="en"' in body
    assert "PO Box 3, Carmarthen" in _footer(body)
    assert "Blwch Post" not in body


def test_the_welsh_page_shows_the_welsh_address(client, demo_dyfed_powys_branding):
    status, body = _page(client, DYFED_POWYS, "cy")
    assert status == 200 and '<html lang="cy"' in body
    assert "Blwch Post 3, Caerfyrddin" in _footer(body)
    assert "PO Box" not in body


def test_the_paused_page_gives_the_emergency_number_once(app, client):
    with app.app_context():
        paused = tenancy().change_status(
            "kent",
            TenantStatus.SUSPENDED,
            TenantStatus.ACTIVE,
            TenancyTag.FORCE_SUSPENDED,
            ("cli", "test"),
        )
    assert paused
    status, body = _page(client, "kent.localhost")
    assert status == 503 and "This service is paused" in body
    assert len(re.findall(r"\b999\b", body)) == 1, "999 is given more than once"


def test_other_force_pages_keep_the_emergency_number_in_the_footer(client):
    status, body = _page(client, "kent.localhost")
    assert status == 200
    assert "In an emergency call 999." in _footer(body)


def test_the_force_name_appears_once_at_the_top_of_the_home_page(client):
    status, body = _page(client, "kent.localhost")
    assert status == 200
    assert _above_the_footer(body).count("Test Kent Police") == 1
