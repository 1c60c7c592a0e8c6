"""How a rendered notification leaves: SMTP (smtplib) or GOV.UK Notify.

Every channel raises TransientFailure (try again later) or PermanentFailure (never
will work: the row fails at once) and nothing else it can foresee; anything else is
treated as transient and so ends failed after the last retry.
"""

from __future__ import annotations

from app.notifications.channels.base import (
    Channel,
    Envelope,
    PermanentFailure,
    TransientFailure,
)
from app.notifications.channels.select import channel_for

__all__ = ["Channel", "Envelope", "PermanentFailure", "TransientFailure", "channel_for"]
