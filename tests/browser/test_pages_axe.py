"""Home pages in a real Chromium: WCAG 2.2 AA (axe), no console or CSP errors, JS ran
under the CSP, and each site shows its own name in its own brand colour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import LiveServer, PageErrors
from tests.support.forces import TEST_FORCES

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEFAULT_COLOUR = "#1d70b8"  # the central site (layouts/base.html)
HEADER = ".govuk-generic-header"
BRANDS = {force.slug: force for force in TEST_FORCES}


@dataclass(frozen=True)
class Visit:
    """One page as a person reaches it: which site, and whether they chose Welsh."""

    slug: str | None
    welsh: bool = False

    @property
    def id(self) -> str:
        return f"{self.slug or 'central'}{'-cy' if self.welsh else ''}"


VISITS = [
    Visit(None),
    Visit("kent"),
    Visit("dyfed-powys"),
    Visit("dyfed-powys", welsh=True),
    Visit("avon-and-somerset"),
]


def rgb(hex_colour: str) -> str:
    """#rrggbb as getComputedStyle reports it: rgb(r, g, b)."""
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def describe(violations: list[dict[str, Any]]) -> str:
    """axe's violations as one readable line per failing node."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} [{rule.get('impact')}]: {rule['help']} ({rule['helpUrl']})")
        for node in rule["nodes"]:
            summary = (node.get("failureSummary") or "").strip().splitlines() or [""]
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[-1].strip()}")
    return "\n".join(lines)


def open_visit(page: Page, live_server: LiveServer, visit: Visit) -> None:
    """Load the site's home page; for Welsh, follow the "Cymraeg" link as a person would."""
    page.goto(live_server.url(visit.slug), wait_until="load")
    assert page.locator("html").get_attribute("lang") == "en"
    if visit.welsh:
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("link", name="Cymraeg").click()
        assert page.locator("html").get_attribute("lang") == "cy"
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")


def header_colour(page: Page) -> str:
    return page.eval_on_selector(HEADER, "el => getComputedStyle(el).backgroundColor")


@pytest.mark.parametrize("visit", VISITS, ids=lambda v: v.id)
def test_home_page_is_accessible(page: Page, live_server: LiveServer, visit: Visit) -> None:
    from axe_playwright_python.sync_playwright import Axe

    open_visit(page, live_server, visit)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert not violations, (
        f"axe found {len(violations)} WCAG problem(s) on {page.url}:\n" + describe(violations)
    )


@pytest.mark.parametrize("visit", VISITS, ids=lambda v: v.id)
def test_home_page_runs_clean_under_csp(
    page: Page, page_errors: PageErrors, live_server: LiveServer, visit: Visit
) -> None:
    """No console errors (CSP violations are console errors) and GOV.UK Frontend's JS ran."""
    open_visit(page, live_server, visit)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    if visit.slug:  # force pages have Exit this page; its JS adds the Shift indicator
        assert page.locator(".govuk-exit-this-page__indicator").count() == 1, (
            "Exit this page was not initialised by GOV.UK Frontend's JS"
        )
    assert not page_errors.messages, (
        "console errors on " + page.url + ":\n" + "\n".join(page_errors.messages)
    )


@pytest.mark.parametrize("visit", VISITS, ids=lambda v: v.id)
def test_header_shows_site_name_in_brand_colour(
    page: Page, live_server: LiveServer, visit: Visit
) -> None:
    open_visit(page, live_server, visit)
    force = BRANDS.get(visit.slug or "")
    name = force.name if force else "TrackMyCrime"
    colour = force.branding["colour"] if force and force.branding else DEFAULT_COLOUR
    assert page.locator(HEADER).inner_text().strip() == name
    assert page.title().endswith(f" \N{EN DASH} {name}")  # base.html: "Title, en dash, site"
    assert header_colour(page) == rgb(colour)


def test_each_force_has_its_own_colour(page: Page, live_server: LiveServer) -> None:
    """Three forces, three header colours, none of them the central site's default."""
    seen = {}
    for force in TEST_FORCES:
        page.goto(live_server.url(force.slug), wait_until="load")
        seen[force.slug] = header_colour(page)
    assert len(set(seen.values())) == len(TEST_FORCES), seen
    assert rgb(DEFAULT_COLOUR) not in seen.values(), seen
