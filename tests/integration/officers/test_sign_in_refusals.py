"""Officer sign-in refuses what it must, over real HTTP to the demo provider.

Each refusal ends with nobody signed in, an audit row in the force's own trail naming
the reason, and the sign-in problem page. The session tests prove the server-side
session: renewed at sign-in, ended at sign-out (a copied cookie dies with it), ended
by the idle and absolute timeouts.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from authlib.common.security import generate_token
from sqlalchemy import select, text

from app.auth import oidc
from app.auth.idp import IdpSettings, build
from app.demo_idp import (
    DemoIssuer,
    DemoUser,
    RunningProvider,
    demo_client_id,
    demo_client_secret,
    demo_issuers,
    demo_password,
    run_in_thread,
)
from app.models import SignedInSession
from app.officers.signin import PENDING_KEY
from tenants.audit import TenancyTag
from tenants.binding import force_scope
from tenants.extension import tenancy
from tenants.forces import TenantStatus
from tests.factories import registered_force
from tests.integration.officers.support import audit, is_signed_in, officers, page_token
from tests.support.officers import (
    ROLE_VALUES,
    callback_url,
    connect_force,
    finish,
    host,
    oidc_sign_in,
    provider_sign_in,
    signed_out_url,
    start_sign_in,
)

COOKIE = "tmc_session"
FAILED, REFUSED = "officer:sign-in-failed", "officer:sign-in-refused"


# --- what every refusal looks like ----------------------------------------------------


def assert_refused(
    app: Any,
    client: Any,
    slug: str,
    response: Any,
    reason: str,
    *,
    tag: str = FAILED,
    page: str = "failed",
    after_a_sign_in: bool = False,
) -> None:
    """Sent to the problem page, nobody signed in, the reason in slug's audit trail."""
    assert response.status_code == 302, response.text
    location = urllib.parse.urlsplit(response.headers["Location"])
    assert location.path == "/officer/sign-in/problem"
    assert urllib.parse.parse_qs(location.query) == {"reason": [page]}
    problem = client.get(f"{location.path}?{location.query}", headers=host(slug))
    assert problem.status_code == 200
    heading = "You cannot sign in" if page == "no_role" else "Sign-in did not work"
    assert heading in problem.text
    assert not is_signed_in(client, slug)
    reasons = [row.detail.get("reason") for row in audit(app, slug, tag)]
    assert reason in reasons, f"no {tag} row with reason {reason!r}: {reasons}"
    if not after_a_sign_in:
        assert "officer:signed-in" not in [row.tag for row in audit(app, slug)]


def callback_parts(callback: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))


def callback_with(callback: str, **changes: str | None) -> str:
    """The provider's redirect with query parameters changed (None: removed)."""
    parts = urllib.parse.urlsplit(callback)
    query = {**callback_parts(callback), **changes}
    kept = {key: value for key, value in query.items() if value is not None}
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(kept)))


def to_provider(client: Any, slug: str, username: str = "officer") -> str:
    """Start a sign-in on slug and sign in at its provider; the callback URL."""
    return provider_sign_in(start_sign_in(client, slug), username, demo_password(slug, username))


def pending_of(client: Any, slug: str) -> dict[str, Any]:
    with client.session_transaction(headers=host(slug)) as session:
        return dict(session[PENDING_KEY])


def session_cookie(client: Any, slug: str) -> str:
    cookie = client.get_cookie(COOKIE, domain=f"{slug}.localhost")
    assert cookie is not None, "no session cookie"
    return str(cookie.value)


def with_cookie(app: Any, slug: str, value: str) -> Any:
    """A fresh client (another browser) holding a copied session cookie for slug."""
    other = app.test_client()
    other.set_cookie(COOKIE, value, domain=f"{slug}.localhost")
    return other


def token_claims(id_token: str) -> dict[str, Any]:
    """The claims of a JWT, unverified (only to learn its nonce)."""
    body = id_token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))


# --- the ID token ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("wrong_issuer", "bad_claim_iss"),
        ("wrong_audience", "bad_claim_aud"),
        ("expired", "expired"),
        ("bad_nonce", "bad_claim_nonce"),
        ("bad_signature", "bad_signature"),
        ("unknown_kid", "bad_signature"),
    ],
)
def test_a_spoiled_id_token_signs_nobody_in(app, client, idp, mode, reason):
    callback = to_provider(client, "kent")
    idp.misbehave("kent", mode)  # spoils the id_token the code exchange returns

    assert_refused(app, client, "kent", finish(client, "kent", callback), reason)
    assert officers(app, "kent") == []


# --- state, replay, PKCE --------------------------------------------------------------


def test_a_replayed_callback_signs_nobody_in(app, client, idp):
    callback = to_provider(client, "kent")
    cookie_with_pending = session_cookie(client, "kent")
    assert finish(client, "kent", callback).status_code == 302
    assert is_signed_in(client, "kent")

    # Someone who copied the browser's cookie and address before the callback replays
    # both: state and PKCE verifier match, but the provider spent the code already.
    thief = with_cookie(app, "kent", cookie_with_pending)
    response = finish(thief, "kent", callback)
    assert_refused(app, thief, "kent", response, "code_exchange_failed", after_a_sign_in=True)
    # The same browser opening the callback again has no sign-in pending any more.
    replay = finish(client, "kent", callback)
    assert replay.headers["Location"].endswith("/officer/sign-in/problem?reason=failed")
    assert "state_missing" in [row.detail["reason"] for row in audit(app, "kent", FAILED)]


def test_a_callback_without_state_is_refused(app, client, idp):
    callback = to_provider(client, "kent")
    response = finish(client, "kent", callback_with(callback, state=None))
    assert_refused(app, client, "kent", response, "state_mismatch")


def test_a_callback_with_another_state_is_refused(app, client, idp):
    callback = to_provider(client, "kent")
    response = finish(client, "kent", callback_with(callback, state=generate_token(43)))
    assert_refused(app, client, "kent", response, "state_mismatch")


def test_a_callback_nobody_started_is_refused(app, client, idp):
    callback = to_provider(app.test_client(), "kent")  # another browser's sign-in
    assert_refused(app, client, "kent", finish(client, "kent", callback), "state_missing")


def test_a_wrong_pkce_verifier_fails_the_code_exchange(app, client, idp):
    callback = to_provider(client, "kent")
    with client.session_transaction(headers=host("kent")) as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "verifier": generate_token(64)}

    assert_refused(app, client, "kent", finish(client, "kent", callback), "code_exchange_failed")


def test_the_provider_refusing_the_sign_in_is_a_failure(app, client, idp):
    callback = to_provider(client, "kent")
    refused = callback_with(callback, code=None, error="access_denied")
    assert_refused(app, client, "kent", finish(client, "kent", refused), "provider_refused")


# --- force A's sign-in on force B ------------------------------------------------------


def test_kents_callback_opened_on_dyfed_powys_signs_nobody_in(app, client, idp):
    callback = to_provider(client, "kent")
    kent_pending, kent_cookie = pending_of(client, "kent"), session_cookie(client, "kent")

    # The browser's Kent cookie is not sent to Dyfed-Powys: nothing is pending there.
    response = finish(client, "dyfed-powys", callback)
    assert_refused(app, client, "dyfed-powys", response, "state_missing")
    # A Kent cookie copied onto Dyfed-Powys does not verify there (its salt names Kent).
    copied = with_cookie(app, "dyfed-powys", kent_cookie)
    response = finish(copied, "dyfed-powys", callback)
    assert_refused(app, copied, "dyfed-powys", response, "state_missing")
    # Even holding Kent's state and verifier, Kent's code is worthless at Dyfed-Powys's
    # provider: the exchange goes to Dyfed-Powys's issuer, which never issued it.
    forged = app.test_client()
    with app.app_context():
        dyfed = IdpSettings.from_mapping(registered_force("dyfed-powys").idp)
    assert dyfed is not None
    page_token(forged, "dyfed-powys", "/officer/sign-in")
    with forged.session_transaction(headers=host("dyfed-powys")) as session:
        session[PENDING_KEY] = {
            **kent_pending,
            "issuer": dyfed.issuer,
            "client_id": dyfed.client_id,
        }
    response = finish(forged, "dyfed-powys", callback)
    assert_refused(app, forged, "dyfed-powys", response, "code_exchange_failed")

    assert officers(app, "kent") == [] and officers(app, "dyfed-powys") == []
    assert not is_signed_in(client, "kent")


def test_a_pending_sign_in_for_another_provider_is_refused(app, client, idp):
    """A pending sign-in names the issuer and client it was started with."""
    callback = to_provider(client, "kent")
    with client.session_transaction(headers=host("kent")) as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "issuer": idp.issuer("dyfed-powys")}
    assert_refused(app, client, "kent", finish(client, "kent", callback), "provider_changed")


def test_an_id_token_from_kents_provider_never_verifies_for_dyfed_powys(app, client, idp):
    oidc_sign_in(client, "kent")
    with client.session_transaction(headers=host("kent")) as session:
        kent_token = session["id_token"]
    nonce = token_claims(kent_token)["nonce"]

    with app.app_context():
        cache = app.extensions["oidc_providers"]
        kent = IdpSettings.from_mapping(registered_force("kent").idp)
        dyfed = IdpSettings.from_mapping(registered_force("dyfed-powys").idp)
        assert kent is not None and dyfed is not None
        assert oidc.verify_id_token(kent, cache, kent_token, nonce)["iss"] == kent.issuer
        with pytest.raises(oidc.SignInFailed) as refused:
            oidc.verify_id_token(dyfed, cache, kent_token, nonce)
        assert refused.value.reason == "bad_signature"
        # Even a Dyfed-Powys configured with Kent's client id: still not its provider's key.
        same_client = IdpSettings(dyfed.issuer, kent.client_id, dyfed.client_secret_sealed)
        with pytest.raises(oidc.SignInFailed):
            oidc.verify_id_token(same_client, cache, kent_token, nonce)


# --- roles ----------------------------------------------------------------------------


def connect_with_roles(slug: str, issuer: str, role_values: dict[str, tuple[str, ...]]) -> None:
    t = tenancy()
    settings = build(
        issuer=issuer,
        client_id=demo_client_id(slug),
        client_secret=demo_client_secret(slug),
        role_claim="roles",
        role_values=role_values,
        box=t.secret_box(),
    )
    t.set_idp(slug, settings.to_mapping(), ("system", None))


@pytest.fixture
def restore_kent(app, idp) -> Iterator[None]:
    """Whatever a test does to Kent's IdP settings, Kent is on the demo provider after."""
    yield
    with app.app_context():
        connect_force("kent", idp.issuer("kent"))


def test_a_user_whose_roles_map_to_none_of_ours_cannot_sign_in(app, client, idp, restore_kent):
    with app.app_context():
        connect_with_roles("kent", idp.issuer("kent"), {"officer": ("tmc-somebody-else",)})

    response = oidc_sign_in(client, "kent", "officer")

    assert_refused(app, client, "kent", response, "no_mapped_role", tag=REFUSED, page="no_role")
    assert officers(app, "kent") == []


@pytest.fixture
def civilian_provider() -> Iterator[RunningProvider]:
    """A provider for Kent whose users have no role claim values at all."""
    [kent] = demo_issuers([("kent", "Kent")], callback_url, signed_out_url)
    civilian = DemoUser(
        "civilian", "civilian-pass", "A Civilian", "civilian@kent.example", (), "KE9", "Front"
    )
    with run_in_thread(
        "127.0.0.1", 0, [DemoIssuer("kent", "Kent", (civilian,), kent.clients)]
    ) as p:
        yield p


def test_a_user_without_roles_sees_you_cannot_sign_in(app, client, restore_kent, civilian_provider):
    with app.app_context():
        connect_with_roles("kent", civilian_provider.issuer("kent"), dict(ROLE_VALUES))

    callback = provider_sign_in(start_sign_in(client, "kent"), "civilian", "civilian-pass")
    response = finish(client, "kent", callback)

    assert_refused(app, client, "kent", response, "no_mapped_role", tag=REFUSED, page="no_role")


# --- a suspended force ----------------------------------------------------------------


def test_a_suspended_force_offers_no_sign_in(app, client, idp):
    callback = to_provider(client, "kent")
    with app.app_context():
        assert tenancy().change_status(
            "kent", TenantStatus.SUSPENDED, TenantStatus.ACTIVE,
            TenancyTag.FORCE_SUSPENDED, ("cli", "test"),
        )  # fmt: skip

    assert client.get("/officer/sign-in", headers=host("kent")).status_code == 503
    assert client.post("/officer/sign-in", headers=host("kent")).status_code == 503
    assert finish(client, "kent", callback).status_code == 503
    assert officers(app, "kent") == []


def test_a_signed_in_officer_of_a_suspended_force_is_paused_too(app, client, idp):
    oidc_sign_in(client, "kent")
    with app.app_context():
        tenancy().change_status(
            "kent", TenantStatus.SUSPENDED, TenantStatus.ACTIVE,
            TenancyTag.FORCE_SUSPENDED, ("cli", "test"),
        )  # fmt: skip
    assert client.get("/officer/", headers=host("kent")).status_code == 503


# --- keys -----------------------------------------------------------------------------


@pytest.fixture
def fresh_key_cache(app, monkeypatch) -> oidc.ProviderCache:
    """The app's provider cache, empty: what a freshly started process holds."""
    cache = oidc.ProviderCache(allow_insecure=True)
    monkeypatch.setitem(app.extensions, "oidc_providers", cache)
    return cache


def test_after_key_rotation_sign_in_fetches_the_new_keys(app, idp, fresh_key_cache):
    first = app.test_client()
    oidc_sign_in(first, "kent")  # the cache now holds Kent's keys
    idp.rotate_keys("kent")

    second = app.test_client()
    oidc_sign_in(second, "kent")
    assert is_signed_in(second, "kent")
    assert FAILED not in [row.tag for row in audit(app, "kent")]


# --- the session ----------------------------------------------------------------------


def session_rows(app: Any, slug: str) -> list[tuple[str | None, Any]]:
    with app.app_context(), force_scope(registered_force(slug)) as session:
        rows = session.scalars(select(SignedInSession).order_by(SignedInSession.started_at))
        return [(row.end_reason, row.ended_at) for row in rows]


def test_sign_in_starts_a_new_session(app, client, idp):
    page_token(client, "kent", "/officer/sign-in")
    with client.session_transaction(headers=host("kent")) as session:
        session["planted"] = "by someone before sign-in"
        session["lang"] = "en"
    before = session_cookie(client, "kent")

    oidc_sign_in(client, "kent")

    with client.session_transaction(headers=host("kent")) as session:
        assert "planted" not in session and PENDING_KEY not in session
        assert session["lang"] == "en"  # the language chosen before is kept
        first_sid = session["sid"]
    assert session_cookie(client, "kent") != before
    assert not is_signed_in(with_cookie(app, "kent", before), "kent")

    # Signing in again from a signed-in browser (an old tab) replaces the session: the
    # cookie from before stops working.
    signed_in_cookie = session_cookie(client, "kent")
    token = page_token(client, "kent")
    again = client.post("/officer/sign-in", headers=host("kent"), data={"csrf_token": token})
    callback = provider_sign_in(
        again.headers["Location"], "officer", demo_password("kent", "officer")
    )
    finish(client, "kent", callback)
    with client.session_transaction(headers=host("kent")) as session:
        assert session["sid"] != first_sid
    assert is_signed_in(client, "kent")
    assert not is_signed_in(with_cookie(app, "kent", signed_in_cookie), "kent")
    assert [reason for reason, _ in session_rows(app, "kent")] == ["replaced", None]


def test_sign_out_ends_the_session_and_the_providers(app, client, idp):
    oidc_sign_in(client, "kent")
    copied = session_cookie(client, "kent")
    token = page_token(client, "kent")

    response = client.post("/officer/sign-out", headers=host("kent"), data={"csrf_token": token})

    assert response.status_code == 302
    logout = urllib.parse.urlsplit(response.headers["Location"])
    assert f"{logout.scheme}://{logout.netloc}{logout.path}" == idp.issuer("kent") + "/logout"
    params = dict(urllib.parse.parse_qsl(logout.query))
    assert params["post_logout_redirect_uri"] == signed_out_url("kent")
    assert params["client_id"] == demo_client_id("kent") and params["id_token_hint"]
    back = _provider_redirect(response.headers["Location"])
    assert back == signed_out_url("kent")
    assert client.get("/officer/signed-out", headers=host("kent")).status_code == 200

    assert not is_signed_in(client, "kent")
    assert not is_signed_in(with_cookie(app, "kent", copied), "kent")
    assert session_rows(app, "kent")[0][0] == "signed_out"
    assert "officer:signed-out" in [row.tag for row in audit(app, "kent")]


def _provider_redirect(url: str) -> str:
    """Where the provider's answer to url redirects the browser (not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.ProxyHandler({}))
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(url, timeout=10)
    with answer.value as redirect:
        assert redirect.code in (302, 303), redirect.read()
        return str(redirect.headers["Location"])


def age_session(admin_engine: Any, slug: str, column: str, minutes: int) -> None:
    """Move every signed_in_session row's column back by minutes (a superuser UPDATE)."""
    schema = f"t_{slug.replace('-', '_')}"
    with admin_engine.begin() as conn:
        conn.execute(
            text(
                f'UPDATE "{schema}".signed_in_session '
                f"SET {column} = now() - make_interval(mins => :minutes)"
            ),
            {"minutes": minutes},
        )


def test_an_hour_idle_signs_the_officer_out(app, client, idp, admin_engine):
    oidc_sign_in(client, "kent")
    age_session(admin_engine, "kent", "last_seen_at", 59)
    assert is_signed_in(client, "kent")  # and that visit counts as activity

    age_session(admin_engine, "kent", "last_seen_at", 61)
    assert not is_signed_in(client, "kent")
    assert session_rows(app, "kent")[0][0] == "idle_timeout"
    assert said_once(client, "You were signed out because you were inactive.")
    age_session(admin_engine, "kent", "last_seen_at", 0)
    assert not is_signed_in(client, "kent"), "an ended session came back to life"


def test_twelve_hours_after_sign_in_the_officer_is_signed_out(app, client, idp, admin_engine):
    oidc_sign_in(client, "kent")
    age_session(admin_engine, "kent", "started_at", 12 * 60 - 1)
    assert is_signed_in(client, "kent")

    age_session(admin_engine, "kent", "started_at", 12 * 60 + 1)
    assert not is_signed_in(client, "kent")
    assert session_rows(app, "kent")[0][0] == "absolute_timeout"
    assert said_once(client, "a sign-in lasts at most 12 hours")


def said_once(client: Any, notice: str) -> bool:
    """The sign-in page says notice, and does not say it again on the next visit."""
    first = client.get("/officer/sign-in", headers=host("kent")).text
    again = client.get("/officer/sign-in", headers=host("kent")).text
    return notice in first and notice not in again
