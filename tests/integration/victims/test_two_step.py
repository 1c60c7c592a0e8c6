"""Two-step sign-in: turning it on and off, signing in with a code, and what it refuses."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import text

from app.models import Victim
from tenants.names import quoted, schema_name
from tests.integration.victims.conftest import audit_tags, outbox, post_form, sign_in, victim_row
from tests.integration.victims.test_sign_in import change
from tests.support.officers import csrf_token
from tests.support.victims import PASSWORD, as_victim, host, victim_with_account

KENT = host("kent")
EMAIL = "two.step@example.com"
WRONG_CODE = "The code is not right"


def code(secret: str, ahead: int = 0) -> str:
    """The app's code for the time step ahead steps from now."""
    return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30 * ahead))


def wrong_code(secret: str) -> str:
    valid = {code(secret, ahead) for ahead in range(-2, 3)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in valid)


def start(client) -> str:
    """Press "Turn on two-step sign-in"; the set-up page's key, without its spaces."""
    page = client.get("/contact-preferences", headers=KENT)
    assert "Turn on two-step sign-in" in page.text
    started = client.post(
        "/two-step-sign-in/start", headers=KENT, data={"csrf_token": csrf_token(page.text)}
    )
    assert started.headers["Location"] == "/two-step-sign-in/set-up"
    set_up = client.get("/two-step-sign-in/set-up", headers=KENT)
    assert set_up.status_code == 200 and "<svg" in set_up.text and "otpauth://totp/" in set_up.text
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", set_up.text)
    assert key is not None and re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", key.group(1))
    return key.group(1).replace(" ", "")


def enrolled(app, client) -> tuple[Victim, str]:
    """A victim with an account, signed in on client, who has turned two-step on."""
    with app.app_context():
        victim = victim_with_account("kent", email=EMAIL)
    as_victim(app, client, "kent", victim)
    secret = start(client)
    turned_on = post_form(client, "/two-step-sign-in/set-up", KENT, {"code": code(secret)})
    assert turned_on.headers["Location"] == "/contact-preferences"
    return victim, secret


def password_done(app) -> object:
    """A new browser that has given the right password and is asked for the code."""
    browser = app.test_client()
    asked = sign_in(browser, "kent", EMAIL)
    assert asked.status_code == 302 and asked.headers["Location"] == "/sign-in/code"
    return browser


def forget_last_step(victim: Victim) -> None:
    """Let the next test code be the current one (a real app waits 30 seconds)."""
    change("kent", Victim, victim.id, totp_last_step=None)


def test_turning_on_needs_a_right_code(app, client):
    with app.app_context():
        victim = victim_with_account("kent", email=EMAIL)
    as_victim(app, client, "kent", victim)
    secret = start(client)
    refused = post_form(client, "/two-step-sign-in/set-up", KENT, {"code": wrong_code(secret)})
    assert refused.status_code == 200 and WRONG_CODE in refused.text
    assert victim_row("kent", victim.id).totp_enabled_at is None
    right = post_form(client, "/two-step-sign-in/set-up", KENT, {"code": code(secret)})
    assert right.headers["Location"] == "/contact-preferences"
    row = victim_row("kent", victim.id)
    assert row.totp_enabled_at is not None and row.totp_last_step is not None
    assert secret not in row.totp_secret_sealed
    page = client.get("/contact-preferences", headers=KENT).text
    assert "Two-step sign-in is on" in page and "Turn off two-step sign-in" in page
    tags = audit_tags("kent")
    assert "victim:two-step-setup-started" in tags and "victim:two-step-turned-on" in tags
    assert "victim:two-step-code-failed" in tags


def test_signing_in_needs_the_code_and_half_signed_in_opens_nothing(app, client):
    _, secret = enrolled(app, client)
    browser = password_done(app)
    for page in ("/cases/", "/contact-preferences", "/support", "/two-step-sign-in/turn-off"):
        assert browser.get(page, headers=KENT).headers["Location"].startswith("/sign-in")
    wrong = post_form(browser, "/sign-in/code", KENT, {"code": wrong_code(secret)})
    assert wrong.status_code == 200 and "Enter the code from your authenticator app" in wrong.text
    assert browser.get("/cases/", headers=KENT).status_code == 302
    # The step after the one that turned it on: a real app shows it 30 seconds later.
    signed_in = post_form(browser, "/sign-in/code", KENT, {"code": code(secret, 1)})
    assert signed_in.headers["Location"] == "/cases/"
    assert browser.get("/cases/", headers=KENT).status_code == 200


def test_a_wrong_or_reused_code_is_refused(app, client):
    victim, secret = enrolled(app, client)
    forget_last_step(victim)
    browser = password_done(app)
    wrong = post_form(browser, "/sign-in/code", KENT, {"code": wrong_code(secret)})
    assert wrong.status_code == 200 and WRONG_CODE in wrong.text
    used = code(secret)
    assert post_form(browser, "/sign-in/code", KENT, {"code": used}).status_code == 302
    again = password_done(app)
    replayed = post_form(again, "/sign-in/code", KENT, {"code": used})
    assert replayed.status_code == 200 and WRONG_CODE in replayed.text
    assert again.get("/cases/", headers=KENT).status_code == 302
    tags = audit_tags("kent")
    assert "victim:two-step-code-failed" in tags and "victim:two-step-code-replayed" in tags


def test_wrong_codes_make_the_account_wait_like_wrong_passwords(app, client):
    victim, secret = enrolled(app, client)
    forget_last_step(victim)
    browser = password_done(app)
    for _ in range(5):
        post_form(browser, "/sign-in/code", KENT, {"code": wrong_code(secret)})
    waiting = victim_row("kent", victim.id)
    assert waiting.failed_sign_ins == 5 and waiting.locked_until is not None
    refused = post_form(browser, "/sign-in/code", KENT, {"code": code(secret)})
    assert refused.status_code == 200 and WRONG_CODE in refused.text
    # The right password does not wipe the count: it is only half a sign-in.
    change("kent", Victim, victim.id, locked_until=datetime.now(UTC) - timedelta(seconds=1))
    password_done(app)
    assert victim_row("kent", victim.id).failed_sign_ins == 5


def test_the_half_signed_in_state_expires(app, client):
    victim, secret = enrolled(app, client)
    forget_last_step(victim)
    browser = password_done(app)
    with browser.session_transaction(headers=KENT) as session:
        pending = dict(session["code_needed"])
        pending["at"] = (datetime.now(UTC) - timedelta(minutes=6)).isoformat()
        session["code_needed"] = pending
    token = csrf_token(browser.get("/sign-in", headers=KENT).text)
    late = browser.post(
        "/sign-in/code", headers=KENT, data={"csrf_token": token, "code": code(secret)}
    )
    assert late.headers["Location"] == "/sign-in"
    assert browser.get("/cases/", headers=KENT).headers["Location"].startswith("/sign-in")
    assert victim_row("kent", victim.id).totp_last_step is None  # the code was not used


@pytest.mark.parametrize("by", ["code", "password"])
def test_turning_off_needs_a_code_or_the_password(app, client, by):
    victim, secret = enrolled(app, client)
    forget_last_step(victim)
    refused = post_form(
        client, "/two-step-sign-in/turn-off", KENT, {"password": "not my password at all"}
    )
    assert refused.status_code == 200 and "The code or password is not right" in refused.text
    assert victim_row("kent", victim.id).totp_enabled_at is not None
    answer = {"code": code(secret)} if by == "code" else {"password": PASSWORD}
    off = post_form(client, "/two-step-sign-in/turn-off", KENT, answer)
    assert off.headers["Location"] == "/contact-preferences"
    row = victim_row("kent", victim.id)
    assert row.totp_enabled_at is None and row.totp_secret_sealed is None
    assert "victim:two-step-turned-off" in audit_tags("kent")
    assert sign_in(app.test_client(), "kent", EMAIL).headers["Location"] == "/cases/"


def test_turning_off_with_nothing_entered_asks_for_something(app, client):
    victim, _ = enrolled(app, client)
    page = post_form(client, "/two-step-sign-in/turn-off", KENT, {})
    assert page.status_code == 200 and "or your password" in page.text
    assert victim_row("kent", victim.id).totp_enabled_at is not None


def test_a_password_reset_leaves_two_step_on(app, client):
    victim, _ = enrolled(app, client)
    post_form(app.test_client(), "/reset-password", KENT, {"email": EMAIL})
    (notice,) = outbox("kent")
    new = "violet harbour pencil drum"
    post_form(app.test_client(), notice.link_path, KENT, {"password": new, "confirm": new})
    assert victim_row("kent", victim.id).totp_enabled_at is not None
    asked = sign_in(app.test_client(), "kent", EMAIL, new)
    assert asked.headers["Location"] == "/sign-in/code"


HOSTILE = {
    "letters": ("abcdef", "6 digits"),
    "seven digits": ("1234567", "6 digits"),
    "nul": ("123\x00456", "Remove the special characters"),
    "10kb": ("1" * 10_240, "6 digits"),
}


@pytest.mark.parametrize(("answer", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_codes_are_refused_with_a_message(app, client, answer, message):
    victim, _ = enrolled(app, client)
    browser = password_done(app)
    for path, who in (("/sign-in/code", browser), ("/two-step-sign-in/turn-off", client)):
        page = post_form(who, path, KENT, {"code": answer})
        assert page.status_code == 200 and message in page.text, path
        assert 'class="govuk-error-summary' in page.text
        assert "1" * 100 not in page.text
    assert browser.get("/cases/", headers=KENT).status_code == 302
    assert victim_row("kent", victim.id).totp_enabled_at is not None


def test_an_empty_code_is_asked_for(app, client):
    enrolled(app, client)
    page = post_form(password_done(app), "/sign-in/code", KENT, {"code": "  "})
    assert page.status_code == 200 and "Enter the 6-digit code" in page.text


def test_the_set_up_form_refuses_hostile_codes(app, client):
    with app.app_context():
        victim = victim_with_account("kent", email=EMAIL)
    as_victim(app, client, "kent", victim)
    start(client)
    for answer, message in HOSTILE.values():
        page = post_form(client, "/two-step-sign-in/set-up", KENT, {"code": answer})
        assert page.status_code == 200 and message in page.text
    assert victim_row("kent", victim.id).totp_enabled_at is None


def test_the_secret_is_never_shown_again_nor_stored_in_plain_text(app, client, admin_engine):
    victim, secret = enrolled(app, client)
    forget_last_step(victim)
    shown = [secret, secret[:4] + " " + secret[4:8]]
    pages = ["/contact-preferences", "/cases/", "/support", "/two-step-sign-in/turn-off"]
    seen = [client.get(path, headers=KENT).text for path in pages]
    assert client.get("/two-step-sign-in/set-up", headers=KENT).status_code == 302
    browser = password_done(app)
    seen.append(browser.get("/sign-in/code", headers=KENT).text)
    seen.append(post_form(browser, "/sign-in/code", KENT, {"code": code(secret)}).text)
    assert not [page for page in seen for s in shown if s in page]
    assert _tables_holding(admin_engine, secret) == []


def _tables_holding(admin_engine, secret: str) -> list[str]:
    """Every table, in Kent's schema and public, with a row whose text holds secret."""
    with admin_engine.connect() as conn:
        tables = conn.execute(
            text(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' AND table_schema IN (:force, 'public')"
            ),
            {"force": schema_name("kent")},
        ).all()
        return [
            f"{schema}.{table}"
            for schema, table in tables
            if conn.execute(
                text(
                    f"SELECT count(*) FROM {quoted(schema)}.{quoted(table)} AS t "
                    "WHERE strpos(t::text, :secret) > 0"
                ),
                {"secret": secret},
            ).scalar_one()
        ]


def test_guessing_codes_from_one_address_is_rate_limited(app, client):
    _, secret = enrolled(app, client)
    browser = password_done(app)
    token = csrf_token(browser.get("/sign-in/code", headers=KENT).text)
    answers = [
        browser.post(
            "/sign-in/code", headers=KENT, data={"csrf_token": token, "code": wrong_code(secret)}
        ).status_code
        for _ in range(11)
    ]
    assert answers == [200] * 10 + [429]
