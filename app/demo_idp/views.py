"""HTTP side of the demo provider: one blueprint mounted at /<slug> serves every issuer.

Requests the provider cannot tie to a registered client and redirect URI get an error
page, never a redirect; once both are known, protocol errors go back to the client as
`?error=…&state=…`, as OAuth 2.0 says.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from typing import Any
from urllib.parse import unquote_plus, urlencode

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from joserfc.errors import JoseError
from werkzeug.wrappers import Response as BaseResponse

from app.demo_idp.config import PENDING_TTL, DemoClient, DemoIssuer, DemoUser
from app.demo_idp.provider import AuthRequest, DemoProvider, IssuerState

bp = Blueprint("demo_idp", __name__, url_prefix="/<slug>")

# RFC 7636: a challenge is base64url(SHA-256), a verifier 43-128 unreserved characters.
_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
_SINGLE_VALUED = ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce",
                  "code_challenge", "code_challenge_method")  # fmt: skip


def create_provider_app(base_url: str, issuers: list[DemoIssuer]) -> Flask:
    """A Flask app serving each issuer at `{base_url}/{slug}` (development and tests)."""
    application = Flask(__name__)
    application.extensions["demo_idp"] = DemoProvider(base_url, issuers)
    application.register_blueprint(bp)
    application.after_request(_security_headers)
    return application


def provider_of(application: Flask) -> DemoProvider:
    found: DemoProvider = application.extensions["demo_idp"]
    return found


@bp.url_value_preprocessor
def _find_issuer(endpoint: str | None, values: dict[str, Any] | None) -> None:
    slug = (values or {}).pop("slug", "")
    found = provider_of(current_app).issuers.get(slug)
    if found is None:
        abort(404)
    g.issuer = found


@bp.url_defaults
def _add_slug(endpoint: str, values: dict[str, Any]) -> None:
    values.setdefault("slug", g.issuer.config.slug)


def _issuer() -> IssuerState:
    found: IssuerState = g.issuer
    return found


@bp.get("/.well-known/openid-configuration")
def discovery() -> Response:
    url = _issuer().url
    return jsonify(
        issuer=url,
        authorization_endpoint=f"{url}/authorize",
        token_endpoint=f"{url}/token",
        jwks_uri=f"{url}/jwks",
        userinfo_endpoint=f"{url}/userinfo",
        end_session_endpoint=f"{url}/logout",
        response_types_supported=["code"],
        response_modes_supported=["query"],
        grant_types_supported=["authorization_code"],
        subject_types_supported=["public"],
        code_challenge_methods_supported=["S256"],
        id_token_signing_alg_values_supported=["RS256"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        scopes_supported=["openid", "profile", "email"],
        claims_supported=_claims_supported(_issuer().config),
        authorization_response_iss_parameter_supported=True,
    )


def _claims_supported(config: DemoIssuer) -> list[str]:
    return ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "name", "email",
            config.role_claim, "collar_number", "team"]  # fmt: skip


@bp.get("/jwks")
def jwks() -> Response:
    return jsonify(_issuer().keys.jwks())


@bp.get("/authorize")
def authorize() -> ResponseReturnValue:
    args = request.args
    client = _issuer().config.client(args.get("client_id", ""))
    if client is None:
        return _message(400, "Unknown application", "No application with this id is registered.")
    if args.get("redirect_uri") not in client.redirect_uris:
        return _message(400, "Unknown return address",
                        "The application's return address is not registered here.")  # fmt: skip
    problem = _authorize_problem()
    if problem:
        return _back_to_client(args["redirect_uri"], args.get("state"), error=problem[0],
                               error_description=problem[1])  # fmt: skip
    request_id = _issuer().start_sign_in(_auth_request(client))
    return _sign_in_page(request_id, client.client_id, args.get("login_hint", ""))


def _authorize_problem() -> tuple[str, str] | None:
    """The first thing wrong with a request from a known client, as (error, description)."""
    args = request.args
    checks = (
        (any(len(args.getlist(k)) > 1 for k in _SINGLE_VALUED),
         "invalid_request", "a parameter is repeated"),
        (args.get("response_type") != "code", "unsupported_response_type", "use code"),
        ("openid" not in args.get("scope", "").split(), "invalid_scope", "openid is required"),
        (not args.get("state"), "invalid_request", "state is required"),
        (not args.get("nonce"), "invalid_request", "nonce is required"),
        (not _CHALLENGE.match(args.get("code_challenge", "")),
         "invalid_request", "code_challenge (PKCE, S256) is required"),
        (args.get("code_challenge_method") != "S256",
         "invalid_request", "code_challenge_method must be S256"),
    )  # fmt: skip
    return next(((error, text) for failed, error, text in checks if failed), None)


def _auth_request(client: DemoClient) -> AuthRequest:
    args = request.args
    return AuthRequest(
        client_id=client.client_id,
        redirect_uri=args["redirect_uri"],
        scope=args["scope"],
        state=args["state"],
        nonce=args["nonce"],
        code_challenge=args["code_challenge"],
        expires_at=time.time() + PENDING_TTL,
    )


@bp.post("/authorize")
def sign_in() -> ResponseReturnValue:
    form = request.form
    request_id = form.get("request_id", "")
    pending = _issuer().pending(request_id)
    if pending is None:
        return _message(400, "This sign-in has expired",
                        "Go back to the application and start signing in again.")  # fmt: skip
    if form.get("action") == "cancel":
        _issuer().cancel(request_id)
        return _back_to_client(pending.redirect_uri, pending.state, error="access_denied")
    user = _check_password(form.get("username", ""), form.get("password", ""))
    issued = _issuer().issue_code(request_id, user) if user else None
    if issued is None:
        return _sign_in_page(request_id, pending.client_id, form.get("username", ""), error=True)
    code, done = issued
    return _back_to_client(done.redirect_uri, done.state, code=code, iss=_issuer().url)


def _check_password(username: str, password: str) -> DemoUser | None:
    user = _issuer().config.user(username)
    # Compare even for an unknown username, so both failures take the same time.
    expected = user.password if user else "\0unknown user"
    same = hmac.compare_digest(expected.encode(), password.encode())
    return user if user and same else None


def _sign_in_page(
    request_id: str, client_id: str, username: str, error: bool = False
) -> tuple[str, int]:
    page = render_template(
        "demo_idp/sign_in.html", force_name=_issuer().config.name, request_id=request_id,
        client_id=client_id, username=username, error=error,
    )  # fmt: skip
    return page, 200


@bp.post("/token")
def token() -> ResponseReturnValue:
    client = _authenticate_client()
    if isinstance(client, Response):
        return client
    if request.form.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type", "only authorization_code")
    code = request.form.get("code", "")
    grant = _issuer().redeem_code(code)
    if grant is None:
        return _token_error("invalid_grant", "the code is unknown, used or expired")
    if grant.request.client_id != client.client_id:
        return _token_error("invalid_grant", "the code was issued to another client")
    if request.form.get("redirect_uri") != grant.request.redirect_uri:
        return _token_error("invalid_grant", "redirect_uri differs from the authorization's")
    if not _pkce_matches(request.form.get("code_verifier", ""), grant.request.code_challenge):
        return _token_error("invalid_grant", "code_verifier does not match code_challenge")
    return _no_store(jsonify(_issuer().issue_tokens(code, grant)))


def _pkce_matches(verifier: str, challenge: str) -> bool:
    if not _VERIFIER.match(verifier):
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return hmac.compare_digest(expected, challenge)


def _authenticate_client() -> DemoClient | Response:
    """client_secret_basic or client_secret_post, never both at once (RFC 6749 2.3);
    the client, or the error response."""
    auth = request.authorization
    basic = auth is not None and auth.type == "basic"
    if basic and "client_secret" in request.form:
        return _token_error("invalid_request", "use one client authentication method")
    if basic and auth is not None:
        # RFC 6749 2.3.1: both halves are form-urlencoded before base64.
        client_id, secret = unquote_plus(auth.username or ""), unquote_plus(auth.password or "")
    else:
        client_id = request.form.get("client_id", "")
        secret = request.form.get("client_secret", "")
    client = _issuer().config.client(client_id)
    posted_id = request.form.get("client_id", client_id)
    expected = client.client_secret if client else "\0unknown client"
    if client is None or posted_id != client_id or not _same(expected, secret):
        failure = _token_error("invalid_client", "client authentication failed", 401)
        failure.headers["WWW-Authenticate"] = 'Basic realm="demo-idp"'
        return failure
    return client


def _same(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo() -> Response:
    auth = request.authorization
    access_token = auth.token if auth is not None and auth.type == "bearer" else None
    claims = _issuer().userinfo(access_token) if access_token else None
    if claims is None:
        response = jsonify(error="invalid_token")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    return _no_store(jsonify(claims))


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> ResponseReturnValue:
    """RP-initiated logout. The demo keeps no sign-in session, so there is nothing to end
    here; what matters is where the user may be sent afterwards."""
    target = request.values.get("post_logout_redirect_uri")
    try:
        client = _logout_client()
    except ValueError:
        return _message(400, "Sign-out request not valid", "The sign-out request was altered.")
    if target and (client is None or target not in client.post_logout_redirect_uris):
        return _message(400, "Sign-out request not valid",
                        "The application asked to return to an address that is not "
                        "registered for it.")  # fmt: skip
    if target:
        return _back_to_client(target, request.values.get("state"))
    return _message(200, "You have signed out", "You can close this window.")


def _logout_client() -> DemoClient | None:
    """The client named by client_id and/or id_token_hint (which must be a token this
    issuer signed). ValueError when the hint is not valid or names another client."""
    client_id = request.values.get("client_id")
    hint = request.values.get("id_token_hint")
    if hint:
        try:
            claims = _issuer().keys.verify(hint)
        except JoseError as error:
            raise ValueError("id_token_hint does not verify") from error
        audience = claims.get("aud")
        hinted = audience[0] if isinstance(audience, list) and audience else audience
        if claims.get("iss") != _issuer().url or client_id not in (None, hinted):
            raise ValueError("id_token_hint is not for this issuer and client")
        client_id = hinted if isinstance(hinted, str) else None
    return _issuer().config.client(client_id) if client_id else None


def _back_to_client(uri: str, state: str | None, **params: str) -> BaseResponse:
    """Redirect to a URI already checked against the client's registration."""
    if state:
        params["state"] = state
    separator = "&" if "?" in uri else "?"
    return redirect(f"{uri}{separator}{urlencode(params)}" if params else uri, code=302)


def _message(status: int, title: str, text: str) -> tuple[str, int]:
    page = render_template(
        "demo_idp/message.html", force_name=_issuer().config.name, title=title, text=text
    )
    return page, status


def _token_error(error: str, description: str, status: int = 400) -> Response:
    response = jsonify(error=error, error_description=description)
    response.status_code = status
    return _no_store(response)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    )
    return response
