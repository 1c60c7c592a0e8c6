"""The end of an application: emailed links, Check your answers, submitting, and the
status page the applicant follows until their site is live (or the reason it is not)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from app.audit import record
from app.auth.access import public
from app.central import applications, forms, links, logo_views
from app.central.blueprint import CentralTag, central
from app.models.central import ForceApplication
from app.notifications.content import site_url

# Links that cannot be used: unknown is a 404; the others were real and are gone.
_LINK_STATUS = {
    links.LinkProblem.UNKNOWN: 404,
    links.LinkProblem.USED: 410,
    links.LinkProblem.EXPIRED: 410,
    links.LinkProblem.ADDRESS_CHANGED: 410,
}


def _link_problem(problem: links.LinkProblem) -> ResponseReturnValue:
    body = render_template("central/apply/link_problem.html", problem=problem.value)
    return body, _LINK_STATUS[problem]


@central.get("/apply/confirm/<token>")
@public
def confirm_page(token: str) -> ResponseReturnValue:
    """A button, not the confirmation itself: mail scanners open links, people press."""
    _, problem = links.find(token)
    if problem is not None:
        return _link_problem(problem)
    return render_template("central/apply/confirm.html", form=forms.ConfirmForm())


@central.post("/apply/confirm/<token>")
@public
def confirm(token: str) -> ResponseReturnValue:
    if not forms.ConfirmForm().validate_on_submit():
        return redirect(url_for("central.confirm_page", token=token))
    application, problem = links.use(token)
    if problem is not None or application is None:
        return _link_problem(problem or links.LinkProblem.UNKNOWN)
    applications.remember(application)
    record(
        CentralTag.APPLICATION_EMAIL_CONFIRMED, record_type="application", record_id=application.id
    )
    if application.status != "draft":
        return redirect(url_for("central.status"))
    flash(_l("Your email address is confirmed"))
    page = applications.next_question(application)
    if page is None:
        return redirect(url_for("central.check_answers"))
    return redirect(url_for(f"central.{page.replace('-', '_')}"))


@central.route("/apply/check-answers", methods=["GET", "POST"])
@public
def check_answers() -> ResponseReturnValue:
    application = applications.current()
    if application is None:
        return redirect(url_for("central.start"))
    if application.status != "draft":
        return redirect(url_for("central.status"))
    first = applications.next_question(application)
    if first is not None:
        return redirect(url_for(f"central.{first.replace('-', '_')}"))
    form = forms.SubmitApplicationForm()
    if form.validate_on_submit() and _submit(application, form):
        return redirect(url_for("central.submitted"))
    return render_template(
        "central/apply/check_answers.html",
        form=form,
        application=application,
        sections=_sections(application),
    )


Answer = tuple[Any, Any, str, Any]  # label, value, the page to change it, hidden text


def _sections(application: ForceApplication) -> list[tuple[Any, list[Answer]]]:
    """Every answer, grouped, for Check your answers (values are escaped as they render)."""
    base = current_app.extensions["settings"].base_domain
    confirmed = _l("(confirmed)") if application.email_confirmed_at else _l("(not confirmed yet)")
    return [
        (_l("Your force"), [
            (_l("Force name"), application.force_name, "central.force_name", _l("force name")),
            (_l("Web address"), f"https://{application.slug}.{base}", "central.web_address",
             _l("web address")),
            (_l("Main colour"), application.colour, "central.colour", _l("main colour")),
            (_l("Logo"), logo_views.logo_answer(application), "central.logo", _l("logo")),
            (_l("Welsh"), _l("Yes") if application.welsh_enabled else _l("No"), "central.welsh",
             _l("whether the site is in Welsh")),
        ]),
        (_l("Contact"), [
            (_l("Your name"), application.contact_name, "central.your_name", _l("your name")),
            (_l("Your email address"), f"{application.contact_email} {confirmed}",
             "central.your_email", _l("your email address")),
            (_l("First administrator"), application.admin_email, "central.administrator",
             _l("first administrator")),
        ]),
        (_l("Identity provider"), [
            (_l("Issuer URL"), application.idp_issuer, "central.identity_provider",
             _l("issuer URL")),
            (_l("Client ID"), application.idp_client_id, "central.identity_provider",
             _l("client ID")),
            (_l("Client secret"), _l("Saved, encrypted"), "central.identity_provider",
             _l("client secret")),
        ]),
        (_l("Agreement"), [
            (_l("Data processing agreement"), _l("Accepted"), "central.agreement",
             _l("data processing agreement")),
        ]),
    ]  # fmt: skip


def _submit(application: ForceApplication, form: forms.SubmitApplicationForm) -> bool:
    try:
        applications.submit(application)
    except applications.NotReady as not_ready:
        form.submit.errors = [str(_NOT_READY.get(not_ready.args[0], _NOT_READY["unanswered"]))]
        return False
    except applications.SlugUnavailable:
        form.submit.errors = [
            str(_l("Your web address has just been taken by another force. Change it"))
        ]
        return False
    record(CentralTag.APPLICATION_SUBMITTED, record_type="application", record_id=application.id)
    return True


_NOT_READY = {
    "email_not_confirmed": _l(
        "Confirm your email address before you submit: use the link we emailed you"
    ),
    "unanswered": _l("Answer every question before you submit"),
    "not_a_draft": _l("This application has already been submitted"),
}


@central.get("/apply/submitted")
@public
def submitted() -> ResponseReturnValue:
    application = applications.current()
    if application is None or application.status == "draft":
        return redirect(url_for("central.start"))
    return render_template("central/apply/submitted.html", application=application)


@central.get("/apply/status")
@public
def status() -> ResponseReturnValue:
    application = applications.current()
    site = None
    if application is not None and application.status == "live" and application.slug:
        site = site_url(f"{application.slug}.{current_app.extensions['settings'].base_domain}")
    return render_template("central/apply/status.html", application=application, site=site)


@central.route("/apply/return", methods=["GET", "POST"])
@public
def return_to_application() -> ResponseReturnValue:
    """Ask for a link by email. The answer is the same whether or not we know the address."""
    form = forms.ReturnForm()
    if form.validate_on_submit():
        application = applications.latest_for_email(form.email.data.lower())
        if application is not None:
            try:
                links.send(application)
            except links.TooManyLinks:
                pass  # saying so would tell anyone the address has an application
            else:
                record(
                    CentralTag.APPLICATION_LINK_SENT,
                    record_type="application",
                    record_id=application.id,
                )
        return render_template("central/apply/return_sent.html", email=form.email.data.lower())
    return render_template("central/apply/return.html", form=form)
