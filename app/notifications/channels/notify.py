"""Email and SMS through GOV.UK Notify (notifications-python-client), per force.

The force creates one email template and one SMS template per language in Notify,
each made of placeholders only: email subject "((subject))", body "((body))"; SMS
"((body))". We fill them with our own rendered text, so the wording (and what it must
never say) stays in app.notifications.content, tested, for both channels. The outbox
id goes as Notify's `reference`, which is how a delivery can be traced (it is not
victim data).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import RequestException

from app.notifications.channels.base import Envelope, PermanentFailure, TransientFailure
from app.notifications.content import Rendered

NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class NotifySettings:
    api_key: str
    email_templates: Mapping[str, str]  # language -> template id
    sms_templates: Mapping[str, str]
    reply_to_id: str | None = None
    sms_sender_id: str | None = None
    base_url: str = NOTIFY_BASE_URL


class NotifyChannel:
    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings

    def send(self, envelope: Envelope, rendered: Rendered) -> None:
        client = NotificationsAPIClient(
            self.settings.api_key, base_url=self.settings.base_url, timeout=TIMEOUT_SECONDS
        )
        try:
            if envelope.channel == "sms":
                self._sms(client, envelope, rendered)
            else:
                self._email(client, envelope, rendered)
        except APIError as error:
            raise _by_status(error.status_code) from None
        except RequestException as error:
            raise TransientFailure(type(error).__name__) from None

    def _email(self, client: Any, envelope: Envelope, rendered: Rendered) -> None:
        client.send_email_notification(
            email_address=envelope.address,
            template_id=_template(self.settings.email_templates, rendered.language),
            personalisation={"subject": rendered.subject, "body": rendered.body},
            reference=str(envelope.id),
            email_reply_to_id=self.settings.reply_to_id,
        )

    def _sms(self, client: Any, envelope: Envelope, rendered: Rendered) -> None:
        client.send_sms_notification(
            phone_number=envelope.address,
            template_id=_template(self.settings.sms_templates, rendered.language),
            personalisation={"body": rendered.sms},
            reference=str(envelope.id),
            sms_sender_id=self.settings.sms_sender_id,
        )


def _template(templates: Mapping[str, str], language: str) -> str:
    found = templates.get(language) or templates.get("en")
    if not found:
        raise PermanentFailure("no Notify template for this channel")
    return found


def _by_status(status: int) -> Exception:
    """Notify: 400 (bad address, bad template) and 403 (bad key) will not pass on a
    retry; 429 (rate limit) and 5xx will."""
    if status in (400, 403, 404):
        return PermanentFailure(f"Notify {status}")
    return TransientFailure(f"Notify {status}")
