"""Officer sign-in end to end against a certified OpenID provider: panva's oidc-provider
on the machine's Node (tests/oidc), on loopback, enforcing PKCE and exact redirect URIs.

Kent's IdP is pointed at it the way `tenants idp` does (discovery checked, secret
sealed); the officer signs in through its development login and consent pages, lands on
the caseload with the role Kent's claim mapping gives, and signs out through its
end-session endpoint. Without Node this module is skipped with the reason; with CI=true
it fails (tests/oidc/fixtures.py).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
from authlib.common.security import generate_token

from app.auth.idp import build, check_issuer
from app.officers.signin import PENDING_KEY
from tenants.extension import tenancy
from tests.integration.officers.support import audit, is_signed_in, officers, page_token
from tests.oidc.fixtures import (
    PanvaClient,
    PanvaConfig,
    PanvaProvider,
    confirm_dev_logout,
    panva_provider,
    sign_in_with_dev_interactions,
)
from tests.support.officers import (
    ROLE_VALUES,
    callback_url,
    connect_force,
    finish,
    host,
    signed_out_url,
    start_sign_in,
)

CLIENT = PanvaClient(
    "trackmycrime-kent-e2e",
    "kent-e2e-secret-not-the-demo-one",
    (callback_url("kent"),),
    (signed_out_url("kent"),),
)
SUPERVISOR = "kent-supervisor-7"
ACCOUNTS = {
    SUPERVISOR: {
        "name": "PS Sam Patel",
        "email": "sam.patel@kent.police.example",
        "roles": ["tmc-officer", "tmc-supervisor"],
        "collar_number": "KE1002",
        "team": "Response Team A",
    },
    "kent-visitor-9": {"name": "A Visitor", "email": "visitor@kent.example", "roles": []},
}


@pytest.fixture(scope="module")
def panva() -> Iterator[PanvaProvider]:
    with panva_provider(PanvaConfig(clients=(CLIENT,), accounts=ACCOUNTS)) as provider:
        yield provider


@pytest.fixture
def kent_on_panva(app, idp, panva) -> Iterator[PanvaProvider]:
    """Kent's officers sign in at panva's provider; Kent goes back to the demo one after."""
    with app.app_context():
        check_issuer(panva.issuer, allow_insecure=True)  # as `tenants idp` does first
        t = tenancy()
        settings = build(
            issuer=panva.issuer,
            client_id=CLIENT.client_id,
            client_secret=CLIENT.client_secret,
            role_claim="roles",
            role_values=ROLE_VALUES,
            box=t.secret_box(),
        )
        t.set_idp("kent", settings.to_mapping(), ("system", None))
    yield panva
    with app.app_context():
        connect_force("kent", idp.issuer("kent"))


def sign_in_at_panva(client, account: str) -> str:
    """From the app's sign-in button to panva's redirect back (the callback URL)."""
    authorize = start_sign_in(client, "kent")
    return sign_in_with_dev_interactions(authorize, account, callback_url("kent"))


def test_an_officer_signs_in_and_out_through_the_certified_provider(app, client, kent_on_panva):
    panva = kent_on_panva
    authorize = start_sign_in(client, "kent")
    assert authorize.startswith(panva.issuer), authorize
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
    assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]

    callback = sign_in_with_dev_interactions(authorize, SUPERVISOR, callback_url("kent"))
    response = finish(client, "kent", callback)

    assert response.status_code == 302, panva.log()
    assert response.headers["Location"].endswith("/officer/")
    assert officers(app, "kent") == [("supervisor", panva.issuer, "Response Team A")]
    team = client.get("/officer/team", headers=host("kent"))
    assert team.status_code == 200 and "Response Team A" in team.text

    token = page_token(client, "kent")
    signed_out = client.post("/officer/sign-out", headers=host("kent"), data={"csrf_token": token})
    end_session = signed_out.headers["Location"]
    assert end_session.startswith(panva.issuer) and "id_token_hint=" in end_session
    back = confirm_dev_logout(end_session)
    assert back.location is not None and back.location.startswith(signed_out_url("kent"))
    assert not is_signed_in(client, "kent")


def test_the_certified_provider_refuses_a_wrong_pkce_verifier(app, client, kent_on_panva):
    callback = sign_in_at_panva(client, SUPERVISOR)
    with client.session_transaction(headers=host("kent")) as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "verifier": generate_token(64)}

    response = finish(client, "kent", callback)

    assert response.headers["Location"].endswith("/officer/sign-in/problem?reason=failed")
    assert [row.detail["reason"] for row in audit(app, "kent", "officer:sign-in-failed")] == [
        "code_exchange_failed"
    ]
    assert not is_signed_in(client, "kent") and officers(app, "kent") == []


def test_an_account_without_a_mapped_role_is_refused(app, client, kent_on_panva):
    response = finish(client, "kent", sign_in_at_panva(client, "kent-visitor-9"))

    assert response.headers["Location"].endswith("/officer/sign-in/problem?reason=no_role")
    refused = audit(app, "kent", "officer:sign-in-refused")
    assert [row.detail["reason"] for row in refused] == ["no_mapped_role"]
    assert officers(app, "kent") == []
