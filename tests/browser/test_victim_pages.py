"""Victim pages in a real Chromium: WCAG 2.2 AA (axe) on every page for two force themes
and in Welsh, no console or CSP errors, and the journey done with the keyboard only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from app.models import CaseVictim
from tests.browser.conftest import LiveServer, PageErrors
from tests.browser.test_pages_axe import AXE_TAGS, describe
from tests.factories import CaseEventFactory, MessageFactory, PropertyItemFactory
from tests.integration.victims.conftest import make_invited
from tests.support.victims import PASSWORD, victim_with_account

if TYPE_CHECKING:
    from playwright.sync_api import Page

THEMES = [("kent", False), ("dyfed-powys", False), ("dyfed-powys", True)]


def check_axe(page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert not violations, f"axe on {page.url}:\n" + describe(violations)


def _case_with_everything(app: Any, slug: str) -> tuple[Any, Any, Any]:
    with app.app_context():
        victim = victim_with_account(slug, email=f"axe@{slug}.example")
        (link,) = _links(slug, victim.id)
        CaseEventFactory(
            force=slug,
            case_id=link,
            victim_text="A suspect has been arrested.",
            victim_text_cy="Mae rhywun wedi cael ei arestio.",
            published_at=datetime.now(UTC),
        )
        MessageFactory(force=slug, case_id=link, victim_id=victim.id, body="Any news?")
        item = PropertyItemFactory(force=slug, case_id=link, victim_id=victim.id)
    return victim, link, item


def _links(slug: str, victim_id: Any) -> list[Any]:
    from tests.integration.victims.conftest import rows

    return [row.case_id for row in rows(slug, CaseVictim, CaseVictim.victim_id == victim_id)]


def sign_in_with_keyboard(page: Page, live_server: LiveServer, slug: str, email: str) -> None:
    page.goto(live_server.url(slug, "/sign-in"), wait_until="load")
    page.locator("#email").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url("**/cases/")


@pytest.mark.parametrize(("slug", "welsh"), THEMES, ids=["kent", "dyfed-powys", "dyfed-powys-cy"])
def test_every_victim_page_is_accessible(
    app: Any,
    page: Page,
    page_errors: PageErrors,
    live_server: LiveServer,
    slug: str,
    welsh: bool,
) -> None:
    from tests.integration.victims.conftest import _APP

    _APP["app"] = app
    victim, case_id, item = _case_with_everything(app, slug)
    with app.app_context():
        invited = make_invited(slug, reference=f"46/{len(slug)}0001/26")
    if welsh:
        page.goto(live_server.url(slug, "/language/cy?next=/"), wait_until="load")
    anonymous = ["/sign-in", "/reset-password", invited.link, "/signed-out"]
    for path in anonymous:
        page.goto(live_server.url(slug, path), wait_until="load")
        assert page.locator("html").get_attribute("lang") == ("cy" if welsh else "en")
        check_axe(page)
    sign_in_with_keyboard(page, live_server, slug, victim.email)
    if welsh:
        page.goto(live_server.url(slug, "/language/cy?next=/cases/"), wait_until="load")
    signed_in = [
        "/cases/",
        f"/cases/{case_id}",
        f"/cases/{case_id}/messages",
        f"/cases/{case_id}/ask-for-update",
        f"/cases/{case_id}/property",
        f"/cases/{case_id}/property/add",
        f"/cases/{case_id}/property/{item.id}",
        f"/cases/{case_id}/property/{item.id}/remove",
        "/support",
        "/contact-preferences",
    ]
    for path in signed_in:
        page.goto(live_server.url(slug, path), wait_until="load")
        assert page.locator(".govuk-exit-this-page").count() == 1, path
        check_axe(page)
    # A page with errors: the error summary and the fields' messages are checked too.
    page.goto(live_server.url(slug, f"/cases/{case_id}/property/add"), wait_until="load")
    page.locator("form[novalidate] button.govuk-button").last.click()
    page.wait_for_selector(".govuk-error-summary")
    check_axe(page)
    assert not page_errors.messages, "\n".join(page_errors.messages)


def test_the_journey_with_the_keyboard_only(app: Any, page: Page, live_server: LiveServer) -> None:
    """Invite, account, case, message, property, contact plan, sign out: keys only."""
    from tests.integration.victims.conftest import _APP, messages, property_items

    _APP["app"] = app
    with app.app_context():
        invited = make_invited("kent")
    page.goto(live_server.url("kent", invited.link), wait_until="load")
    page.locator("#crime_reference").focus()
    page.keyboard.type("46/12345/26")
    for value in ("27", "3", "1985"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_url("**/create-account")
    page.locator("#email").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("keys@example.com")
    page.locator("#password").focus()
    page.keyboard.type(PASSWORD)
    page.locator("#confirm").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/")

    page.get_by_role("link", name="Crime reference 46/12345/26").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Messages").focus()
    page.keyboard.press("Enter")
    page.locator("#body").focus()
    page.keyboard.type("When will I hear?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-notification-banner")
    assert [m.body for m in messages("kent")] == ["When will I hear?"]

    page.goto(live_server.url("kent", f"/cases/{invited.case.id}/property/add"), wait_until="load")
    page.locator("#status").focus()
    page.keyboard.press("Space")
    page.locator("#category").focus()
    page.keyboard.press("Space")
    page.locator("#description").focus()
    page.keyboard.type("Stolen bicycle")
    page.get_by_role("button", name="Save item").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-notification-banner")
    assert [i.description for i in property_items("kent")] == ["Stolen bicycle"]

    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/signed-out")
