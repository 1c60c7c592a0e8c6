"""Signing in and out, waits after wrong passwords, resets, and sessions that end."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from app.models import PasswordReset, SignedInSession, Victim
from tenants.binding import force_scope
from tests.factories import registered_force
from tests.integration.victims.conftest import _APP, outbox, post_form, rows, sign_in, victim_row
from tests.support.officers import csrf_token
from tests.support.victims import PASSWORD, as_victim, host, victim_with_account

KENT = host("kent")
SAME_MESSAGE = "Enter the email address and password for your account"


def _neutral(text: str) -> str:
    """A page with its per-response values (CSRF token, CSP nonce) blanked."""
    return re.sub(r'(nonce="|name="csrf_token"[^>]*value=")[^"]*', r"\1", text)


def make_account(slug: str = "kent", email: str = "known@example.com") -> Victim:
    with _APP["app"].app_context():
        return victim_with_account(slug, email=email)


def change(slug: str, model: type, row_id: uuid.UUID, **values: object) -> None:
    with _APP["app"].app_context(), force_scope(registered_force(slug)) as session:
        session.execute(update(model).where(model.id == row_id).values(**values))


def sid(client, headers=KENT) -> str | None:
    with client.session_transaction(headers=headers) as session:
        return session.get("sid")


def test_sign_in_answers_alike_for_a_known_and_an_unknown_address(app):
    make_account()
    known = sign_in(app.test_client(), "kent", "known@example.com", "wrong password here")
    unknown = sign_in(app.test_client(), "kent", "nobody@example.com", "wrong password here")
    assert known.status_code == unknown.status_code == 200
    assert _neutral(known.text.replace("known@", "X@")) == _neutral(
        unknown.text.replace("nobody@", "X@")
    )
    assert SAME_MESSAGE in known.text


def test_reset_answers_alike_for_a_known_and_an_unknown_address(app):
    make_account()
    known = post_form(app.test_client(), "/reset-password", KENT, {"email": "known@example.com"})
    unknown = post_form(app.test_client(), "/reset-password", KENT, {"email": "no@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert _neutral(known.text) == _neutral(unknown.text)
    assert [row.kind for row in outbox("kent")] == ["victim_password_reset"]


def test_an_account_on_one_force_does_not_exist_on_another(app):
    make_account("kent")
    page = sign_in(app.test_client(), "dyfed-powys", "known@example.com")
    assert page.status_code == 200 and SAME_MESSAGE in page.text


def test_signing_in_starts_a_new_session_and_signing_out_ends_it(app, client):
    victim = make_account()
    client.get("/sign-in", headers=KENT)
    before = sid(client)
    assert sign_in(client, "kent", "known@example.com").headers["Location"] == "/cases/"
    after = sid(client)
    assert after and after != before
    page = client.get("/cases/", headers=KENT)
    client.post("/sign-out", headers=KENT, data={"csrf_token": csrf_token(page.text)})
    assert sid(client) is None
    (row,) = rows("kent", SignedInSession, SignedInSession.user_id == victim.id)
    assert row.ended_at is not None and row.end_reason == "signed_out"
    assert client.get("/cases/", headers=KENT).headers["Location"].startswith("/sign-in")


def test_wrong_passwords_make_the_account_wait_then_it_works_again(app):
    victim = make_account()
    client = app.test_client()
    for _ in range(5):
        assert SAME_MESSAGE in sign_in(client, "kent", "known@example.com", "not it at all").text
    waiting = victim_row("kent", victim.id)
    assert waiting.failed_sign_ins == 5 and waiting.locked_until is not None
    # Even the right password is refused while the account waits, with the same words.
    refused = sign_in(client, "kent", "known@example.com")
    assert refused.status_code == 200 and SAME_MESSAGE in refused.text
    # The wait doubles with each further failure.
    sign_in(client, "kent", "known@example.com", "not it at all")
    change("kent", Victim, victim.id, locked_until=datetime.now(UTC) - timedelta(seconds=1))
    sign_in(client, "kent", "known@example.com", "not it at all")
    again = victim_row("kent", victim.id)
    assert again.failed_sign_ins == 6
    assert again.locked_until - datetime.now(UTC) > timedelta(seconds=90)
    change("kent", Victim, victim.id, locked_until=datetime.now(UTC) - timedelta(seconds=1))
    assert sign_in(client, "kent", "known@example.com").headers["Location"] == "/cases/"
    assert victim_row("kent", victim.id).failed_sign_ins == 0


def test_an_idle_session_ends_after_30_minutes(app, client):
    victim = as_victim(app, client)
    assert client.get("/cases/", headers=KENT).status_code == 200
    (row,) = rows("kent", SignedInSession, SignedInSession.user_id == victim.id)
    change("kent", SignedInSession, row.id, last_seen_at=datetime.now(UTC) - timedelta(minutes=31))
    assert client.get("/cases/", headers=KENT).headers["Location"].startswith("/sign-in")
    (row,) = rows("kent", SignedInSession, SignedInSession.user_id == victim.id)
    assert row.end_reason == "idle_timeout"


def test_a_session_copied_to_another_force_is_not_signed_in(app, client):
    as_victim(app, client, "kent")
    cookie = client.get_cookie("tmc_session", domain="kent.localhost")
    assert cookie is not None
    client.set_cookie("tmc_session", cookie.value, domain="dyfed-powys.localhost")
    assert (
        client.get("/cases/", headers=host("dyfed-powys"))
        .headers["Location"]
        .startswith("/sign-in")
    )


def test_a_reset_link_changes_the_password_once_and_ends_other_sessions(app, client):
    victim = make_account()
    as_victim(app, client, "kent", victim)
    post_form(app.test_client(), "/reset-password", KENT, {"email": "Known@Example.com"})
    (notice,) = outbox("kent")
    assert notice.recipient_id == victim.id and notice.address == "known@example.com"
    link = notice.link_path
    assert link.startswith("/reset-password/")
    other = app.test_client()
    new = "violet harbour pencil drum"
    changed = post_form(other, link, KENT, {"password": new, "confirm": new})
    assert changed.headers["Location"].startswith("/sign-in")
    assert client.get("/cases/", headers=KENT).headers["Location"].startswith("/sign-in")
    assert other.get(link, headers=KENT).status_code == 404
    assert SAME_MESSAGE in sign_in(app.test_client(), "kent", "known@example.com").text
    assert sign_in(app.test_client(), "kent", "known@example.com", new).status_code == 302
    assert rows("kent", PasswordReset)[0].used_at is not None


def test_an_expired_or_made_up_reset_link_does_not_work(app):
    make_account()
    post_form(app.test_client(), "/reset-password", KENT, {"email": "known@example.com"})
    (notice,) = outbox("kent")
    (reset,) = rows("kent", PasswordReset)
    change("kent", PasswordReset, reset.id, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert app.test_client().get(notice.link_path, headers=KENT).status_code == 404
    made_up = app.test_client().get("/reset-password/" + "a" * 43, headers=KENT)
    assert made_up.status_code == 404 and "This link does not work" in made_up.text


def test_resets_for_one_account_are_limited(app):
    make_account()
    for _ in range(5):
        post_form(app.test_client(), "/reset-password", KENT, {"email": "known@example.com"})
    assert len(outbox("kent")) == 3


def test_guessing_from_one_address_is_rate_limited_per_force(app):
    client = app.test_client()
    codes = [
        sign_in(client, "kent", f"guess{n}@example.com", "not it at all").status_code
        for n in range(11)
    ]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    assert (
        sign_in(client, "avon-and-somerset", "x@example.com", "nope nope nope").status_code == 200
    )


def test_the_victim_pages_ask_the_anonymous_to_sign_in(client):
    assert client.get("/cases/", headers=KENT).headers["Location"].startswith("/sign-in")
    assert client.get("/support", headers=KENT).headers["Location"].startswith("/sign-in")
    assert (
        client.get("/contact-preferences", headers=KENT).headers["Location"].startswith("/sign-in")
    )


def test_signed_in_pages_are_never_cached(app, client):
    as_victim(app, client)
    assert client.get("/cases/", headers=KENT).headers["Cache-Control"] == "no-store"
    assert PASSWORD  # the helper's password is what sign_in posts by default
