"""Operators sign in with the central identity provider (authorization code + PKCE).

The start is a link, not a form: leaving for the provider is a plain navigation, so the
page's CSP form-action never has to name the provider. State, nonce and the PKCE
verifier wait in the central site's own session; the callback checks them, verifies
the ID token and signs in the operator it names (app.central.operators). Every outcome
is a platform audit event; failures end on a plain page, by redirect, so their audit
rows commit at the edge.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.audit import record
from app.auth import oidc
from app.auth.access import operator_required, public
from app.auth.idp import IdpError
from app.auth.signin import sign_in, sign_out
from app.central import operators
from app.central.blueprint import CentralTag, console

PENDING_KEY = "operator_oidc_pending"
PROBLEMS = ("failed", "not_an_operator", "provider_unavailable", "not_set_up")


def _providers() -> oidc.ProviderCache:
    cache: oidc.ProviderCache = current_app.extensions["central_oidc_providers"]
    return cache


def _callback_url() -> str:
    return url_for("console.callback", _external=True)


@console.get("/sign-in")
@public
def sign_in_page() -> ResponseReturnValue:
    """The start page; its link goes to the central identity provider."""
    if current_user.is_authenticated and current_user.kind == "operator":
        return redirect(url_for("console.overview"))
    return render_template(
        "central/console/sign_in.html", configured=operators.central_idp() is not None
    )


@console.get("/sign-in/start")
@public
def start_sign_in() -> ResponseReturnValue:
    idp = operators.central_idp()
    if idp is None:
        return redirect(url_for("console.sign_in_problem", reason="not_set_up"))
    try:
        url, pending = oidc.begin(idp.settings(), idp.client_secret, _callback_url(), _providers())
    except IdpError:
        current_app.logger.warning("central identity provider unreachable for sign-in")
        return redirect(url_for("console.sign_in_problem", reason="provider_unavailable"))
    session[PENDING_KEY] = pending
    return redirect(url)


@console.get("/auth/callback")
@public
def callback() -> ResponseReturnValue:
    idp = operators.central_idp()
    pending = session.pop(PENDING_KEY, None)
    if idp is None:
        return redirect(url_for("console.sign_in_problem", reason="not_set_up"))
    try:
        claims, _ = oidc.complete(
            idp.settings(), idp.client_secret, _callback_url(), _providers(), pending, request.args
        )
    except oidc.SignInFailed as failed:
        record(CentralTag.OPERATOR_SIGN_IN_REFUSED, reason=failed.reason)
        return redirect(url_for("console.sign_in_problem", reason="failed"))
    except IdpError:
        return redirect(url_for("console.sign_in_problem", reason="provider_unavailable"))
    return _sign_in_operator(idp.issuer, claims)


def _sign_in_operator(issuer: str, claims: dict[str, Any]) -> ResponseReturnValue:
    operator = operators.for_claims(issuer, claims)
    if operator is None:
        record(CentralTag.OPERATOR_SIGN_IN_REFUSED, reason="not_an_operator")
        return redirect(url_for("console.sign_in_problem", reason="not_an_operator"))
    wanted = session.pop("next", None)
    sign_in(operator)
    record(CentralTag.OPERATOR_SIGNED_IN, record_type="operator", record_id=operator.id)
    return redirect(_console_path(wanted))


def _console_path(wanted: Any) -> str:
    """Where the operator was going, if it is a console page; else the console."""
    plain = isinstance(wanted, str) and all(0x20 < ord(c) < 0x7F and c != "\\" for c in wanted)
    if plain and wanted.startswith("/console/") and "//" not in wanted:
        return str(wanted)
    return url_for("console.overview")


@console.get("/sign-in/problem")
@public
def sign_in_problem() -> ResponseReturnValue:
    reason = request.args.get("reason", "failed")
    return render_template(
        "central/console/sign_in_problem.html", reason=reason if reason in PROBLEMS else "failed"
    )


@console.post("/sign-out")
@operator_required
def sign_out_view() -> ResponseReturnValue:
    record(CentralTag.OPERATOR_SIGNED_OUT, record_type="operator", record_id=current_user.id)
    sign_out()
    return redirect(url_for("console.signed_out"))


@console.get("/signed-out")
@public
def signed_out() -> ResponseReturnValue:
    return render_template("central/console/signed_out.html")
