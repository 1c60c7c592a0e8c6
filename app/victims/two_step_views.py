"""Turning two-step sign-in on and off, from the contact preferences page.

Turning on is two steps of its own: a POST makes a new secret (kept sealed on the
victim row, never in the cookie), then the set-up page shows it, once, until a code
from the app proves it was copied right. Turning off needs a current code or the
password, so a browser left signed in is not enough.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.auth.access import victim_required
from app.victims import accounts, forms, two_step
from app.victims.blueprint import bp, error_list, me


@bp.post("/two-step-sign-in/start")
@victim_required
def start_two_step() -> ResponseReturnValue:
    two_step.start_setup(me())
    return redirect(url_for("victims.set_up_two_step"))


@bp.route("/two-step-sign-in/set-up", methods=["GET", "POST"])
@victim_required
def set_up_two_step() -> ResponseReturnValue:
    victim = me()
    secret = two_step.setup_secret(victim)
    if secret is None:  # already on, or never started: nothing to show
        return redirect(url_for("victims.contact_preferences"))
    form = forms.CodeForm()
    if form.validate_on_submit():
        if two_step.turn_on(victim, form.code.data or ""):
            flash(_("Two-step sign-in is on. You will need a code from the app to sign in."))
            return redirect(url_for("victims.contact_preferences"))
        forms.forget(form.code)
        form.code.errors = [
            _("The code is not right. Enter the latest code your authenticator app shows.")
        ]
    return render_template(
        "victims/two_step_set_up.html",
        form=form,
        errors=error_list(form),
        key=two_step.grouped(secret),
        app_link=two_step.app_link(secret),
        qr_code=two_step.qr_code(secret, _("QR code to scan with your authenticator app")),
    )


@bp.route("/two-step-sign-in/turn-off", methods=["GET", "POST"])
@victim_required
def turn_off_two_step() -> ResponseReturnValue:
    victim = me()
    if not two_step.is_on(victim):
        return redirect(url_for("victims.contact_preferences"))
    form = forms.TurnOffTwoStepForm()
    if form.validate_on_submit():
        if accounts.confirm_identity(victim, form.code.data or "", form.password.data or ""):
            two_step.turn_off(victim)
            flash(_("Two-step sign-in is off. You will only need your password to sign in."))
            return redirect(url_for("victims.contact_preferences"))
        forms.forget(form.code)
        form.code.errors = [
            _(
                "The code or password is not right. If you have tried several times, "
                "wait 15 minutes before trying again."
            )
        ]
    return render_template("victims/two_step_turn_off.html", form=form, errors=error_list(form))
