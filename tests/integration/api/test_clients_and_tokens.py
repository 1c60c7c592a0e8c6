"""api-clients create/list/revoke, the token endpoint, and who a token lets in."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from app.api import credentials
from tests.integration.api.conftest import (
    DYFED,
    KENT,
    Api,
    Credentials,
    assert_problem,
    basic,
    count,
    create_client,
    fetch_token,
    host,
)


def cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


# --- CLI -----------------------------------------------------------------------------


def test_create_prints_the_secret_once_and_keeps_only_its_hmac(app, admin_engine):
    creds = create_client(app, KENT, "cases:read")
    with admin_engine.connect() as conn:
        row = conn.execute(
            text("SELECT client_id, name, secret_hash, scopes FROM t_kent.api_client")
        ).one()
    assert row.client_id == creds.client_id and row.name == "Kent RMS"
    assert creds.secret not in row.secret_hash
    assert row.secret_hash.startswith("hmac-sha256$") and len(row.secret_hash) == 12 + 64
    assert row.scopes == ["cases:read"]
    listed = cli(app, "api-clients", "list", KENT)
    assert creds.client_id in listed.output and creds.secret not in listed.output
    assert "active" in listed.output and "Kent RMS" in listed.output
    with admin_engine.connect() as conn:
        tags = conn.execute(text("SELECT tag, actor_type FROM t_kent.audit_event")).all()
    assert ("api:client-created", "cli") in [tuple(t) for t in tags]


def test_create_without_scopes_grants_both(app):
    creds = create_client(app, KENT)
    assert "cases:read cases:write" in cli(app, "api-clients", "list", KENT).output
    assert creds.secret.startswith("tmcs_")


def test_cli_refuses_unknown_force_scope_and_empty_name(app, admin_engine):
    assert cli(app, "api-clients", "create", "nowhere", "--name", "X").exit_code != 0
    assert cli(app, "api-clients", "create", KENT, "--name", "X", "--scope", "admin").exit_code != 0
    assert cli(app, "api-clients", "create", KENT, "--name", "  ").exit_code != 0
    assert cli(app, "api-clients", "revoke", KENT, "tmc_missing").exit_code != 0
    assert count(admin_engine, "api_client") == 0


def test_clients_belong_to_their_force(app):
    creds = create_client(app, KENT)
    assert creds.client_id not in cli(app, "api-clients", "list", DYFED).output
    assert cli(app, "api-clients", "revoke", DYFED, creds.client_id).exit_code != 0


def test_revoke_stops_new_tokens_and_live_tokens_at_once(app, client, kent_creds):
    token = fetch_token(client, kent_creds).json["access_token"]
    api = Api(client, KENT, token)
    assert api.get("/cases").status_code == 200
    result = cli(app, "api-clients", "revoke", KENT, kent_creds.client_id)
    assert result.exit_code == 0, result.output
    assert_problem(api.get("/cases"), 401, "unauthorized")
    assert_problem(fetch_token(client, kent_creds), 401, "invalid-client")
    assert "revoked" in cli(app, "api-clients", "list", KENT).output


# --- the token endpoint ----------------------------------------------------------------


def test_token_for_good_credentials(client, kent_creds):
    response = fetch_token(client, kent_creds)
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["scope"] == "cases:read cases:write"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("asked", "granted"),
    [("cases:read", "cases:read"), ("cases:write cases:read", "cases:write cases:read")],
)
def test_scope_can_be_narrowed(client, kent_creds, asked, granted):
    response = fetch_token(client, kent_creds, scope=asked)
    assert response.status_code == 200 and response.json["scope"] == granted


def test_a_narrowed_token_cannot_write(client, kent_creds):
    token = fetch_token(client, kent_creds, scope="cases:read").json["access_token"]
    api = Api(client, KENT, token)
    assert api.get("/cases").status_code == 200
    body = assert_problem(api.post("/cases", json={}), 403, "insufficient-scope")
    assert "cases:write" in body["detail"]


def test_a_scope_the_client_lacks_is_refused(app, client):
    creds = create_client(app, KENT, "cases:read")
    body = assert_problem(fetch_token(client, creds, scope="cases:write"), 400, "bad-request")
    assert body["error"] == "invalid_scope"


def test_bad_secret_and_unknown_client(client, kent_creds):
    wrong = Credentials(KENT, kent_creds.client_id, kent_creds.secret + "x")
    body = assert_problem(fetch_token(client, wrong), 401, "invalid-client")
    assert body["error"] == "invalid_client"
    unknown = Credentials(KENT, "tmc_000000000000000000000000", kent_creds.secret)
    assert_problem(fetch_token(client, unknown), 401, "invalid-client")


def test_a_client_of_force_a_gets_no_token_on_force_b(client, kent_creds):
    assert_problem(fetch_token(client, kent_creds, on=DYFED), 401, "invalid-client")


def test_wrong_grant_type(client, kent_creds):
    response = client.post(
        "/api/v1/token",
        data={"grant_type": "password"},
        headers={**host(KENT), "Authorization": basic(kent_creds.client_id, kent_creds.secret)},
    )
    assert assert_problem(response, 400)["error"] == "unsupported_grant_type"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer abc"}, {"Authorization": "Basic !!!"}],
    ids=["none", "bearer", "garbled"],
)
def test_missing_client_authentication(client, headers):
    response = client.post(
        "/api/v1/token",
        data={"grant_type": "client_credentials"},
        headers={**host(KENT), **headers},
    )
    body = assert_problem(response, 401, "invalid-client")
    assert body["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_token_request_must_be_a_form(client, kent_creds):
    response = client.post(
        "/api/v1/token",
        json={"grant_type": "client_credentials"},
        headers={**host(KENT), "Authorization": basic(kent_creds.client_id, kent_creds.secret)},
    )
    assert_problem(response, 415, "unsupported-media-type")


def test_token_request_without_grant_type(client, kent_creds):
    response = client.post(
        "/api/v1/token",
        data={"scope": "cases:read"},
        headers={**host(KENT), "Authorization": basic(kent_creds.client_id, kent_creds.secret)},
    )
    assert assert_problem(response, 400)["error"] == "invalid_request"


# --- bearer tokens -----------------------------------------------------------------------


def test_a_token_of_force_a_is_refused_on_force_b(client, kent_api):
    other = Api(client, DYFED, kent_api.token)
    response = other.get("/cases")
    assert_problem(response, 401, "unauthorized")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_kent_token_on_dyfed_cannot_learn_of_a_dyfed_client_with_the_same_id(app, client):
    """Even were ids to collide, the token's signature and audience are per force."""
    kent = create_client(app, KENT)
    token = fetch_token(client, kent).json["access_token"]
    with app.app_context():
        forged_for_dyfed = credentials.issue_token(DYFED, kent.client_id, ("cases:read",))
    assert forged_for_dyfed != token
    assert_problem(Api(client, DYFED, token).get("/cases"), 401)
    # a token minted for dyfed names a client dyfed does not have
    assert_problem(Api(client, DYFED, forged_for_dyfed).get("/cases"), 401)


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer ", "Bearer not.a.jwt", "Basic abc", "Bearer " + "a" * 5000, "Token x"],
)
def test_malformed_tokens(client, authorization):
    headers = {**host(KENT), "Authorization": authorization} if authorization else host(KENT)
    response = client.get("/api/v1/cases", headers=headers)
    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token(app, client, kent_creds, monkeypatch):
    with app.app_context():
        monkeypatch.setattr(credentials, "TOKEN_LIFETIME_SECONDS", -1)
        token = credentials.issue_token(KENT, kent_creds.client_id, ("cases:read",))
    assert_problem(Api(client, KENT, token).get("/cases"), 401, "unauthorized")


def test_a_tampered_token(client, kent_api):
    header, claims, signature = kent_api.token.split(".")
    tampered = ".".join([header, claims, signature[::-1]])
    assert_problem(Api(client, KENT, tampered).get("/cases"), 401)


def test_a_token_signed_with_another_key(app, client, kent_creds):
    from joserfc import jwt
    from joserfc.jwk import OctKey

    claims = {"iss": "trackmycrime", "aud": "force:kent", "sub": kent_creds.client_id,
              "scope": "cases:read", "exp": int(time.time()) + 60}  # fmt: skip
    forged = jwt.encode({"alg": "HS256", "typ": "at+jwt"}, claims, OctKey.import_key(b"k" * 32))
    assert_problem(Api(client, KENT, forged).get("/cases"), 401)


def test_a_session_cookie_is_no_api_credential(app, client):
    from tests.support.officers import as_officer

    as_officer(app, client, KENT)
    assert_problem(client.get("/api/v1/cases", headers=host(KENT)), 401)
