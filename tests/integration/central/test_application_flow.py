"""A force applies: question pages one at a time, an emailed single-use link to confirm
the contact address (and to come back from another device), Check your answers, submit,
and the status page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from tenants.extension import tenancy
from tests.integration.central.conftest import NEW_NAME, NEW_SLUG
from tests.integration.central.support import (
    APPLICANT_EMAIL,
    answer,
    answers,
    count,
    newest_link,
    post_form,
    use_link,
)
from tests.support.officers import csrf_token
from tests.support.operators import CENTRAL_HOST


@pytest.fixture
def issuer(central_provider, loopback_idp_allowed) -> str:
    return central_provider.issuer(NEW_SLUG)


def _answer_all(client, issuer, slug=NEW_SLUG, name=NEW_NAME):
    for page, data in answers(slug, name, issuer, NEW_SLUG):
        response = answer(client, page, data)
        assert response.status_code == 302, (page, response.text[:3000])
        yield page, response.headers["Location"]


def _application(admin_engine):
    with admin_engine.connect() as conn:
        return conn.execute(text("SELECT * FROM public.force_application")).mappings().one()


def _tags(admin_engine):
    with admin_engine.connect() as conn:
        return [
            row.tag
            for row in conn.execute(
                text(
                    "SELECT tag FROM public.platform_audit_event WHERE tag LIKE 'application:%' "
                    "ORDER BY occurred_at"
                )
            )
        ]


def test_a_force_applies_page_by_page_confirms_its_email_and_submits(
    app, client, issuer, admin_engine
):
    start = client.get("/apply", headers=CENTRAL_HOST)
    assert 'href="/apply/force-name"' in start.text

    went = dict(_answer_all(client, issuer))

    assert went["force-name"] == "/apply/web-address"
    assert went["your-email"] == "/apply/check-your-email"
    assert went["agreement"] == "/apply/check-answers"
    with admin_engine.connect() as conn:
        mail = conn.execute(text("SELECT * FROM public.central_outbox_message")).mappings().one()
    assert (mail["kind"], mail["address"]) == ("applicant_email_confirm", APPLICANT_EMAIL)
    assert mail["link_path"].startswith("/apply/confirm/")

    check = client.get("/apply/check-answers", headers=CENTRAL_HOST)
    assert NEW_NAME in check.text and f"https://{NEW_SLUG}.localhost" in check.text
    assert "(not confirmed yet)" in check.text
    early = post_form(client, "/apply/check-answers", {})
    assert early.status_code == 200 and "Confirm your email address before you submit" in early.text
    assert _application(admin_engine)["status"] == "draft"

    confirmed = use_link(client, mail["link_path"])
    assert confirmed.headers["Location"] == "/apply/check-answers"
    submitted = post_form(client, "/apply/check-answers", {})

    assert submitted.headers["Location"] == "/apply/submitted"
    assert NEW_NAME in client.get("/apply/submitted", headers=CENTRAL_HOST).text
    assert "Waiting for review" in client.get("/apply/status", headers=CENTRAL_HOST).text
    row = _application(admin_engine)
    assert (row["status"], row["slug"], row["colour"], row["welsh_enabled"]) == (
        "submitted", NEW_SLUG, "#1d5c3a", False
    )  # fmt: skip
    assert row["email_confirmed_at"] and row["agreement_accepted_at"] and row["idp_checked_at"]
    with app.app_context():  # the client secret is kept sealed, never as typed
        assert "demo-secret" not in row["idp_client_secret_sealed"]
        assert tenancy().secret_box().open(row["idp_client_secret_sealed"]).endswith("demo-secret")
    assert _tags(admin_engine) == [
        "application:link-sent",
        "application:email-confirmed",
        "application:submitted",
    ]


def _up_to_email(client):
    answer(client, "force-name", {"force_name": NEW_NAME})
    answer(client, "web-address", {"slug": NEW_SLUG})
    answer(client, "your-name", {"contact_name": "Sam"})
    return answer(client, "your-email", {"contact_email": APPLICANT_EMAIL})


def test_a_link_works_once(app, client, admin_engine):
    _up_to_email(client)
    link = newest_link(admin_engine)
    assert use_link(client, link).status_code == 302

    again = client.get(link, headers=CENTRAL_HOST)

    assert again.status_code == 410 and "This link has already been used" in again.text
    page = client.get("/apply/return", headers=CENTRAL_HOST)  # pressed again, from a form
    late = client.post(link, headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)})
    assert late.status_code == 410
    assert count(admin_engine, "application_link", "used_at IS NOT NULL") == 1


def test_an_expired_link_says_so_and_confirms_nothing(app, client, admin_engine):
    _up_to_email(client)
    link = newest_link(admin_engine)
    with admin_engine.begin() as conn:
        conn.execute(
            text("UPDATE public.application_link SET expires_at = now() - :d"),
            {"d": timedelta(seconds=1)},
        )

    expired = client.get(link, headers=CENTRAL_HOST)

    assert expired.status_code == 410 and "This link has expired" in expired.text
    assert _application(admin_engine)["email_confirmed_at"] is None


def test_a_link_to_an_old_address_stops_working_when_the_address_changes(app, client, admin_engine):
    _up_to_email(client)
    old = newest_link(admin_engine)
    answer(client, "your-email", {"contact_email": "someone.else@police.example"})

    stale = client.get(old, headers=CENTRAL_HOST)

    assert stale.status_code == 410 and "old email address" in stale.text
    assert use_link(client, newest_link(admin_engine)).status_code == 302
    assert _application(admin_engine)["email_confirmed_at"] is not None


def test_a_made_up_link_is_not_found(client):
    made_up = client.get("/apply/confirm/" + "A" * 43, headers=CENTRAL_HOST)
    assert made_up.status_code == 404 and "This link is not valid" in made_up.text


def test_an_applicant_comes_back_on_another_device_by_emailed_link(app, client, admin_engine):
    _up_to_email(client)
    elsewhere = app.test_client()
    assert "We cannot find" in elsewhere.get("/apply/status", headers=CENTRAL_HOST).text

    sent = post_form(elsewhere, "/apply/return", {"email": APPLICANT_EMAIL.upper()})
    unknown = post_form(app.test_client(), "/apply/return", {"email": "nobody@police.example"})

    assert "If there is an application for" in sent.text
    assert "If there is an application for" in unknown.text  # the same answer either way
    assert count(admin_engine, "central_outbox_message") == 2
    back = use_link(elsewhere, newest_link(admin_engine))
    assert back.headers["Location"] == "/apply/colour"  # the first unanswered question
    page = elsewhere.get("/apply/force-name", headers=CENTRAL_HOST)
    assert f'value="{NEW_NAME}"' in page.text


def test_too_many_links_in_an_hour_are_refused(app, client, admin_engine):
    _up_to_email(client)
    for _ in range(4):
        page = client.get("/apply/check-your-email", headers=CENTRAL_HOST)
        client.post(
            "/apply/send-link-again",
            headers=CENTRAL_HOST,
            data={"csrf_token": csrf_token(page.text)},
        )
    assert count(admin_engine, "application_link") == 5
    refused = answer(client, "your-email", {"contact_email": "new.address@police.example"})

    assert refused.status_code == 200
    assert "You have asked for too many emails" in refused.text
    assert count(admin_engine, "application_link") == 5
    assert count(admin_engine, "central_outbox_message") == 5


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("kent", "That web address is already taken"),
        ("admin", "That web address is reserved"),
        ("north--yorkshire", "must not have 2 hyphens together"),
        ("ny", "must be 3 to 40 characters"),
        ("9yorkshire", "must be 3 to 40 characters"),
        ("yorkshire-", "must be 3 to 40 characters"),
        ("North-Yorkshire", None),  # plain capitals are only lower-cased
    ],
)
def test_web_address_rules(app, client, admin_engine, slug, message):
    answer(client, "force-name", {"force_name": NEW_NAME})
    response = answer(client, "web-address", {"slug": slug})
    if message is None:
        assert response.status_code == 302
        assert _application(admin_engine)["slug"] == slug.lower()
    else:
        assert response.status_code == 200 and message in response.text
        assert _application(admin_engine)["slug"] is None


def test_an_address_another_application_holds_is_taken(app, client, issuer, admin_engine):
    for _ in _answer_all(client, issuer):
        pass
    use_link(client, newest_link(admin_engine))
    post_form(client, "/apply/check-answers", {})
    rival = app.test_client()
    answer(rival, "force-name", {"force_name": "Another"})

    taken = answer(rival, "web-address", {"slug": NEW_SLUG})

    assert taken.status_code == 200 and "already taken" in taken.text


def test_two_drafts_of_one_address_only_the_first_to_submit_gets_it(
    app, client, issuer, admin_engine
):
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        for _ in _answer_all(browser, issuer):
            pass
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE public.force_application SET email_confirmed_at = now()"))

    assert post_form(first, "/apply/check-answers", {}).status_code == 302
    late = post_form(second, "/apply/check-answers", {})

    assert late.status_code == 200 and "has just been taken by another force" in late.text
    assert count(admin_engine, "force_application", "status = 'submitted'") == 1


def test_a_colour_too_light_for_white_text_shows_its_ratio(app, client):
    answer(client, "force-name", {"force_name": NEW_NAME})
    light = answer(client, "colour", {"colour": "#FFDD00"})
    assert light.status_code == 200
    assert "White text on #ffdd00 has a contrast ratio of 1.35:1" in light.text
    assert "at least 4.5:1" in light.text


def test_test_connection_says_the_provider_answered_and_stays_on_the_page(
    app, client, issuer, admin_engine
):
    answer(client, "force-name", {"force_name": NEW_NAME})
    tested = answer(
        client,
        "identity-provider",
        {"issuer": issuer, "client_id": "c", "client_secret": "s", "test": "Test connection"},
    )
    assert tested.status_code == 200
    assert f"Connection working: your identity provider answered as {issuer}" in tested.text
    assert _application(admin_engine)["idp_checked_at"] is not None


def test_a_provider_that_does_not_answer_is_a_clear_error(app, client, loopback_idp_allowed):
    answer(client, "force-name", {"force_name": NEW_NAME})
    dead = answer(
        client,
        "identity-provider",
        {"issuer": "http://127.0.0.1:9/nobody", "client_id": "c", "client_secret": "s"},
    )
    assert dead.status_code == 200
    assert "Your identity provider did not answer" in dead.text


def test_the_answers_of_one_browser_are_not_anothers(app, client):
    answer(client, "force-name", {"force_name": NEW_NAME})
    stranger = app.test_client()
    assert stranger.get("/apply/web-address", headers=CENTRAL_HOST).headers["Location"] == "/apply"
    assert NEW_NAME not in stranger.get("/apply/force-name", headers=CENTRAL_HOST).text


def test_asking_for_links_from_one_address_is_slowed_down(app, client, admin_engine):
    """Per client address: 5 a minute (on top of the per-application limit)."""
    _up_to_email(client)
    stranger = app.test_client()
    answers = [
        post_form(stranger, "/apply/return", {"email": APPLICANT_EMAIL}).status_code
        for _ in range(6)
    ]
    assert answers == [200] * 5 + [429]
    assert count(admin_engine, "application_link") == 5  # 1 from the email page, 4 asked for


@pytest.mark.parametrize(
    ("slug", "available", "message"),
    [
        ("north-yorkshire", True, "north-yorkshire.localhost is available"),
        ("kent", False, "That web address is already taken"),
        ("admin", False, "That web address is reserved"),
        ("k\u0435nt", False, "must only include lower-case letters a to z"),
        ("<script>", False, "must only include lower-case letters a to z"),
        ("", False, "must only include lower-case letters a to z"),
        ("x" * 5000, False, "Web address must be 3 to 40 characters"),
    ],
)
def test_the_live_availability_check(client, slug, available, message):
    answer = client.get(
        "/apply/web-address/availability", headers=CENTRAL_HOST, query_string={"slug": slug}
    )
    assert answer.status_code == 200 and answer.is_json
    assert answer.json["available"] is available and message in answer.json["message"]


def test_the_web_address_page_names_the_domain(app, client):
    answer(client, "force-name", {"force_name": NEW_NAME})
    page = client.get("/apply/web-address", headers=CENTRAL_HOST).text
    assert 'govuk-input__suffix" aria-hidden="true">.localhost</div>' in page
