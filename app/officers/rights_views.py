"""Victims' rights in the officer workspace: review requests with their Code clocks,
complaints (for supervisors and the force's administrators, who stand in for
professional standards), personal statements, feedback figures, people acting for a
victim.

Views are thin: the access rule, the officer's case (or a 404), the request on it (or
a 404), a form, a named function from app.rights (which audits), a page or redirect.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from babel.dates import format_date
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from app.auth.access import officer_required
from app.casework import cases as casework
from app.casework import deadlines
from app.casework.catalogue import DUTY_LABELS
from app.models import (
    Case,
    Complaint,
    Duty,
    PersonalStatementRequest,
    Representative,
    ReviewRequest,
    Victim,
)
from app.officers import forms, rights_forms
from app.officers.blueprint import bp
from app.officers.views import SUPERVISORS, case_or_404, me, victim_on_case_or_404
from app.rights import complaints, feedback, people, review, statements
from app.rights import labels as rights_labels
from tenants.binding import db

# --- the rights section of the case page ---------------------------------------------------


@dataclass
class RightsOnCase:
    reviews: list[tuple[ReviewRequest, list[Duty]]]
    complaints: list[tuple[Complaint, Duty | None]]
    statements: list[tuple[PersonalStatementRequest, Duty | None]]
    representatives: list[tuple[Representative, Victim]]
    names: dict[uuid.UUID, str]


def rights_on_case(case: Case) -> RightsOnCase:
    """What the case page shows of the victims' requests (their texts are on each
    request's own page, whose reading is audited)."""
    return RightsOnCase(
        reviews=[(r, review.review_duties(r)) for r in review.reviews_on(case)],
        complaints=[(c, complaints.complaint_duty(c)) for c in complaints.complaints_on(case)],
        statements=[(s, statements.statement_duty(s)) for s in statements.statements_on(case)],
        representatives=people.representatives_on(case),
        names={victim.id: victim.name for victim, _role in casework.case_victims(case)},
    )


@bp.context_processor
def rights_helpers() -> dict[str, object]:
    return {
        # The Code's duty labels with the force's own (a personal statement).
        "duty_labels": {**DUTY_LABELS, **rights_labels.OFFICER_DUTIES},
        "rights_labels": rights_labels,
        "rights_on_case": rights_on_case,
        "handles_complaints": lambda: me().role in SUPERVISORS,
        "show_month": lambda day: format_date(day, "MMMM y", locale=get_locale()),
    }


# --- review requests ---------------------------------------------------------------------


def review_or_404(case: Case, review_id: uuid.UUID) -> ReviewRequest:
    found = review.review_on(case, review_id)
    if found is None:
        abort(404)
    return found


@bp.get("/cases/<uuid:case_id>/reviews/<uuid:review_id>")
@officer_required()
def review_request(case_id: uuid.UUID, review_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    asked = review_or_404(case, review_id)
    review.view_review(asked, "review request page")
    return render_template(
        "officers/rights/review.html",
        case=case,
        asked=asked,
        duties=review.review_duties(asked),
        requester=_name(asked.victim_id),
        today=deadlines.today(),
        status_of=deadlines.status,
        action=forms.ActionForm(),
    )


@bp.post("/cases/<uuid:case_id>/reviews/<uuid:review_id>/acknowledge")
@officer_required()
def acknowledge_review(case_id: uuid.UUID, review_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    asked = review_or_404(case, review_id)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    if review.acknowledge(case, asked, me()):
        flash(_("Acknowledgement recorded. The victim has been told."))
    return redirect(url_for("officers.review_request", case_id=case.id, review_id=asked.id))


@bp.route("/cases/<uuid:case_id>/reviews/<uuid:review_id>/decision", methods=["GET", "POST"])
@officer_required()
def decide_review(case_id: uuid.UUID, review_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    asked = review_or_404(case, review_id)
    if asked.decided_at is not None:
        return redirect(url_for("officers.review_request", case_id=case.id, review_id=asked.id))
    form = rights_forms.ReviewDecisionForm()
    if form.validate_on_submit():
        review.decide(case, asked, me(), form.outcome.data or "", form.outcome_text.data or "")
        flash(_("Decision recorded. The victim has been told."))
        return redirect(url_for("officers.review_request", case_id=case.id, review_id=asked.id))
    return render_template(
        "officers/rights/review_decision.html", case=case, asked=asked, form=form
    )


# --- complaints ----------------------------------------------------------------------------


def complaint_or_404(case_id: uuid.UUID, complaint_id: uuid.UUID) -> tuple[Case, Complaint]:
    found = complaints.complaint_for(me(), case_id, complaint_id)
    if found is None:
        abort(404)
    case = db.session.get(Case, found.case_id)
    assert case is not None  # a foreign key
    return case, found


@bp.get("/complaints")
@officer_required(*SUPERVISORS)
def complaints_list() -> ResponseReturnValue:
    return render_template(
        "officers/rights/complaints.html",
        rows=complaints.open_complaints(me()),
        today=deadlines.today(),
        status_of=deadlines.status,
    )


@bp.get("/cases/<uuid:case_id>/complaints/<uuid:complaint_id>")
@officer_required(*SUPERVISORS)
def complaint(case_id: uuid.UUID, complaint_id: uuid.UUID) -> ResponseReturnValue:
    case, found = complaint_or_404(case_id, complaint_id)
    complaints.view_complaint(found, "complaint page")
    return render_template(
        "officers/rights/complaint.html",
        case=case,
        complaint=found,
        duty=complaints.complaint_duty(found),
        requester=_name(found.victim_id),
        today=deadlines.today(),
        status_of=deadlines.status,
        action=forms.ActionForm(),
    )


@bp.post("/cases/<uuid:case_id>/complaints/<uuid:complaint_id>/acknowledge")
@officer_required(*SUPERVISORS)
def acknowledge_complaint(case_id: uuid.UUID, complaint_id: uuid.UUID) -> ResponseReturnValue:
    case, found = complaint_or_404(case_id, complaint_id)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    if complaints.acknowledge(case, found, me()):
        flash(_("Acknowledgement recorded. The victim has been told."))
    return redirect(url_for("officers.complaint", case_id=case.id, complaint_id=found.id))


@bp.route("/cases/<uuid:case_id>/complaints/<uuid:complaint_id>/answer", methods=["GET", "POST"])
@officer_required(*SUPERVISORS)
def answer_complaint(case_id: uuid.UUID, complaint_id: uuid.UUID) -> ResponseReturnValue:
    case, found = complaint_or_404(case_id, complaint_id)
    if found.answered_at is not None:
        return redirect(url_for("officers.complaint", case_id=case.id, complaint_id=found.id))
    complaints.view_complaint(found, "answer a complaint")
    form = rights_forms.ComplaintAnswerForm()
    if form.validate_on_submit():
        complaints.answer(case, found, me(), form.answer_text.data or "")
        flash(_("Answer sent. The victim has been told."))
        return redirect(url_for("officers.complaint", case_id=case.id, complaint_id=found.id))
    return render_template(
        "officers/rights/complaint_answer.html", case=case, complaint=found, form=form
    )


# --- personal statements -------------------------------------------------------------------


@bp.route("/cases/<uuid:case_id>/personal-statements/<uuid:statement_id>", methods=["GET", "POST"])
@officer_required()
def personal_statement(case_id: uuid.UUID, statement_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    found = statements.statement_on(case, statement_id)
    if found is None:
        abort(404)
    statements.view_statement(found, "personal statement request page")
    form = rights_forms.StatementTakenForm()
    if found.taken_on is None and form.validate_on_submit():
        statements.record_taken(case, found, me(), form.taken_on.data or deadlines.today())
        flash(_("Statement recorded as taken. The victim has been told."))
        return redirect(url_for("officers.case_page", case_id=case.id))
    return render_template(
        "officers/rights/personal_statement.html",
        case=case,
        statement=found,
        duty=statements.statement_duty(found),
        requester=_name(found.victim_id),
        today=deadlines.today(),
        status_of=deadlines.status,
        form=form,
    )


# --- feedback figures --------------------------------------------------------------------


@bp.get("/feedback")
@officer_required(*SUPERVISORS)
def feedback_figures() -> ResponseReturnValue:
    # Suggestions are free text a victim may have signed despite the hint: only the
    # force's administrators (who own its management information) read them.
    found = feedback.figures(with_suggestions=me().role == "admin")
    return render_template(
        "officers/rights/feedback.html", figures=found, minimum=feedback.MIN_ANSWERS
    )


# --- people acting for a victim -----------------------------------------------------------


@bp.route("/cases/<uuid:case_id>/representatives/new", methods=["GET", "POST"])
@officer_required()
def add_representative(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    victims = [victim for victim, role in casework.case_victims(case) if role == "victim"]
    if not victims:
        flash(_("Add the victim first: a person acts for a victim on the case."))
        return redirect(url_for("officers.case_page", case_id=case.id))
    form = rights_forms.RepresentativeForm()
    form.acting_for.choices = forms.choices({str(v.id): v.name for v in victims})
    if form.validate_on_submit():
        acting_for = victim_on_case_or_404(case, uuid.UUID(form.acting_for.data or ""))
        people.add_representative(case, acting_for, _person(form), form.role.data or "", me())
        flash(_("Person added. Send them an invite when their contact details are safe to use."))
        return redirect(url_for("officers.case_page", case_id=case.id))
    return render_template("officers/rights/add_representative.html", case=case, form=form)


def _person(form: rights_forms.RepresentativeForm) -> Victim:
    return Victim(
        id=uuid.uuid4(),
        name=(form.name.data or "").strip(),
        date_of_birth=form.date_of_birth.data,
        email=(form.email.data or "").strip().lower() or None,
        mobile=forms.mobile_digits(form.mobile.data or "") or None,
        preferred_language=form.preferred_language.data or "en",
        contact_channel=form.contact_channel.data or "email",
        safe_from=form.safe_from.data.replace(second=0) if form.safe_from.data else None,
        safe_until=form.safe_until.data.replace(second=0) if form.safe_until.data else None,
    )


@bp.post("/cases/<uuid:case_id>/representatives/<uuid:representative_id>/end")
@officer_required()
def end_representative(case_id: uuid.UUID, representative_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    found = people.representative_on(case, representative_id)
    if found is None:
        abort(404)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    people.end(case, found, by="officer")
    flash(_("They no longer act for the victim on this case"))
    return redirect(url_for("officers.case_page", case_id=case.id))


def _name(victim_id: uuid.UUID) -> str:
    victim = db.session.get(Victim, victim_id)
    return victim.name if victim else ""
