"""Hostile and mistaken input on every rights form: a GOV.UK message, nothing written;
markup kept as text and never run; a missing CSRF token is a 400."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.models import (
    Complaint,
    Duty,
    Feedback,
    FeedbackPrompt,
    OutboxMessage,
    PersonalStatementRequest,
    Representative,
    ReviewRequest,
    Victim,
)
from tests.factories import CaseEventFactory
from tests.integration.officers.support import error_summary
from tests.integration.rights.support import (
    Story,
    get,
    make_story,
    officer_in,
    post,
    rows,
    submitted,
    text,
)
from tests.support.victims import host

MODELS = (
    Complaint,
    Duty,
    Feedback,
    FeedbackPrompt,
    OutboxMessage,
    PersonalStatementRequest,
    Representative,
    ReviewRequest,
    Victim,
)
LONG = "x" * 5000
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def counts(app) -> dict[str, int]:
    return {model.__name__: len(rows(app, "kent", model)) for model in MODELS}


def refused(s: Story, client: Any, path: str, data: dict[str, Any], message: str) -> None:
    before = counts(s.app)
    page = post(client, path, data)
    assert page.status_code == 200, page.status_code
    assert message in " ".join(error_summary(page.text)) or message in text(page.text), message
    assert 'class="govuk-error-summary' in page.text
    assert counts(s.app) == before


@pytest.fixture
def closed(app) -> Story:
    """A case closed with no further action, the update published: every form applies."""
    s = make_story(app, status="closed", outcome="charged")
    with app.app_context():
        CaseEventFactory(force="kent", case_id=s.case.id, published_at=datetime.now(UTC))
    return s


REVIEW = [
    ({"reasons": ""}, "Enter why you want the decision reviewed"),
    ({"reasons": "   "}, "Enter why you want the decision reviewed"),
    ({"reasons": LONG}, "4000 characters or fewer"),
    ({"reasons": "why\x00not"}, "Remove the special characters"),
]
COMPLAINT = [
    ({"topic": "", "details": "x"}, "Select what your complaint is about"),
    ({"topic": "bogus", "details": "x"}, "Select what your complaint is about"),
    ({"topic": "treatment", "details": ""}, "Enter what happened"),
    ({"topic": "treatment", "details": LONG}, "4000 characters or fewer"),
    ({"topic": "treatment", "details": "x", "wanted": LONG}, "2000 characters or fewer"),
    ({"topic": "treatment", "details": "bell\x07"}, "Remove the special characters"),
]
STATEMENT = [
    ({"delivery": ""}, "Select how you would like your statement to be used"),
    ({"delivery": "shout"}, "Select how you would like your statement to be used"),
    ({"delivery": "read_myself", "contact_note": LONG}, "500 characters or fewer"),
]
FEEDBACK = [
    ({"satisfaction": "", "saved_call": "yes"}, "Select how you felt about this service"),
    ({"satisfaction": "9", "saved_call": "yes"}, "Select how you felt about this service"),
    ({"satisfaction": "5", "saved_call": "maybe"}, "Select whether this service saved you"),
    ({"satisfaction": "5", "saved_call": "yes", "improvement": LONG}, "1200 characters or fewer"),
]


@pytest.mark.parametrize(("data", "message"), REVIEW)
def test_review_form(app, data, message):
    s = make_story(app)
    refused(s, s.victim_client, f"{s.case_path}/review", data, message)


def test_late_review_needs_its_reason(app):
    s = make_story(app, told_days_ago=120)
    for late_reason, message in (
        ("", "Enter why you are asking after the deadline"),
        (LONG, "2000 characters or fewer"),
    ):
        refused(
            s,
            s.victim_client,
            f"{s.case_path}/review",
            {"reasons": "x", "late_reason": late_reason},
            message,
        )


@pytest.mark.parametrize(("data", "message"), COMPLAINT)
def test_complaint_form(closed, data, message):
    refused(closed, closed.victim_client, f"{closed.case_path}/complaint", data, message)


@pytest.mark.parametrize(("data", "message"), STATEMENT)
def test_statement_form(app, data, message):
    s = make_story(app, told_days_ago=None)
    refused(s, s.victim_client, f"{s.case_path}/personal-statement", data, message)


@pytest.mark.parametrize(("data", "message"), FEEDBACK)
def test_feedback_form(closed, data, message):
    refused(closed, closed.victim_client, f"{closed.case_path}/feedback", data, message)


def test_markup_in_requests_is_kept_as_text_and_never_run(app):
    s = make_story(app)
    submitted(post(s.victim_client, f"{s.case_path}/review", {"reasons": SCRIPT}))
    submitted(
        post(
            s.victim_client,
            f"{s.case_path}/complaint",
            {"topic": "other", "details": SCRIPT, "wanted": SCRIPT},
        )
    )
    (asked,) = rows(app, "kent", ReviewRequest)
    assert asked.reasons == SCRIPT
    client, _ = officer_in(app, "kent", "supervisor")
    (made,) = rows(app, "kent", Complaint)
    for who, path in (
        (s.victim_client, f"{s.case_path}/rights"),
        (s.officer_client, f"{s.officer_case_path}/reviews/{asked.id}"),
        (client, f"{s.officer_case_path}/complaints/{made.id}"),
    ):
        page = get(who, path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;" in page, path


def test_a_missing_csrf_token_is_a_400_and_writes_nothing(app):
    s = make_story(app)
    before = counts(app)
    for path, data in (
        (f"{s.case_path}/review", {"reasons": "x"}),
        (f"{s.case_path}/complaint", {"topic": "other", "details": "x"}),
        (f"{s.case_path}/personal-statement", {"delivery": "not_sure"}),
    ):
        assert s.victim_client.post(path, headers=host("kent"), data=data).status_code == 400
    assert counts(app) == before


# --- officer forms ---------------------------------------------------------------------------


def asked_review(s: Story) -> ReviewRequest:
    submitted(post(s.victim_client, f"{s.case_path}/review", {"reasons": "Please look again."}))
    (asked,) = rows(s.app, "kent", ReviewRequest)
    return asked


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "", "outcome_text": "x"}, "Select what was decided"),
        ({"outcome": "upheld", "outcome_text": "x"}, "Select what was decided"),
        ({"outcome": "decision_stands", "outcome_text": "  "}, "Enter what the victim will read"),
        ({"outcome": "decision_stands", "outcome_text": LONG}, "4,000 characters or fewer"),
    ],
)
def test_review_decision_form(app, data, message):
    s = make_story(app)
    asked = asked_review(s)
    refused(
        s, s.officer_client, f"{s.officer_case_path}/reviews/{asked.id}/decision", data, message
    )
    assert rows(app, "kent", ReviewRequest)[0].decided_at is None


@pytest.mark.parametrize(
    ("answer", "message"), [("", "Enter the answer"), (LONG, "4,000 characters or fewer")]
)
def test_complaint_answer_form(app, answer, message):
    s = make_story(app)
    submitted(post(s.victim_client, f"{s.case_path}/complaint", {"topic": "other", "details": "x"}))
    (made,) = rows(app, "kent", Complaint)
    client, _ = officer_in(app, "kent", "supervisor")
    path = f"{s.officer_case_path}/complaints/{made.id}/answer"
    refused(s, client, path, {"answer_text": answer}, message)


@pytest.mark.parametrize(
    ("taken_on", "message"),
    [
        (["", "", ""], "Enter the date the statement was taken"),
        (["31", "2", "2026"], "must be a real date"),
        (["1", "1", "2999"], "The date must be today or in the past"),
        (["1", "1", "0026"], "Enter a year after 1900"),
    ],
)
def test_statement_taken_form(app, taken_on, message):
    s = make_story(app, told_days_ago=None)
    submitted(post(s.victim_client, f"{s.case_path}/personal-statement", {"delivery": "not_sure"}))
    (made,) = rows(app, "kent", PersonalStatementRequest)
    path = f"{s.officer_case_path}/personal-statements/{made.id}"
    refused(s, s.officer_client, path, {"taken_on": taken_on}, message)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"role": "victim"}, "Select how they act for the victim"),
        ({"role": "bogus"}, "Select how they act for the victim"),
        ({"acting_for": "not-a-uuid"}, "Select the victim they act for"),
        ({"name": "  "}, "Enter the person's full name"),
        ({"email": "nope"}, "Enter an email address like name@example.com"),
        ({"contact_channel": "sms", "mobile": ""}, "Enter a mobile number"),
    ],
)
def test_representative_form(app, change, message):
    s = make_story(app, told_days_ago=None)
    data = {
        "acting_for": str(s.victim.id),
        "role": "parent_guardian",
        "name": "Sam Shah",
        "date_of_birth": ["2", "2", "1980"],
        "email": "sam@example.com",
        "contact_channel": "email",
        "preferred_language": "en",
        **change,
    }
    refused(s, s.officer_client, f"{s.officer_case_path}/representatives/new", data, message)
