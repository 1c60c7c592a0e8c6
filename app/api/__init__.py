"""The records-system API: a force's crime system creates cases, adds victims and
posts what happened, so an update typed once reaches the victim.

Per force at <force>.<BASE_DOMAIN>/api/v1/: OAuth 2.0 client credentials (clients made
with `flask api-clients`), JSON in and out, RFC 9457 problems for every error, the
OpenAPI 3.1 document at /api/v1/openapi.json and a page for developers at /api/v1/docs.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from flask_limiter import ExemptionScope
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from app import errors
from app.api import docs, token, views  # noqa: F401 - their routes register on bp
from app.api.blueprint import PREFIX, TOKEN_ENDPOINT, bp
from app.api.cli import api_clients_cli
from app.api.clients import authenticate
from app.api.credentials import read_token
from app.api.problems import from_http_error
from app.extensions import csrf
from tenants.extension import current_scope
from tenants.keys import rate_limit_key

__all__ = ["init_app"]

DEFAULT_API_RATE_LIMIT = "600 per minute"
DEFAULT_TOKEN_RATE_LIMIT = "30 per minute"  # noqa: S105 - a rate, not a secret


def _outside_routes(error: HTTPException) -> ResponseReturnValue:
    """404 and 405 under /api/v1/ are problems too (no blueprint matched to handle them)."""
    if request.path.startswith(PREFIX + "/"):
        return from_http_error(error)
    return errors.render_error(error)


def _limit_key() -> str:
    """Per client: the bearer token's client, else the client id claimed at /token (with
    the caller's address, so nobody can spend another's budget), else the address."""
    scope, address = current_scope().key, request.remote_addr or "unknown"
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        found = read_token(scope, header[7:].strip()) if current_scope().force else None
        if found is not None:
            return rate_limit_key(scope, "api", found.client_id)
    auth = request.authorization
    claimed = (auth.username or "")[:64] if auth and auth.type == "basic" else ""
    return rate_limit_key(scope, "api", address, claimed)


def _limit_value() -> str:
    """The token endpoint's budget is smaller: it is where secrets are guessed."""
    if request.endpoint == TOKEN_ENDPOINT:
        return str(current_app.config["API_TOKEN_RATE_LIMIT"])
    return str(current_app.config["API_RATE_LIMIT"])


def _init_limits(app: Flask) -> None:
    # Flask-Limiter keeps the app's limiters as a set (create_app makes exactly one).
    limiters: set[Any] = app.extensions["limiter"]
    for limiter in limiters:
        limiter.limit(_limit_value, key_func=_limit_key)(bp)
        # The API has its own per-client budget instead of the site's per-address one.
        limiter.exempt(bp, flags=ExemptionScope.APPLICATION)


def init_app(app: Flask) -> None:
    app.config.setdefault("API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT)
    app.config.setdefault("API_TOKEN_RATE_LIMIT", DEFAULT_TOKEN_RATE_LIMIT)
    csrf.exempt(bp)  # bearer tokens, never cookies: there is no session to forge
    app.register_blueprint(bp)
    app.register_error_handler(NotFound, _outside_routes)
    app.register_error_handler(MethodNotAllowed, _outside_routes)
    app.extensions["api_authenticator"] = authenticate
    _init_limits(app)
    app.cli.add_command(api_clients_cli)
