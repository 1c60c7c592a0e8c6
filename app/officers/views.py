"""The officer workspace: caseload, a case, its victims, updates, messages and property.

Views are thin: read the form, call app.casework, record the view in the audit trail,
redirect. An object outside the officer's cases is a 404, the same as a missing id.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app import victims_code as code
from app.audit import record
from app.auth.access import officer_required
from app.casework import cases as casework
from app.casework import deadlines, queries
from app.casework import victims as victims_casework
from app.casework.catalogue import (
    CASE_ROLE_LABELS,
    DUTY_LABELS,
    ENHANCED_REASONS,
    EVENT_LABELS,
    OUTCOME_LABELS,
)
from app.models import Case, CaseVictim, Message, Officer, PropertyItem, Victim
from app.notifications import withheld_for_case
from app.officers import forms
from app.officers.blueprint import OfficerTag, bp
from tenants.binding import db

SUPERVISORS = ("supervisor", "admin")


def me() -> Officer:
    officer: Officer = current_user._get_current_object()
    return officer


def case_or_404(case_id: uuid.UUID) -> Case:
    case = queries.visible_case(me(), case_id)
    if case is None:
        abort(404)
    return case


def victim_on_case_or_404(case: Case, victim_id: uuid.UUID) -> Victim:
    victim = db.session.scalar(
        select(Victim)
        .join(CaseVictim, CaseVictim.victim_id == Victim.id)
        .where(CaseVictim.case_id == case.id, Victim.id == victim_id)
    )
    if victim is None:
        abort(404)
    return victim


# --- caseload ---------------------------------------------------------------------------


@bp.get("/")
@officer_required()
def caseload() -> ResponseReturnValue:
    query = queries.CaseloadQuery(
        scope="team" if request.args.get("scope") == "team" else "mine",
        status=_one_of(request.args.get("status", ""), ("open", "closed", "all")),
        overdue_only=request.args.get("overdue") == "1",
        reference=casework.normalise_reference(request.args.get("reference", ""))[:40],
        after=request.args.get("after"),
    )
    today = deadlines.today()
    page = queries.caseload(me(), query, today)
    record(
        OfficerTag.CASELOAD_VIEWED,
        purpose="caseload",
        cases=[str(row.case.id) for row in page.rows],
    )
    return render_template("officers/caseload.html", page=page, query=query, today=today)


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else allowed[0]


# --- a case ---------------------------------------------------------------------------


@bp.route("/cases/new", methods=["GET", "POST"])
@officer_required()
def new_case() -> ResponseReturnValue:
    form = forms.CaseForm(team=me().team)
    categories = casework.offered_categories()
    welsh = str(get_locale()) == "cy"
    form.offence_category.choices = forms.choices(
        {
            "": _("Select an offence category"),
            **{c.key: c.name_cy if welsh else c.name for c in categories},
        }
    )
    pattern, example = casework.reference_pattern()
    if form.validate_on_submit():
        reference = casework.normalise_reference(form.crime_reference.data or "")
        if not pattern.fullmatch(reference):
            form.crime_reference.errors = [
                _(
                    "Enter the crime reference in the force's format, like %(example)s",
                    example=example,
                )
            ]
        elif casework.reference_taken(reference):
            form.crime_reference.errors = [_("A case with this crime reference already exists")]
        else:
            case = casework.create_case(
                casework.NewCase(
                    crime_reference=reference,
                    offence_category=form.offence_category.data or "",
                    reported_on=form.reported_on.data or deadlines.today(),
                    oic=me(),
                    team=(form.team.data or "").strip() or me().team,
                    enhanced_reasons=tuple(form.enhanced_reasons.data or ()),
                )
            )
            return redirect(url_for("officers.case_page", case_id=case.id))
    return render_template("officers/new_case.html", form=form, example=example)


@bp.get("/cases/<uuid:case_id>")
@officer_required()
def case_page(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    record(OfficerTag.CASE_VIEWED, record_type="case", record_id=case.id, purpose="case page")
    victims = casework.case_victims(case)
    for victim, _role in victims:  # their contact details are on the page: a consultation
        record(
            OfficerTag.VICTIM_VIEWED, record_type="victim", record_id=victim.id, purpose="case page"
        )
    today = deadlines.today()
    timeline = list(
        db.session.scalars(
            select(casework.CaseEvent)
            .where(casework.CaseEvent.case_id == case.id)
            .order_by(casework.CaseEvent.occurred_at.desc(), casework.CaseEvent.posted_at.desc())
        )
    )
    return render_template(
        "officers/case.html",
        case=case,
        oic=db.session.get(Officer, case.oic_id) if case.oic_id else None,
        victims=victims,
        invites={victim.id: casework.current_invite(victim) for victim, _ in victims},
        duties=queries.case_duties(case),
        timeline=timeline,
        messages=queries.case_messages(case),
        property_items=list(
            db.session.scalars(select(PropertyItem).where(PropertyItem.case_id == case.id))
        ),
        withheld=withheld_for_case(case.id),
        today=today,
        now=datetime.now(UTC),
        status_of=deadlines.status,
        outcome_labels=OUTCOME_LABELS,
        action=forms.ActionForm(),
    )


@bp.route("/cases/<uuid:case_id>/contact", methods=["GET", "POST"])
@officer_required()
def case_contact(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = forms.ContactForm(
        automatic_contact="yes" if case.automatic_contact else "no",
        enhanced_reasons=case.enhanced_reasons,
    )
    if form.validate_on_submit():
        reasons = sorted(form.enhanced_reasons.data or ())
        casework.change_case(
            case,
            "contact and rights",
            automatic_contact=form.automatic_contact.data == "yes",
            enhanced_reasons=reasons,
            enhanced_rights=bool(reasons),
        )
        flash(_("Case updated"))
        return redirect(url_for("officers.case_page", case_id=case.id))
    return render_template("officers/case_contact.html", case=case, form=form)


@bp.route("/cases/<uuid:case_id>/reassign", methods=["GET", "POST"])
@officer_required()
def reassign(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = forms.ReassignForm()
    if form.validate_on_submit():
        officer = casework.find_officer(form.officer.data or "")
        if officer is None:
            form.officer.errors = [
                _("No officer of this force has that collar number or email address")
            ]
        else:
            casework.reassign(case, officer)
            flash(_("Case reassigned to %(name)s", name=officer.name))
            return redirect(url_for("officers.case_page", case_id=case.id))
    return render_template("officers/reassign.html", case=case, form=form)


@bp.route("/cases/<uuid:case_id>/close", methods=["GET", "POST"])
@officer_required()
def close(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    if case.status == "closed":
        return redirect(url_for("officers.case_page", case_id=case.id))
    form = forms.CloseForm()
    if form.validate_on_submit():
        casework.close_case(case, form.outcome.data or "other")
        flash(_("Case closed"))
        return redirect(url_for("officers.case_page", case_id=case.id))
    return render_template("officers/close.html", case=case, form=form)


# --- victims -----------------------------------------------------------------------------


@bp.route("/cases/<uuid:case_id>/people/new", methods=["GET", "POST"])
@officer_required()
def add_victim(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = forms.VictimForm()
    if form.validate_on_submit():
        victim = Victim(
            id=uuid.uuid4(),
            name=(form.name.data or "").strip(),
            date_of_birth=form.date_of_birth.data,
            email=(form.email.data or "").strip().lower() or None,
            mobile=forms.mobile_digits(form.mobile.data or "") or None,
            preferred_language=form.preferred_language.data or "en",
            contact_channel=form.contact_channel.data or "email",
            safe_from=_time(form.safe_from.data),
            safe_until=_time(form.safe_until.data),
        )
        casework.add_victim(case, victim, form.role.data or "victim")
        flash(_("Person added. Send them an invite when their contact details are safe to use."))
        return redirect(url_for("officers.case_page", case_id=case.id))
    return render_template("officers/add_victim.html", case=case, form=form)


def _time(value: time | None) -> time | None:
    return value.replace(second=0, microsecond=0) if value else None


@bp.post("/cases/<uuid:case_id>/people/<uuid:victim_id>/invite")
@officer_required()
def send_invite(case_id: uuid.UUID, victim_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    victim = victim_on_case_or_404(case, victim_id)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    if victim.account_created_at is not None:
        flash(_("This person already has an account"))
    else:
        casework.send_invite(case, victim, me())
        flash(_("Invite sent"))
    return redirect(url_for("officers.case_page", case_id=case.id))


@bp.post("/cases/<uuid:case_id>/people/<uuid:victim_id>/revoke")
@officer_required()
def revoke_invite(case_id: uuid.UUID, victim_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    victim = victim_on_case_or_404(case, victim_id)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    if casework.revoke_invite(victim):
        flash(_("Invite revoked: the link no longer works"))
    return redirect(url_for("officers.case_page", case_id=case.id))


@bp.post("/cases/<uuid:case_id>/people/<uuid:victim_id>/two-step-off")
@officer_required(*SUPERVISORS)
def turn_off_two_step(case_id: uuid.UUID, victim_id: uuid.UUID) -> ResponseReturnValue:
    """For a victim who lost their phone and called 101: their password alone again."""
    case = case_or_404(case_id)
    victim = victim_on_case_or_404(case, victim_id)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    if victim.totp_enabled_at is not None:
        victims_casework.turn_off_two_step(victim, by="officer")
        flash(_("Two-step sign-in is off for %(name)s", name=victim.name))
    return redirect(url_for("officers.case_page", case_id=case.id))


# --- updates ----------------------------------------------------------------------------


@bp.route("/cases/<uuid:case_id>/updates/new", methods=["GET", "POST"])
@officer_required()
def new_update(case_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    if case.status == "closed":
        abort(404)
    form = forms.UpdateForm()
    chosen = request.args.get("event_type", "")
    if request.method == "GET" and chosen in EVENT_LABELS:
        template = casework.update_template(chosen)
        form.event_type.data = chosen
        if template is not None:
            form.victim_text.data, form.victim_text_cy.data = template.text_en, template.text_cy
    if form.validate_on_submit():
        occurred = form.occurred_on.data or deadlines.today()
        details = (form.details.data or "").strip()
        event = casework.post_event(
            case,
            casework.NewEvent(
                event_type=form.event_type.data or "free_update",
                occurred_at=datetime.combine(occurred, time(12, 0), tzinfo=UTC),
                victim_text=(form.victim_text.data or "").strip(),
                victim_text_cy=(form.victim_text_cy.data or "").strip() or None,
                internal_note=(form.internal_note.data or "").strip() or None,
                details={"text": details} if details else {},
            ),
            me(),
            publish=bool(form.publish.data),
        )
        flash(
            _("Update posted and shown to the victim") if event.published_at else _("Update saved")
        )
        return redirect(url_for("officers.case_page", case_id=case.id))
    return render_template("officers/new_update.html", case=case, form=form)


@bp.post("/cases/<uuid:case_id>/updates/<uuid:event_id>/publish")
@officer_required()
def publish_update(case_id: uuid.UUID, event_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    event = db.session.get(casework.CaseEvent, event_id)
    if event is None or event.case_id != case.id:
        abort(404)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        casework.publish_event(case, event)
    except casework.CaseworkError:
        flash(_("Write what the victim will read before telling them"))
    else:
        flash(_("The victim can now read this update"))
    return redirect(url_for("officers.case_page", case_id=case.id))


# --- messages ---------------------------------------------------------------------------


@bp.route("/cases/<uuid:case_id>/messages/<uuid:message_id>/reply", methods=["GET", "POST"])
@officer_required()
def reply(case_id: uuid.UUID, message_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    message = db.session.get(Message, message_id)
    if message is None or message.case_id != case.id or message.officer_id is not None:
        abort(404)
    if message.read_by_officer_at is None:
        message.read_by_officer_at = datetime.now(UTC)
    record(OfficerTag.MESSAGE_READ, record_type="message", record_id=message.id, purpose="reply")
    form = forms.ReplyForm()
    if form.validate_on_submit():
        casework.reply(case, message, (form.body.data or "").strip(), me())
        flash(_("Reply sent"))
        back_to_inbox = request.args.get("back") == "inbox"
        return redirect(
            url_for("officers.inbox")
            if back_to_inbox
            else url_for("officers.case_page", case_id=case.id)
        )
    return render_template("officers/reply.html", case=case, message=message, form=form)


@bp.get("/inbox")
@officer_required()
def inbox() -> ResponseReturnValue:
    scope = "team" if request.args.get("scope") == "team" else "mine"
    items = queries.inbox(me(), scope, deadlines.today())
    record(OfficerTag.INBOX_VIEWED, purpose="inbox", messages=[str(i.message.id) for i in items])
    return render_template("officers/inbox.html", items=items, scope=scope)


# --- property -------------------------------------------------------------------------


@bp.post("/cases/<uuid:case_id>/property/<uuid:item_id>")
@officer_required()
def property_status(case_id: uuid.UUID, item_id: uuid.UUID) -> ResponseReturnValue:
    case = case_or_404(case_id)
    item = db.session.get(PropertyItem, item_id)
    if item is None or item.case_id != case.id:
        abort(404)
    status = request.form.get("status", "")
    if not forms.ActionForm().validate_on_submit() or status not in ("recovered", "returned"):
        abort(400)
    casework.set_property_status(item, status)
    flash(_("Property marked as %(status)s", status=PROPERTY_LABELS[status]))
    return redirect(url_for("officers.case_page", case_id=case.id))


# --- supervisor -------------------------------------------------------------------------


@bp.get("/team")
@officer_required(*SUPERVISORS)
def team() -> ResponseReturnValue:
    today = deadlines.today()
    summary = queries.team_summary(me().team, today)
    record(OfficerTag.TEAM_VIEWED, purpose="team compliance", team=me().team)
    return render_template(
        "officers/team.html", summary=summary, today=today, status_of=deadlines.status
    )


# --- what every officer template may use ---------------------------------------------

INVITE_LABELS = {
    "pending": _l("Invite sent"),
    "used": _l("Invite used"),
    "revoked": _l("Invite revoked"),
    "locked": _l("Invite locked after too many wrong answers"),
    "expired": _l("Invite expired"),
}
PROPERTY_LABELS = {
    "missing": _l("Missing"),
    "damaged": _l("Damaged"),
    "recovered": _l("Recovered"),
    "returned": _l("Returned"),
}
WITHHELD_REASONS = {
    "automatic_contact_off": _l("automatic notifications are off for this case"),
    "victim_chose_no_contact": _l("the victim asked not to be contacted"),
    "no_address": _l("there is no address for the victim's chosen channel"),
    "channel_not_configured": _l("text messages are not set up for this force"),
}


@bp.context_processor
def template_helpers() -> dict[str, object]:
    return {
        "code_status": code.status_on,
        "duty_labels": DUTY_LABELS,
        "event_labels": EVENT_LABELS,
        "enhanced_labels": ENHANCED_REASONS,
        "role_labels": CASE_ROLE_LABELS,
        "invite_labels": INVITE_LABELS,
        "property_labels": PROPERTY_LABELS,
        "withheld_reason": lambda reason: WITHHELD_REASONS.get(reason or "", reason),
        "category_name": casework.category_name,
    }
