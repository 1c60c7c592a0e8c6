"""Exit this page in a real Chromium: the button and the Shift-Shift-Shift shortcut both
leave for the neutral site and end the session; keyboard users reach it straight after
the skip link."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import LiveServer

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Route

EXIT_URL = "https://www.bbc.co.uk/weather"  # config.Settings.exit_page_url's default
COOKIE = "tmc_session"
FORCE = "dyfed-powys"  # Welsh on: choosing Cymraeg puts something in the session
BUTTON = ".govuk-exit-this-page__button"
EXIT_SKIP_LINK = ".govuk-js-exit-this-page-skiplink"
NEUTRAL_PAGE = "<!DOCTYPE html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"


@pytest.fixture
def neutral_site(context: BrowserContext) -> Iterator[list[str]]:
    """Answers for www.bbc.co.uk inside this test's context only (there is no network).

    Yields the URLs the browser asked it for.
    """
    asked: list[str] = []

    def fulfil(route: Route) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route("https://www.bbc.co.uk/**", fulfil)
    yield asked
    context.unroute("https://www.bbc.co.uk/**")


def session_cookies(context: BrowserContext, live_server: LiveServer) -> list[str]:
    """Non-empty session cookies the browser would send to the force's site."""
    return [
        c["value"]
        for c in context.cookies(live_server.url(FORCE))
        if c["name"] == COOKIE and c["value"]
    ]


def visit_in_welsh(page: Page, context: BrowserContext, live_server: LiveServer) -> None:
    """Open the force's home page and choose Cymraeg, which the session remembers."""
    page.goto(live_server.url(FORCE), wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    page.goto(live_server.url(FORCE), wait_until="load")
    assert page.locator("html").get_attribute("lang") == "cy", "the choice should be kept"
    assert session_cookies(context, live_server), "choosing Welsh should set a session"
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")


def expect_neutral_site(page: Page) -> None:
    """Wait until the page is on the neutral site.

    Polls for the URL rather than waiting on one navigation: Chromium's first try at the
    cross-site redirect from /exit is not routed (ERR_NAME_NOT_RESOLVED, no network
    here) and it retries it at once; the retry is the one the route answers.
    """
    from playwright.sync_api import expect

    expect(page).to_have_url(EXIT_URL)


def assert_left_and_forgotten(
    page: Page, context: BrowserContext, live_server: LiveServer, asked: list[str]
) -> None:
    """On the neutral site, no session left, and back on the force a new visitor."""
    expect_neutral_site(page)
    assert asked and set(asked) == {EXIT_URL}, asked
    assert page.locator("h1").inner_text() == "Weather"
    assert not session_cookies(context, live_server), "the session cookie survived exit"
    page.goto(live_server.url(FORCE), wait_until="load")
    assert page.locator("html").get_attribute("lang") == "en", "the Welsh choice survived exit"


def test_exit_button_leaves_and_ends_the_session(
    page: Page, context: BrowserContext, live_server: LiveServer, neutral_site: list[str]
) -> None:
    visit_in_welsh(page, context, live_server)
    page.locator(BUTTON).click()
    assert_left_and_forgotten(page, context, live_server, neutral_site)


def test_shift_three_times_leaves_and_ends_the_session(
    page: Page, context: BrowserContext, live_server: LiveServer, neutral_site: list[str]
) -> None:
    visit_in_welsh(page, context, live_server)
    page.locator("h1").click()  # focus in the document, not on any control
    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_and_forgotten(page, context, live_server, neutral_site)


def test_shift_twice_does_not_leave(
    page: Page, live_server: LiveServer, neutral_site: list[str]
) -> None:
    """Two presses only arm it: the person stays (guards against a shortcut on any key)."""
    page.goto(live_server.url("kent"), wait_until="load")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == live_server.url("kent")
    assert not neutral_site


def tab_stop(page: Page) -> str:
    """The focused element as `tag.classes "text"`, for readable failures."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}"
        " \"${e.textContent.trim().replace(/\\s+/g, ' ')}\"` }"
    )


@pytest.mark.parametrize("slug", ["kent", "dyfed-powys", "avon-and-somerset"])
def test_exit_is_first_after_skip_link(
    page: Page, live_server: LiveServer, neutral_site: list[str], slug: str
) -> None:
    """Keyboard users reach Exit this page with two Tabs, and Enter there leaves.

    The second Tab stop must be the Exit this page button, or GOV.UK Frontend's own
    Exit this page skip link (`.govuk-js-exit-this-page-skiplink`, which its JS binds
    to the same exit), placed straight after "Skip to main content".
    """
    page.goto(live_server.url(slug), wait_until="load")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    page.keyboard.press("Tab")
    first = tab_stop(page)
    page.keyboard.press("Tab")
    second = tab_stop(page)
    assert "govuk-skip-link" in first and "main content" in first, f"first Tab stop: {first}"
    assert any(name in second for name in (BUTTON.lstrip("."), EXIT_SKIP_LINK.lstrip("."))), (
        f"second Tab stop should be Exit this page, got: {second} (after {first})"
    )
    page.keyboard.press("Enter")
    expect_neutral_site(page)
