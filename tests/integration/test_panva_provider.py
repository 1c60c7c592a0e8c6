"""The certified provider (panva's oidc-provider on Node, tests/oidc) starts and behaves
as the end-to-end officer sign-in test needs: discovery, a code flow with PKCE driven
through its development login pages, roles in the id_token, PKCE enforced, logout.

Skipped without Node (failed in CI, where it must run). No database.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from tests.oidc import fixtures
from tests.oidc.fixtures import (
    PanvaClient,
    PanvaConfig,
    PanvaProvider,
    confirm_dev_logout,
    panva_provider,
    sign_in_with_dev_interactions,
)
from tests.oidc.flow import AuthStart
from tests.oidc.http_client import HttpClient, basic_auth, query_of

# Nothing listens on these: the tests read the redirects, never follow them.
CALLBACK = "http://kent.localhost:9/officer/auth/callback"
SIGNED_OUT = "http://kent.localhost:9/officer/signed-out"
CLIENT = PanvaClient("trackmycrime-kent", "kent-test-secret", (CALLBACK,), (SIGNED_OUT,))
ACCOUNT = {
    "name": "PS Sam Patel",
    "email": "supervisor@kent.police.example",
    "roles": ["tmc-officer", "tmc-supervisor"],
    "collar_number": "KE1002",
    "team": "Response Team A",
}


@pytest.fixture(scope="module")
def panva() -> Iterator[PanvaProvider]:
    """One Node provider for this module: one client, one account."""
    with panva_provider(PanvaConfig(clients=(CLIENT,), accounts={"kent-42": ACCOUNT})) as found:
        yield found


@pytest.fixture(scope="module")
def discovery(panva: PanvaProvider) -> dict:
    answer = HttpClient().get(f"{panva.issuer}/.well-known/openid-configuration")
    assert answer.status == 200, panva.log()
    return answer.json()


def sign_in(discovery: dict, start: AuthStart, **overrides: str | None) -> dict[str, str]:
    url = start.url(discovery["authorization_endpoint"], **overrides)
    return query_of(sign_in_with_dev_interactions(url, "kent-42", CALLBACK))


def test_the_provider_starts_on_loopback_and_describes_itself(panva, discovery):
    assert panva.issuer.startswith("http://127.0.0.1:")
    assert discovery["issuer"] == panva.issuer
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert discovery["end_session_endpoint"].startswith(panva.issuer)
    assert "roles" in discovery["claims_supported"]


def test_a_code_flow_with_pkce_gives_an_id_token_with_the_roles(panva, discovery):
    start = AuthStart(client_id=CLIENT.client_id, redirect_uri=CALLBACK)
    back = sign_in(discovery, start)
    assert back["state"] == start.state and back["iss"] == panva.issuer
    answer = HttpClient().post(
        discovery["token_endpoint"], start.token_form(back["code"]),
        basic_auth(CLIENT.client_id, CLIENT.client_secret),
    )  # fmt: skip
    assert answer.status == 200, answer.text
    jwks = HttpClient().get(discovery["jwks_uri"]).json()
    token = jwt.decode(answer.json()["id_token"], KeySet.import_key_set(jwks), ["RS256"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": panva.issuer},
        aud={"essential": True, "value": CLIENT.client_id},
        nonce={"essential": True, "value": start.nonce},
    ).validate(token.claims)
    assert token.claims["sub"] == "kent-42"
    assert {key: token.claims[key] for key in ACCOUNT} == ACCOUNT


@pytest.mark.parametrize(
    "overrides",
    [{"code_challenge": None, "code_challenge_method": None}, {"code_challenge_method": "plain"}],
)
def test_a_flow_without_pkce_s256_is_refused(discovery, overrides):
    back = sign_in(discovery, AuthStart(client_id=CLIENT.client_id, redirect_uri=CALLBACK),
                   **overrides)  # fmt: skip
    assert back["error"] == "invalid_request" and "code" not in back


def test_a_wrong_verifier_is_refused(discovery):
    start = AuthStart(client_id=CLIENT.client_id, redirect_uri=CALLBACK)
    back = sign_in(discovery, start)
    other = AuthStart(client_id=CLIENT.client_id, redirect_uri=CALLBACK)
    answer = HttpClient().post(
        discovery["token_endpoint"], start.token_form(back["code"], code_verifier=other.verifier),
        basic_auth(CLIENT.client_id, CLIENT.client_secret),
    )  # fmt: skip
    assert answer.status == 400 and answer.json()["error"] == "invalid_grant"


def test_logout_confirms_then_returns_to_the_registered_address(discovery):
    client = HttpClient()
    start = AuthStart(client_id=CLIENT.client_id, redirect_uri=CALLBACK)
    url = start.url(discovery["authorization_endpoint"])
    back = query_of(sign_in_with_dev_interactions(url, "kent-42", CALLBACK, client))
    tokens = client.post(
        discovery["token_endpoint"], start.token_form(back["code"]),
        basic_auth(CLIENT.client_id, CLIENT.client_secret),
    ).json()  # fmt: skip
    query = {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": SIGNED_OUT,
             "state": "bye"}  # fmt: skip
    answer = confirm_dev_logout(f"{discovery['end_session_endpoint']}?{urlencode(query)}", client)
    assert answer.location == f"{SIGNED_OUT}?state=bye"


@pytest.mark.parametrize(
    ("ci", "outcome"), [("", pytest.skip.Exception), ("true", pytest.fail.Exception)]
)
def test_without_node_the_test_is_skipped_except_in_ci(monkeypatch, ci, outcome):
    monkeypatch.setattr(fixtures.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome):
        fixtures.node_tools()
