"""Support services, and how and when the victim may be contacted."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.auth.access import victim_required
from app.casework import victims as casework
from app.i18n import welsh_available
from app.models import Victim
from app.victims import forms, two_step
from app.victims.blueprint import bp, error_list, me


@bp.get("/support")
@victim_required
def support() -> ResponseReturnValue:
    return render_template(
        "victims/support.html",
        services=casework.support_services(),
        referrals=casework.referrals(me()),
    )


def _current(victim: Victim) -> dict[str, Any]:
    return {
        "contact_channel": victim.contact_channel,
        "mobile": victim.mobile or "",
        "safe_from": victim.safe_from.strftime("%H:%M") if victim.safe_from else "",
        "safe_until": victim.safe_until.strftime("%H:%M") if victim.safe_until else "",
        "cadence_days": str(victim.cadence_days),
        "preferred_language": victim.preferred_language,
    }


def _chosen(form: forms.ContactForm, victim: Victim) -> dict[str, Any]:
    mobile = "".join(ch for ch in form.mobile.data or "" if ch.isdigit() or ch == "+")
    values = {
        "contact_channel": form.contact_channel.data,
        "mobile": mobile or None,
        "safe_from": forms.parse_time(form.safe_from.data or ""),
        "safe_until": forms.parse_time(form.safe_until.data or ""),
        "cadence_days": int(form.cadence_days.data or victim.cadence_days),
    }
    if welsh_available() and form.preferred_language.data in ("en", "cy"):
        values["preferred_language"] = form.preferred_language.data
    return values


@bp.route("/contact-preferences", methods=["GET", "POST"])
@victim_required
def contact_preferences() -> ResponseReturnValue:
    victim = me()
    form = forms.ContactForm(data=_current(victim))
    if form.validate_on_submit():
        casework.change_contact_plan(victim, _chosen(form, victim))
        if welsh_available():
            session["lang"] = victim.preferred_language
        flash(_("Your contact preferences have been saved"))
        return redirect(url_for("victims.contact_preferences"))
    casework.view_contact_plan(victim)
    return render_template(
        "victims/contact_preferences.html",
        form=form,
        errors=error_list(form),
        welsh=welsh_available(),
        two_step_on=two_step.is_on(victim),
    )
