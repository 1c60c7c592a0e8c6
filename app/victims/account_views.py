"""Accepting an invite, signing in and out, resetting a password.

Wrong answers are written (counted, audited) and must survive the request, so every
answer that records one is a 200 page, never an error status that would roll it back.
Tokens appear only in their own link's path; the request log records the route
pattern (/invite/<token>), never the path itself.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import record
from app.auth.access import public, victim_required
from app.auth.signin import sign_in, sign_out
from app.casework.victims import VictimTag
from app.i18n import welsh_available
from app.models import Invite, Victim
from app.models.base import utcnow
from app.victims import accounts, forms, passwords, two_step
from app.victims.blueprint import bp, error_list
from tenants.binding import db

INVITE_KEY = "invite_checked"
# How long someone who answered the invite's questions has to choose a password.
INVITE_CHECK_LIFETIME = timedelta(minutes=30)
# Half signed in: the right password for an account with two-step sign-in, waiting for
# the code. Flask-Login knows nothing of it, so no victim page opens; it lasts minutes.
CODE_KEY = "code_needed"
CODE_LIFETIME = timedelta(minutes=5)


def _signed_in_victim() -> bool:
    return bool(current_user.is_authenticated and current_user.kind == "victim")


def _start_session(victim: Victim) -> None:
    language = victim.preferred_language if welsh_available() else None
    sign_in(victim, **({"lang": language} if language else {}))
    record(VictimTag.SIGNED_IN, record_type="victim", record_id=victim.id)


# --- invite ------------------------------------------------------------------------------


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
def accept_invite(token: str) -> ResponseReturnValue:
    invite = accounts.invite_for(token)
    if invite is None:
        return render_template("victims/invite_problem.html", reason="unknown"), 404
    state = invite.state(utcnow())
    if state != "pending":
        return render_template("victims/invite_problem.html", reason=state)
    form = forms.InviteCheckForm()
    if form.validate_on_submit():
        assert form.date_of_birth.data is not None
        check = accounts.check_invite(
            invite, form.crime_reference.data or "", form.date_of_birth.data
        )
        if check.passed:
            session[INVITE_KEY] = {"id": str(invite.id), "at": utcnow().isoformat()}
            return redirect(url_for("victims.create_account"))
        if check.tries_left == 0:
            return render_template("victims/invite_problem.html", reason="locked")
        form.crime_reference.errors = [_wrong_answer(check.tries_left)]
    return render_template("victims/invite_check.html", form=form, errors=error_list(form))


def _wrong_answer(tries_left: int) -> str:
    if tries_left == 1:
        return _(
            "The crime reference number or date of birth does not match our records. "
            "You have 1 more try."
        )
    return _(
        "The crime reference number or date of birth does not match our records. "
        "You have %(count)d more tries.",
        count=tries_left,
    )


def _checked_invite() -> Invite | None:
    """The invite whose questions this browser answered, if still usable and recent."""
    checked: Any = session.get(INVITE_KEY)
    try:
        at = datetime.fromisoformat(checked["at"])
        invite = db.session.get(Invite, uuid.UUID(checked["id"]))
    except (KeyError, TypeError, ValueError):
        return None
    if invite is None or utcnow() - at > INVITE_CHECK_LIFETIME:
        return None
    return invite if invite.state(utcnow()) == "pending" else None


@bp.route("/create-account", methods=["GET", "POST"])
@public
def create_account() -> ResponseReturnValue:
    invite = _checked_invite()
    if invite is None:
        session.pop(INVITE_KEY, None)
        return render_template("victims/invite_problem.html", reason="start_again")
    victim = db.session.get(Victim, invite.victim_id)
    assert victim is not None
    form = forms.AccountForm(email=victim.email)
    if form.validate_on_submit():
        email = accounts.normalise_email(form.email.data or "")
        password = form.password.data or ""
        problem = passwords.problem(password, email=email)
        if problem is not None:
            form.password.errors = [str(problem)]
        elif accounts.account_email_taken(email, victim):
            form.email.errors = [
                _("This email address cannot be used. Enter a different email address")
            ]
        else:
            accounts.create_account(invite, victim, email, password)
            _start_session(victim)
            flash(_("Your account has been created"))
            return redirect(url_for("victims.cases"))
    return render_template("victims/create_account.html", form=form, errors=error_list(form))


# --- sign in and out ------------------------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in_page() -> ResponseReturnValue:
    if _signed_in_victim():
        return redirect(url_for("victims.cases"))
    form = forms.SignInForm()
    if form.validate_on_submit():
        email = accounts.normalise_email(form.email.data or "")
        victim = accounts.authenticate(email, form.password.data or "")
        if victim is not None and two_step.is_on(victim):
            session[CODE_KEY] = {"id": str(victim.id), "at": utcnow().isoformat()}
            return redirect(url_for("victims.sign_in_code"))
        if victim is not None:
            _start_session(victim)
            return redirect(url_for("victims.cases"))
        # One message for a wrong password, an unknown address and a waiting account.
        form.email.errors = [
            _(
                "Enter the email address and password for your account. If you have "
                "tried several times, wait 15 minutes before trying again."
            )
        ]
    return render_template("victims/sign_in.html", form=form, errors=error_list(form))


def _half_signed_in() -> Victim | None:
    """The victim whose password this browser gave, if recent and two-step is still on."""
    pending: Any = session.get(CODE_KEY)
    try:
        at = datetime.fromisoformat(pending["at"])
        victim = db.session.get(Victim, uuid.UUID(pending["id"]))
    except (KeyError, TypeError, ValueError):
        return None
    if victim is None or utcnow() - at > CODE_LIFETIME:
        return None
    return victim if victim.is_active and two_step.is_on(victim) else None


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
def sign_in_code() -> ResponseReturnValue:
    victim = _half_signed_in()
    if victim is None:
        session.pop(CODE_KEY, None)
        return redirect(url_for("victims.sign_in_page"))
    form = forms.CodeForm()
    if form.validate_on_submit():
        if accounts.second_step(victim, form.code.data or ""):
            _start_session(victim)  # a fresh session: the half-signed-in state goes too
            return redirect(url_for("victims.cases"))
        forms.forget(form.code)
        form.code.errors = [
            _(
                "The code is not right. Enter the latest code from your authenticator "
                "app. If you have tried several times, wait 15 minutes before trying again."
            )
        ]
    return render_template("victims/sign_in_code.html", form=form, errors=error_list(form))


@bp.post("/sign-out")
@victim_required
def sign_out_page() -> ResponseReturnValue:
    record(VictimTag.SIGNED_OUT, record_type="victim", record_id=current_user.id)
    sign_out()
    return redirect(url_for("victims.signed_out"))


@bp.get("/signed-out")
@public
def signed_out() -> ResponseReturnValue:
    return render_template("victims/signed_out.html")


# --- password reset -------------------------------------------------------------------------


@bp.route("/reset-password", methods=["GET", "POST"])
@public
def reset_password() -> ResponseReturnValue:
    form = forms.ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_reset(accounts.normalise_email(form.email.data or ""))
        # The same page whether or not the address has an account.
        return render_template("victims/reset_sent.html")
    return render_template("victims/reset_request.html", form=form, errors=error_list(form))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def new_password(token: str) -> ResponseReturnValue:
    reset = accounts.reset_for(token)
    if reset is None:
        return render_template("victims/reset_problem.html"), 404
    form = forms.NewPasswordForm()
    if form.validate_on_submit():
        victim = db.session.get(Victim, reset.victim_id)
        password = form.password.data or ""
        problem = passwords.problem(password, email=victim.email or "" if victim else "")
        if problem is not None:
            form.password.errors = [str(problem)]
        else:
            accounts.complete_reset(reset, password)
            sign_out("password_reset")
            flash(_("Your password has been changed. Sign in with your new password."))
            return redirect(url_for("victims.sign_in_page"))
    return render_template("victims/reset_password.html", form=form, errors=error_list(form))
