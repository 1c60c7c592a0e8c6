"""Force administration pages in a real Chromium: WCAG 2.2 AA (axe), valid HTML as served,
no console or CSP errors, for two force themes (Kent, Avon and Somerset) and in Welsh on
Dyfed-Powys; forms with their errors too.

The browser is signed in by cookie as a force administrator (a server-side session row
and the force-bound cookie a real sign-in makes), so each test is about its page. The
test forces' registry rows are put back afterwards (a page may change them).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import LiveServer, PageErrors
from tests.browser.test_pages_axe import AXE_TAGS, describe
from tests.factories import (
    AuditEventFactory,
    CaseFactory,
    CaseVictimFactory,
    SubjectAccessExportFactory,
    SupportServiceFactory,
    VictimFactory,
)
from tests.integration.admin.support import registry_restored
from tests.support.html import assert_valid_html
from tests.support.officers import as_officer

if TYPE_CHECKING:
    from playwright.sync_api import Page

COOKIE = "tmc_session"


@dataclass(frozen=True)
class Visit:
    slug: str
    welsh: bool = False

    @property
    def id(self) -> str:
        return f"{self.slug}{'-cy' if self.welsh else ''}"


VISITS = [Visit("kent"), Visit("avon-and-somerset"), Visit("dyfed-powys", welsh=True)]


@dataclass(frozen=True)
class Made:
    case_id: Any
    export_id: Any
    service_id: Any


@pytest.fixture(autouse=True)
def _registry_back(app: Any, admin_engine: Any) -> Iterator[None]:
    with registry_restored(app, admin_engine):
        yield


def sign_in_by_cookie(app: Any, page: Page, live_server: LiveServer, slug: str) -> Any:
    client = app.test_client()
    client.environ_base = {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": page.evaluate("navigator.userAgent"),
    }
    admin = as_officer(app, client, slug, role="admin", team="Force administration")
    cookie = client.get_cookie(COOKIE, domain=f"{slug}.localhost")
    assert cookie is not None
    page.context.add_cookies(
        [{"name": COOKIE, "value": cookie.value, "url": live_server.url(slug)}]
    )
    return admin


def make_things(app: Any, slug: str, admin: Any) -> Made:
    """Something on every page: a case past retention, a victim, an export, a service."""
    long_ago = datetime.now(UTC) - timedelta(days=365 * 9)
    with app.app_context():
        case = CaseFactory(force=slug, crime_reference="46/4242/16", status="closed",
                           outcome="charged", closed_at=long_ago)  # fmt: skip
        victim = VictimFactory(force=slug, name="Priya Shah", email="priya@example.com")
        CaseVictimFactory(force=slug, case_id=case.id, victim_id=victim.id)
        export = SubjectAccessExportFactory(force=slug, victim_id=victim.id, requested_by=admin.id)
        service = SupportServiceFactory(force=slug, name="Local Hub", area="North", position=1)
        SupportServiceFactory(force=slug, name="Second Hub", position=2)
        AuditEventFactory(force=slug, tag="case:viewed", actor_type="officer",
                          actor_id=str(admin.id), record_type="case",
                          record_id=str(case.id))  # fmt: skip
    return Made(case.id, export.id, service.id)


def in_language(page: Page, visit: Visit) -> None:
    if visit.welsh:
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("link", name="Cymraeg").click()
        assert page.locator("html").get_attribute("lang") == "cy"


def press_first_button(page: Page) -> None:
    with page.expect_navigation(wait_until="load"):
        # (not the password boxes' Show buttons, which are buttons too)
        page.locator(
            "main form button.govuk-button:not(.govuk-password-input__toggle)"
        ).first.click()


def submit_empty(page: Page) -> None:
    """Clear the form's text boxes and press its first button: the errors come back."""
    for box in page.locator("main form input.govuk-input").all():
        box.fill("")
    press_first_button(page)
    assert page.locator(".govuk-error-summary").count() == 1


def bad_colour(page: Page) -> None:
    page.fill("#colour", "#ffdd00")
    press_first_button(page)
    assert page.locator(".govuk-error-summary").count() == 1


def upload(page: Page, name: str, kind: str, data: bytes) -> None:
    page.set_input_files("#logo", {"name": name, "mimeType": kind, "buffer": data})
    with page.expect_navigation(wait_until="load"):
        page.locator("main form[enctype] button.govuk-button").click()


def bad_svg(page: Page) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    upload(page, "logo.svg", "image/svg+xml", svg)
    assert page.locator(".govuk-error-summary").count() == 1


def dry_run(page: Page) -> None:
    press_first_button(page)
    assert page.locator("#dry-run-summary").count() == 1


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + body))
    return struct.pack(">I", len(body)) + kind + body + crc


PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress(b"\x00\x1d\x70\xb8"))
    + _chunk(b"IEND", b"")
)


def png_logo(page: Page) -> None:
    """Upload a small PNG: the branding page comes back showing it."""
    branding = page.url
    upload(page, "logo.png", "image/png", PNG)
    page.goto(branding, wait_until="load")
    assert page.locator("main img").count() == 1


PAGES: dict[str, tuple[Callable[[Made], str], Callable[[Page], None] | None]] = {
    "home": (lambda m: "/admin/", None),
    "audit": (lambda m: "/admin/audit?action=case:viewed", None),
    "audit-errors": (lambda m: "/admin/audit?start=31&start=2&start=2026", None),
    "settings": (lambda m: "/admin/settings", None),
    "branding": (lambda m: "/admin/settings/branding", None),
    "branding-errors": (lambda m: "/admin/settings/branding", bad_colour),
    "branding-logo": (lambda m: "/admin/settings/branding", png_logo),
    "logo-errors": (lambda m: "/admin/settings/branding", bad_svg),
    "contact": (lambda m: "/admin/settings/contact", None),
    "language": (lambda m: "/admin/settings/language", None),
    "casework": (lambda m: "/admin/settings/casework", None),
    "casework-errors": (lambda m: "/admin/settings/casework", submit_empty),
    "offences": (lambda m: "/admin/settings/offences", None),
    "notifications": (lambda m: "/admin/settings/notifications", None),
    "sign-in": (lambda m: "/admin/settings/sign-in", None),
    "sign-in-errors": (lambda m: "/admin/settings/sign-in", submit_empty),
    "retention": (lambda m: "/admin/retention", None),
    "retention-review": (lambda m: "/admin/retention/review", None),
    "dry-run": (lambda m: "/admin/retention/review", dry_run),
    "case-find": (lambda m: "/admin/cases", None),
    "case-find-errors": (lambda m: "/admin/cases?q=NO/1/1", None),
    "legal-hold": (lambda m: f"/admin/cases/{m.case_id}/legal-hold", None),
    "subject-access": (lambda m: "/admin/subject-access?q=priya@example.com", None),
    "export": (lambda m: f"/admin/subject-access/exports/{m.export_id}", None),
    "support": (lambda m: "/admin/support-directory", None),
    "support-add": (lambda m: "/admin/support-directory/new", None),
    "support-add-errors": (lambda m: "/admin/support-directory/new", press_first_button),
    "support-edit": (lambda m: f"/admin/support-directory/{m.service_id}", None),
    "statistics": (lambda m: "/admin/statistics", None),
}


def assert_accessible(page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    violations = Axe().run(page, options=options).response["violations"]
    assert not violations, f"axe on {page.url}:\n" + describe(violations)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("visit", VISITS, ids=lambda v: v.id)
def test_admin_page_is_accessible(
    app: Any, page: Page, page_errors: PageErrors, live_server: LiveServer, visit: Visit, name: str
) -> None:
    admin = sign_in_by_cookie(app, page, live_server, visit.slug)
    made = make_things(app, visit.slug, admin)
    path, then = PAGES[name]

    response = page.goto(live_server.url(visit.slug, path(made)), wait_until="load")
    assert response is not None and response.status == 200, page.url
    assert_valid_html(response.text())
    in_language(page, visit)
    if then is not None:
        then(page)

    assert page.locator("main#main-content h1").count() == 1
    assert_accessible(page)
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    assert not page_errors.messages, "console errors:\n" + "\n".join(page_errors.messages)
