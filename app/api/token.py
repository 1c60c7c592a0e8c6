"""POST /api/v1/token: OAuth 2.0 client credentials (RFC 6749 section 4.4).

The client authenticates with HTTP Basic (client_secret_basic); the answer is a
bearer token for this force only, with the scopes asked for (all the client holds if
none are named). Errors carry both RFC 6749's `error` and RFC 9457's problem members.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote_plus

from flask import g, request
from pydantic import ValidationError

from app.api import credentials, schemas
from app.api.blueprint import ApiTag, bp
from app.api.clients import live_client
from app.api.openapi import field_errors, operation
from app.api.problems import Problem
from app.audit import record
from app.auth.access import public
from tenants.extension import current_force

FORM = "application/x-www-form-urlencoded"
log = logging.getLogger("app.api")


def oauth_error(slug: str, error: str, detail: str, **headers: str) -> Problem:
    return Problem(
        slug, detail, extra={"error": error, "error_description": detail}, headers=headers
    )


def _invalid_request(
    _req: Any, _resp: Any, error: Exception | None, _instance: Any, _adapter: Any
) -> None:
    if isinstance(error, ValidationError):
        problem = oauth_error("bad-request", "invalid_request", "The token request is malformed.")
        problem.extra["errors"] = field_errors(error, "body")
        raise problem


def _client_credentials() -> tuple[str, str]:
    auth = request.authorization
    if auth is None or auth.type != "basic" or not auth.username or not auth.password:
        raise oauth_error(
            "invalid-client",
            "invalid_client",
            "Authenticate the client with HTTP Basic: client_id and secret.",
            **{"WWW-Authenticate": 'Basic realm="api"'},
        )
    return unquote_plus(auth.username), unquote_plus(auth.password)


def _granted(asked: str | None, held: list[str]) -> tuple[str, ...]:
    if not asked:
        return tuple(held)
    wanted = tuple(dict.fromkeys(asked.split()))
    if not set(wanted) <= set(held):
        raise oauth_error(
            "bad-request", "invalid_scope", "The client may not have one of the scopes asked for."
        )
    return wanted


@bp.post("/token")
@public
@operation(
    "issueToken",
    responses={200: schemas.TokenResponse},
    errors=(400, 401, 413, 415, 429),
    basic_auth=True,
    tag="Authentication",
    form=schemas.TokenRequest,
    before=_invalid_request,
    validation_error_status=400,
)
def issue_token(form: schemas.TokenRequest) -> Any:
    """Get an access token

    OAuth 2.0 client credentials with HTTP Basic client authentication. The token lasts
    15 minutes and works on this force's site only.
    """
    if request.mimetype != FORM:
        raise Problem("unsupported-media-type", f"Send the token request as {FORM}.")
    client_id, secret = _client_credentials()
    client = live_client(client_id)
    if client is None or not credentials.secret_matches(secret, client.secret_hash):
        # No audit row: a refusal rolls the request back. The id is no personal data.
        log.warning("API token refused", extra={"client": client_id[:64]})
        raise oauth_error(
            "invalid-client",
            "invalid_client",
            "The client id and secret were not recognised.",
            **{"WWW-Authenticate": 'Basic realm="api"'},
        )
    if form.grant_type != "client_credentials":
        raise oauth_error(
            "bad-request", "unsupported_grant_type", "Only client_credentials is supported."
        )
    scopes = _granted(form.scope, client.scopes)
    g.audit_actor = ("api_client", client.client_id)
    token = credentials.issue_token(current_force().slug, client.client_id, scopes)
    record(ApiTag.TOKEN_ISSUED, record_type="api_client", record_id=client.id, scopes=list(scopes))
    return (
        schemas.TokenResponse(
            access_token=token,
            token_type="Bearer",  # noqa: S106 - the OAuth token type
            expires_in=credentials.TOKEN_LIFETIME_SECONDS,
            scope=" ".join(scopes),
        ),
        200,
        {"Pragma": "no-cache"},
    )
