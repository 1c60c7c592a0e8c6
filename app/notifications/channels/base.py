"""What every channel is given and what it may raise."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from app.notifications.content import Rendered


@dataclass(frozen=True)
class Envelope:
    """One outbox row as a channel needs it (a snapshot: no database session)."""

    id: uuid.UUID
    kind: str
    channel: str  # email | sms
    address: str
    language: str
    host: str  # the site the link points at; also the Message-ID's domain
    sender: str  # display name


class TransientFailure(Exception):
    """Try again later (a relay down, a 4xx, a timeout, Notify's 5xx or 429)."""


class PermanentFailure(Exception):
    """This message will never go (a 5xx rejection, Notify's 400, no SMS channel)."""


class Channel(Protocol):
    def send(self, envelope: Envelope, rendered: Rendered) -> None:
        """Hand the message over or raise TransientFailure / PermanentFailure."""
