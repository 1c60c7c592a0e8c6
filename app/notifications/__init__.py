"""Notifications: every email and SMS leaves through the outbox, and only through it.

    notify(Kind.VICTIM_UPDATE, recipient, dedupe_key=f"update:{event.id}:{victim.id}",
           case_id=case.id, contact_allowed=case.auto_contact)

writes a row in the force's outbox in the caller's transaction; after that transaction
commits, an RQ job (carrying only the force's slug and the row's id) delivers it. If
Redis is down the row waits; the sweep (every minute) hands it over later. Victims'
notifications say only that there is something to read (app.notifications.content).

Delivery guarantees, honestly:
- A row is written or not with the event that caused it (same transaction): Redis down,
  a worker killed or PostgreSQL restarting loses no acknowledged notification.
- A row is *sent* at most once by us: a worker claims it under a row lock, marks it
  "sending" with a lease and commits before it connects to the relay; a second worker,
  a duplicate job or the sweep finds it sending or sent and does nothing. A worker
  killed before the relay accepted the message leaves a lease that runs out; the row is
  then claimed again and sent once.
- Safe times: a row for a victim outside their window is written with due_at (and
  not_before) at the next moment inside it and is not handed to RQ at commit; the
  sweep, every minute, hands it over once due. One mechanism for retries, safe times
  and rows Redis never got, with the database as the only clock that matters: a job
  parked in RQ's scheduled registry for hours would be one more thing to lose. The cost
  is up to a minute's lateness at the window's opening.
- What remains is the window between the relay's "250 accepted" and our commit of
  "sent" (milliseconds): a worker killed exactly there sends the message again when the
  lease runs out. That is at-least-once, as with every outbox. The Message-ID is the
  outbox id (<id@force host>), identical on every attempt, so a relay or mailbox that
  suppresses duplicate Message-IDs drops the second copy; Notify gets the id as its
  reference. tests/integration/notifications/test_reliability.py shows both at a real
  SMTP sink: a kill before the relay took the message sends it once; a kill after it
  did sends a second copy with the same Message-ID.
"""

from __future__ import annotations

from app.notifications.content import public_url_for, render
from app.notifications.delivery import deliver, deliver_central, sweep, sweep_all, sweep_central
from app.notifications.kinds import Kind, Reason, Recipient, Status
from app.notifications.outbox import (
    Notice,
    central_failed_count,
    failed_count,
    failed_messages,
    notify,
    notify_central,
    pending_for_case,
    withheld_for_case,
)

__all__ = [
    "Kind",
    "Notice",
    "Reason",
    "Recipient",
    "Status",
    "central_failed_count",
    "deliver",
    "deliver_central",
    "failed_count",
    "failed_messages",
    "notify",
    "notify_central",
    "pending_for_case",
    "public_url_for",
    "render",
    "sweep",
    "sweep_all",
    "sweep_central",
    "withheld_for_case",
]
