"""Settings pages for how the service works for this force: offence categories (in the
force's own schema), notifications (sender names, channel, sealed secrets) and officer
sign-in (the identity provider, checked with the same code as `tenants idp`).

Secrets are sealed with the tenancy's secret box as they arrive and never shown again:
the pages only say whether one is stored, and the audit rows mask them.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin import forms, settings_forms
from app.admin.blueprint import AdminTag, bp
from app.admin.force_settings import changes, save
from app.admin.settings_views import fresh
from app.audit import record
from app.auth.access import admin_required
from app.auth.idp import IdpError, IdpSettings, build, check_issuer
from app.models import OffenceCategory
from tenants.binding import db
from tenants.extension import tenancy
from tenants.registry import ForceChange


def _done() -> ResponseReturnValue:
    flash(_("Settings saved. Every page shows them within a few seconds."))
    return redirect(url_for("admin.settings"))


# --- offence categories ------------------------------------------------------------------------


@bp.route("/settings/offences", methods=["GET", "POST"])
@admin_required
def settings_offences() -> ResponseReturnValue:
    categories = list(
        db.session.scalars(select(OffenceCategory).order_by(OffenceCategory.position))
    )
    form = settings_forms.OffencesForm(
        offered=[c.key for c in categories if c.offered],
        automatic=[c.key for c in categories if c.automatic_contact_default],
    )
    names = forms.choices({c.key: c.name for c in categories})
    form.offered.choices = form.automatic.choices = names
    if form.validate_on_submit():
        offered, automatic = set(form.offered.data or ()), set(form.automatic.data or ())
        differences: dict[str, Any] = {}
        for category in categories:
            old = {
                "offered": category.offered,
                "automatic_contact": category.automatic_contact_default,
            }
            new = {
                "offered": category.key in offered,
                "automatic_contact": category.key in automatic,
            }
            if found := changes(old, new):
                differences[category.key] = found
            category.offered, category.automatic_contact_default = (
                new["offered"],
                new["automatic_contact"],
            )
        if differences:
            record(
                AdminTag.SETTINGS_CHANGED,
                record_type="force",
                purpose="offence categories",
                changes=differences,
            )
        return _done()
    return render_template("admin/settings_offences.html", form=form)


# --- notifications ----------------------------------------------------------------------------

_PLAIN = {
    "sender_name": "sender_name",
    "sender_name_cy": "sender_name_cy",
    "provider": "provider",
    "mail_from": "mail_from",
    "reply_to_id": "notify_reply_to_id",
    "sms_sender_id": "notify_sms_sender_id",
}
_SECRETS = {"smtp_url": "smtp_url_sealed", "notify_api_key": "notify_api_key_sealed"}


def _notifications_form(stored: dict[str, Any]) -> settings_forms.NotificationsForm:
    data = {field: stored.get(key) for field, key in _PLAIN.items()}
    data["provider"] = data["provider"] or "smtp"
    email = stored.get("notify_email_template_ids") or {}
    sms = stored.get("notify_sms_template_ids") or {}
    data.update(
        email_template_en=email.get("en"),
        email_template_cy=email.get("cy"),
        sms_template_en=sms.get("en"),
        sms_template_cy=sms.get("cy"),
    )
    return settings_forms.NotificationsForm(data=data)


def _notifications(
    form: settings_forms.NotificationsForm, stored: dict[str, Any]
) -> dict[str, Any]:
    """The new notifications settings: typed values, secrets sealed, kept or forgotten."""
    new = dict(stored)
    for field, key in _PLAIN.items():
        new[key] = form[field].data or None
    new["notify_email_template_ids"] = _pair(
        form.email_template_en.data, form.email_template_cy.data
    )
    new["notify_sms_template_ids"] = _pair(form.sms_template_en.data, form.sms_template_cy.data)
    box = tenancy().secret_box()
    for field, key in _SECRETS.items():
        if form[field].data:
            new[key] = box.seal(form[field].data)
        elif field in (form.forget.data or ()):
            new[key] = None
    return {key: value for key, value in new.items() if value not in (None, {}, "")}


def _pair(en: str | None, cy: str | None) -> dict[str, str]:
    return {k: v for k, v in (("en", en), ("cy", cy)) if v}


@bp.route("/settings/notifications", methods=["GET", "POST"])
@admin_required
def settings_notifications() -> ResponseReturnValue:
    stored = dict(fresh().settings.get("notifications") or {})
    form = _notifications_form(stored)
    if form.validate_on_submit():
        new = _notifications(form, stored)
        old_view = {k: stored.get(k) for k in set(stored) | set(new)}
        differences = changes(old_view, {k: new.get(k) for k in old_view})
        save("notifications", ForceChange(settings={"notifications": new}), differences)
        return _done()
    return render_template(
        "admin/settings_notifications.html",
        form=form,
        stored={field: bool(stored.get(key)) for field, key in _SECRETS.items()},
    )


# --- officer sign-in ------------------------------------------------------------------------------


def _split(values: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (values or "").split(",") if v.strip())


def _idp_form(current: IdpSettings | None) -> settings_forms.IdpForm:
    if current is None:
        return settings_forms.IdpForm(role_claim="roles")
    values = current.role_values
    return settings_forms.IdpForm(
        issuer=current.issuer,
        client_id=current.client_id,
        role_claim=current.role_claim,
        officer_values=", ".join(values.get("officer", ())),
        supervisor_values=", ".join(values.get("supervisor", ())),
        admin_values=", ".join(values.get("admin", ())),
        entra=["yes"] if current.subject_claims == ("tid", "oid") else [],
    )


def _allow_insecure() -> bool:
    return bool(current_app.extensions["settings"].env != "production")


def _test_connection(form: settings_forms.IdpForm) -> None:
    issuer = form.issuer.data or ""
    try:
        check_issuer(issuer, allow_insecure=_allow_insecure())
    except IdpError as error:
        form.issuer.errors = [
            _("The provider did not answer as expected: %(reason)s", reason=str(error))
        ]
        record(AdminTag.IDP_TESTED, record_type="force", purpose="test connection", result="failed")
        return
    record(AdminTag.IDP_TESTED, record_type="force", purpose="test connection", result="ok")
    flash(_("Connection works: the provider answered as %(issuer)s", issuer=issuer))


def _built(form: settings_forms.IdpForm, current: IdpSettings | None) -> IdpSettings | None:
    secret = form.client_secret.data or ""
    if not secret and current is not None and current.client_secret_sealed:
        secret = tenancy().secret_box().open(current.client_secret_sealed)
    if not secret:
        form.client_secret.errors = [_("Enter the client secret")]
        return None
    try:
        check_issuer(form.issuer.data or "", allow_insecure=_allow_insecure())
        return build(
            issuer=form.issuer.data or "",
            client_id=form.client_id.data or "",
            client_secret=secret,
            role_claim=form.role_claim.data or "roles",
            role_values={
                role: _split(form[f"{role}_values"].data)
                for role in ("officer", "supervisor", "admin")
            },
            box=tenancy().secret_box(),
            subject_claims=("tid", "oid") if form.entra.data else ("sub",),
        )
    except IdpError as error:
        form.issuer.errors = [_("These settings cannot be used: %(reason)s", reason=str(error))]
        return None


@bp.route("/settings/sign-in", methods=["GET", "POST"])
@admin_required
def settings_sign_in() -> ResponseReturnValue:
    force = fresh()
    current = IdpSettings.from_mapping(force.idp)
    form = _idp_form(current)
    if form.validate_on_submit():
        if form.test.data:
            _test_connection(form)
        elif (built := _built(form, current)) is not None:
            new = built.to_mapping()
            if current is not None and not form.client_secret.data:
                new["client_secret_sealed"] = current.client_secret_sealed  # unchanged
            old = current.to_mapping() if current else {}
            save("officer sign-in", ForceChange(idp=new), changes(old, new))
            return _done()
    return render_template(
        "admin/settings_sign_in.html",
        form=form,
        secret_stored=bool(current and current.client_secret_sealed),
    )
