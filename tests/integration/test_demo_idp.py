"""The demo OpenID provider (app/demo_idp), driven over real HTTP on loopback.

No database: the provider keeps everything in memory. The module's provider serves two
forces; tests that change keys start their own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from app.demo_idp import (
    MISBEHAVIOURS,
    DemoClient,
    RunningProvider,
    demo_client_id,
    demo_client_secret,
    demo_issuers,
    demo_password,
    run_in_thread,
)
from tests.oidc.flow import AuthStart
from tests.oidc.http_client import HttpClient, HttpResponse, basic_auth, query_of
from tests.support.html import assert_valid_html

FORCES = [("kent", "Kent Police"), ("avon", "Avon and Somerset Constabulary")]


def callback(slug: str) -> str:
    # Nothing listens there: the tests read the redirect, never follow it.
    return f"http://{slug}.localhost:9/officer/auth/callback"


def signed_out(slug: str) -> str:
    return f"http://{slug}.localhost:9/officer/signed-out"


def start_provider() -> RunningProvider:
    return run_in_thread("127.0.0.1", 0, demo_issuers(FORCES, callback, signed_out))


@pytest.fixture(scope="module")
def idp() -> Iterator[RunningProvider]:
    """Two forces' issuers on one free loopback port, for this module."""
    with start_provider() as running:
        yield running


@pytest.fixture
def http() -> HttpClient:
    return HttpClient()


def new_start(slug: str = "kent") -> AuthStart:
    return AuthStart(client_id=demo_client_id(slug), redirect_uri=callback(slug))


def sign_in_page(http: HttpClient, idp: RunningProvider, start: AuthStart, slug: str = "kent"):
    page = http.get(start.url(f"{idp.issuer(slug)}/authorize"))
    assert page.status == 200, page.text
    return page


def get_code(
    http: HttpClient, idp: RunningProvider, start: AuthStart, slug: str = "kent",
    username: str = "officer",
) -> str:  # fmt: skip
    """Sign in as `username` and return the code from the redirect back."""
    form = sign_in_page(http, idp, start, slug).forms()[0]
    answer = http.submit(form, username=username, password=demo_password(slug, username))
    assert answer.status == 302, answer.text
    assert answer.location is not None and answer.location.startswith(start.redirect_uri + "?")
    params = query_of(answer.location)
    assert params["state"] == start.state
    assert params["iss"] == idp.issuer(slug)
    return params["code"]


def redeem(
    http: HttpClient, idp: RunningProvider, start: AuthStart, code: str, slug: str = "kent",
    secret: str | None = None, **overrides: str,
) -> HttpResponse:  # fmt: skip
    auth = basic_auth(demo_client_id(slug), secret or demo_client_secret(slug))
    return http.post(f"{idp.issuer(slug)}/token", start.token_form(code, **overrides), auth)


def tokens(http: HttpClient, idp: RunningProvider, slug: str = "kent", username: str = "officer"):
    start = new_start(slug)
    answer = redeem(http, idp, start, get_code(http, idp, start, slug, username), slug)
    assert answer.status == 200, answer.text
    return start, answer.json()


def verify(id_token: str, jwks: Any, issuer: str, start: AuthStart) -> dict[str, Any]:
    """What a relying party checks: signature by a published key, iss, aud, nonce, exp."""
    token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["RS256"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": start.client_id},
        nonce={"essential": True, "value": start.nonce},
        exp={"essential": True},
    ).validate(token.claims)
    return dict(token.claims)


def jwks_of(http: HttpClient, idp: RunningProvider, slug: str) -> Any:
    return http.get(f"{idp.issuer(slug)}/jwks").json()


def test_discovery_names_this_forces_endpoints(idp, http):
    issuer = idp.issuer("kent")
    assert issuer == f"{idp.base_url}/kent"
    found = http.get(f"{issuer}/.well-known/openid-configuration").json()
    assert found["issuer"] == issuer
    for name in ("authorization", "token", "userinfo", "end_session"):
        assert found[f"{name}_endpoint"].startswith(issuer + "/")
    assert found["jwks_uri"] == f"{issuer}/jwks"
    assert found["response_types_supported"] == ["code"]
    assert found["code_challenge_methods_supported"] == ["S256"]
    assert found["id_token_signing_alg_values_supported"] == ["RS256"]
    assert set(found["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic", "client_secret_post"
    }  # fmt: skip
    assert {"roles", "collar_number", "team"} <= set(found["claims_supported"])
    other = http.get(f"{idp.issuer('avon')}/.well-known/openid-configuration").json()
    assert other["issuer"] == idp.issuer("avon") != issuer
    assert http.get(f"{idp.base_url}/nowhere/.well-known/openid-configuration").status == 404


def test_code_flow_with_pkce_gives_an_id_token_that_verifies(idp, http):
    start, answer = tokens(http, idp, username="supervisor")
    assert answer["token_type"] == "Bearer"
    assert answer["expires_in"] > 0
    claims = verify(answer["id_token"], jwks_of(http, idp, "kent"), idp.issuer("kent"), start)
    assert claims["roles"] == ["tmc-officer", "tmc-supervisor"]
    assert claims["name"] == "PS Sam Patel"
    assert claims["email"] == "supervisor@kent.police.example"
    assert claims["collar_number"] and claims["team"] == "Response Team A"
    assert claims["iat"] <= time.time() < claims["exp"]
    assert claims["auth_time"] <= claims["iat"]
    assert "supervisor" not in claims["sub"]  # opaque
    _, again = tokens(http, idp, username="supervisor")
    assert (
        jwt.decode(again["id_token"], KeySet.import_key_set(jwks_of(http, idp, "kent"))).claims[
            "sub"
        ]
        == claims["sub"]
    )  # stable


def test_userinfo_answers_for_the_access_token_only(idp, http):
    _, answer = tokens(http, idp, username="admin")
    me = http.get(f"{idp.issuer('kent')}/userinfo",
                  {"Authorization": f"Bearer {answer['access_token']}"})  # fmt: skip
    assert me.status == 200
    assert me.json()["roles"] == ["tmc-admin"]
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        refused = http.get(f"{idp.issuer('kent')}/userinfo", headers)
        assert refused.status == 401
        assert "invalid_token" in refused.headers["WWW-Authenticate"]
    elsewhere = http.get(f"{idp.issuer('avon')}/userinfo",
                         {"Authorization": f"Bearer {answer['access_token']}"})  # fmt: skip
    assert elsewhere.status == 401


def test_sign_in_page_is_plain_accessible_html(idp, http):
    page = sign_in_page(http, idp, new_start())
    assert_valid_html(page.text)
    assert '<html lang="en">' in page.text
    assert "Demo identity provider — Kent Police (development only)" in page.text
    assert '<label for="username">' in page.text and '<label for="password">' in page.text
    assert "officer-kent-demo" not in page.text and "demo-secret" not in page.text
    assert page.headers["X-Frame-Options"] == "DENY"
    assert set(page.forms()[0].fields) == {"request_id", "username", "password"}


def test_wrong_password_shows_the_form_again_then_the_right_one_works(idp, http):
    start = new_start()
    form = sign_in_page(http, idp, start).forms()[0]
    wrong = http.submit(form, username="officer", password="officer-avon-demo")
    assert wrong.status == 200 and wrong.location is None
    assert_valid_html(wrong.text)
    assert "The username or password is not right" in wrong.text
    unknown = http.submit(form, username="nobody", password="x")
    assert "The username or password is not right" in unknown.text
    right = http.submit(form, username="officer", password="officer-kent-demo")
    assert right.status == 302 and "code" in query_of(right.location or "")


def test_cancel_goes_back_with_access_denied(idp, http):
    start = new_start()
    form = sign_in_page(http, idp, start).forms()[0]
    answer = http.submit(form, action="cancel")
    assert query_of(answer.location or "") == {"error": "access_denied", "state": start.state}
    assert http.submit(form, username="officer", password="officer-kent-demo").status == 400


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"nonce": None}, "invalid_request"),
        ({"state": None}, "invalid_request"),
        ({"scope": "profile email"}, "invalid_scope"),
        ({"response_type": "token"}, "unsupported_response_type"),
    ],
)
def test_a_request_missing_pkce_nonce_state_or_openid_goes_back_with_an_error(
    idp, http, overrides, error
):
    start = new_start()
    answer = http.get(start.url(f"{idp.issuer('kent')}/authorize", **overrides))
    assert answer.status == 302
    assert answer.location and answer.location.startswith(start.redirect_uri + "?")
    params = query_of(answer.location)
    assert params["error"] == error and "code" not in params
    assert params.get("state") == (None if "state" in overrides else start.state)


@pytest.mark.parametrize(
    "redirect_uri",
    [
        callback("kent") + "/",
        callback("kent") + "?next=/",
        callback("kent").upper(),
        callback("avon"),
        "https://evil.example/callback",
    ],
)
def test_an_unregistered_redirect_uri_gets_an_error_page_never_a_redirect(idp, http, redirect_uri):
    start = AuthStart(client_id=demo_client_id("kent"), redirect_uri=redirect_uri)
    answer = http.get(start.url(f"{idp.issuer('kent')}/authorize"))
    assert answer.status == 400 and answer.location is None
    assert_valid_html(answer.text)
    assert "return address is not registered" in answer.text


def test_an_unknown_client_gets_an_error_page(idp, http):
    start = AuthStart(client_id=demo_client_id("avon"), redirect_uri=callback("kent"))
    answer = http.get(start.url(f"{idp.issuer('kent')}/authorize"))
    assert answer.status == 400 and answer.location is None


def test_pkce_verifier_must_match_and_a_failed_try_uses_the_code_up(idp, http):
    start = new_start()
    code = get_code(http, idp, start)
    wrong = redeem(http, idp, start, code, code_verifier=new_start().verifier)
    assert wrong.status == 400 and wrong.json()["error"] == "invalid_grant"
    assert wrong.headers["Cache-Control"] == "no-store"
    assert redeem(http, idp, start, code).status == 400


def test_token_request_without_verifier_is_refused(idp, http):
    start = new_start()
    answer = redeem(http, idp, start, get_code(http, idp, start), code_verifier="")
    assert answer.status == 400 and answer.json()["error"] == "invalid_grant"


def test_token_redirect_uri_must_equal_the_authorizations(idp, http):
    start = new_start()
    code = get_code(http, idp, start)
    answer = redeem(http, idp, start, code, redirect_uri=callback("kent") + "/")
    assert answer.json()["error"] == "invalid_grant"


def test_a_code_works_once_and_its_reuse_revokes_the_token(idp, http):
    start = new_start()
    code = get_code(http, idp, start)
    first = redeem(http, idp, start, code)
    assert first.status == 200
    again = redeem(http, idp, start, code)
    assert again.status == 400 and again.json()["error"] == "invalid_grant"
    bearer = {"Authorization": f"Bearer {first.json()['access_token']}"}
    assert http.get(f"{idp.issuer('kent')}/userinfo", bearer).status == 401


def test_a_wrong_client_secret_is_refused_and_leaves_the_code_usable(idp, http):
    start = new_start()
    code = get_code(http, idp, start)
    refused = redeem(http, idp, start, code, secret="trackmycrime-avon-demo-secret")
    assert refused.status == 401 and refused.json()["error"] == "invalid_client"
    assert refused.headers["WWW-Authenticate"].startswith("Basic")
    assert redeem(http, idp, start, code).status == 200


def test_client_secret_post_works_and_two_methods_at_once_do_not(idp, http):
    start = new_start()
    code = get_code(http, idp, start)
    posted = {"client_id": start.client_id, "client_secret": demo_client_secret("kent")}
    both = redeem(http, idp, start, code, **posted)
    assert both.status == 400 and both.json()["error"] == "invalid_request"
    answer = http.post(f"{idp.issuer('kent')}/token", start.token_form(code, **posted))
    assert answer.status == 200 and answer.json()["id_token"]


def test_a_code_from_one_force_is_worthless_at_another(idp, http):
    start = new_start("kent")
    code = get_code(http, idp, start, "kent")
    answer = redeem(http, idp, new_start("avon"), code, "avon")
    assert answer.status == 400 and answer.json()["error"] == "invalid_grant"


def test_an_id_token_of_one_force_fails_with_another_forces_keys(idp, http):
    start, answer = tokens(http, idp, "kent")
    with pytest.raises(InvalidKeyIdError):
        verify(answer["id_token"], jwks_of(http, idp, "avon"), idp.issuer("kent"), start)
    kent_jwks = jwks_of(http, idp, "kent")
    with pytest.raises(JoseError):
        verify(answer["id_token"], kent_jwks, idp.issuer("avon"), start)


@pytest.mark.parametrize("mode", sorted(MISBEHAVIOURS))
def test_misbehave_spoils_only_the_next_id_token(idp, http, mode):
    idp.misbehave("kent", mode)
    start, answer = tokens(http, idp)
    jwks, issuer = jwks_of(http, idp, "kent"), idp.issuer("kent")
    with pytest.raises(JoseError) as caught:
        verify(answer["id_token"], jwks, issuer, start)
    assert_spoiled_as_asked(mode, caught.value, answer["id_token"], jwks, issuer, start)
    next_start, next_answer = tokens(http, idp)
    verify(next_answer["id_token"], jwks, issuer, next_start)


def assert_spoiled_as_asked(mode, error, id_token, jwks, issuer, start):
    """The token fails for the reason `mode` names, and for that one only."""
    if mode == "bad_signature":
        assert isinstance(error, BadSignatureError)
        return
    if mode == "unknown_kid":
        assert isinstance(error, InvalidKeyIdError)
        return
    claims = jwt.decode(id_token, KeySet.import_key_set(jwks)).claims
    expected = {
        "wrong_issuer": lambda: claims["iss"] != issuer,
        "wrong_audience": lambda: claims["aud"] != start.client_id,
        "expired": lambda: claims["exp"] < time.time(),
        "bad_nonce": lambda: claims["nonce"] != start.nonce,
    }
    assert expected[mode](), (mode, claims)


def test_misbehave_refuses_an_unknown_mode(idp):
    with pytest.raises(ValueError, match="unknown misbehaviour"):
        idp.misbehave("kent", "be_nice")


def test_rotation_signs_with_a_new_key_and_keeps_the_old_one_published(http):
    with start_provider() as idp:
        old_start, old = tokens(http, idp)
        idp.rotate_keys("kent")
        new_start_, new = tokens(http, idp)
        jwks = jwks_of(http, idp, "kent")
        kids = [key["kid"] for key in jwks["keys"]]
        assert len(kids) == 2 and kid_of(old["id_token"]) == kids[0]
        assert kid_of(new["id_token"]) == kids[1]
        verify(old["id_token"], jwks, idp.issuer("kent"), old_start)
        verify(new["id_token"], jwks, idp.issuer("kent"), new_start_)
        assert len(jwks_of(http, idp, "avon")["keys"]) == 1
        idp.drop_old_keys("kent")
        jwks = jwks_of(http, idp, "kent")
        assert [key["kid"] for key in jwks["keys"]] == [kids[1]]
        with pytest.raises(InvalidKeyIdError):
            verify(old["id_token"], jwks, idp.issuer("kent"), old_start)


def kid_of(id_token: str) -> str:
    return jws.extract_compact(id_token.encode()).protected["kid"]


def test_logout_redirects_only_to_a_registered_address(idp, http):
    _, answer = tokens(http, idp)
    logout = f"{idp.issuer('kent')}/logout"
    hint = answer["id_token"]
    ok = http.get(f"{logout}?{logout_query(hint, signed_out('kent'), 'abc')}")
    assert ok.status == 302 and ok.location == f"{signed_out('kent')}?state=abc"
    for target in (signed_out("avon"), "https://evil.example/", signed_out("kent") + "/"):
        refused = http.get(f"{logout}?{logout_query(hint, target, 'abc')}")
        assert refused.status == 400 and refused.location is None
        assert_valid_html(refused.text)
    no_client = http.get(f"{logout}?{logout_query(None, signed_out('kent'), 'abc')}")
    assert no_client.status == 400 and no_client.location is None


def test_logout_refuses_a_hint_from_another_force_and_otherwise_says_signed_out(idp, http):
    _, avon = tokens(http, idp, "avon")
    logout = f"{idp.issuer('kent')}/logout"
    assert http.get(f"{logout}?{logout_query(avon['id_token'], None, None)}").status == 400
    plain = http.get(logout)
    assert plain.status == 200 and "You have signed out" in plain.text
    assert_valid_html(plain.text)


def logout_query(hint: str | None, target: str | None, state: str | None) -> str:
    params = {"id_token_hint": hint, "post_logout_redirect_uri": target, "state": state}
    return urlencode({key: value for key, value in params.items() if value is not None})


def test_demo_issuers_give_each_force_three_accounts_and_one_client():
    kent, avon = demo_issuers(FORCES, callback, signed_out)
    users = {user.username: user for user in kent.users}
    assert {name: user.roles for name, user in users.items()} == {
        "officer": ("tmc-officer",),
        "supervisor": ("tmc-officer", "tmc-supervisor"),
        "admin": ("tmc-admin",),
    }
    assert users["officer"].password == "officer-kent-demo"
    assert kent.clients == (
        DemoClient("trackmycrime-kent", "trackmycrime-kent-demo-secret",
                   (callback("kent"),), (signed_out("kent"),)),
    )  # fmt: skip
    subjects = {
        issuer.slug: [u.subject(issuer.slug) for u in issuer.users] for issuer in (kent, avon)
    }
    assert not set(subjects["kent"]) & set(subjects["avon"])
    again = demo_issuers(FORCES, callback, signed_out)[0]
    assert [u.subject("kent") for u in again.users] == subjects["kent"]  # survives a restart
