"""The plain values notify() takes and the names the outbox stores."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import time
from typing import Literal


class Kind(enum.StrEnum):
    """What a notification is about; its wording lives in app.notifications.content."""

    VICTIM_INVITE = "victim_invite"
    VICTIM_UPDATE = "victim_update"
    VICTIM_REPLY = "victim_reply"
    VICTIM_PASSWORD_RESET = "victim_password_reset"  # noqa: S105 - a name, not a password
    OFFICER_NEW_MESSAGE = "officer_new_message"
    OFFICER_UPDATE_REQUEST = "officer_update_request"
    OFFICER_RIGHTS_REQUEST = "officer_rights_request"
    OFFICER_DIGEST = "officer_digest"
    OFFICER_INVITE_LOCKED = "officer_invite_locked"
    APPLICANT_EMAIL_CONFIRM = "applicant_email_confirm"  # central site only
    APPLICANT_DECISION = "applicant_decision"  # central site only
    FORCE_EXPORT_READY = "force_export_ready"  # central site only: a decommissioned force


CENTRAL_KINDS = frozenset(
    {Kind.APPLICANT_EMAIL_CONFIRM, Kind.APPLICANT_DECISION, Kind.FORCE_EXPORT_READY}
)


class Status(enum.StrEnum):
    QUEUED = "queued"  # waiting until due_at, then handed to a worker
    SENDING = "sending"  # a worker holds it until lease_until
    SENT = "sent"
    WITHHELD = "withheld"  # never sent, on purpose (reason says why)
    FAILED = "failed"  # gave up (reason says why); shown to force admins and operators


class Reason(enum.StrEnum):
    AUTOMATIC_CONTACT_OFF = "automatic_contact_off"
    VICTIM_CHOSE_NO_CONTACT = "victim_chose_no_contact"
    NO_ADDRESS = "no_address"
    REJECTED = "rejected"  # the relay or Notify refused it for good
    RETRIES_EXHAUSTED = "retries_exhausted"
    CHANNEL_NOT_CONFIGURED = "channel_not_configured"  # SMS without GOV.UK Notify


Channel = Literal["email", "sms", "none"]


@dataclass(frozen=True)
class Recipient:
    """Who to tell and how, as plain values the caller copies from its own model.

    safe_from/safe_until are Europe/London wall-clock times; the window may cross
    midnight (22:00 to 07:00). Both None: any time.
    """

    kind: Literal["victim", "officer"]
    id: uuid.UUID
    email: str | None = None
    mobile: str | None = None
    language: Literal["en", "cy"] = "en"
    channel: Channel = "email"
    safe_from: time | None = None
    safe_until: time | None = None

    @property
    def address(self) -> str | None:
        """The address for the chosen channel (None when there is none)."""
        if self.channel == "email":
            return self.email or None
        if self.channel == "sms":
            return self.mobile or None
        return None
