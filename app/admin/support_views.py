"""The support directory pages: local services listed in their order with the national
ones beside them; add, edit, move up or down, retire and bring back."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.admin import directory
from app.admin.blueprint import bp
from app.admin.forms import ActionForm, SupportServiceForm
from app.auth.access import admin_required
from app.models import SupportService


def _service_or_404(service_id: uuid.UUID) -> SupportService:
    service = directory.local_or_none(service_id)
    if service is None:
        abort(404)
    return service


def _values(form: SupportServiceForm) -> dict[str, str | None]:
    return {name: form[name].data or None for name in directory.FIELDS}


@bp.get("/support-directory")
@admin_required
def support_directory() -> ResponseReturnValue:
    local, national = directory.services()
    return render_template(
        "admin/support_directory.html", local=local, national=national, action=ActionForm()
    )


@bp.route("/support-directory/new", methods=["GET", "POST"])
@admin_required
def support_add() -> ResponseReturnValue:
    form = SupportServiceForm()
    if form.validate_on_submit():
        service = directory.add(_values(form))
        flash(_("%(name)s added to the support directory", name=service.name))
        return redirect(url_for("admin.support_directory"))
    return render_template("admin/support_service.html", form=form, service=None)


@bp.route("/support-directory/<uuid:service_id>", methods=["GET", "POST"])
@admin_required
def support_edit(service_id: uuid.UUID) -> ResponseReturnValue:
    service = _service_or_404(service_id)
    form = SupportServiceForm(obj=service)
    if form.validate_on_submit():
        directory.change(service, _values(form), "edit")
        flash(_("%(name)s saved", name=service.name))
        return redirect(url_for("admin.support_directory"))
    return render_template("admin/support_service.html", form=form, service=service)


@bp.post("/support-directory/<uuid:service_id>/move")
@admin_required
def support_move(service_id: uuid.UUID) -> ResponseReturnValue:
    service = _service_or_404(service_id)
    direction = request.form.get("direction")
    if not ActionForm().validate_on_submit() or direction not in ("up", "down"):
        abort(400)
    directory.move(service, -1 if direction == "up" else 1)
    return redirect(url_for("admin.support_directory"))


@bp.post("/support-directory/<uuid:service_id>/retire")
@admin_required
def support_retire(service_id: uuid.UUID) -> ResponseReturnValue:
    service = _service_or_404(service_id)
    retire = request.form.get("retire")
    if not ActionForm().validate_on_submit() or retire not in ("yes", "no"):
        abort(400)
    directory.change(
        service, {"retired": retire == "yes"}, "retire" if retire == "yes" else "restore"
    )
    flash(
        _("%(name)s retired: victims no longer see it", name=service.name)
        if retire == "yes"
        else _("%(name)s is back in the directory", name=service.name)
    )
    return redirect(url_for("admin.support_directory"))
