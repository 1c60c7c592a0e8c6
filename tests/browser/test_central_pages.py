"""The central site in a real Chromium: every page passes axe (WCAG 2.2 AA) with no
console or CSP errors, in English and in Welsh (chosen with the "Cymraeg" link), the
question pages with their errors showing too; and an operator signs in through the
demo provider and out again.

The applicant's pages are reached with an application in the browser's session (the
cookie the first answer would leave); the console's with an operator's session cookie
(tests.support.operators.as_operator, with the browser's own user agent and address
for Flask-Login's session protection).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from app.central import operators
from app.demo_idp import (
    RunningProvider,
    demo_client_id,
    demo_client_secret,
    demo_operator_issuer,
    demo_password,
    run_in_thread,
)
from tests.browser.conftest import LiveServer, PageErrors
from tests.browser.test_pages_axe import AXE_TAGS, describe
from tests.factories import ForceApplicationFactory
from tests.support.operators import CENTRAL_HOST, as_operator, empty_central_tables

if TYPE_CHECKING:
    from playwright.sync_api import Page

COOKIE = "tmc_session"
LANGUAGES = ["en", "cy"]


@pytest.fixture(autouse=True)
def _central_tables_emptied(app: Any, admin_engine: Any) -> Iterator[None]:
    yield
    empty_central_tables(admin_engine)


def assert_accessible(page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    violations = Axe().run(page, options=options).response["violations"]
    assert not violations, f"axe on {page.url}:\n" + describe(violations)


def assert_clean(page: Page, errors: PageErrors) -> None:
    """No console errors but Chromium's note that the document itself was a 4xx (a link
    that is no longer valid is a 404 or 410 page on purpose)."""
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    own = f"'url': '{page.url}'"
    found = [m for m in errors.messages if not ("Failed to load resource" in m and own in m)]
    assert not found, "console errors:\n" + "\n".join(found)


def _browser_client(app: Any, page: Page) -> Any:
    client = app.test_client()
    client.environ_base = {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": page.evaluate("navigator.userAgent"),
    }
    return client


def _give_cookie(client: Any, page: Page, live_server: LiveServer) -> None:
    cookie = client.get_cookie(COOKIE, domain="localhost")
    assert cookie is not None
    page.context.add_cookies([{"name": COOKIE, "value": cookie.value, "url": live_server.url()}])


def as_applicant(app: Any, page: Page, live_server: LiveServer, **values: Any) -> Any:
    """An application (every answer given unless values say otherwise) in the browser."""
    with app.app_context():
        application = ForceApplicationFactory(**values)
    client = _browser_client(app, page)
    with client.session_transaction(headers=CENTRAL_HOST) as session:
        session["application_id"] = str(application.id)
    _give_cookie(client, page, live_server)
    return application


def as_browser_operator(app: Any, page: Page, live_server: LiveServer) -> None:
    client = _browser_client(app, page)
    as_operator(app, client)
    _give_cookie(client, page, live_server)


def in_language(page: Page, language: str) -> None:
    if language == "cy":
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("link", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == language


def submit_empty(page: Page) -> None:
    """Empty the form's text fields and press its main button: errors come back."""
    for field in page.locator("main form input.govuk-input").all():
        field.fill("")
    with page.expect_navigation(wait_until="load"):
        page.locator("main form [type=submit]").first.click()
    assert page.locator(".govuk-error-summary").count() == 1
    assert page.title().startswith(("Error:", "Gwall:"))


def too_light(page: Page) -> None:
    page.fill("#colour", "#ffdd00")
    with page.expect_navigation(wait_until="load"):
        page.locator("main form [type=submit]").first.click()
    assert page.locator(".govuk-error-summary").count() == 1


Then = Callable[["Page"], None] | None
DRAFT = {"status": "draft", "email_confirmed_at": None}
WITH_LOGO = {
    "logo_content_type": "image/svg+xml",
    "logo_data": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<rect width="10" height="10" fill="#1d5c3a"/></svg>',
}
# name -> (path, application values (None: no application), then)
APPLICANT_PAGES: dict[str, tuple[str, dict[str, Any] | None, Then]] = {
    "home": ("/", None, None),
    "find-force": ("/find-your-police-force?search=kent", None, None),
    "find-force-none": ("/find-your-police-force?search=atlantis", None, None),
    "start": ("/apply", None, None),
    "force-name": ("/apply/force-name", None, None),
    "force-name-errors": ("/apply/force-name", None, submit_empty),
    "web-address": ("/apply/web-address", DRAFT, None),
    "web-address-errors": ("/apply/web-address", DRAFT, submit_empty),
    "your-name": ("/apply/your-name", DRAFT, None),
    "your-email": ("/apply/your-email", DRAFT, None),
    "your-email-errors": ("/apply/your-email", DRAFT, submit_empty),
    "check-your-email": ("/apply/check-your-email", DRAFT, None),
    "colour": ("/apply/colour", DRAFT, None),
    "colour-too-light": ("/apply/colour", DRAFT, too_light),
    "logo": ("/apply/logo", DRAFT, None),
    "logo-errors": ("/apply/logo", DRAFT, submit_empty),
    "logo-uploaded": ("/apply/logo", {**DRAFT, **WITH_LOGO}, None),
    "identity-provider": ("/apply/identity-provider", DRAFT, None),
    "identity-provider-errors": ("/apply/identity-provider", DRAFT, submit_empty),
    "administrator": ("/apply/administrator", DRAFT, None),
    "welsh": ("/apply/welsh", {**DRAFT, "welsh_enabled": None}, None),
    "welsh-errors": ("/apply/welsh", {**DRAFT, "welsh_enabled": None}, submit_empty),
    "agreement": ("/apply/agreement", {**DRAFT, "agreement_accepted_at": None}, None),
    "agreement-errors": (
        "/apply/agreement", {**DRAFT, "agreement_accepted_at": None}, submit_empty
    ),
    "check-answers": ("/apply/check-answers", DRAFT, None),
    "check-answers-logo": ("/apply/check-answers", {**DRAFT, **WITH_LOGO}, None),
    "submitted": ("/apply/submitted", {}, None),
    "status-waiting": ("/apply/status", {}, None),
    "status-rejected": (
        "/apply/status", {"status": "rejected", "rejection_reason": "Not a police force."}, None
    ),
    "status-none": ("/apply/status", None, None),
    "return": ("/apply/return", None, None),
    "link-problem": ("/apply/confirm/" + "A" * 43, None, None),
    "export-link-problem": ("/force-export/" + "A" * 43, None, None),
    "operator-sign-in": ("/console/sign-in", None, None),
    "operator-sign-in-problem": ("/console/sign-in/problem?reason=not_an_operator", None, None),
    "operator-signed-out": ("/console/signed-out", None, None),
}  # fmt: skip


@pytest.mark.parametrize("name", APPLICANT_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_central_page_is_accessible(
    app: Any, page: Page, page_errors: PageErrors, live_server: LiveServer, language: str, name: str
) -> None:
    path, values, then = APPLICANT_PAGES[name]
    if values is not None:
        as_applicant(app, page, live_server, **values)

    response = page.goto(live_server.url(None, path), wait_until="load")
    assert response is not None and response.status in (200, 404), page.url
    in_language(page, language)
    if then is not None:
        then(page)

    assert page.locator("main#main-content h1").count() == 1
    assert_accessible(page)
    assert_clean(page, page_errors)


def _application(app: Any, **values: Any) -> str:
    with app.app_context():
        return str(ForceApplicationFactory(**values).id)


def _paused_kent(app: Any, decommissioning: bool = False) -> None:
    """Kent paused (the root reset makes it live again), and being decommissioned."""
    from datetime import timedelta

    from app.models.base import utcnow
    from app.models.central import ForceDecommission
    from tenants.audit import SYSTEM, TenancyTag
    from tenants.extension import tenancy
    from tenants.forces import TenantStatus
    from tests.factories import OperatorFactory, PublicModelFactory

    class DecommissionFactory(PublicModelFactory):
        class Meta:
            model = ForceDecommission

    with app.app_context():
        tenancy().change_status("kent", TenantStatus.SUSPENDED, TenantStatus.ACTIVE,
                                TenancyTag.FORCE_SUSPENDED, SYSTEM)  # fmt: skip
        if decommissioning:
            DecommissionFactory(
                force_slug="kent", requested_by=OperatorFactory().id,
                remove_after=utcnow() + timedelta(days=30), export_state="ready",
                password_sealed=tenancy().secret_box().seal("not-a-real-password"),
            )  # fmt: skip


def _decommissioning(app: Any, path: str) -> str:
    _paused_kent(app, decommissioning=True)
    return path


CONSOLE_PAGES: dict[str, tuple[Callable[[Any], str], Then]] = {
    "overview": (lambda app: "/console/", None),
    "applications": (lambda app: (_application(app), "/console/applications")[1], None),
    "application-waiting": (lambda app: f"/console/applications/{_application(app)}", None),
    "application-with-logo": (
        lambda app: f"/console/applications/{_application(app, **WITH_LOGO)}", None
    ),
    "application-failed": (
        lambda app: "/console/applications/"
        + _application(app, status="approved", provisioning_state="failed",
                       provisioning_error="OperationalError", provisioning_attempts=1),
        None,
    ),
    "application-rejected": (
        lambda app: "/console/applications/"
        + _application(app, status="rejected", rejection_reason="Not a police force."),
        None,
    ),
    "reject": (lambda app: f"/console/applications/{_application(app)}/reject", None),
    "reject-errors": (
        lambda app: f"/console/applications/{_application(app)}/reject", submit_empty
    ),
    "forces": (lambda app: "/console/forces", None),
    "suspend": (lambda app: "/console/forces/kent/suspend", None),
    "migrate-all": (lambda app: "/console/forces/migrations", None),
    "decommission": (
        lambda app: (_paused_kent(app), "/console/forces/kent/decommission")[1], None
    ),
    "decommission-errors": (
        lambda app: (_paused_kent(app), "/console/forces/kent/decommission")[1], submit_empty
    ),
    "forces-decommissioning": (lambda app: _decommissioning(app, "/console/forces"), None),
    "export-password": (
        lambda app: _decommissioning(app, "/console/forces/kent/decommission/password"), None
    ),
    "stop-decommissioning": (
        lambda app: _decommissioning(app, "/console/forces/kent/decommission/cancel"), None
    ),
    "jobs": (lambda app: "/console/jobs", None),
    "audit": (lambda app: "/console/audit", None),
}  # fmt: skip


def _reject_empty(page: Page) -> None:
    page.fill("#reason", "")
    with page.expect_navigation(wait_until="load"):
        page.locator("main form [type=submit]").first.click()
    assert page.locator(".govuk-error-summary").count() == 1


@pytest.mark.parametrize("name", CONSOLE_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_console_page_is_accessible(
    app: Any, page: Page, page_errors: PageErrors, live_server: LiveServer, language: str, name: str
) -> None:
    as_browser_operator(app, page, live_server)
    path, then = CONSOLE_PAGES[name]

    response = page.goto(live_server.url(None, path(app)), wait_until="load")
    assert response is not None and response.status == 200, page.url
    in_language(page, language)
    if then is not None:
        _reject_empty(page) if name == "reject-errors" else then(page)

    assert page.locator("main#main-content h1").count() == 1
    assert_accessible(page)
    assert_clean(page, page_errors)


# --- the operator's real sign-in ----------------------------------------------------------------


@pytest.fixture(scope="module")
def operator_provider(live_server: LiveServer) -> Iterator[RunningProvider]:
    """The operators' issuer with the live server's addresses (port included) registered."""
    issuer = demo_operator_issuer(
        live_server.url(None, "/console/auth/callback"),
        live_server.url(None, "/console/signed-out"),
    )
    with run_in_thread("127.0.0.1", 0, [issuer]) as provider:
        yield provider


@pytest.fixture
def central_on_browser_provider(app: Any, operator_provider: RunningProvider) -> Iterator[Any]:
    operators.configure_idp(
        app, operator_provider.issuer("central"), demo_client_id("central"),
        demo_client_secret("central"),
    )  # fmt: skip
    yield operator_provider
    operators.configure_from_settings(app)


def test_an_operator_signs_in_and_out_through_the_provider(
    app: Any,
    page: Page,
    page_errors: PageErrors,
    live_server: LiveServer,
    central_on_browser_provider: RunningProvider,
) -> None:
    result = app.test_cli_runner().invoke(
        args=["operators", "create", "operator@trackmycrime.example"]
    )
    assert result.exit_code == 0, result.output
    provider = central_on_browser_provider
    page.goto(live_server.url(None, "/console/forces"), wait_until="load")
    assert page.url == live_server.url(None, "/console/sign-in")

    with page.expect_navigation(url=re.compile(re.escape(provider.issuer("central")))):
        page.get_by_role("button", name="Continue to sign in").click()
    page.fill("#username", "operator")
    page.fill("#password", demo_password("central", "operator"))
    with page.expect_navigation(url=live_server.url(None, "/console/forces")):
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Forces"
    assert_accessible(page)

    with page.expect_navigation(url=live_server.url(None, "/console/signed-out")):
        page.get_by_role("button", name="Sign out").click()
    page.goto(live_server.url(None, "/console/"), wait_until="load")
    assert page.url == live_server.url(None, "/console/sign-in")
    assert not page_errors.messages, "\n".join(page_errors.messages)


def test_the_web_address_is_checked_as_it_is_typed(
    app: Any, page: Page, page_errors: PageErrors, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    as_applicant(app, page, live_server, **DRAFT, slug=None)
    page.goto(live_server.url(None, "/apply/web-address"), wait_until="load")
    shown = page.locator("#slug-availability")

    page.locator("#slug").press_sequentially("kent")
    expect(shown).to_contain_text("already taken")
    page.fill("#slug", "north-yorkshire")
    expect(shown).to_contain_text("north-yorkshire.localhost is available")
    page.fill("#slug", "k\u0435nt")
    expect(shown).to_contain_text("must only include lower-case letters a to z")
    assert_clean(page, page_errors)
