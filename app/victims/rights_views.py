"""A victim's rights on one of their cases: ask for a review of a decision not to
charge (late too, with a reason), complain, ask to make or update a personal
statement, give feedback, see and end who acts for them.

Views are thin: the access rule, the victim's own case (or a 404), what their role on
the case lets them do (app.rights.people.ROLE_SEES, or a 404), a form, a named function
from app.rights (which audits), then a page or a redirect.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import record
from app.auth.access import victim_required
from app.casework import deadlines
from app.casework import victims as casework
from app.casework.catalogue import CASE_ROLE_LABELS
from app.models import (
    Case,
    Complaint,
    Duty,
    PersonalStatementRequest,
    Representative,
    ReviewRequest,
    Victim,
)
from app.rights import complaints, feedback, people, review, statements, visibility
from app.rights import labels as rights_labels
from app.rights.tags import RightsTag
from app.victims import labels, rights_forms
from app.victims.blueprint import bp, case_or_404, error_list, me
from app.victims.forms import ActionForm

# Victim-site endpoints that show property: closed to roles without "property".
PROPERTY_ENDPOINTS = frozenset(
    {
        "victims.property_list",
        "victims.add_property",
        "victims.edit_property",
        "victims.remove_property",
    }
)


def allowed_case_or_404(case_id: uuid.UUID, area: str, purpose: str) -> Case:
    """The victim's own case, if their role on it allows area (a 404 otherwise); its
    reading is audited with purpose."""
    case = case_or_404(case_id)
    if not people.allows(me(), case.id, area):
        abort(404)
    casework.view_case(me(), case, purpose=purpose)
    return case


@bp.before_request
def property_by_role() -> None:
    """The property pages are 404 to a person whose role does not see property (an
    advocate, a spokesperson): the role table applies to pages this module does not own."""
    if request.endpoint not in PROPERTY_ENDPOINTS or not current_user.is_authenticated:
        return
    case_id = (request.view_args or {}).get("case_id")
    if getattr(current_user, "kind", None) != "victim" or not isinstance(case_id, uuid.UUID):
        return  # the view's own access rule answers
    role = people.role_on(current_user._get_current_object(), case_id)
    if role is not None and "property" not in people.ROLE_SEES.get(role, frozenset()):
        abort(404)


# --- what the case page and the rights page show -------------------------------------------


@dataclass
class ReviewState:
    right: review.ReviewRight | None
    request: ReviewRequest | None
    duties: list[Duty] = field(default_factory=list)


@dataclass
class RightsSummary:
    role: str
    may: frozenset[str]
    review: ReviewState
    complaints: list[tuple[Complaint, Duty | None]]
    statements: list[tuple[PersonalStatementRequest, Duty | None]]
    statements_open: bool
    feedback_due: str | None
    acting_for_me: list[tuple[Representative, Victim]]
    i_act_for: list[tuple[Representative, Victim]]
    adult: bool


def rights_summary(case: Case) -> RightsSummary:
    """Everything the victim's rights sections show on case, for the signed-in victim."""
    victim = me()
    role = people.role_on(victim, case.id) or "victim"
    right = review.review_right(case)
    asked = review.review_of(victim, case, right)
    return RightsSummary(
        role=role,
        may=people.ROLE_SEES.get(role, frozenset()),
        review=ReviewState(right, asked, review.review_duties(asked) if asked else []),
        complaints=[
            (c, complaints.complaint_duty(c)) for c in complaints.complaints_of(victim, case)
        ],
        statements=[
            (s, statements.statement_duty(s)) for s in statements.statements_of(victim, case)
        ],
        statements_open=statements.open_for_statements(case),
        feedback_due=feedback.pending_milestone(victim, case),
        acting_for_me=people.acting_for_me(victim, case),
        i_act_for=people.i_act_for(victim, case),
        adult=people.is_adult(victim, deadlines.today()),
    )


@bp.context_processor
def rights_helpers() -> dict[str, object]:
    # The victim labels with the duties no Code rule names (a personal statement).
    merged = SimpleNamespace(
        **{name: getattr(labels, name) for name in dir(labels) if name.isupper()}
    )
    merged.DUTIES = {**labels.DUTIES, **rights_labels.VICTIM_DUTIES}
    return {
        "labels": merged,
        "rights_labels": rights_labels,
        "role_labels": CASE_ROLE_LABELS,
        "rights_summary": rights_summary,
        "others_request_duties": lambda case: visibility.others_request_duties(me(), case),
    }


@bp.get("/cases/<uuid:case_id>/rights")
@victim_required
def rights(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    summary = rights_summary(case)
    record(RightsTag.RIGHTS_VIEWED, record_type="case", record_id=case.id, purpose="own rights")
    return render_template(
        "victims/rights/rights.html",
        case=case,
        summary=summary,
        today=deadlines.today(),
        action=ActionForm(),
    )


# --- a review of a decision not to charge ---------------------------------------------------


@bp.route("/cases/<uuid:case_id>/review", methods=["GET", "POST"])
@victim_required
def ask_for_review(case_id: uuid.UUID) -> ResponseReturnValue:
    case = allowed_case_or_404(case_id, "requests", "ask for a review")
    right = review.review_right(case)
    if right is None:
        abort(404)
    if review.review_of(me(), case, right) is not None:
        return redirect(url_for("victims.rights", case_id=case.id))
    late = right.late_on(deadlines.today())
    form = rights_forms.LateReviewForm() if late else rights_forms.ReviewForm()
    if form.validate_on_submit():
        late_reason = getattr(form, "late_reason", None)
        review.ask_for_review(
            me(),
            case,
            right,
            form.reasons.data or "",
            late_reason.data if late_reason is not None else None,
        )
        flash(_("You have asked for a review. We will confirm we have your request."))
        return redirect(url_for("victims.rights", case_id=case.id))
    return render_template(
        "victims/rights/review.html",
        case=case,
        right=right,
        late=late,
        form=form,
        errors=error_list(form),
    )


# --- complaints ------------------------------------------------------------------------------


@bp.route("/cases/<uuid:case_id>/complaint", methods=["GET", "POST"])
@victim_required
def make_complaint(case_id: uuid.UUID) -> ResponseReturnValue:
    case = allowed_case_or_404(case_id, "requests", "make a complaint")
    form = rights_forms.ComplaintForm()
    if form.validate_on_submit():
        complaints.make_complaint(
            me(),
            case,
            form.topic.data or "other",
            form.details.data or "",
            form.wanted.data or None,
        )
        flash(_("Your complaint has been sent. We will reply within 10 working days."))
        return redirect(url_for("victims.rights", case_id=case.id))
    return render_template(
        "victims/rights/complaint.html", case=case, form=form, errors=error_list(form)
    )


# --- the personal statement ------------------------------------------------------------------


@bp.route("/cases/<uuid:case_id>/personal-statement", methods=["GET", "POST"])
@victim_required
def personal_statement(case_id: uuid.UUID) -> ResponseReturnValue:
    case = allowed_case_or_404(case_id, "requests", "personal statement")
    earlier = statements.statements_of(me(), case)
    waiting = next((s for s in earlier if s.taken_on is None), None)
    if waiting is not None or not statements.open_for_statements(case):
        return redirect(url_for("victims.rights", case_id=case.id))
    form = rights_forms.StatementForm()
    if form.validate_on_submit():
        statements.request_statement(
            me(), case, form.delivery.data or "not_sure", form.contact_note.data or None
        )
        flash(_("Your request has been sent. An officer will contact you to take your statement."))
        return redirect(url_for("victims.rights", case_id=case.id))
    return render_template(
        "victims/rights/personal_statement.html",
        case=case,
        updating=bool(earlier),
        form=form,
        errors=error_list(form),
    )


# --- feedback ------------------------------------------------------------------------------


@bp.route("/cases/<uuid:case_id>/feedback", methods=["GET", "POST"])
@victim_required
def give_feedback(case_id: uuid.UUID) -> ResponseReturnValue:
    case = allowed_case_or_404(case_id, "feedback", "give feedback")
    milestone = feedback.pending_milestone(me(), case)
    if milestone is None:
        return redirect(url_for("victims.case_page", case_id=case.id))
    form = rights_forms.FeedbackForm()
    if form.validate_on_submit():
        feedback.give_feedback(
            me(),
            case,
            milestone,
            int(form.satisfaction.data or 3),
            form.saved_call.data or "no",
            form.improvement.data or None,
        )
        flash(_("Thank you for your feedback"))
        return redirect(url_for("victims.case_page", case_id=case.id))
    return render_template(
        "victims/rights/feedback.html", case=case, form=form, errors=error_list(form)
    )


# --- people acting for the victim ----------------------------------------------------------


@bp.post("/cases/<uuid:case_id>/representatives/<uuid:representative_id>/end")
@victim_required
def end_representative(case_id: uuid.UUID, representative_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    found = people.representative_on(case, representative_id)
    if found is None or found.victim_id != me().id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not people.is_adult(me(), deadlines.today()):
        abort(404)
    people.end(case, found, by="victim")
    flash(_("They no longer act for you on this case"))
    return redirect(url_for("victims.rights", case_id=case.id))
