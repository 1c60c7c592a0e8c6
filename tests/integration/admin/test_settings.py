"""Force settings: each page saves what it should, refuses what it should with a GOV.UK
message, audits old and new values (secrets masked) in the force trail and the changed
fields in the platform trail, and every change reaches another web process within the
registry's refresh time."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select, text

from app import create_app
from app.admin.blueprint import AdminPlatformTag, AdminTag
from app.admin.force_settings import MASK, REFERENCE_LIMIT, reference_pattern_problem
from app.models import OffenceCategory
from tenants.binding import db
from tests.integration.admin.support import (
    as_admin,
    audit_rows,
    get,
    in_force,
    post,
    submit,
    tables_holding,
)
from tests.support.officers import as_officer, host

BRANDING = {"name": "Test Kent Police", "name_cy": "", "colour": "#6b1d5c"}


def platform_rows(admin_engine, tag: str) -> list:
    with admin_engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT actor_type, force_slug, detail FROM public.platform_audit_event "
                "WHERE tag = :t"
            ),
            {"t": tag},
        ).all()


def brand_colour(html: str) -> str:
    found = re.search(r"--tmc-brand:(#[0-9a-f]{6})", html)
    assert found, "no brand colour on the page"
    return found.group(1)


# --- branding -----------------------------------------------------------------------------


def test_a_new_colour_and_name_show_on_the_victim_site(app, client, admin_engine):
    as_admin(app, client)
    submit(
        client,
        "/admin/settings/branding",
        {**BRANDING, "colour": "#0B0C0C", "name": "Kent Police Test"},
    )
    visitor = app.test_client()
    page = visitor.get("/", headers=host("kent")).text
    assert brand_colour(page) == "#0b0c0c"
    assert "Kent Police Test" in page
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.purpose == "branding"
    assert row.detail["changes"] == {
        "colour": {"old": "#6b1d5c", "new": "#0b0c0c"},
        "name": {"old": "Test Kent Police", "new": "Kent Police Test"},
    }
    [platform] = platform_rows(admin_engine, AdminPlatformTag.FORCE_SETTINGS_CHANGED.value)
    assert platform.force_slug == "kent" and platform.actor_type == "officer"
    assert platform.detail == {"fields": ["branding.colour", "name", "settings.name_cy"]}


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("#ffdd00", "White text on #ffdd00 has a contrast of"),
        ("#777777", "choose a darker colour"),
        ("red", "Enter a hex colour like #1d70b8"),
        ("#12345g", "Enter a hex colour like #1d70b8"),
        ("", "Enter the brand colour"),
    ],
)
def test_a_colour_white_text_cannot_be_read_on_is_refused(app, client, colour, message):
    as_admin(app, client)
    response = post(client, "/admin/settings/branding", {**BRANDING, "colour": colour})
    assert response.status_code == 200 and message in response.text
    assert audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value) == []


def test_saving_the_same_values_changes_and_records_nothing(app, client, admin_engine):
    as_admin(app, client)
    submit(client, "/admin/settings/branding", BRANDING)
    assert audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value) == []
    assert platform_rows(admin_engine, AdminPlatformTag.FORCE_SETTINGS_CHANGED.value) == []


# --- another web process ------------------------------------------------------------------


@pytest.fixture
def other_process(app, settings) -> Iterator[Flask]:
    """A second app, as another gunicorn worker would hold: its own registry cache."""
    second = create_app(settings)
    yield second
    with second.app_context():
        db.engine.dispose()


def test_a_change_reaches_another_web_process_within_the_registry_ttl(
    app, client, other_process, settings
):
    elsewhere = other_process.test_client()
    assert brand_colour(elsewhere.get("/", headers=host("kent")).text) == "#6b1d5c"  # cached
    as_admin(app, client)
    submit(client, "/admin/settings/branding", {**BRANDING, "colour": "#003078"})
    changed_at = time.monotonic()
    while brand_colour(elsewhere.get("/", headers=host("kent")).text) != "#003078":
        assert time.monotonic() - changed_at < settings.registry_ttl_seconds + 2, "never arrived"
        time.sleep(0.05)
    assert time.monotonic() - changed_at <= settings.registry_ttl_seconds + 0.5


# --- contact details and Welsh ------------------------------------------------------------

CONTACT = {
    "phone": "01632 960 555", "email": "help@kent.example", "address": "1 High Street",
    "address_cy": "1 Stryd Fawr",
    "link_1_text": "Accessibility", "link_1_text_cy": "Hygyrchedd",
    "link_1_url": "https://kent.example/accessibility",
    "link_2_text": "", "link_2_text_cy": "", "link_2_url": "",
    "link_3_text": "", "link_3_text_cy": "", "link_3_url": "",
}  # fmt: skip


def test_contact_details_show_in_every_pages_footer(app, client):
    as_admin(app, client)
    submit(client, "/admin/settings/contact", CONTACT)
    footer = app.test_client().get("/", headers=host("kent")).text
    assert "01632 960 555" in footer and "mailto:help@kent.example" in footer
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.detail["changes"]["footer_links"]["new"] == [
        {
            "text": "Accessibility",
            "text_cy": "Hygyrchedd",
            "url": "https://kent.example/accessibility",
        }
    ]
    assert "01632 960 555" in get(client, "/admin/settings").text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "help@kent.example?subject=x", "Enter an email address like name@example.com"),
        ("phone", "call us", "Enter a phone number, like 01632 960 000"),
        ("link_1_url", "javascript:alert(1)", "Enter a web address starting with https://"),
        ("link_1_url", "http://kent.example/", "Enter a web address starting with https://"),
        ("link_1_text", "", "Enter both the text and the web address of the link"),
        ("address", "A" * 201, "The address must be 200 characters or fewer"),
    ],
)
def test_contact_details_are_checked(app, client, field, value, message):
    as_admin(app, client)
    response = post(client, "/admin/settings/contact", {**CONTACT, field: value})
    assert response.status_code == 200 and message in response.text
    assert audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value) == []


def test_welsh_can_be_switched_on(app, client):
    visitor = app.test_client()
    assert "Cymraeg" not in visitor.get("/", headers=host("kent")).text
    as_admin(app, client)
    submit(client, "/admin/settings/language", {"welsh": "yes"})
    assert "Cymraeg" in visitor.get("/", headers=host("kent")).text
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.detail["changes"] == {"welsh_enabled": {"old": False, "new": True}}


# --- crime references, invites, offence categories ----------------------------------------


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("(a+)+", "unsafe"),
        ("(a|aa)*b", "unsafe"),
        ("([A-Z]*)*", "unsafe"),
        ("(?:\\d+)+/\\d{2}", "unsafe"),
        ("(a)\\1", "unsafe"),
        ("(?=A)[A-Z]{2}", "unsafe"),
        ("\\d*\\d*\\d*\\d*\\d*", "unsafe"),  # 40^5 ways to split a run of digits
        ("[A-Z", "invalid"),
        ("A" * 101, "length"),
        ("[0-9]{2}/[0-9]{3}", "example"),
    ],
)
def test_crime_reference_patterns_that_could_hang_a_worker_are_refused(pattern, problem):
    assert reference_pattern_problem(pattern, "46/12345/26") == problem


@pytest.mark.parametrize(
    "pattern",
    [r"[A-Z0-9]{1,6}/[0-9]{1,10}/[0-9]{2}", r"[0-9]{2}/[0-9]+/[0-9]{2}", r"(46|47)/\d{1,8}/\d{2}"],
)
def test_ordinary_patterns_are_accepted_and_match_fast(pattern):
    assert reference_pattern_problem(pattern, "46/12345/26") is None
    hostile = ["4" * REFERENCE_LIMIT, "46/" + "1" * (REFERENCE_LIMIT - 4) + "!", "A/" * 20]
    started = time.perf_counter()
    for text_ in hostile:
        re.fullmatch(pattern, text_)
    assert time.perf_counter() - started < 0.05


def test_the_crime_reference_format_reaches_the_officers_form(app, client):
    as_admin(app, client)
    response = post(
        client,
        "/admin/settings/casework",
        {"pattern": "(a+)+", "example": "aaa", "invite_days": "14"},
    )
    assert "could take too long to check" in response.text
    submit(
        client,
        "/admin/settings/casework",
        {"pattern": r"KT-[0-9]{6}", "example": "KT-123456", "invite_days": "7"},
    )
    officer = app.test_client()
    as_officer(app, officer, "kent")
    form = officer.get("/officer/cases/new", headers=host("kent")).text
    assert "KT-123456" in form
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.detail["changes"]["invite_days"] == {"old": 14, "new": 7}


@pytest.mark.parametrize("days", ["0", "61", "seven", ""])
def test_invite_expiry_is_1_to_60_days(app, client, days):
    as_admin(app, client)
    response = post(
        client,
        "/admin/settings/casework",
        {"pattern": r"[0-9]{2}/[0-9]+/[0-9]{2}", "example": "46/1/26", "invite_days": days},
    )
    assert response.status_code == 200
    assert "Enter" in " ".join(re.findall(r'govuk-error-message">(.*?)</p>', response.text, re.S))


def test_offence_categories_offered_and_their_contact_defaults(app, client):
    as_admin(app, client)
    categories = in_force(app, select(OffenceCategory))
    offered = [c.key for c in categories if c.key != "vehicle_offences"]
    automatic = ["burglary", "theft"]
    submit(client, "/admin/settings/offences", {"offered": offered, "automatic": automatic})
    stored = {c.key: c for c in in_force(app, select(OffenceCategory))}
    assert not stored["vehicle_offences"].offered
    assert [k for k, c in stored.items() if c.automatic_contact_default] == sorted(
        automatic, key=lambda k: list(stored).index(k)
    )
    officer = app.test_client()
    as_officer(app, officer, "kent")
    form = officer.get("/officer/cases/new", headers=host("kent")).text
    assert "vehicle_offences" not in form and "burglary" in form
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.detail["changes"]["vehicle_offences"] == {
        "offered": {"old": True, "new": False},
        "automatic_contact": {"old": True, "new": False},
    }
    response = post(client, "/admin/settings/offences", {"offered": [], "automatic": []})
    assert "Offer at least one offence category" in response.text
    response = post(client, "/admin/settings/offences", {"offered": ["made_up"]})
    assert "Select offence categories from the list" in response.text


# --- notifications: secrets sealed, never shown, masked in the trail ----------------------

RELAY = "smtps://relay-user:Sup3r-Secret-Relay@mail.kent.example:465"
NOTIFY_KEY = "kentlive-1234abcd-Secret-Notify-Key"
NOTIFICATIONS = {
    "sender_name": "Kent Police Victim Care", "sender_name_cy": "", "provider": "smtp",
    "mail_from": "", "smtp_url": RELAY, "notify_api_key": NOTIFY_KEY,
    "email_template_en": "", "email_template_cy": "", "sms_template_en": "tmpl-sms-en",
    "sms_template_cy": "", "reply_to_id": "", "sms_sender_id": "",
}  # fmt: skip


def test_notification_secrets_are_sealed_never_shown_and_masked(app, client, admin_engine):
    as_admin(app, client)
    submit(client, "/admin/settings/notifications", NOTIFICATIONS)
    for secret in ("Sup3r-Secret-Relay", "Secret-Notify-Key"):
        assert tables_holding(admin_engine, secret) == []
        assert secret not in get(client, "/admin/settings/notifications").text
        assert secret not in get(client, "/admin/settings").text
    stored = app.extensions["tenancy"]
    with app.app_context():
        stored.registry.invalidate()
        config = stored.registry.by_slug("kent").settings["notifications"]
        assert stored.secret_box().open(config["smtp_url_sealed"]) == RELAY
        assert stored.secret_box().open(config["notify_api_key_sealed"]) == NOTIFY_KEY
        assert config["sender_name"] == "Kent Police Victim Care"
        assert config["notify_sms_template_ids"] == {"en": "tmpl-sms-en"}
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.detail["changes"]["smtp_url_sealed"] == {"old": None, "new": MASK}
    assert "Secret" not in str(row.detail)


def test_a_blank_secret_keeps_the_stored_one_and_forget_removes_it(app, client):
    as_admin(app, client)
    submit(client, "/admin/settings/notifications", NOTIFICATIONS)
    submit(
        client,
        "/admin/settings/notifications",
        {**NOTIFICATIONS, "smtp_url": "", "notify_api_key": "", "forget": ["notify_api_key"]},
    )
    with app.app_context():
        tenancy = app.extensions["tenancy"]
        tenancy.registry.invalidate()
        config = tenancy.registry.by_slug("kent").settings["notifications"]
    assert "smtp_url_sealed" in config and "notify_api_key_sealed" not in config
    page = get(client, "/admin/settings/notifications").text
    assert "A relay is stored." in page and "A key is stored." not in page


def test_a_relay_address_must_be_smtp(app, client):
    as_admin(app, client)
    response = post(
        client, "/admin/settings/notifications", {**NOTIFICATIONS, "smtp_url": "http://x"}
    )
    assert "Enter a relay address starting with smtp:// or smtps://" in response.text


# --- officer sign-in ----------------------------------------------------------------------


def idp_form(idp, **changes):
    return {
        "issuer": idp.issuer("kent"), "client_id": "", "client_secret": "",
        "role_claim": "roles", "officer_values": "tmc-officer",
        "supervisor_values": "tmc-supervisor", "admin_values": "tmc-admin, kent-admins",
        **changes,
    }  # fmt: skip


def test_test_connection_uses_the_same_checks_as_the_cli(app, client, idp):
    as_admin(app, client)
    current = get(client, "/admin/settings/sign-in").text
    client_id = re.search(r'name="client_id"[^>]*value="([^"]+)"', current).group(1)
    ok = post(
        client, "/admin/settings/sign-in", {**idp_form(idp, client_id=client_id), "test": "1"}
    )
    assert ok.status_code == 200 and "Connection works" in ok.text
    wrong = idp.issuer("kent") + "nope"
    bad = post(
        client,
        "/admin/settings/sign-in",
        {**idp_form(idp, client_id=client_id, issuer=wrong), "test": "1"},
    )
    assert "The provider did not answer as expected" in bad.text
    results = [r.detail["result"] for r in audit_rows(app, tag=AdminTag.IDP_TESTED.value)]
    assert results == ["ok", "failed"]


def test_saving_the_role_mapping_keeps_the_sealed_secret(app, client, idp, admin_engine):
    with app.app_context():
        before = app.extensions["tenancy"].registry.by_slug("kent").idp
    as_admin(app, client)
    form = idp_form(idp, client_id=before["client_id"])
    submit(client, "/admin/settings/sign-in", form)
    with app.app_context():
        app.extensions["tenancy"].registry.invalidate()
        after = app.extensions["tenancy"].registry.by_slug("kent").idp
    assert after["client_secret_sealed"] == before["client_secret_sealed"]
    assert after["role_values"]["admin"] == ["tmc-admin", "kent-admins"]
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.detail["changes"]["role_values"]["new"]["admin"] == ["tmc-admin", "kent-admins"]
    assert "client_secret_sealed" not in row.detail["changes"]


def test_a_new_client_secret_is_sealed_and_never_shown(app, client, idp, admin_engine):
    with app.app_context():
        before = app.extensions["tenancy"].registry.by_slug("kent").idp
    as_admin(app, client)
    secret = "New-Client-Secret-0042"
    submit(
        client,
        "/admin/settings/sign-in",
        idp_form(idp, client_id=before["client_id"], client_secret=secret),
    )
    assert tables_holding(admin_engine, secret) == []
    assert secret not in get(client, "/admin/settings/sign-in").text
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.detail["changes"]["client_secret_sealed"] == {"old": MASK, "new": MASK}


def test_settings_that_would_lock_everyone_out_are_refused(app, client, idp):
    as_admin(app, client)
    response = post(
        client,
        "/admin/settings/sign-in",
        idp_form(idp, client_id="x", officer_values="", supervisor_values="", admin_values=""),
    )
    assert "map at least one claim value to a role" in response.text


def test_a_bad_token_stored_behind_our_back_does_not_block_a_save(app, client, admin_engine):
    tokens = {"colour": "#6b1d5c", "email": "x@y.example?subject=hi", "phone": "01632 960 902"}
    with admin_engine.begin() as conn:
        conn.execute(
            text("UPDATE public.tenant SET branding = CAST(:b AS json) WHERE slug = 'kent'"),
            {"b": json.dumps(tokens)},
        )
    as_admin(app, client)
    submit(client, "/admin/settings/branding", {**BRANDING, "colour": "#003078"})
    with app.app_context():
        app.extensions["tenancy"].registry.invalidate()
        branding = dict(app.extensions["tenancy"].registry.by_slug("kent").branding)
    assert branding == {"colour": "#003078", "phone": "01632 960 902"}
