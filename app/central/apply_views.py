"""A force applies to join: GOV.UK question pages, one thing per page, then Check your
answers. The draft is saved after every page; the browser's session remembers it, and
an emailed link brings it back anywhere else. The contact address must be confirmed by
that link before the application can be submitted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.audit import record
from app.auth.access import public
from app.central import applications, connection, forms, links
from app.central.blueprint import CentralTag, central
from app.models.base import utcnow
from app.models.central import ForceApplication
from tenants.extension import tenancy
from tenants.names import RESERVED_SLUGS, SLUG_PATTERN, InvalidSlug

Save = Callable[[ForceApplication, Any], str | None]


def question_url(page: str | None) -> str:
    """A question page's address (None: Check your answers). Shared with logo_views."""
    if page is None:
        return url_for("central.check_answers")
    return url_for(f"central.{page.replace('-', '_')}")


def previous_page(page: str) -> str:
    pages = [name for name, _ in applications.QUESTIONS]
    index = pages.index(page)
    return url_for("central.start") if index == 0 else question_url(pages[index - 1])


def _draft() -> ForceApplication | Response | None:
    """The browser's draft; a redirect if it has moved on (submitted, decided)."""
    application = applications.current()
    if application is not None and application.status != "draft":
        return redirect(url_for("central.status"))
    return application


def needs_draft() -> ForceApplication | Response:
    """The browser's draft, or where to go instead (the start, or its status)."""
    application = _draft()
    return application if application is not None else redirect(url_for("central.start"))


def _ask(page: str, form: FlaskForm, save: Save, template: str = "question") -> ResponseReturnValue:
    """One question page: show it, or save its answer and go to the next unanswered one."""
    application = _draft()
    if isinstance(application, Response):
        return application
    if application is None and page != "force-name":
        return redirect(url_for("central.start"))
    if form.validate_on_submit():
        application = application or applications.start(str(get_locale() or "en"))
        after = save(application, form)
        if not form.errors:
            return redirect(after or question_url(applications.next_question(application, page)))
    return render_template(
        f"central/apply/{template}.html",
        form=form,
        application=application,
        back=previous_page(page),
        page=page,
        base_domain=_base_domain(),
    )


def _prefill(form_class: type[FlaskForm], **values: Any) -> FlaskForm:
    application = applications.current()
    if application is None:
        return form_class()
    return form_class(data={name: getattr(application, column) for name, column in values.items()})


@central.get("/apply")
@public
def start() -> ResponseReturnValue:
    return render_template("central/apply/start.html", application=applications.current())


@central.route("/apply/force-name", methods=["GET", "POST"])
@public
def force_name() -> ResponseReturnValue:
    def save(application: ForceApplication, form: Any) -> None:
        application.force_name = form.force_name.data

    return _ask("force-name", _prefill(forms.ForceNameForm, force_name="force_name"), save)


@central.route("/apply/web-address", methods=["GET", "POST"])
@public
def web_address() -> ResponseReturnValue:
    def save(application: ForceApplication, form: Any) -> None:
        slug = form.slug.data
        try:
            application.slug = applications.check_slug(slug, application.id)
        except InvalidSlug:
            form.slug.errors.append(str(_slug_rule(slug)))
        except applications.SlugUnavailable:
            form.slug.errors.append(str(_l("That web address is already taken. Choose another")))

    form = _prefill(forms.WebAddressForm, slug="slug")
    return _ask("web-address", form, save, template="web_address")


@central.get("/apply/web-address/availability")
@public
def web_address_availability() -> ResponseReturnValue:
    """The live check the web address page makes as the applicant types (JSON)."""
    slug = request.args.get("slug", "")[:60].strip()
    application = applications.current()
    message = _slug_problem(slug, application.id if application else None)
    available = message is None
    if available:
        message = _l("%(address)s is available", address=f"{slug}.{_base_domain()}")
    return jsonify(available=available, message=str(message))


def _base_domain() -> str:
    return str(current_app.extensions["settings"].base_domain)


def _slug_problem(slug: str, application_id: Any) -> Any:
    """What is wrong with slug as a web address now, or None if it is free."""
    if not slug.isascii() or not slug:
        return _SLUG_CHARACTERS
    try:
        applications.check_slug(slug.lower(), application_id)
    except InvalidSlug:
        return _slug_rule(slug.lower())
    except applications.SlugUnavailable:
        return _l("That web address is already taken. Choose another")
    return None


_SLUG_CHARACTERS = _l(
    "Web address must only include lower-case letters a to z, numbers and hyphens"
)


def _slug_rule(slug: str) -> Any:
    """Which of the slug rules (tenants.names) the answer breaks, in words."""
    if slug in RESERVED_SLUGS:
        return _l("That web address is reserved. Choose another")
    if "--" in slug:
        return _l("Web address must not have 2 hyphens together")
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        return _SLUG_CHARACTERS
    if not SLUG_PATTERN.fullmatch(slug):
        return _l(
            "Web address must be 3 to 40 characters, start with a letter and not end with a hyphen"
        )
    return _l("Choose another web address")


@central.route("/apply/your-name", methods=["GET", "POST"])
@public
def your_name() -> ResponseReturnValue:
    def save(application: ForceApplication, form: Any) -> None:
        application.contact_name = form.contact_name.data

    return _ask("your-name", _prefill(forms.ContactNameForm, contact_name="contact_name"), save)


@central.route("/apply/your-email", methods=["GET", "POST"])
@public
def your_email() -> ResponseReturnValue:
    def save(application: ForceApplication, form: Any) -> str | None:
        email = form.contact_email.data.lower()
        if email == application.contact_email and application.email_confirmed_at:
            return None
        application.contact_email, application.email_confirmed_at = email, None
        if not _send_link(application, form.contact_email):
            return None
        return url_for("central.check_your_email")

    form = _prefill(forms.ContactEmailForm, contact_email="contact_email")
    return _ask("your-email", form, save, template="email")


def _send_link(application: ForceApplication, field: Any = None) -> bool:
    try:
        links.send(application)
    except links.TooManyLinks:
        message = str(_l("You have asked for too many emails. Wait an hour, then try again"))
        if field is not None:
            field.errors.append(message)
        else:
            flash(message, "error")
        return False
    record(CentralTag.APPLICATION_LINK_SENT, record_type="application", record_id=application.id)
    return True


@central.get("/apply/check-your-email")
@public
def check_your_email() -> ResponseReturnValue:
    application = needs_draft()
    if isinstance(application, Response):
        return application
    if not application.contact_email:
        return redirect(url_for("central.your_email"))
    return render_template(
        "central/apply/check_your_email.html",
        application=application,
        form=forms.ButtonForm(),
        next_url=question_url(applications.next_question(application, "your-email")),
    )


@central.post("/apply/send-link-again")
@public
def send_link_again() -> ResponseReturnValue:
    application = needs_draft()
    if isinstance(application, Response):
        return application
    if not application.contact_email:
        return redirect(url_for("central.your_email"))
    if forms.ButtonForm().validate_on_submit() and _send_link(application):
        flash(_l("We have sent you another link"))
    return redirect(url_for("central.check_your_email"))


@central.route("/apply/colour", methods=["GET", "POST"])
@public
def colour() -> ResponseReturnValue:
    def save(application: ForceApplication, form: Any) -> str | None:
        application.colour = form.colour.data
        # On the way through, the optional logo page comes next; a change made from
        # Check your answers (nothing left to answer) goes straight back there.
        if applications.next_question(application, "colour") is not None:
            return url_for("central.logo")
        return None

    return _ask("colour", _prefill(forms.ColourForm, colour="colour"), save, template="colour")


@central.route("/apply/administrator", methods=["GET", "POST"])
@public
def administrator() -> ResponseReturnValue:
    def save(application: ForceApplication, form: Any) -> None:
        application.admin_email = form.admin_email.data.lower()

    form = _prefill(forms.AdministratorForm, admin_email="admin_email")
    return _ask("administrator", form, save, template="administrator")


@central.route("/apply/welsh", methods=["GET", "POST"])
@public
def welsh() -> ResponseReturnValue:
    def save(application: ForceApplication, form: Any) -> None:
        application.welsh_enabled = form.welsh.data == "yes"

    current = applications.current()
    chosen = None if current is None or current.welsh_enabled is None else current.welsh_enabled
    form = forms.WelshForm(data={"welsh": None if chosen is None else ("yes" if chosen else "no")})
    return _ask("welsh", form, save, template="welsh")


@central.route("/apply/agreement", methods=["GET", "POST"])
@public
def agreement() -> ResponseReturnValue:
    def save(application: ForceApplication, form: Any) -> None:
        application.agreement_accepted_at = application.agreement_accepted_at or utcnow()

    current = applications.current()
    form = forms.AgreementForm(data={"accept": bool(current and current.agreement_accepted_at)})
    return _ask("agreement", form, save, template="agreement")


@central.route("/apply/identity-provider", methods=["GET", "POST"])
@public
def identity_provider() -> ResponseReturnValue:
    """Three answers that only mean something together, and 'Test connection'."""
    application = needs_draft()
    if isinstance(application, Response):
        return application
    form = forms.IdentityProviderForm(
        data={"issuer": application.idp_issuer, "client_id": application.idp_client_id}
    )
    tested = False
    if form.validate_on_submit() and _save_provider(application, form):
        if not form.test.data:
            page = applications.next_question(application, "identity-provider")
            return redirect(question_url(page))
        tested = True
    return render_template(
        "central/apply/identity_provider.html",
        form=form,
        application=application,
        back=previous_page("identity-provider"),
        tested=tested,
        base_domain=current_app.extensions["settings"].base_domain,
    )


def _save_provider(application: ForceApplication, form: Any) -> bool:
    """Check the provider answers as this issuer, then keep the answers (secret sealed)."""
    secret = form.client_secret.data or ""
    if not secret and not application.idp_client_secret_sealed:
        form.client_secret.errors.append(str(_l("Enter the client secret")))
        return False
    trouble = connection.problem(form.issuer.data)
    if trouble:
        form.issuer.errors.append(trouble)
        return False
    application.idp_issuer, application.idp_client_id = form.issuer.data, form.client_id.data
    if secret:
        application.idp_client_secret_sealed = tenancy().secret_box().seal(secret)
    application.idp_checked_at = utcnow()
    return True
