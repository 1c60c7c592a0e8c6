"""What a notification says: only that there is something to read, and where to sign in.

Never an offence, a name, an address or a word of a case or message: the person who
hurt the victim may read their phone. The caller cannot pass any of that in: a text is
made from its kind, the sender's name (the force's wording), the link and the language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext

from app.notifications.kinds import Kind
from tenants.forces import Force


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str
    language: str


def notification_settings(force: Force | None) -> Mapping[str, Any]:
    """The force's settings["notifications"] (empty for the central site)."""
    if force is None:
        return {}
    found = force.settings.get("notifications") or {}
    return found if isinstance(found, Mapping) else {}


def sender_name(force: Force | None, language: str) -> str:
    """The name a force signs with (settings sender_name[_cy]; default its own name)."""
    if force is None:
        with force_locale(language):
            return gettext("TrackMyCrime")
    settings = notification_settings(force)
    welsh = settings.get("sender_name_cy") if language == "cy" else None
    return str(welsh or settings.get("sender_name") or force.name or force.slug)


def site_url(host: str) -> str:
    """The address of a site on host: PUBLIC_URL_TEMPLATE (a setting) or the default.

    Production: https://{host}. Elsewhere: http://{host}:5000, where the demo serves.
    """
    settings = current_app.extensions["settings"]
    template = settings.public_url_template or (
        "https://{host}" if settings.env == "production" else "http://{host}:5000"
    )
    return str(template).format(host=host).rstrip("/")


def force_host(force: Force) -> str:
    return f"{force.slug}.{current_app.extensions['settings'].base_domain}"


def central_host() -> str:
    return str(current_app.extensions["settings"].base_domain)


def public_url_for(force: Force | None) -> str:
    """The force's site (or the central site for None), with scheme and port."""
    return site_url(force_host(force) if force is not None else central_host())


def render(kind: Kind, *, sender: str, url: str, language: str) -> Rendered:
    """Subject, email body and SMS for kind in language ("en" or "cy")."""
    with force_locale(language):
        subject, body, sms = _TEXTS[kind](sender, url)
    return Rendered(subject, body, sms, language)


Texts = tuple[str, str, str]


def _victim_invite(sender: str, url: str) -> Texts:
    return (
        gettext("Your invitation to sign in"),
        gettext(
            "%(sender)s has invited you to a secure website. "
            "Set up your sign-in using this link: %(url)s",
            sender=sender,
            url=url,
        ),
        gettext("%(sender)s: set up your sign-in: %(url)s", sender=sender, url=url),
    )


def _victim_update(sender: str, url: str) -> Texts:
    return (
        gettext("You have a new update"),
        gettext(
            "You have a new update from %(sender)s. Sign in to read it: %(url)s",
            sender=sender,
            url=url,
        ),
        gettext(
            "%(sender)s: you have a new update. Sign in to read it: %(url)s",
            sender=sender,
            url=url,
        ),
    )


def _victim_reply(sender: str, url: str) -> Texts:
    return (
        gettext("You have a new message"),
        gettext(
            "You have a new message from %(sender)s. Sign in to read it: %(url)s",
            sender=sender,
            url=url,
        ),
        gettext(
            "%(sender)s: you have a new message. Sign in to read it: %(url)s",
            sender=sender,
            url=url,
        ),
    )


def _victim_password_reset(sender: str, url: str) -> Texts:
    return (
        gettext("Reset your password"),
        gettext(
            "Someone asked to reset your password for %(sender)s. If it was you, use this "
            "link: %(url)s If it was not you, you do not need to do anything.",
            sender=sender,
            url=url,
        ),
        gettext("%(sender)s: reset your password: %(url)s", sender=sender, url=url),
    )


def _officer_new_message(sender: str, url: str) -> Texts:
    return (
        gettext("A victim has sent a message"),
        gettext(
            "A victim has sent a message on one of your cases. Sign in to read it: %(url)s",
            url=url,
        ),
        gettext("A victim has sent a message. Sign in to read it: %(url)s", url=url),
    )


def _officer_update_request(sender: str, url: str) -> Texts:
    return (
        gettext("A victim has asked for an update"),
        gettext(
            "A victim has asked for an update on one of your cases. Sign in to see it: %(url)s",
            url=url,
        ),
        gettext("A victim has asked for an update. Sign in to see it: %(url)s", url=url),
    )


def _officer_rights_request(sender: str, url: str) -> Texts:
    return (
        gettext("A victim has made a request under the Victims' Code"),
        gettext(
            "A victim has made a request under the Victims' Code on one of your cases. "
            "Sign in to see it: %(url)s",
            url=url,
        ),
        gettext("A victim has made a Victims' Code request. Sign in to see it: %(url)s", url=url),
    )


def _officer_digest(sender: str, url: str) -> Texts:
    return (
        gettext("Your Victims' Code duties for today"),
        gettext(
            "You have Victims' Code duties due today or overdue. Sign in to see them: %(url)s",
            url=url,
        ),
        gettext("You have duties due or overdue. Sign in to see them: %(url)s", url=url),
    )


def _officer_invite_locked(sender: str, url: str) -> Texts:
    return (
        gettext("An invitation has been locked"),
        gettext(
            "An invitation on one of your cases was locked after too many wrong answers. "
            "Sign in to see it: %(url)s",
            url=url,
        ),
        gettext("An invitation was locked. Sign in to see it: %(url)s", url=url),
    )


def _applicant_decision(sender: str, url: str) -> Texts:
    return (
        gettext("There is news about your application"),
        gettext(
            "There is news about your application to join %(sender)s. See it here: %(url)s",
            sender=sender,
            url=url,
        ),
        gettext("There is news about your application: %(url)s", url=url),
    )


def _applicant_email_confirm(sender: str, url: str) -> Texts:
    return (
        gettext("Confirm your email address"),
        gettext(
            "Confirm your email address to continue your application to join %(sender)s: %(url)s",
            sender=sender,
            url=url,
        ),
        gettext("Confirm your email address: %(url)s", url=url),
    )


def _force_export_ready(sender: str, url: str) -> Texts:
    return (
        gettext("Your force's data export is ready to download"),
        gettext(
            "The export of your force's data from %(sender)s is ready. The link works once, "
            "for 7 days. The file is encrypted: we will give you its password by phone. "
            "Download it here: %(url)s",
            sender=sender,
            url=url,
        ),
        gettext("Your force's data export is ready to download: %(url)s", url=url),
    )


_TEXTS: dict[Kind, Callable[[str, str], Texts]] = {
    Kind.VICTIM_INVITE: _victim_invite,
    Kind.VICTIM_UPDATE: _victim_update,
    Kind.VICTIM_REPLY: _victim_reply,
    Kind.VICTIM_PASSWORD_RESET: _victim_password_reset,
    Kind.OFFICER_NEW_MESSAGE: _officer_new_message,
    Kind.OFFICER_UPDATE_REQUEST: _officer_update_request,
    Kind.OFFICER_RIGHTS_REQUEST: _officer_rights_request,
    Kind.OFFICER_DIGEST: _officer_digest,
    Kind.OFFICER_INVITE_LOCKED: _officer_invite_locked,
    Kind.APPLICANT_EMAIL_CONFIRM: _applicant_email_confirm,
    Kind.APPLICANT_DECISION: _applicant_decision,
    Kind.FORCE_EXPORT_READY: _force_export_ready,
}
