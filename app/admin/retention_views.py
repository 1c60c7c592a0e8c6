"""Retention and disposal pages: the force's retention periods, the cases due (and
coming due), legal holds, a dry run, and asking for the sweep to run now."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin import jobs, retention
from app.admin.blueprint import AdminTag, bp
from app.admin.force_settings import changes, save
from app.admin.forms import ActionForm, FindForm, LegalHoldForm, RetentionForm
from app.admin.settings_views import fresh
from app.admin.views import me
from app.audit import record
from app.auth.access import admin_required
from app.casework.cases import normalise_reference
from app.casework.catalogue import OUTCOME_LABELS
from app.models import Case
from tenants.binding import db
from tenants.extension import current_force
from tenants.registry import ForceChange

SOON_DAYS = 90


def _rules() -> retention.RetentionRules:
    return retention.RetentionRules.from_settings(fresh().settings)


@bp.route("/retention", methods=["GET", "POST"], endpoint="retention")
@admin_required
def retention_periods() -> ResponseReturnValue:
    rules = _rules()
    form = RetentionForm(
        data={
            "default_years": rules.default_years,
            **{f"years_{k}": v for k, v in rules.by_outcome.items()},
        }
    )
    if form.validate_on_submit():
        new = retention.RetentionRules(
            form.default_years.data,
            {k: y for k in OUTCOME_LABELS if (y := form[f"years_{k}"].data) is not None},
        )
        old_view, new_view = rules.to_settings(), new.to_settings()
        save(
            "retention", ForceChange(settings={"retention": new_view}), changes(old_view, new_view)
        )
        flash(_("Retention periods saved"))
        return redirect(url_for("admin.retention"))
    return render_template("admin/retention.html", form=form, rules=rules, outcomes=OUTCOME_LABELS)


@bp.get("/retention/review")
@admin_required
def retention_review() -> ResponseReturnValue:
    rules = _rules()
    due = retention.due_cases(rules)
    due_ids = {d.case.id for d in due}
    soon = [
        d for d in retention.due_cases(rules, within_days=SOON_DAYS) if d.case.id not in due_ids
    ]
    held = retention.held_cases()
    record(
        AdminTag.DISPOSAL_REVIEWED,
        purpose="disposal review",
        cases=[str(d.case.id) for d in due + soon] + [str(c.id) for c in held],
    )
    return render_template(
        "admin/retention_review.html",
        rules=rules,
        due=due,
        soon=soon,
        held=held,
        soon_days=SOON_DAYS,
        action=ActionForm(),
    )


@bp.post("/retention/dry-run")
@admin_required
def retention_dry_run() -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    plan = retention.plan(retention.due_cases(_rules()))
    record(
        AdminTag.DISPOSAL_DRY_RUN,
        purpose="disposal dry run",
        cases=[str(d.case.id) for d in plan.cases],
        victims_erased=len(plan.erase_victims),
        victims_kept=len(plan.keep_victims),
    )
    return render_template("admin/retention_dry_run.html", plan=plan, action=ActionForm())


@bp.post("/retention/dispose")
@admin_required
def retention_dispose() -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    record(AdminTag.DISPOSAL_REQUESTED, purpose="disposal")
    jobs.after_commit(current_force().slug, jobs.dispose_due, str(me().id))
    flash(_("Disposal has started: cases past their retention period go within minutes."))
    return redirect(url_for("admin.retention_review"))


# --- a case: find it, hold it ----------------------------------------------------------------


@bp.get("/cases")
@admin_required
def case_find() -> ResponseReturnValue:
    form = FindForm(request.args)
    case = None
    if request.args and form.validate():
        reference = normalise_reference(form.q.data or "")
        case = db.session.scalar(select(Case).where(Case.crime_reference == reference))
        if case is not None:
            return redirect(url_for("admin.case_hold", case_id=case.id))
        form.q.errors = [_("No case has that crime reference")]
    return render_template("admin/case_find.html", form=form)


@bp.route("/cases/<uuid:case_id>/legal-hold", methods=["GET", "POST"])
@admin_required
def case_hold(case_id: uuid.UUID) -> ResponseReturnValue:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    form = LegalHoldForm(hold="yes" if case.legal_hold else "no")
    if form.validate_on_submit():
        hold = form.hold.data == "yes"
        if hold != case.legal_hold:
            record(
                AdminTag.LEGAL_HOLD_CHANGED,
                record_type="case",
                record_id=case.id,
                purpose="legal hold",
                changes=changes({"legal_hold": case.legal_hold}, {"legal_hold": hold}),
            )
            case.legal_hold = hold
        flash(
            _("Legal hold set: this case will not be disposed of")
            if hold
            else _("Legal hold lifted")
        )
        return redirect(url_for("admin.case_hold", case_id=case.id))
    rules = _rules()
    rule, years = rules.years_for(case.outcome)
    return render_template(
        "admin/case_hold.html",
        form=form,
        case=case,
        due_on=retention.DueCase(case, rule, years).due_on if years and case.closed_at else None,
        outcomes=OUTCOME_LABELS,
    )
