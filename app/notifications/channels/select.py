"""Which channel a force's message leaves by.

force.settings["notifications"] (all optional):
  provider              "smtp" (default) or "notify": how email goes
  smtp_url_sealed       the force's own relay URL, sealed with tenants.secrets
  mail_from             the force's From address (default MAIL_FROM)
  notify_api_key_sealed, notify_email_template_ids {"en","cy"},
  notify_sms_template_ids {"en","cy"}, notify_reply_to_id, notify_sms_sender_id
  notify_base_url       outside production only: a local fake of Notify in tests
SMS always goes through Notify. Email with no relay anywhere goes, outside production,
to the development sink (app.notifications.sink), found through instance/mail/sink.json.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from app.notifications.channels.base import Channel, PermanentFailure, TransientFailure
from app.notifications.channels.notify import NOTIFY_BASE_URL, NotifyChannel, NotifySettings
from app.notifications.channels.smtp import SmtpChannel
from app.notifications.content import notification_settings
from app.notifications.sink import sink_url
from tenants.forces import Force
from tenants.secrets import SecretBox


def channel_for(force: Force | None, channel: str) -> Channel:
    """The channel for this force (None: the central site) and this kind of address."""
    config = notification_settings(force)
    if channel == "sms":
        if not config.get("notify_api_key_sealed"):
            raise PermanentFailure("SMS needs GOV.UK Notify and this force has none")
        return NotifyChannel(notify_settings(config))
    if config.get("provider") == "notify":
        return NotifyChannel(notify_settings(config))
    return SmtpChannel(_smtp_url(config), str(config.get("mail_from") or _settings().mail_from))


def notify_settings(config: Mapping[str, Any]) -> NotifySettings:
    base_url = NOTIFY_BASE_URL
    if _settings().env != "production" and config.get("notify_base_url"):
        base_url = str(config["notify_base_url"])
    return NotifySettings(
        api_key=secret_box().open(str(config.get("notify_api_key_sealed") or "")),
        email_templates=dict(config.get("notify_email_template_ids") or {}),
        sms_templates=dict(config.get("notify_sms_template_ids") or {}),
        reply_to_id=config.get("notify_reply_to_id"),
        sms_sender_id=config.get("notify_sms_sender_id"),
        base_url=base_url,
    )


def _smtp_url(config: Mapping[str, Any]) -> str:
    if config.get("smtp_url_sealed"):
        return secret_box().open(str(config["smtp_url_sealed"]))
    settings = _settings()
    if settings.smtp_url:
        return str(settings.smtp_url)
    found = sink_url(settings.instance_path) if settings.env != "production" else None
    if found is None:
        raise TransientFailure("no SMTP relay: set SMTP_URL or start the development sink")
    return found


def secret_box() -> SecretBox:
    """The app's SecretBox (tenancy().secrets once the extension offers it)."""
    found = getattr(current_app.extensions.get("tenancy"), "secrets", None)
    if isinstance(found, SecretBox):
        return found
    return SecretBox(_settings().secrets_keys)


def _settings() -> Any:
    return current_app.extensions["settings"]
