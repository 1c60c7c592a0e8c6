"""Error pages are pages too: WCAG 2.2 AA, in the site's language, revealing nothing."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text

from tests.browser.conftest import LiveServer
from tests.browser.test_pages_axe import AXE_TAGS, describe

if TYPE_CHECKING:
    from playwright.sync_api import Page


def assert_accessible(page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    violations = Axe().run(page, options=options).response["violations"]
    assert not violations, f"axe on {page.url}:\n" + describe(violations)


@pytest.mark.parametrize(
    ("slug", "heading"),
    [(None, "Page not found"), ("kent", "Page not found"), ("no-such-force", "Page not found")],
)
def test_not_found_pages(page: Page, live_server: LiveServer, slug: str | None, heading: str):
    response = page.goto(live_server.url(slug, "/no-such-page"))
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page)


def test_not_found_in_welsh_on_a_welsh_force(page: Page, live_server: LiveServer):
    page.goto(live_server.url("dyfed-powys"))
    with page.expect_navigation():
        page.get_by_role("link", name="Cymraeg").click()
    page.goto(live_server.url("dyfed-powys", "/no-such-page"))
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", level=1).inner_text() == "Heb ddod o hyd i'r dudalen"
    assert_accessible(page)


def test_suspended_force_page(page: Page, live_server: LiveServer, admin_engine):
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE public.tenant SET status = 'suspended' WHERE slug = 'kent'"))
    deadline, status = time.monotonic() + 5, 200
    while status != 503 and time.monotonic() < deadline:
        response = page.goto(live_server.url("kent"))
        status = response.status if response else 0
    assert status == 503
    assert page.get_by_role("heading", level=1).inner_text() == "This service is paused"
    assert "Kent Police" in page.locator(".govuk-generic-header").inner_text()
    assert_accessible(page)
