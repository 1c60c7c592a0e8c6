"""Hostile and mistaken input on the officer forms: new case, add a person, post an
update, reply. Each bad submission is shown again (200) with a GOV.UK error summary
saying what to fix, what was typed comes back escaped, and nothing is written: no case,
person, event, duty, message, invite, outbox row or change in the audit trail. A case
or message that is not the officer's (another force's, another case's) is the 404 of a
missing id, and also writes nothing.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from app.models import (
    Case,
    CaseEvent,
    CaseVictim,
    Duty,
    Invite,
    Message,
    OutboxMessage,
    Victim,
)
from tests.factories import CaseFactory, CaseVictimFactory, MessageFactory, VictimFactory
from tests.integration.officers.support import (
    audit,
    counts,
    error_summary,
    london_today,
    page_token,
)
from tests.support.officers import as_officer, host

TABLES = (Case, CaseVictim, Victim, CaseEvent, Duty, Message, Invite, OutboxMessage)
CHANGES = {"case:created", "victim:added", "event:posted", "event:published", "message:sent"}
LONG = "x" * 10_000
SCRIPT = "<script>alert('pwned')</script>"
TODAY = london_today()
TOMORROW = TODAY + timedelta(days=1)


def day(value: Any) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


@dataclass(frozen=True)
class Objects:
    case: Any  # Kent, the officer's
    closed: Any  # Kent, the officer's, closed
    message: Any  # a victim's message on case
    elsewhere: Any  # a Dyfed-Powys case
    other_message: Any  # a victim's message on another Kent case of the officer's


@dataclass(frozen=True)
class Attempt:
    """One bad submission: where, what, and the errors (or status) it must get."""

    id: str
    path: Any  # Objects -> str
    data: dict[str, Any]
    errors: set[str] = field(default_factory=set)
    status: int = 200
    echoed: str | None = None  # typed text that must come back escaped, never raw


def new_case(**data: Any) -> dict[str, Any]:
    return {
        "crime_reference": "46/555/26",
        "offence_category": "burglary",
        "reported_on": day(TODAY),
        "team": "",
        **data,
    }


def person(**data: Any) -> dict[str, Any]:
    return {
        "name": "Sam Jones",
        "date_of_birth": ["27", "3", "1985"],
        "email": "sam.jones@example.com",
        "mobile": "",
        "contact_channel": "email",
        "preferred_language": "en",
        "role": "victim",
        "safe_from": "",
        "safe_until": "",
        **data,
    }


def update(**data: Any) -> dict[str, Any]:
    return {
        "event_type": "arrested",
        "occurred_on": day(TODAY),
        "victim_text": "A suspect has been arrested.",
        "victim_text_cy": "",
        "details": "",
        "internal_note": "",
        "publish": "Post and tell the victim",
        **data,
    }


NEW = "/officer/cases/new"


def people(o: Objects) -> str:
    return f"/officer/cases/{o.case.id}/people/new"


def updates(o: Objects) -> str:
    return f"/officer/cases/{o.case.id}/updates/new"


def reply(o: Objects) -> str:
    return f"/officer/cases/{o.case.id}/messages/{o.message.id}/reply"


ATTEMPTS = [
    # --- a new case -------------------------------------------------------------------------
    Attempt("case-empty", lambda o: NEW, {"crime_reference": "", "reported_on": ["", "", ""]},
            {"Enter the crime reference number", "Select the offence category",
             "Enter the date the crime was reported"}),
    Attempt("case-only-spaces", lambda o: NEW, new_case(crime_reference="   "),
            {"Enter the crime reference number"}),
    Attempt("case-10000-chars", lambda o: NEW, new_case(crime_reference=LONG, team=LONG),
            {"Crime reference number must be 40 characters or fewer",
             "Team must be 60 characters or fewer"}),
    Attempt("case-letters-in-date", lambda o: NEW, new_case(reported_on=["1st", "May", "twenty"]),
            {"Date reported must be a real date"}),
    Attempt("case-31-february", lambda o: NEW, new_case(reported_on=["31", "2", "2025"]),
            {"Date reported must be a real date"}),
    Attempt("case-future-date", lambda o: NEW, new_case(reported_on=day(TOMORROW)),
            {"The date must be today or in the past"}),
    Attempt("case-two-digit-year", lambda o: NEW, new_case(reported_on=["1", "2", "26"]),
            {"Date reported must be a real date"}),
    Attempt("case-year-typo", lambda o: NEW, new_case(reported_on=["1", "2", "0026"]),
            {"Enter a year after 1900, like 2026"}),
    Attempt("case-reference-format", lambda o: NEW, new_case(crime_reference="ABC-123"),
            {"Enter the crime reference in the force's format, like 46/12345/26"}),
    Attempt("case-script", lambda o: NEW, new_case(crime_reference=SCRIPT[:40]),
            {"Enter the crime reference in the force's format, like 46/12345/26"},
            echoed=SCRIPT[:40]),
    Attempt("case-duplicate-reference", lambda o: NEW, new_case(crime_reference="46/100/26"),
            {"A case with this crime reference already exists"}),
    Attempt("case-unknown-category", lambda o: NEW, new_case(offence_category="piracy"),
            {"Select the offence category"}),
    Attempt("case-unknown-enhanced-reason", lambda o: NEW,
            new_case(enhanced_reasons=["hate_crime", "vip"]),
            {"Select the reasons for enhanced rights from the list"}),
    # --- a person on the case --------------------------------------------------------------
    Attempt("person-empty", people, {"name": "", "date_of_birth": ["", "", ""]},
            {"Enter the person's full name", "Enter the date of birth", "Select a language",
             "Select how we may contact them", "Select their role on the case"}),
    Attempt("person-10000-chars", people, person(name=LONG, email=LONG + "@example.com"),
            {"Full name must be 120 characters or fewer",
             "Email address must be 254 characters or fewer"}),
    Attempt("person-letters-in-date", people, person(date_of_birth=["a", "b", "c"]),
            {"Date of birth must be a real date"}),
    Attempt("person-bad-email", people, person(email="sam at example"),
            {"Enter an email address like name@example.com"}),
    Attempt("person-email-without-address", people, person(email="  "),
            {"Enter an email address, or choose another way to contact them"}),
    Attempt("person-letters-for-mobile", people,
            person(contact_channel="sms", mobile="call me maybe"),
            {"Enter a UK mobile number, like 07700 900 982"}),
    Attempt("person-sms-without-mobile", people, person(contact_channel="sms", email=""),
            {"Enter a mobile number, or choose another way to contact them"}),
    Attempt("person-bad-times", people, person(safe_from="25:99", safe_until="noon"),
            {"Enter a time on the 24-hour clock, like 09:00",
             "Enter a time on the 24-hour clock, like 17:30"}),
    Attempt("person-unknown-choices", people,
            person(role="boss", contact_channel="pigeon", preferred_language="fr"),
            {"Select their role on the case", "Select how we may contact them",
             "Select a language"}),
    Attempt("person-script", people, person(name=SCRIPT, email="not-an-email"),
            {"Enter an email address like name@example.com"}, echoed=SCRIPT),
    Attempt("person-on-another-forces-case",
            lambda o: f"/officer/cases/{o.elsewhere.id}/people/new", person(), status=404),
    # --- an update ---------------------------------------------------------------------------
    Attempt("update-empty", updates, {"event_type": "", "occurred_on": ["", "", ""]},
            {"Select what happened", "Enter the date it happened",
             "Enter what the victim will read"}),
    Attempt("update-10000-chars", updates,
            update(victim_text=LONG, victim_text_cy=LONG, details=LONG, internal_note=LONG),
            {"What the victim will read must be 4,000 characters or fewer",
             "The Welsh text must be 4,000 characters or fewer",
             "Details must be 2,000 characters or fewer",
             "The internal note must be 4,000 characters or fewer"}),
    Attempt("update-letters-in-date", updates, update(occurred_on=["x", "y", "z"]),
            {"The date it happened must be a real date"}),
    Attempt("update-future-date", updates, update(occurred_on=day(TOMORROW)),
            {"The date must be today or in the past"}),
    Attempt("update-unknown-event", updates, update(event_type="abducted_by_aliens"),
            {"Select what happened"}),
    Attempt("update-script", updates, update(victim_text=SCRIPT, occurred_on=["a", "b", "c"]),
            {"The date it happened must be a real date"}, echoed=SCRIPT),
    Attempt("update-on-a-closed-case", lambda o: f"/officer/cases/{o.closed.id}/updates/new",
            update(), status=404),
    Attempt("update-on-another-forces-case",
            lambda o: f"/officer/cases/{o.elsewhere.id}/updates/new", update(), status=404),
    # --- a reply -------------------------------------------------------------------------------
    Attempt("reply-empty", reply, {"body": ""}, {"Enter your reply"}),
    Attempt("reply-only-spaces", reply, {"body": " \n\t "}, {"Enter your reply"}),
    Attempt("reply-10000-chars", reply, {"body": LONG},
            {"Your reply must be 4,000 characters or fewer"}),
    Attempt("reply-to-another-cases-message",
            lambda o: f"/officer/cases/{o.case.id}/messages/{o.other_message.id}/reply",
            {"body": "Hello"}, status=404),
    Attempt("reply-on-another-forces-case",
            lambda o: f"/officer/cases/{o.elsewhere.id}/messages/{o.message.id}/reply",
            {"body": "Hello"}, status=404),
]  # fmt: skip


def make_objects(app: Any, officer: Any) -> Objects:
    with app.app_context():
        mine = {"team": officer.team, "oic_id": officer.id}
        case = CaseFactory(force="kent", **mine)
        victim = VictimFactory(force="kent")
        CaseVictimFactory(force="kent", case_id=case.id, victim_id=victim.id)
        CaseFactory(force="kent", crime_reference="46/100/26", **mine)
        other = CaseFactory(force="kent", **mine)
        return Objects(
            case=case,
            closed=CaseFactory(force="kent", status="closed", **mine),
            message=MessageFactory(force="kent", case_id=case.id, victim_id=victim.id),
            elsewhere=CaseFactory(force="dyfed-powys"),
            other_message=MessageFactory(force="kent", case_id=other.id),
        )


def changes(app: Any) -> list[str]:
    return [row.tag for row in audit(app, "kent") if row.tag in CHANGES]


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda attempt: attempt.id)
def test_a_bad_submission_is_shown_again_and_writes_nothing(app, client, attempt):
    officer = as_officer(app, client, "kent")
    objects = make_objects(app, officer)
    path = attempt.path(objects)
    token = page_token(client, "kent")
    before = {slug: counts(app, slug, *TABLES) for slug in ("kent", "dyfed-powys")}

    response = client.post(path, headers=host("kent"), data={"csrf_token": token, **attempt.data})

    assert response.status_code == attempt.status, error_summary(response.text)
    if attempt.status == 200:
        shown = {html.unescape(message) for message in error_summary(response.text)}
        assert shown == attempt.errors
        assert 'class="govuk-error-summary"' in response.text
        assert response.text.count("govuk-error-message") >= len(attempt.errors)
    if attempt.echoed:
        assert attempt.echoed not in response.text, "typed text came back unescaped"
        assert html.escape(attempt.echoed, quote=False).replace("'", "&#39;") in response.text
    assert {slug: counts(app, slug, *TABLES) for slug in before} == before
    assert changes(app) == []


def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(app, client):
    as_officer(app, client, "kent")
    before = counts(app, "kent", *TABLES)
    response = client.post(NEW, headers=host("kent"), data=new_case())
    assert response.status_code == 400
    assert counts(app, "kent", *TABLES) == before and changes(app) == []


def test_script_in_accepted_text_is_shown_as_text(app, client):
    """Text that is valid is kept as typed and always shown escaped."""
    officer = as_officer(app, client, "kent")
    objects = make_objects(app, officer)
    token = page_token(client, "kent")
    added = client.post(
        people(objects), headers=host("kent"), data={"csrf_token": token, **person(name=SCRIPT)}
    )
    assert added.status_code == 302
    page = client.get(f"/officer/cases/{objects.case.id}", headers=host("kent")).text
    assert SCRIPT not in page and "&lt;script&gt;" in page
