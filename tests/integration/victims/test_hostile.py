"""Hostile input on every victim form: a clear message, nothing written, nothing run."""

from __future__ import annotations

import pytest

from app.models import CaseVictim, Message, PropertyItem, Victim
from tests.factories import PropertyItemFactory
from tests.integration.victims.conftest import messages, post_form, property_items, rows
from tests.support.officers import csrf_token
from tests.support.victims import as_victim, host, victim_with_account

KENT = host("kent")
MEGABYTE = "x" * 1_000_000


@pytest.fixture
def signed_in(app, client):
    """A victim with an account on a case, signed in on Kent; (victim, case id)."""
    with app.app_context():
        victim = victim_with_account("kent")
    as_victim(app, client, "kent", victim)
    (link,) = rows("kent", CaseVictim, CaseVictim.victim_id == victim.id)
    return victim, link.case_id


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Enter your message"),
        ("   ", "Enter your message"),
        (MEGABYTE, "2,000 characters or fewer"),
        ("hello\x00there", "Remove the special characters"),
        ("bell\x07", "Remove the special characters"),
    ],
    ids=["empty", "blank", "1mb", "nul", "control"],
)
def test_bad_messages_are_refused(client, signed_in, body, message):
    _, case_id = signed_in
    page = post_form(client, f"/cases/{case_id}/messages", KENT, {"body": body})
    assert page.status_code == 200 and message in page.text
    assert 'class="govuk-error-summary' in page.text
    assert messages("kent") == []


def test_markup_in_a_message_is_kept_as_text_and_never_run(client, signed_in):
    _, case_id = signed_in
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert (
        post_form(client, f"/cases/{case_id}/messages", KENT, {"body": script}).status_code == 302
    )
    (stored,) = messages("kent")
    assert stored.body == script
    page = client.get(f"/cases/{case_id}/messages", headers=KENT).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_invalid_utf8_is_not_an_error_page(client, signed_in):
    _, case_id = signed_in
    page = client.get(f"/cases/{case_id}/messages", headers=KENT)
    raw = b"csrf_token=" + csrf_token(page.text).encode() + b"&body=%FF%FEhello%C3"
    sent = client.post(
        f"/cases/{case_id}/messages",
        headers={**KENT, "Content-Type": "application/x-www-form-urlencoded"},
        data=raw,
    )
    assert sent.status_code in (200, 302)
    assert all("\x00" not in m.body for m in messages("kent"))


def test_a_post_without_the_csrf_token_is_refused(client, signed_in):
    _, case_id = signed_in
    refused = client.post(f"/cases/{case_id}/messages", headers=KENT, data={"body": "hi"})
    assert refused.status_code == 400 and messages("kent") == []


GOOD_ITEM = {"status": "missing", "category": "bicycle", "description": "Blue bike"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": ""}, "Select whether it was stolen or damaged"),
        ({"status": "recovered"}, "Select whether it was stolen or damaged"),
        ({"category": "spaceship"}, "Select what kind of item it is"),
        ({"category": ["bicycle", "phone"]}, ""),
        ({"description": ""}, "Describe the item"),
        ({"description": MEGABYTE}, "500 characters or fewer"),
        ({"description": "bike\x00"}, "Remove the special characters"),
        ({"make": "m" * 81}, "80 characters or fewer"),
        ({"value": "lots"}, "Enter the value as an amount in pounds"),
        ({"value": "-5"}, "Enter the value as an amount in pounds"),
        ({"value": "1.234"}, "Enter the value as an amount in pounds"),
        ({"value": "NaN"}, "Enter the value as an amount in pounds"),
        ({"value": "1e9"}, "£1,000,000 or less"),
        ({"value": "99999999999999999999"}, ""),
    ],
    ids=[
        "no-status", "officers-status", "bad-category", "two-categories", "no-description",
        "1mb", "nul", "long-make", "words-for-value", "negative", "fractions-of-pence",
        "nan", "huge-value", "absurd-value",
    ],
)  # fmt: skip
def test_bad_property_is_refused(client, signed_in, changes, message):
    _, case_id = signed_in
    page = post_form(client, f"/cases/{case_id}/property/add", KENT, {**GOOD_ITEM, **changes})
    if changes.get("category") == ["bicycle", "phone"]:
        # Two values for one radio: WTForms takes the first; still a valid bicycle.
        assert page.status_code == 302
        assert [i.category for i in property_items("kent")] == ["bicycle"]
        return
    assert page.status_code == 200, page.status_code
    assert message in page.text and 'class="govuk-error-summary' in page.text
    assert property_items("kent") == []


def test_property_on_another_forces_case_or_item_is_404(app, client, signed_in):
    _, case_id = signed_in
    with app.app_context():
        elsewhere = PropertyItemFactory(force="dyfed-powys")
    page = client.get(f"/cases/{elsewhere.case_id}/property/add", headers=KENT)
    assert page.status_code == 404
    assert client.get(f"/cases/{case_id}/property/{elsewhere.id}", headers=KENT).status_code == 404
    assert rows("dyfed-powys", PropertyItem)[0].description == "Black laptop"


def test_an_item_the_police_recovered_cannot_be_changed(app, client, signed_in):
    victim, case_id = signed_in
    with app.app_context():
        item = PropertyItemFactory(
            force="kent", case_id=case_id, victim_id=victim.id, status="recovered"
        )
    page = client.get(f"/cases/{case_id}/property/{item.id}", headers=KENT)
    assert "You cannot change this item" in page.text and "Save item" not in page.text
    posted = client.post(
        f"/cases/{case_id}/property/{item.id}/remove",
        headers=KENT,
        data={"csrf_token": csrf_token(client.get("/support", headers=KENT).text)},
    )
    assert posted.status_code == 200 and len(property_items("kent")) == 1


GOOD_PLAN = {"contact_channel": "email", "cadence_days": "28"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contact_channel": "carrier-pigeon"}, "Select how we should contact you"),
        ({"contact_channel": "sms"}, "Enter a mobile number"),
        ({"contact_channel": "sms", "mobile": "12345"}, "Enter a UK mobile number"),
        ({"safe_from": "25:00", "safe_until": "17:00"}, "24-hour clock"),
        ({"safe_from": "09:00"}, "Enter both times, or neither"),
        ({"cadence_days": "1"}, "Select how often you would like an update"),
        ({"cadence_days": "<script>"}, "Select how often you would like an update"),
        ({"mobile": "07700\x00900982"}, "Remove the special characters"),
    ],
    ids=["channel", "sms-no-number", "bad-number", "bad-time", "one-time", "cadence",
         "script-cadence", "nul"],
)  # fmt: skip
def test_bad_contact_plans_are_refused(client, signed_in, changes, message):
    victim, _ = signed_in
    page = post_form(client, "/contact-preferences", KENT, {**GOOD_PLAN, **changes})
    assert page.status_code == 200 and message in page.text
    stored = rows("kent", Victim, Victim.id == victim.id)[0]
    assert (stored.contact_channel, stored.cadence_days, stored.mobile) == ("email", 28, None)


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"email": "", "password": "x"}, "Enter your email address"),
        ({"email": "not-an-email", "password": "x"}, ""),
        ({"email": "a@example.com", "password": ""}, "Enter your password"),
        ({"email": "a@example.com\x00", "password": "x"}, "Remove the special characters"),
        ({"email": MEGABYTE, "password": MEGABYTE}, "254 characters or fewer"),
    ],
    ids=["no-email", "odd-email", "no-password", "nul", "1mb"],
)
def test_bad_sign_ins_get_clear_messages(app, posted, message):
    page = post_form(app.test_client(), "/sign-in", KENT, posted)
    assert page.status_code == 200 and message in page.text


def test_a_body_over_the_limit_is_refused_whole(client, signed_in):
    _, case_id = signed_in
    page = client.get(f"/cases/{case_id}/messages", headers=KENT)
    too_big = client.post(
        f"/cases/{case_id}/messages",
        headers=KENT,
        data={"csrf_token": csrf_token(page.text), "body": "x" * 3_000_000},
    )
    assert too_big.status_code == 413 and messages("kent") == []
    assert Message  # the model the refused post would have written
