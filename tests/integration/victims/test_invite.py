"""Accepting an invite: the questions, the tries, dead links, the account it makes."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta

import pytest

from app.logs import JsonFormatter
from app.models import Invite
from tests.integration.victims.conftest import (
    accept,
    audit_tags,
    dob,
    make_invited,
    outbox,
    post_form,
    rows,
    victim_row,
)
from tests.support.victims import PASSWORD, host

WRONG = {"crime_reference": "46/99999/26", "date_of_birth": dob()}


def invite_row(invited):
    return rows(invited.slug, Invite, Invite.id == invited.invite.id)[0]


def test_five_wrong_answers_lock_the_invite_and_tell_the_officer(client, invited):
    for tries_left in (4, 3, 2, 1):
        page = post_form(client, invited.link, invited.headers, WRONG)
        assert page.status_code == 200
        assert "does not match our records" in page.text
        assert (f"{tries_left} more tries" if tries_left > 1 else "1 more try") in page.text
        assert outbox("kent") == []
    locked = post_form(client, invited.link, invited.headers, WRONG)
    assert "This link has been locked" in locked.text
    assert invite_row(invited).locked_at is not None
    (notice,) = outbox("kent")
    assert notice.recipient_kind == "officer" and notice.recipient_id == invited.officer.id
    assert notice.case_id == invited.case.id
    assert "invite:locked" in audit_tags("kent")
    # Locked for good: even the right answers now get the locked page.
    again = client.get(invited.link, headers=invited.headers)
    assert "This link has been locked" in again.text and "<form" not in again.text


def test_the_right_answers_are_accepted_in_any_spacing_and_case(client, invited):
    answered = post_form(
        client,
        invited.link,
        invited.headers,
        {"crime_reference": " 46/12345/26 ".lower(), "date_of_birth": dob("27", "03", "1985")},
    )
    assert answered.headers["Location"] == "/create-account"


@pytest.mark.parametrize(
    ("change", "heading"),
    [
        ({"used_at": datetime.now(UTC)}, "This link has already been used"),
        ({"revoked_at": datetime.now(UTC)}, "This link no longer works"),
        ({"expires_at": datetime.now(UTC) - timedelta(minutes=1)}, "This link has expired"),
        ({"locked_at": datetime.now(UTC)}, "This link has been locked"),
    ],
    ids=["used", "revoked", "expired", "locked"],
)
def test_a_dead_link_says_so_and_nothing_about_the_case(app, client, change, heading):
    with app.app_context():
        invited = make_invited(**change)
    page = client.get(invited.link, headers=invited.headers)
    assert page.status_code == 200 and heading in page.text
    for secret in ("46/12345/26", invited.victim.name, "Sam Jones", "Burglary", "victim@"):
        assert secret not in page.text
    posted = client.post(invited.link, headers=invited.headers, data=WRONG)
    assert posted.status_code in (200, 400)
    assert invite_row(invited).failed_attempts == 0


def test_an_unknown_link_and_another_forces_link_answer_alike(client, invited):
    theirs = client.get(invited.link, headers=host("dyfed-powys"))
    nobody = client.get("/invite/" + "x" * 43, headers=host("dyfed-powys"))
    assert theirs.status_code == nobody.status_code == 404
    assert "This link does not work" in theirs.text
    assert len(theirs.text) == len(nobody.text)  # only the nonce differs, same length


def test_a_date_that_does_not_exist_is_a_clear_error_and_not_a_wrong_answer(client, invited):
    page = post_form(
        client,
        invited.link,
        invited.headers,
        {"crime_reference": "46/12345/26", "date_of_birth": dob("31", "2", "1985")},
    )
    assert page.status_code == 200 and "Date of birth must be a real date" in page.text
    assert 'href="#date_of_birth-day"' in page.text
    assert invite_row(invited).failed_attempts == 0


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"crime_reference": "", "date_of_birth": dob()}, "Enter your crime reference number"),
        ({"crime_reference": "46/12345/26"}, "Enter your date of birth"),
        ({"crime_reference": "46/12345/26", "date_of_birth": ["27", "3"]}, "must include a year"),
        (
            {"crime_reference": "46/12345/26", "date_of_birth": dob("a", "b", "c")},
            "must be a real date",
        ),
        ({"crime_reference": "x" * 100_000, "date_of_birth": dob()}, "40 characters or fewer"),
        (
            {"crime_reference": "46/12345/26\x00", "date_of_birth": dob()},
            "Remove the special characters",
        ),
        (
            {"crime_reference": "46/12345/26", "date_of_birth": dob("27", "3", "2999")},
            "must be in the past",
        ),
    ],
    ids=["no-reference", "no-date", "two-parts", "letters", "huge", "nul", "future"],
)
def test_bad_answers_get_clear_messages_and_count_nothing(client, invited, posted, message):
    page = post_form(client, invited.link, invited.headers, posted)
    assert page.status_code == 200 and message in page.text
    assert invite_row(invited).failed_attempts == 0


def test_the_account_page_needs_the_questions_answered_first(client, invited):
    page = client.get("/create-account", headers=invited.headers)
    assert "Start again from your link" in page.text and "<form" not in page.text


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "10 characters or more"),
        ("password123", "password123", "too easy to guess"),
        ("P@ssw0rd2024!", "P@ssw0rd2024!", "too easy to guess"),
        ("qwertyuiop", "qwertyuiop", "too easy to guess"),
        (PASSWORD, PASSWORD + "x", "The passwords do not match"),
    ],
    ids=["short", "common", "dressed-up", "keyboard", "mismatch"],
)
def test_weak_passwords_are_refused(client, invited, password, confirm, message):
    answered = post_form(
        client,
        invited.link,
        invited.headers,
        {"crime_reference": "46/12345/26", "date_of_birth": dob()},
    )
    assert answered.status_code == 302
    page = post_form(
        client,
        "/create-account",
        invited.headers,
        {"email": "me@example.com", "password": password, "confirm": confirm},
    )
    assert page.status_code == 200 and message in page.text
    assert victim_row("kent", invited.victim.id).password_hash is None


def test_an_address_another_account_uses_is_refused(app, client, invited):
    with app.app_context():
        other = make_invited(reference="46/22222/26")
    accept(client, other, email="taken@example.com")
    page = accept(app.test_client(), invited, email="taken@example.com")
    assert page.status_code == 200 and "cannot be used" in page.text
    assert victim_row("kent", invited.victim.id).password_hash is None


def test_the_link_works_once(app, client, invited):
    assert accept(client, invited).status_code == 302
    assert invite_row(invited).used_at is not None
    page = app.test_client().get(invited.link, headers=invited.headers)
    assert "This link has already been used" in page.text


def test_a_check_passed_on_one_force_does_not_carry_to_another(client, invited):
    answered = post_form(
        client,
        invited.link,
        invited.headers,
        {"crime_reference": "46/12345/26", "date_of_birth": dob()},
    )
    assert answered.status_code == 302
    elsewhere = client.get("/create-account", headers=host("dyfed-powys"))
    assert "Start again from your link" in elsewhere.text


def test_the_token_never_reaches_the_logs(client, invited):
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("app")
    # Other tests' apps may have set another level on the shared logger: INFO here.
    level, disabled = logger.level, logger.disabled
    logger.setLevel(logging.INFO)
    logger.disabled = False
    logger.addHandler(handler)
    try:
        client.get(invited.link, headers=invited.headers)
        post_form(client, invited.link, invited.headers, WRONG)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.disabled = disabled
    logged = buffer.getvalue()
    assert '"route": "/invite/<token>"' in logged
    assert invited.token not in logged
