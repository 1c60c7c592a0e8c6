"""Decommissioning a force, on the console: confirm by typing its short name, see its
export's password once, cancel in the grace period, remove it once it may be. And the
force's own single-use download link, on the central site (app.central.decommission)."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.audit import record
from app.auth.access import operator_required, public
from app.central import decommission, forms
from app.central.blueprint import CentralTag, central, console
from app.models.central import ForceDecommission
from tenants import registry
from tenants.binding import db
from tenants.forces import Force, TenantStatus


def _operator_id() -> uuid.UUID:
    operator_id: uuid.UUID = current_user.id
    return operator_id


def _force_or_404(slug: str) -> Force:
    force = registry.fresh_force(db.engine, slug) if len(slug) <= 40 else None
    if force is None or force.status is TenantStatus.DECOMMISSIONED:
        abort(404)
    return force


def _open_or_404(slug: str) -> tuple[Force, ForceDecommission]:
    force = _force_or_404(slug)
    row = decommission.open_for(force.slug)
    if row is None:
        abort(404)
    return force, row


_NOT_YET = _l("A force can be removed once its export is downloaded and its grace period is over")


def _back() -> ResponseReturnValue:
    return redirect(url_for("console.forces"))


@console.route("/forces/<slug>/decommission", methods=["GET", "POST"])
@operator_required
def decommission_force(slug: str) -> ResponseReturnValue:
    force = _force_or_404(slug)
    if force.status is not TenantStatus.SUSPENDED or decommission.open_for(force.slug):
        flash(_l("Only a paused force that is not already being decommissioned can be"), "error")
        return _back()
    form = forms.DecommissionForm()
    if form.validate_on_submit():
        if form.slug.data != force.slug:
            form.slug.errors = [_l("The short name you typed does not match this force's")]
        else:
            row = decommission.request(force, _operator_id())
            if row is not None:
                record(
                    CentralTag.DECOMMISSION_REQUESTED, force=force.slug, decommission=str(row.id)
                )
                flash(_l("Decommissioning the force: its export is being made"))
            return _back()
    grace = decommission.grace_days()
    return render_template(
        "central/console/decommission.html", force=force, form=form, grace_days=grace
    )


@console.route("/forces/<slug>/decommission/password", methods=["GET", "POST"])
@operator_required
def export_password(slug: str) -> ResponseReturnValue:
    """Shown once, on a POST (a deliberate press), then gone from the database."""
    force, row = _open_or_404(slug)
    form = forms.ButtonForm()
    if not form.validate_on_submit():
        return render_template(
            "central/console/export_password.html", force=force, row=row, form=form
        )
    password = decommission.take_password(row)
    if password is None:
        flash(_l("The password has already been shown, or the export is not ready"), "error")
        return _back()
    record(CentralTag.DECOMMISSION_PASSWORD_SHOWN, force=force.slug, decommission=str(row.id))
    return render_template(
        "central/console/export_password.html", force=force, row=row, password=password
    )


@console.route("/forces/<slug>/decommission/cancel", methods=["GET", "POST"])
@operator_required
def cancel_decommission(slug: str) -> ResponseReturnValue:
    force, row = _open_or_404(slug)
    form = forms.ButtonForm()
    if form.validate_on_submit():
        if decommission.cancel(row):
            record(CentralTag.DECOMMISSION_CANCELLED, force=force.slug, decommission=str(row.id))
            flash(_l("Decommissioning stopped: the force stays paused"))
        return _back()
    confirm = forms.Confirmation(
        _("Stop decommissioning %(name)s?", name=force.name),
        _(
            "The force's data is kept and its site stays paused. The export file is deleted "
            "and its download link stops working."
        ),
        _("Stop decommissioning"),
    )
    return render_template("central/console/confirm.html", confirm=confirm, form=form)


@console.route("/forces/<slug>/decommission/remove", methods=["GET", "POST"])
@operator_required
def remove_force(slug: str) -> ResponseReturnValue:
    force, row = _open_or_404(slug)
    if not decommission.removable(row):
        flash(_NOT_YET, "error")
        return _back()
    form = forms.ButtonForm()
    if form.validate_on_submit():
        if decommission.request_removal(row):
            record(
                CentralTag.DECOMMISSION_REMOVAL_REQUESTED,
                force=force.slug,
                decommission=str(row.id),
            )
            flash(_l("Removing the force: this page shows it gone when the job has run"))
        return _back()
    confirm = forms.Confirmation(
        _("Remove %(name)s now?", name=force.name),
        _("The force's database schema, its role and its data are removed. This cannot be undone."),
        _("Remove the force"),
        danger=True,
    )
    return render_template("central/console/confirm.html", confirm=confirm, form=form)


# --- the force's download link, on the central site --------------------------------------

_PROBLEM_STATUS = {"unknown": 404, "used": 410, "expired": 410}


def _download_problem(problem: str) -> ResponseReturnValue:
    return render_template("central/export_link_problem.html", problem=problem), _PROBLEM_STATUS[
        problem
    ]


@central.get("/force-export/<token>")
@public
def export_download_page(token: str) -> ResponseReturnValue:
    """A button, not the download itself: mail scanners open links, people press."""
    _, problem = decommission.find_download(token)
    if problem is not None:
        return _download_problem(problem)
    return render_template("central/export_download.html", form=forms.ButtonForm())


@central.post("/force-export/<token>")
@public
def export_download(token: str) -> ResponseReturnValue:
    if not forms.ButtonForm().validate_on_submit():
        return redirect(url_for("central.export_download_page", token=token))
    path, row, problem = decommission.use_download(token)
    if problem is not None or path is None or row is None:
        return _download_problem(problem or "unknown")
    record(
        CentralTag.DECOMMISSION_EXPORT_DOWNLOADED, force=row.force_slug, decommission=str(row.id)
    )
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"trackmycrime-export-{row.force_slug}.zip",
    )
