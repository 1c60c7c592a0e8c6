"""Telling people that a request moved: the person who made it, the officer in charge.

Every notice goes through the outbox (app.notifications.notify) and says only that
there is something to read; the safety rules (automatic contact off, safe times, the
victim's channel) are the outbox's, decided once for every caller.
"""

from __future__ import annotations

import uuid

from app.casework.cases import recipient
from app.casework.victims import officer_recipient, oic
from app.models import Case, Victim
from app.notifications import Kind, notify
from tenants.binding import db

# Officers are told with the "new message" wording ("a victim has sent a message on one
# of your cases, sign in to read it") until app.notifications has a kind of its own for
# a rights request: its files belong to the notifications work (see the helper report).
OFFICER_NOTICE = Kind.OFFICER_RIGHTS_REQUEST


def tell_requester(victim_id: uuid.UUID, case: Case, dedupe_key: str) -> None:
    """The person who asked has a new update to read (if they have an account)."""
    victim = db.session.get(Victim, victim_id)
    if victim is None or victim.account_created_at is None:
        return
    notify(
        Kind.VICTIM_UPDATE,
        recipient(victim),
        dedupe_key=dedupe_key,
        case_id=case.id,
        automatic=True,
        contact_allowed=case.automatic_contact,
    )


def tell_oic(case: Case, dedupe_key: str, link_path: str) -> None:
    """The officer in charge has a request to see (the case page shows it anyway)."""
    officer = oic(case)
    if officer is None or not officer.active:
        return
    notify(
        OFFICER_NOTICE,
        officer_recipient(officer),
        dedupe_key=dedupe_key,
        case_id=case.id,
        link_path=link_path,
        automatic=False,
    )
