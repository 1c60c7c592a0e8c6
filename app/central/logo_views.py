"""The application's optional logo: its question page (upload, continue without, remove)
and the image itself, for the applicant whose browser holds the application and for
operators reviewing it.

The file is checked by app.logos, the same check a force administrator's upload gets:
only the rebuilt PNG or the inert SVG is kept, on the application, and provisioning
copies it into the new force's schema. Pages show it only through <img>; the image is
served with its own content type, nosniff and as inline, never as a page.
"""

from __future__ import annotations

import uuid

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.wrappers import Response as Redirect

from app import logos
from app.auth.access import operator_required, public
from app.central import applications, forms
from app.central.apply_views import needs_draft, previous_page, question_url
from app.central.blueprint import central, console
from app.models.central import ForceApplication

EXTENSIONS = {"image/png": "png", "image/svg+xml": "svg"}


def has_logo(application: ForceApplication) -> bool:
    return bool(application.logo_data) and application.logo_content_type in EXTENSIONS


def logo_answer(application: ForceApplication) -> Markup:
    """The logo as Check your answers shows it (every value escaped), or "No logo"."""
    if not has_logo(application):
        return Markup.escape(str(_l("No logo")))
    return Markup('<img src="{}" alt="{}" height="60" class="tmc-application-logo">').format(
        url_for("central.application_logo"),
        _l("The logo you uploaded"),
    )


@central.route("/apply/logo", methods=["GET", "POST"])
@public
def logo() -> ResponseReturnValue:
    application = needs_draft()
    if isinstance(application, Redirect):
        return application
    form = forms.LogoForm()
    onward = question_url(applications.next_question(application, "logo"))
    if form.validate_on_submit():
        upload = request.files.get("logo")
        if upload is None or not upload.filename:
            form.logo.errors = [str(_l("Select a PNG or SVG file"))]
        else:
            try:
                checked = logos.checked(upload.read(logos.PNG_LIMIT + 1), upload.filename)
            except logos.LogoRefused as refused:
                form.logo.errors = [logos.refusal_message(refused)]
            else:
                application.logo_content_type, application.logo_data = (
                    checked.content_type,
                    checked.data,
                )
                return redirect(onward)
    return render_template(
        "central/apply/logo.html",
        form=form,
        application=application,
        has_logo=has_logo(application),
        remove_form=forms.ButtonForm(),
        back=previous_page("logo"),
        onward=onward,
    )


@central.post("/apply/logo/remove")
@public
def remove_logo() -> ResponseReturnValue:
    application = needs_draft()
    if isinstance(application, Redirect):
        return application
    if forms.ButtonForm().validate_on_submit() and has_logo(application):
        application.logo_content_type, application.logo_data = None, None
        flash(_l("The logo has been removed"))
    return redirect(url_for("central.logo"))


def _image(application: ForceApplication | None) -> ResponseReturnValue:
    if application is None or not has_logo(application):
        abort(404)
    content_type = str(application.logo_content_type)
    return Response(
        application.logo_data,
        mimetype=content_type,
        headers={
            "Content-Disposition": f'inline; filename="logo.{EXTENSIONS[content_type]}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@central.get("/apply/logo/image")
@public
def application_logo() -> ResponseReturnValue:
    """The logo of the application this browser holds (and no other)."""
    return _image(applications.current())


@console.get("/applications/<uuid:application_id>/logo")
@operator_required
def application_logo_for_operator(application_id: uuid.UUID) -> ResponseReturnValue:
    """The logo of a submitted application, for the operator deciding on it."""
    return _image(applications.get(application_id))
