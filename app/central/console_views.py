"""The operators' console: applications, forces, jobs and the platform audit trail.

Operators see applications and aggregate figures, never a victim's details. Every
action they take is a platform audit event, written in the same transaction as the
action (or, for status changes, by tenancy().change_status in its own).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.audit import record
from app.auth.access import operator_required
from app.central import (
    applications,
    decommission,
    figures,
    forms,
    jobs_health,
    links,
    provisioning,
    trail,
)
from app.central import migrations as force_migrations
from app.central.blueprint import CentralTag, console
from app.models.central import ForceApplication
from tenants import registry
from tenants.audit import TenancyTag
from tenants.binding import db
from tenants.extension import tenancy
from tenants.forces import Force, TenantStatus
from tenants.jobs import QUEUES


def _operator_id() -> uuid.UUID:
    operator_id: uuid.UUID = current_user.id
    return operator_id


@console.get("/")
@operator_required
def overview() -> ResponseReturnValue:
    return render_template(
        "central/console/overview.html",
        waiting=applications.waiting_count(),
        forces=len(registry.all_forces(db.engine)),
        failed_jobs=sum(q.failed for q in jobs_health.queues()),
    )


# --- applications ------------------------------------------------------------------------


def _application_or_404(application_id: uuid.UUID) -> ForceApplication:
    found = applications.get(application_id)
    if found is None:
        abort(404)
    return found


@console.get("/applications")
@operator_required
def application_queue() -> ResponseReturnValue:
    return render_template("central/console/applications.html", rows=applications.queue())


@console.get("/applications/<uuid:application_id>")
@operator_required
def application_page(application_id: uuid.UUID) -> ResponseReturnValue:
    application = _application_or_404(application_id)
    return render_template(
        "central/console/application.html",
        application=application,
        form=forms.ButtonForm(),
        stalled=provisioning.is_stalled(application),
        retryable=application.status == "approved" and provisioning.is_retryable(application),
    )


@console.post("/applications/<uuid:application_id>/approve")
@operator_required
def approve(application_id: uuid.UUID) -> ResponseReturnValue:
    application = _application_or_404(application_id)
    if not forms.ButtonForm().validate_on_submit():
        abort(400)
    if applications.approve(application.id, _operator_id()):
        record(CentralTag.APPLICATION_APPROVED, record_type="application",
               record_id=application.id, force=application.slug)  # fmt: skip
        provisioning.enqueue_after_commit(application.id, application.provisioning_attempts + 1)
        links.tell_decision(application)
        flash(_l("Application approved: the force's site is being set up"))
    else:
        flash(_l("Someone else has already decided on this application"), "error")
    return redirect(url_for("console.application_page", application_id=application.id))


@console.route("/applications/<uuid:application_id>/reject", methods=["GET", "POST"])
@operator_required
def reject(application_id: uuid.UUID) -> ResponseReturnValue:
    application = _application_or_404(application_id)
    if application.status != "submitted":
        flash(_l("Someone else has already decided on this application"), "error")
        return redirect(url_for("console.application_page", application_id=application.id))
    form = forms.RejectForm()
    if form.validate_on_submit():
        if applications.reject(application.id, _operator_id(), form.reason.data):
            record(CentralTag.APPLICATION_REJECTED, record_type="application",
                   record_id=application.id, force=application.slug)  # fmt: skip
            links.tell_decision(application)
            flash(_l("Application rejected: the applicant has been told"))
        else:
            flash(_l("Someone else has already decided on this application"), "error")
        return redirect(url_for("console.application_page", application_id=application.id))
    return render_template("central/console/reject.html", application=application, form=form)


@console.post("/applications/<uuid:application_id>/retry")
@operator_required
def retry_provisioning(application_id: uuid.UUID) -> ResponseReturnValue:
    application = _application_or_404(application_id)
    if not forms.ButtonForm().validate_on_submit():
        abort(400)
    if provisioning.retry(application):
        record(CentralTag.PROVISIONING_RETRIED, record_type="application",
               record_id=application.id, force=application.slug)  # fmt: skip
        flash(_l("Setting up the force's site again"))
    return redirect(url_for("console.application_page", application_id=application.id))


# --- forces ------------------------------------------------------------------------------


@console.get("/forces")
@operator_required
def forces() -> ResponseReturnValue:
    now = datetime.now(UTC)
    listed = [f for f in registry.all_forces(db.engine) if f.status != TenantStatus.DECOMMISSIONED]
    return render_template(
        "central/console/forces.html",
        forces=[(force, figures.figures_for(force, now)) for force in listed],
        revisions=registry.revisions(db.engine),
        joined=trail.joined_dates(),
        decommissions=decommission.open_by_slug(),
        removable=decommission.removable,
    )


def _force_or_404(slug: str) -> Force:
    force = registry.fresh_force(db.engine, slug) if len(slug) <= 40 else None
    if force is None or force.status is TenantStatus.DECOMMISSIONED:
        abort(404)
    return force


# action -> (from, to, tag, message)
_CHANGES = {
    "suspend": (TenantStatus.ACTIVE, TenantStatus.SUSPENDED, TenancyTag.FORCE_SUSPENDED,
                _l("The force's site is paused")),
    "resume": (TenantStatus.SUSPENDED, TenantStatus.ACTIVE, TenancyTag.FORCE_RESUMED,
               _l("The force's site is live again")),
}  # fmt: skip


@console.route("/forces/<slug>/<any(suspend, resume):action>", methods=["GET", "POST"])
@operator_required
def change_status(slug: str, action: str) -> ResponseReturnValue:
    force = _force_or_404(slug)
    allowed_from, to, tag, message = _CHANGES[action]
    form = forms.ButtonForm()
    if force.status is not allowed_from:
        return redirect(url_for("console.forces"))
    if action == "resume" and decommission.open_for(force.slug) is not None:
        flash(_l("Stop decommissioning the force before resuming it"), "error")
        return redirect(url_for("console.forces"))
    if form.validate_on_submit():
        actor = ("operator", str(_operator_id()))
        if tenancy().change_status(force.slug, to, allowed_from, tag, actor):
            flash(message)
        return redirect(url_for("console.forces"))
    return render_template(
        "central/console/confirm.html", confirm=_status_confirmation(action, force), form=form
    )


def _status_confirmation(action: str, force: Force) -> forms.Confirmation:
    if action == "suspend":
        return forms.Confirmation(
            _("Suspend %(name)s?", name=force.name),
            _(
                "The force's site will show a paused page. Officers and victims will not be "
                "able to sign in. Nothing is deleted."
            ),
            _("Suspend the site"),
            danger=True,
        )
    return forms.Confirmation(
        _("Resume %(name)s?", name=force.name),
        _("The force's site will open again. Officers and victims can sign in as before."),
        _("Resume the site"),
    )


@console.route("/forces/migrations", methods=["GET", "POST"])
@operator_required
def migrations() -> ResponseReturnValue:
    """Migrate every force to the newest schema, and watch it happen."""
    form = forms.ButtonForm()
    if form.validate_on_submit():
        if force_migrations.request(str(_operator_id())):
            record(CentralTag.FORCES_MIGRATION_REQUESTED)
            flash(_l("Migrating every force: this page shows each one as it finishes"))
        else:
            flash(_l("A migration of every force is already under way"), "error")
        return redirect(url_for("console.migrations"))
    found = force_migrations.progress()
    return render_template(
        "central/console/migrations.html",
        progress=found,
        running=force_migrations.is_running(found),
        form=form,
    )


# --- jobs and the trail ----------------------------------------------------------------


@console.get("/jobs")
@operator_required
def jobs() -> ResponseReturnValue:
    return render_template(
        "central/console/jobs.html",
        queues=jobs_health.queues(),
        workers=jobs_health.workers(),
        form=forms.ButtonForm(),
    )


@console.post("/jobs/<any(notifications, provisioning, maintenance):queue_name>/retry")
@operator_required
def retry_jobs(queue_name: str) -> ResponseReturnValue:
    if queue_name not in QUEUES or not forms.ButtonForm().validate_on_submit():
        abort(400)
    count = jobs_health.retry_failed(queue_name)
    record(CentralTag.JOBS_RETRIED, queue=queue_name, jobs=count)
    flash(_l("%(count)s failed jobs queued again", count=count))
    return redirect(url_for("console.jobs"))


@console.get("/audit")
@operator_required
def audit_trail() -> ResponseReturnValue:
    force = request.args.get("force") or None
    if force is not None and registry.fresh_force(db.engine, force[:40]) is None:
        force = None
    return render_template("central/console/audit.html", events=trail.recent(force), force=force)
