"""A signed-in victim's cases: the timeline, what is owed by when, messages, property.

Views are thin: the access rule, the victim's own case (or a 404), a form, a named
function from app.casework.victims (which audits), then a page or a redirect.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.auth.access import victim_required
from app.casework import catalogue, deadlines
from app.casework import victims as casework
from app.victims import forms
from app.victims.blueprint import bp, case_or_404, error_list, me


@bp.get("/cases/")
@victim_required
def cases() -> ResponseReturnValue:
    return render_template("victims/cases.html", summaries=casework.cases_of(me()))


@bp.get("/cases/<uuid:case_id>")
@victim_required
def case_page(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    casework.view_case(me(), case)
    today = deadlines.today()
    return render_template(
        "victims/case.html",
        case=case,
        oic=casework.oic(case),
        timeline=casework.timeline(case),
        owed=casework.owed(case),
        rights=casework.open_rights(case, today),
        open_request=casework.open_update_request(me(), case),
        today=today,
        outcome=catalogue.OUTCOME_LABELS.get(case.outcome or ""),
    )


@bp.route("/cases/<uuid:case_id>/messages", methods=["GET", "POST"])
@victim_required
def messages(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = forms.MessageForm()
    if form.validate_on_submit():
        casework.send_message(me(), case, form.body.data or "")
        flash(_("Your message has been sent"))
        return redirect(url_for("victims.messages", case_id=case.id))
    return render_template(
        "victims/messages.html",
        case=case,
        thread=casework.thread(me(), case),
        form=form,
        errors=error_list(form),
    )


@bp.route("/cases/<uuid:case_id>/ask-for-update", methods=["GET", "POST"])
@victim_required
def ask_for_update(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    casework.view_case(me(), case, purpose="ask for an update")
    waiting = casework.open_update_request(me(), case)
    form = forms.UpdateRequestForm()
    if waiting is None and form.validate_on_submit():
        casework.request_update(me(), case, form.body.data or "")
        flash(_("You have asked for an update. The officer will reply here."))
        return redirect(url_for("victims.messages", case_id=case.id))
    return render_template(
        "victims/ask_for_update.html",
        case=case,
        waiting=waiting,
        form=form,
        errors=error_list(form),
    )


# --- property ---------------------------------------------------------------------------


@bp.get("/cases/<uuid:case_id>/property")
@victim_required
def property_list(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    return render_template(
        "victims/property.html", case=case, items=casework.property_of(me(), case)
    )


@bp.route("/cases/<uuid:case_id>/property/add", methods=["GET", "POST"])
@victim_required
def add_property(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = forms.PropertyForm()
    if form.validate_on_submit():
        casework.add_property(me(), case, form.values())
        flash(_("Item added"))
        return redirect(url_for("victims.property_list", case_id=case.id))
    return render_template(
        "victims/property_form.html", case=case, form=form, item=None, errors=error_list(form)
    )


@bp.route("/cases/<uuid:case_id>/property/<uuid:item_id>", methods=["GET", "POST"])
@victim_required
def edit_property(case_id: uuid.UUID, item_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    item = casework.property_item(me(), case, item_id)
    if item is None:
        abort(404)
    if item.status not in casework.EDITABLE_PROPERTY:
        return render_template("victims/property_locked.html", case=case, item=item)
    form = forms.PropertyForm(obj=item)
    if not form.is_submitted() and item.value_pence is not None:
        form.value.data = f"{item.value_pence / 100:.2f}"
    if form.validate_on_submit():
        casework.change_property(item, form.values())
        flash(_("Item updated"))
        return redirect(url_for("victims.property_list", case_id=case.id))
    return render_template(
        "victims/property_form.html", case=case, form=form, item=item, errors=error_list(form)
    )


@bp.route("/cases/<uuid:case_id>/property/<uuid:item_id>/remove", methods=["GET", "POST"])
@victim_required
def remove_property(case_id: uuid.UUID, item_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    item = casework.property_item(me(), case, item_id)
    if item is None:
        abort(404)
    if item.status not in casework.EDITABLE_PROPERTY:
        return render_template("victims/property_locked.html", case=case, item=item)
    form = forms.ActionForm()
    if form.validate_on_submit():
        casework.remove_property(item)
        flash(_("Item removed"))
        return redirect(url_for("victims.property_list", case_id=case.id))
    return render_template("victims/property_remove.html", case=case, item=item, form=form)
