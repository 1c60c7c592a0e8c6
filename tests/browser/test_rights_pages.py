"""Victims' rights pages in a real Chromium: WCAG 2.2 AA (axe) on every new victim and
officer page, forms with their errors too, in English (Kent, Dyfed-Powys) and in Welsh
(Dyfed-Powys); no console or CSP errors; the victim's requests made with the keyboard
only, each form found, filled and sent without a mouse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import factory
import pytest

from app.models import Complaint, Feedback, PersonalStatementRequest, ReviewRequest
from tests.browser.conftest import LiveServer, PageErrors
from tests.browser.test_officer_pages import assert_accessible, assert_clean, sign_in_by_cookie
from tests.browser.test_victim_pages import check_axe, sign_in_with_keyboard
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    CaseVictimFactory,
    ComplaintFactory,
    ForceModelFactory,
    PersonalStatementRequestFactory,
    RepresentativeFactory,
    ReviewRequestFactory,
    VictimFactory,
)
from tests.integration.officers.support import DutyFactory
from tests.integration.rights.support import rows
from tests.support.victims import victim_with_account

if TYPE_CHECKING:
    from playwright.sync_api import Page

THEMES = [("kent", False), ("dyfed-powys", False), ("dyfed-powys", True)]
IDS = ["kent", "dyfed-powys", "dyfed-powys-cy"]
TEAM = "Response Team A"
REQUESTS = (ReviewRequest, Complaint, PersonalStatementRequest, Feedback)


class FeedbackFactory(ForceModelFactory):
    class Meta:
        model = Feedback

    milestone = "case_closed"
    satisfaction = 4
    saved_call = "yes"
    improvement = factory.Sequence(lambda n: f"Suggestion {n}")
    given_in = factory.LazyFunction(lambda: date.today().replace(day=1))


def told(app: Any, slug: str, case_id: Any, days_ago: int) -> None:
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    with app.app_context():
        CaseEventFactory(
            force=slug,
            case_id=case_id,
            event_type="no_further_action",
            victim_text="No further action.",
            victim_text_cy="Dim camau pellach.",
            occurred_at=moment,
            published_at=moment,
        )


def victim_cases(app: Any, slug: str) -> tuple[Any, Any, Any]:
    """A victim on two cases: one told of no further action 3 days ago, one 120."""
    with app.app_context():
        case = CaseFactory(force=slug, crime_reference=f"46/{len(slug)}1/26")
        late = CaseFactory(force=slug, crime_reference=f"46/{len(slug)}2/26")
        victim = victim_with_account(slug, case_id=case.id, email=f"rights@{slug}.example")
        CaseVictimFactory(force=slug, case_id=late.id, victim_id=victim.id)
    told(app, slug, case.id, 3)
    told(app, slug, late.id, 120)
    return victim, case, late


def press(page: Page, selector: str) -> None:
    """Focus an element and press Enter (Space for a radio): no mouse."""
    page.locator(selector).first.focus()
    page.keyboard.press("Space" if "radio" in selector else "Enter")


def send(page: Page) -> None:
    with page.expect_navigation(wait_until="load"):
        press(page, "main form[novalidate] button.govuk-button")


@pytest.mark.parametrize(("slug", "welsh"), THEMES, ids=IDS)
def test_victim_rights_pages_with_the_keyboard(
    app: Any, page: Page, page_errors: PageErrors, live_server: LiveServer, slug: str, welsh: bool
) -> None:
    victim, case, late = victim_cases(app, slug)
    sign_in_with_keyboard(page, live_server, slug, victim.email)
    if welsh:
        page.goto(live_server.url(slug, "/language/cy?next=/cases/"), wait_until="load")

    def visit(path: str) -> None:
        page.goto(live_server.url(slug, path), wait_until="load")
        assert page.locator("html").get_attribute("lang") == ("cy" if welsh else "en")
        assert page.locator(".govuk-exit-this-page").count() == 1, path
        check_axe(page)

    base = f"/cases/{case.id}"
    visit(base)
    visit(f"{base}/rights")
    visit(f"/cases/{late.id}/review")  # late: the warning and the second question

    visit(f"{base}/review")
    send(page)  # nothing typed: the error summary
    assert page.locator(".govuk-error-summary").count() == 1
    check_axe(page)
    page.locator("#reasons").focus()
    page.keyboard.type("Nobody spoke to the witness.")
    send(page)

    visit(f"{base}/complaint")
    press(page, "input[type=radio][name=topic]")
    page.locator("#details").focus()
    page.keyboard.type("Nobody called me back.")
    send(page)

    visit(f"{base}/personal-statement")
    press(page, "input[type=radio][name=delivery]")
    send(page)

    visit(f"{base}/feedback")
    send(page)
    check_axe(page)  # with errors
    press(page, "input[type=radio][name=satisfaction]")
    press(page, "input[type=radio][name=saved_call]")
    send(page)

    visit(f"{base}/rights")  # every request with where it stands
    assert page.locator(".govuk-details").count() == 2  # the review and the complaint
    made = {model.__name__: len(rows(app, slug, model)) for model in REQUESTS}
    assert made == dict.fromkeys((m.__name__ for m in REQUESTS), 1), made
    assert not page_errors.messages, "\n".join(page_errors.messages)


def officer_case(app: Any, slug: str, officer: Any) -> dict[str, Any]:
    """A case with a request of every kind, a representative and enough feedback."""
    today = date.today()
    with app.app_context():
        case = CaseFactory(
            force=slug,
            crime_reference="46/4343/26",
            oic_id=officer.id,
            team=TEAM,
            status="closed",
            outcome="no_further_action",
        )
        victim = VictimFactory(force=slug, name="Priya Shah")
        CaseVictimFactory(force=slug, case_id=case.id, victim_id=victim.id)
        ack = DutyFactory(force=slug, case_id=case.id, duty="acknowledge-review", due_on=today)
        decide = DutyFactory(
            force=slug, case_id=case.id, duty="decide-review", due_on=today + timedelta(days=40)
        )
        review = ReviewRequestFactory(
            force=slug,
            case_id=case.id,
            victim_id=victim.id,
            late=True,
            late_reason="In hospital.",
            acknowledge_duty_id=ack.id,
            decide_duty_id=decide.id,
        )
        duty = DutyFactory(
            force=slug,
            case_id=case.id,
            duty="acknowledge-complaint",
            due_on=today - timedelta(days=1),
        )
        complaint = ComplaintFactory(
            force=slug, case_id=case.id, victim_id=victim.id, acknowledge_duty_id=duty.id
        )
        duty = DutyFactory(
            force=slug,
            case_id=case.id,
            duty="take-personal-statement",
            due_on=today + timedelta(days=5),
        )
        statement = PersonalStatementRequestFactory(
            force=slug, case_id=case.id, victim_id=victim.id, duty_id=duty.id
        )
        person = VictimFactory(force=slug, name="Jo Advocate")
        CaseVictimFactory(force=slug, case_id=case.id, victim_id=person.id, role="advocate")
        RepresentativeFactory(
            force=slug, case_id=case.id, victim_id=victim.id, person_id=person.id, role="advocate"
        )
        FeedbackFactory.create_batch(6, force=slug)
    return {
        "case": case.id,
        "review": review.id,
        "complaint": complaint.id,
        "statement": statement.id,
    }


OFFICER_PAGES = [
    ("case", "/officer/cases/{case}", False),
    ("review", "/officer/cases/{case}/reviews/{review}", False),
    ("decision", "/officer/cases/{case}/reviews/{review}/decision", True),
    ("complaints", "/officer/complaints", False),
    ("complaint", "/officer/cases/{case}/complaints/{complaint}", False),
    ("answer", "/officer/cases/{case}/complaints/{complaint}/answer", True),
    ("statement", "/officer/cases/{case}/personal-statements/{statement}", True),
    ("feedback", "/officer/feedback", False),
    ("representative", "/officer/cases/{case}/representatives/new", True),
]


@pytest.mark.parametrize(
    ("slug", "welsh"), [("kent", False), ("dyfed-powys", True)], ids=["kent", "dyfed-powys-cy"]
)
def test_officer_rights_pages_are_accessible(
    app: Any, page: Page, page_errors: PageErrors, live_server: LiveServer, slug: str, welsh: bool
) -> None:
    officer = sign_in_by_cookie(app, page, live_server, slug, role="admin")
    ids = officer_case(app, slug, officer)
    if welsh:
        page.goto(live_server.url(slug, "/language/cy?next=/officer/"), wait_until="load")
    for name, path, has_form in OFFICER_PAGES:
        response = page.goto(live_server.url(slug, path.format(**ids)), wait_until="load")
        assert response is not None and response.status == 200, name
        assert page.locator("html").get_attribute("lang") == ("cy" if welsh else "en"), name
        assert page.locator("main#main-content h1").count() == 1, name
        assert_accessible(page)
        if has_form:
            with page.expect_navigation(wait_until="load"):
                page.locator("main form button.govuk-button").first.click()
            assert page.locator(".govuk-error-summary").count() == 1, name
            assert_accessible(page)
    assert_clean(page, page_errors)
