"""Officers sign in with their force's identity provider; we never hold a password.

/officer/sign-in sends the browser to the provider with PKCE, state and nonce kept in
the force-bound session; /officer/auth/callback checks them, verifies the ID token and
signs the officer in with the role the force's claim mapping gives. Failures are audit
events and end on a plain page (a redirect, so the audit row commits at the edge).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from app.audit import record
from app.auth import oidc
from app.auth.access import officer_required, public
from app.auth.idp import IdpError, IdpSettings
from app.auth.signin import TIMED_OUT, sign_in, sign_out
from app.models import Officer
from app.models.base import utcnow
from app.officers.blueprint import OfficerTag, bp
from app.security import exit_origin
from tenants.binding import bound_force, db
from tenants.extension import current_force, tenancy

PENDING_KEY = "oidc_pending"


def force_idp() -> IdpSettings | None:
    return IdpSettings.from_mapping(current_force().idp)


def _providers() -> oidc.ProviderCache:
    cache: oidc.ProviderCache = current_app.extensions["oidc_providers"]
    return cache


def _callback_url() -> str:
    return url_for("officers.callback", _external=True)


def _client_secret(idp: IdpSettings) -> str:
    return tenancy().secret_box().open(idp.client_secret_sealed)


# --- CSP form-action for the provider ------------------------------------------------
# The sign-in and sign-out buttons post to us and we answer with a redirect to the
# force's provider. Chromium applies the page's CSP form-action to that redirect, so
# with form-action 'self' it refuses to leave for the provider. Officer pages name the
# provider's origins in g.csp_form_action for app.security to add to form-action.
CSP_FORM_ACTION = "csp_form_action"
_PROVIDER_PAGES = ("authorization_endpoint", "end_session_endpoint")


def _allow_provider_redirects(metadata: dict[str, Any]) -> None:
    origins = {exit_origin(str(metadata.get(key) or "")) for key in _PROVIDER_PAGES}
    setattr(g, CSP_FORM_ACTION, sorted(origin for origin in origins if origin))


@bp.before_request
def _provider_origins() -> None:
    """From the provider's discovery document as we last fetched it (never a fetch on an
    ordinary page: a provider that is down must not slow the caseload)."""
    idp = force_idp()
    metadata = _providers().cached_metadata(idp.issuer) if idp is not None else None
    if metadata is not None:
        _allow_provider_redirects(metadata)


@bp.get("/sign-in")
@public
def sign_in_page() -> ResponseReturnValue:
    """The start page; 'Continue' goes to the force's provider."""
    if current_user.is_authenticated and current_user.kind == "officer":
        return redirect(url_for("officers.caseload"))
    idp = force_idp()
    if idp is not None:
        try:  # the page whose button leads to the provider fetches it if need be
            _allow_provider_redirects(_providers().metadata(idp.issuer))
        except IdpError:
            current_app.logger.warning("identity provider unreachable for the sign-in page")
    timed_out = session.pop(TIMED_OUT, None)
    return render_template("officers/sign_in.html", configured=idp is not None, timed_out=timed_out)


@bp.post("/sign-in")
@public
def start_sign_in() -> ResponseReturnValue:
    idp = force_idp()
    if idp is None:
        return redirect(url_for("officers.sign_in_page"))
    try:
        url, pending = oidc.begin(idp, _client_secret(idp), _callback_url(), _providers())
    except IdpError:
        current_app.logger.warning("identity provider unreachable for sign-in")
        return redirect(url_for("officers.problem", reason="provider_unavailable"))
    session[PENDING_KEY] = pending
    return redirect(url)


@bp.get("/auth/callback")
@public
def callback() -> ResponseReturnValue:
    idp = force_idp()
    pending = session.pop(PENDING_KEY, None)
    if idp is None:
        return redirect(url_for("officers.sign_in_page"))
    try:
        claims, id_token = oidc.complete(
            idp, _client_secret(idp), _callback_url(), _providers(), pending, request.args
        )
    except oidc.SignInFailed as failed:
        record(OfficerTag.SIGN_IN_FAILED, purpose="officer sign-in", reason=failed.reason)
        return redirect(url_for("officers.problem", reason="failed"))
    except IdpError:
        return redirect(url_for("officers.problem", reason="provider_unavailable"))
    return _sign_in_officer(idp, claims, id_token)


def _sign_in_officer(
    idp: IdpSettings, claims: dict[str, Any], id_token: str
) -> ResponseReturnValue:
    subject, role = idp.subject_of(claims), _with_grant(idp.role_for(claims), claims)
    if subject is None:
        record(OfficerTag.SIGN_IN_FAILED, purpose="officer sign-in", reason="no_subject")
        return redirect(url_for("officers.problem", reason="failed"))
    officer = db.session.scalar(
        select(Officer).where(Officer.issuer == idp.issuer, Officer.subject == subject)
    )
    if role is None:
        record(
            OfficerTag.SIGN_IN_REFUSED,
            record_type="officer",
            record_id=officer.id if officer else None,
            purpose="officer sign-in",
            reason="no_mapped_role",
        )
        return redirect(url_for("officers.problem", reason="no_role"))
    officer = _update_officer(officer, idp, claims, subject, role)
    if not officer.active:
        record(
            OfficerTag.SIGN_IN_REFUSED,
            record_type="officer",
            record_id=officer.id,
            reason="deactivated",
        )
        return redirect(url_for("officers.problem", reason="no_role"))
    sign_in(officer, id_token=id_token)
    record(OfficerTag.SIGNED_IN, record_type="officer", record_id=officer.id, role=role)
    return redirect(url_for("officers.caseload"))


def _with_grant(role: str | None, claims: dict[str, Any]) -> str | None:
    """Admin for the person the force's application named (pre-authorised by the central
    site), whatever the claims say; otherwise the claims' role."""
    granted = current_app.extensions.get("force_admin_granted")
    email = claims.get("email")
    if granted is None or not isinstance(email, str) or claims.get("email_verified") is False:
        return role
    return "admin" if granted(current_force().slug, email) else role


def _update_officer(
    officer: Officer | None, idp: IdpSettings, claims: dict[str, Any], subject: str, role: str
) -> Officer:
    """The officer row, created on first sign-in and refreshed from the claims after."""
    if officer is None:
        officer = Officer(id=uuid.uuid4(), issuer=idp.issuer, subject=subject)
        db.session.add(officer)
    officer.name = _text(claims.get("name")) or _text(claims.get("email")) or subject
    officer.email = _text(claims.get("email"))
    officer.collar_number = _text(claims.get(idp.collar_claim)) or officer.collar_number
    officer.team = _text(claims.get(idp.team_claim)) or officer.team
    officer.role = role
    officer.last_signed_in_at = utcnow()
    db.session.flush()
    return officer


def _text(value: Any, limit: int = 120) -> str | None:
    return value.strip()[:limit] or None if isinstance(value, str) else None


@bp.get("/sign-in/problem")
@public
def problem() -> ResponseReturnValue:
    reason = request.args.get("reason", "failed")
    if reason not in ("failed", "no_role", "provider_unavailable"):
        reason = "failed"
    return render_template("officers/sign_in_problem.html", reason=reason)


@bp.post("/sign-out")
@officer_required()
def sign_out_view() -> ResponseReturnValue:
    idp, id_token = force_idp(), session.get("id_token")
    record(OfficerTag.SIGNED_OUT, record_type="officer", record_id=current_user.id)
    sign_out()
    after = url_for("officers.signed_out", _external=True)
    if idp is not None:
        provider_logout = oidc.logout_url(idp, _providers(), id_token, after)
        if provider_logout:
            return redirect(provider_logout)
    return redirect(after)


@bp.get("/signed-out")
@public
def signed_out() -> ResponseReturnValue:
    return render_template("officers/signed_out.html")


def load_officer(officer_id: str) -> Officer | None:
    # An officer belongs to a force: where none is bound (a suspended force's paused
    # page) nobody is signed in, rather than the query failing and the page with it.
    if bound_force(db.session()) is None:
        return None
    try:
        found = db.session.get(Officer, uuid.UUID(officer_id))
    except ValueError:
        return None
    return found if found is not None and found.active else None
