"""Force settings pages: branding and logo, contact details and footer links, Welsh,
crime references and invites, offence categories, notifications, officer sign-in.

Each page reads the force fresh from the registry (not the few-seconds-old copy the
request resolved), saves through app.admin.force_settings.save (registry, platform
trail, force trail with old and new values), and redirects to the summary.
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import logos
from app.admin import force_settings, forms, settings_forms
from app.admin.blueprint import bp
from app.admin.force_settings import changes, save
from app.admin.views import me
from app.auth.access import admin_required
from app.auth.idp import IdpSettings
from app.casework.cases import (
    DEFAULT_INVITE_DAYS,
    DEFAULT_REFERENCE_EXAMPLE,
    DEFAULT_REFERENCE_PATTERN,
)
from app.models import BrandAsset, OffenceCategory
from tenants import registry
from tenants.binding import db
from tenants.branding import MIN_CONTRAST, InvalidBranding, contrast_with_white, validate_branding
from tenants.extension import current_force
from tenants.forces import Force
from tenants.registry import ForceChange

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def fresh() -> Force:
    force = registry.fresh_force(db.engine, current_force().slug)
    if force is None:
        abort(404)
    return force


def _done() -> ResponseReturnValue:
    flash(_("Settings saved. Every page shows them within a few seconds."))
    return redirect(url_for("admin.settings"))


@bp.get("/settings")
@admin_required
def settings() -> ResponseReturnValue:
    force = fresh()
    asset = db.session.get(BrandAsset, "logo")
    categories = list(
        db.session.scalars(select(OffenceCategory).order_by(OffenceCategory.position))
    )
    return render_template(
        "admin/settings.html",
        force=force,
        logo=asset,
        categories=categories,
        notifications=force.settings.get("notifications") or {},
        idp=IdpSettings.from_mapping(force.idp),
        defaults={
            "pattern": DEFAULT_REFERENCE_PATTERN,
            "example": DEFAULT_REFERENCE_EXAMPLE,
            "invite_days": DEFAULT_INVITE_DAYS,
        },
    )


# --- branding and logo ---------------------------------------------------------------------------


def _colour_problem(colour: str) -> str | None:
    if not _HEX.fullmatch(colour):
        return _("Enter a hex colour like #1d70b8")
    ratio = contrast_with_white(colour.lower())
    if ratio < MIN_CONTRAST:
        return _(
            "White text on %(colour)s has a contrast of %(ratio).1f:1: choose a darker colour "
            "(at least %(minimum).1f:1)",
            colour=colour,
            ratio=ratio,
            minimum=MIN_CONTRAST,
        )
    return None


@bp.route("/settings/branding", methods=["GET", "POST"])
@admin_required
def settings_branding() -> ResponseReturnValue:
    force = fresh()
    old = {
        "name": force.name,
        "name_cy": force.settings.get("name_cy"),
        "colour": force.branding.get("colour"),
    }
    form = settings_forms.BrandingForm(data=old)
    if form.validate_on_submit():
        colour = (form.colour.data or "").lower()
        problem = _colour_problem(colour)
        if problem:
            form.colour.errors = [problem]
        else:
            new = {"name": form.name.data, "name_cy": form.name_cy.data or None, "colour": colour}
            change = ForceChange(
                name=new["name"], branding={"colour": colour}, settings={"name_cy": new["name_cy"]}
            )
            save("branding", change, changes(old, new))
            return _done()
    return render_template(
        "admin/settings_branding.html", form=form, logo_form=settings_forms.LogoForm(), force=force
    )


@bp.post("/settings/logo")
@admin_required
def settings_logo() -> ResponseReturnValue:
    form = settings_forms.LogoForm()
    upload = request.files.get("logo")
    if form.validate_on_submit() and upload is not None and upload.filename:
        try:
            checked = logos.checked(upload.read(logos.PNG_LIMIT + 1), upload.filename)
        except logos.LogoRefused as refused:
            form.logo.errors = [logos.refusal_message(refused)]
        else:
            _store_logo(checked)
            return _done()
    elif not form.errors:
        form.logo.errors = [_("Select a PNG or SVG file")]
    force = fresh()
    return render_template(
        "admin/settings_branding.html",
        form=settings_forms.BrandingForm(
            data={
                "name": force.name,
                "name_cy": force.settings.get("name_cy"),
                "colour": force.branding.get("colour"),
            }
        ),
        logo_form=form,
        force=force,
    )


def _store_logo(checked: logos.Logo) -> None:
    """Keep the logo in the force's schema; the registry names its digest (pages link to
    it without a query, and every process picks the new one up)."""
    digest = logos.store(db.session(), checked, me().id)
    old = {"logo": fresh().settings.get("logo")}
    save("logo", ForceChange(settings={"logo": digest}), changes(old, {"logo": digest}))


@bp.post("/settings/logo/remove")
@admin_required
def settings_logo_remove() -> ResponseReturnValue:
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    asset = db.session.get(BrandAsset, "logo")
    if asset is not None:
        db.session.delete(asset)
    old = {"logo": fresh().settings.get("logo")}
    save("logo", ForceChange(settings={"logo": None}), changes(old, {"logo": None}))
    return _done()


# --- contact details and footer links ---------------------------------------------------------

CONTACT_TOKENS = ("phone", "email", "address", "address_cy")


def _footer_links(form: settings_forms.ContactForm) -> list[dict[str, str]]:
    links = []
    for number in range(1, settings_forms.FOOTER_LINKS + 1):
        text, text_cy, url = (
            form[f"link_{number}_{part}"].data for part in ("text", "text_cy", "url")
        )
        if text and url:
            links.append({"text": text, "text_cy": text_cy or "", "url": url})
    return links


def _contact_data(force: Force) -> dict[str, Any]:
    data: dict[str, Any] = {key: force.branding.get(key) for key in CONTACT_TOKENS}
    for number, link in enumerate(force.settings.get("footer_links") or [], start=1):
        for part in ("text", "text_cy", "url"):
            data[f"link_{number}_{part}"] = link.get(part)
    return data


def _token_errors(form: settings_forms.ContactForm, colour: str) -> bool:
    """Check each contact token with the branding grammar; False if any is refused."""
    ok = True
    for key in CONTACT_TOKENS:
        value = form[key].data
        if not value:
            continue
        try:
            validate_branding({"colour": colour, key: value})
        except InvalidBranding:
            form[key].errors = [CONTACT_REFUSALS[key]]
            ok = False
    return ok


CONTACT_REFUSALS = {
    "phone": _l("Enter a phone number, like 01632 960 000"),
    "email": _l("Enter an email address like name@example.com"),
    "address": _l("Enter the address without line breaks"),
    "address_cy": _l("Enter the Welsh address without line breaks"),
}


@bp.route("/settings/contact", methods=["GET", "POST"])
@admin_required
def settings_contact() -> ResponseReturnValue:
    force = fresh()
    form = settings_forms.ContactForm(data=_contact_data(force))
    if form.validate_on_submit() and _token_errors(form, str(force.branding.get("colour"))):
        old = {key: force.branding.get(key) for key in CONTACT_TOKENS}
        old["footer_links"] = force.settings.get("footer_links") or []
        new: dict[str, Any] = {key: form[key].data or None for key in CONTACT_TOKENS}
        new["footer_links"] = _footer_links(form)
        change = ForceChange(
            branding={key: new[key] for key in CONTACT_TOKENS},
            settings={"footer_links": new["footer_links"] or None},
        )
        save("contact details", change, changes(old, new))
        return _done()
    return render_template("admin/settings_contact.html", form=form)


# --- Welsh ----------------------------------------------------------------------------------------


@bp.route("/settings/language", methods=["GET", "POST"])
@admin_required
def settings_language() -> ResponseReturnValue:
    force = fresh()
    form = settings_forms.LanguageForm(welsh="yes" if force.welsh_enabled else "no")
    if form.validate_on_submit():
        welsh = form.welsh.data == "yes"
        differences = changes({"welsh_enabled": force.welsh_enabled}, {"welsh_enabled": welsh})
        save("language", ForceChange(welsh_enabled=welsh), differences)
        return _done()
    return render_template("admin/settings_language.html", form=form)


# --- crime references and invites -----------------------------------------------------------------


def _casework_values(force: Force) -> dict[str, Any]:
    settings = force.settings
    return {
        "crime_reference_pattern": settings.get("crime_reference_pattern")
        or DEFAULT_REFERENCE_PATTERN,
        "crime_reference_example": settings.get("crime_reference_example")
        or DEFAULT_REFERENCE_EXAMPLE,
        "invite_days": int(settings.get("invite_days") or DEFAULT_INVITE_DAYS),
    }


@bp.route("/settings/casework", methods=["GET", "POST"])
@admin_required
def settings_casework() -> ResponseReturnValue:
    force = fresh()
    old = _casework_values(force)
    form = settings_forms.CaseworkForm(
        pattern=old["crime_reference_pattern"],
        example=old["crime_reference_example"],
        invite_days=old["invite_days"],
    )
    if form.validate_on_submit():
        pattern, example = form.pattern.data or "", form.example.data or ""
        problem = force_settings.reference_pattern_problem(pattern, example)
        if problem == "example":
            form.example.errors = [_("The example does not match the format")]
        elif problem:
            form.pattern.errors = [PATTERN_PROBLEMS[problem]]
        else:
            new = {
                "crime_reference_pattern": pattern,
                "crime_reference_example": example,
                "invite_days": form.invite_days.data,
            }
            save("crime references and invites", ForceChange(settings=new), changes(old, new))
            return _done()
    return render_template("admin/settings_casework.html", form=form)


PATTERN_PROBLEMS = {
    "length": _l("The format must be 100 characters or fewer"),
    "invalid": _l("The format is not a valid regular expression"),
    "unsafe": _l(
        "The format could take too long to check: do not repeat a group that itself repeats "
        "or has alternatives, and do not use back-references or look-arounds"
    ),
}
