"""Subject access pages: find the victim, ask for their export, follow it, download it
once. An export is only ever shown to the administrator who asked for it (anyone else
gets 404, as for a missing one)."""

from __future__ import annotations

import uuid

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.admin import jobs
from app.admin import subject_access as sar
from app.admin.blueprint import AdminTag, bp
from app.admin.forms import ActionForm, FindForm
from app.admin.views import me
from app.audit import record
from app.auth.access import admin_required
from app.casework.cases import normalise_reference
from app.models import Case, CaseVictim, SubjectAccessExport, Victim
from tenants.binding import db
from tenants.extension import current_force

LISTED = 20


def _find_victims(text: str) -> list[Victim]:
    """Victims with this email address, or on the case with this crime reference."""
    on_case = select(CaseVictim.victim_id).join(Case, Case.id == CaseVictim.case_id)
    on_case = on_case.where(Case.crime_reference == normalise_reference(text))
    statement = select(Victim).where(
        or_(func.lower(Victim.email) == text.strip().lower(), Victim.id.in_(on_case))
    )
    return list(db.session.scalars(statement.order_by(Victim.name).limit(LISTED)))


def _mine(export_id: uuid.UUID) -> SubjectAccessExport:
    export = db.session.get(SubjectAccessExport, export_id)
    if export is None or export.requested_by != me().id:
        abort(404)
    return export


@bp.get("/subject-access")
@admin_required
def subject_access() -> ResponseReturnValue:
    form = FindForm(request.args)
    victims: list[Victim] | None = None
    if request.args and form.validate():
        victims = _find_victims(form.q.data or "")
        record(
            AdminTag.VICTIMS_FOUND,
            purpose="subject access request",
            victims=[str(v.id) for v in victims],
        )
    exports = list(
        db.session.scalars(
            select(SubjectAccessExport)
            .where(SubjectAccessExport.requested_by == me().id)
            .order_by(SubjectAccessExport.requested_at.desc())
            .limit(LISTED)
        )
    )
    return render_template(
        "admin/subject_access.html",
        form=form,
        victims=victims,
        exports=exports,
        action=ActionForm(),
    )


@bp.post("/subject-access/victims/<uuid:victim_id>")
@admin_required
def subject_access_request(victim_id: uuid.UUID) -> ResponseReturnValue:
    victim = db.session.get(Victim, victim_id)
    if victim is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    export = sar.start(victim, me())
    record(
        AdminTag.SUBJECT_ACCESS_REQUESTED,
        record_type="victim",
        record_id=victim.id,
        purpose="subject access request",
        export=str(export.id),
    )
    jobs.after_commit(current_force().slug, jobs.produce_export, str(export.id))
    return redirect(url_for("admin.subject_access_export", export_id=export.id))


@bp.get("/subject-access/exports/<uuid:export_id>")
@admin_required
def subject_access_export(export_id: uuid.UUID) -> ResponseReturnValue:
    export = _mine(export_id)
    if sar.stuck(export):  # its job was lost (Redis down when it was asked for): again
        jobs.after_commit(current_force().slug, jobs.produce_export, str(export.id))
    if sar.expire(export):
        record(
            AdminTag.SUBJECT_ACCESS_EXPIRED,
            record_type="subject_access_export",
            record_id=export.id,
        )
    return render_template("admin/subject_access_export.html", export=export, action=ActionForm())


@bp.post("/subject-access/exports/<uuid:export_id>/download")
@admin_required
def subject_access_download(export_id: uuid.UUID) -> ResponseReturnValue:
    export = _mine(export_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if sar.expire(export):
        record(
            AdminTag.SUBJECT_ACCESS_EXPIRED,
            record_type="subject_access_export",
            record_id=export.id,
        )
    content = sar.take(export)
    if content is None:
        flash(_("This export can no longer be downloaded. Ask for a new one if you need it."))
        return redirect(url_for("admin.subject_access_export", export_id=export.id))
    record(
        AdminTag.SUBJECT_ACCESS_DOWNLOADED,
        record_type="victim",
        record_id=export.victim_id,
        purpose="subject access request",
        export=str(export.id),
        recipient=f"officer:{me().id}",
    )
    return Response(
        sar.as_zip(export.id, content),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="subject-access-{export.id}.zip"'},
    )
