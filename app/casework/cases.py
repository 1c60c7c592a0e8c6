"""What can happen to a case, as small named functions every journey calls.

None of them commits (the request does, at the edge) and each writes its audit event
itself, so a change and its record land together or not at all. Notifications go
through the outbox (app.notifications.notify) in the same transaction.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import get_locale
from sqlalchemy import select

from app.audit import record
from app.casework import deadlines
from app.casework.tags import CaseworkTag
from app.models import (
    Case,
    CaseEvent,
    CaseVictim,
    Invite,
    Message,
    OffenceCategory,
    Officer,
    PropertyItem,
    UpdateTemplate,
    Victim,
)
from app.models.base import utcnow
from app.notifications import Kind, Recipient, notify
from tenants.binding import db
from tenants.extension import current_force

DEFAULT_REFERENCE_PATTERN = r"[A-Z0-9]{1,6}/[0-9]{1,10}/[0-9]{2}"
DEFAULT_REFERENCE_EXAMPLE = "46/12345/26"
DEFAULT_INVITE_DAYS = 14


class CaseworkError(ValueError):
    """A request that cannot be done as asked; the message is safe to show."""


# --- force settings --------------------------------------------------------------------


def reference_pattern() -> tuple[re.Pattern[str], str]:
    """The force's crime-reference format (a full-match regex) and an example."""
    settings = current_force().settings
    pattern = settings.get("crime_reference_pattern") or DEFAULT_REFERENCE_PATTERN
    example = settings.get("crime_reference_example") or DEFAULT_REFERENCE_EXAMPLE
    return re.compile(pattern), str(example)


def normalise_reference(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def offered_categories() -> list[OffenceCategory]:
    return list(
        db.session.scalars(
            select(OffenceCategory)
            .where(OffenceCategory.offered.is_(True))
            .order_by(OffenceCategory.position)
        )
    )


def category_name(key: str) -> str:
    """The offence category's name in the page's language."""
    category = db.session.get(OffenceCategory, key)
    if category is None:
        return key
    return category.name_cy if str(get_locale()) == "cy" else category.name


def update_template(event_type: str) -> UpdateTemplate | None:
    return db.session.get(UpdateTemplate, event_type)


# --- cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCase:
    crime_reference: str
    offence_category: str
    reported_on: date
    oic: Officer
    team: str | None
    enhanced_reasons: tuple[str, ...] = ()


def reference_taken(reference: str) -> bool:
    return db.session.scalar(select(Case.id).where(Case.crime_reference == reference)) is not None


def create_case(new: NewCase, *, source: str = "officer") -> Case:
    category = db.session.get(OffenceCategory, new.offence_category)
    if category is None or not category.offered:
        raise CaseworkError("unknown offence category")
    case = Case(
        id=uuid.uuid4(),
        crime_reference=new.crime_reference,
        offence_category=category.key,
        reported_on=new.reported_on,
        oic_id=new.oic.id,
        team=new.team,
        enhanced_rights=bool(new.enhanced_reasons),
        enhanced_reasons=list(new.enhanced_reasons),
        automatic_contact=category.automatic_contact_default,
    )
    db.session.add(case)
    db.session.flush()
    deadlines.start_cadence(case, 28)
    deadlines.refresh_next_due(case)
    record(CaseworkTag.CASE_CREATED, record_type="case", record_id=case.id, source=source)
    return case


def change_case(case: Case, purpose: str, **changes: Any) -> None:
    """Set fields on case, auditing which fields changed (never their values)."""
    changed = [name for name, value in changes.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, changes[name])
    if changed:
        record(
            CaseworkTag.CASE_CHANGED,
            record_type="case",
            record_id=case.id,
            purpose=purpose,
            fields=sorted(changed),
        )


def reassign(case: Case, to: Officer) -> None:
    previous = case.oic_id
    case.oic_id = to.id
    record(
        CaseworkTag.CASE_REASSIGNED,
        record_type="case",
        record_id=case.id,
        from_officer=str(previous) if previous else None,
        to_officer=str(to.id),
    )


def close_case(case: Case, outcome: str) -> None:
    case.status, case.outcome, case.closed_at = "closed", outcome, utcnow()
    record(CaseworkTag.CASE_CLOSED, record_type="case", record_id=case.id, outcome=outcome)


def find_officer(identifier: str) -> Officer | None:
    """An active officer of this force by collar number or email address."""
    identifier = identifier.strip()
    if not identifier:
        return None
    column = Officer.email if "@" in identifier else Officer.collar_number
    return db.session.scalar(
        select(Officer).where(column == identifier, Officer.active.is_(True)).limit(1)
    )


# --- victims and invites -----------------------------------------------------------------


def case_victims(case: Case) -> list[tuple[Victim, str]]:
    rows = db.session.execute(
        select(Victim, CaseVictim.role)
        .join(CaseVictim, CaseVictim.victim_id == Victim.id)
        .where(CaseVictim.case_id == case.id)
        .order_by(CaseVictim.added_at)
    )
    return [(victim, role) for victim, role in rows]


def add_victim(case: Case, victim: Victim, role: str) -> Victim:
    victim.id = victim.id or uuid.uuid4()
    db.session.add(victim)
    # The victim's row first: with no relationship() between the models the unit of
    # work may insert case_victim before victim, which its foreign key refuses.
    db.session.flush()
    db.session.add(CaseVictim(case_id=case.id, victim_id=victim.id, role=role))
    db.session.flush()
    record(CaseworkTag.VICTIM_ADDED, record_type="victim", record_id=victim.id, case=str(case.id))
    return victim


def recipient(victim: Victim) -> Recipient:
    channel = victim.contact_channel
    return Recipient(
        kind="victim",
        id=victim.id,
        email=victim.email,
        mobile=victim.mobile,
        language="cy" if victim.preferred_language == "cy" else "en",
        channel="email" if channel == "email" else "sms" if channel == "sms" else "none",
        safe_from=victim.safe_from,
        safe_until=victim.safe_until,
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_invite(victim: Victim) -> Invite | None:
    return db.session.scalar(
        select(Invite).where(Invite.victim_id == victim.id).order_by(Invite.created_at.desc())
    )


def send_invite(case: Case, victim: Victim, by: Officer | None) -> Invite:
    """Revoke any pending invite and send a new single-use link (only its hash is kept)."""
    now = utcnow()
    for old in db.session.scalars(
        select(Invite).where(
            Invite.victim_id == victim.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None)
        )
    ):
        old.revoked_at = now
    token = secrets.token_urlsafe(32)
    days = int(current_force().settings.get("invite_days", DEFAULT_INVITE_DAYS))
    invite = Invite(
        id=uuid.uuid4(),
        victim_id=victim.id,
        case_id=case.id,
        token_hash=hash_token(token),
        created_by=by.id if by else None,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(invite)
    db.session.flush()
    # An invite is a deliberate act by an officer who has checked the contact details,
    # so it is not "automatic contact" and goes even when that is off for the case.
    notify(
        Kind.VICTIM_INVITE,
        recipient(victim),
        dedupe_key=f"victim_invite:{invite.id}",
        case_id=case.id,
        link_path=f"/invite/{token}",
        automatic=False,
    )
    record(
        CaseworkTag.INVITE_SENT, record_type="victim", record_id=victim.id, invite=str(invite.id)
    )
    return invite


def revoke_invite(victim: Victim) -> bool:
    invite = current_invite(victim)
    if invite is None or invite.state(utcnow()) != "pending":
        return False
    invite.revoked_at = utcnow()
    record(
        CaseworkTag.INVITE_REVOKED, record_type="victim", record_id=victim.id, invite=str(invite.id)
    )
    return True


# --- events and updates -------------------------------------------------------------------


@dataclass(frozen=True)
class NewEvent:
    event_type: str
    occurred_at: datetime
    victim_text: str
    victim_text_cy: str | None
    internal_note: str | None
    details: dict[str, str]


def post_event(case: Case, new: NewEvent, by: Officer | None, *, publish: bool) -> CaseEvent:
    """Record an event and its Code duties; publish it to the victims now if asked."""
    event = CaseEvent(
        id=uuid.uuid4(),
        case_id=case.id,
        event_type=new.event_type,
        occurred_at=new.occurred_at,
        posted_by=by.id if by else None,
        source="officer" if by else "api",
        victim_text=new.victim_text,
        victim_text_cy=new.victim_text_cy,
        internal_note=new.internal_note,
        details=new.details,
    )
    db.session.add(event)
    db.session.flush()
    deadlines.add_duties_for(case, event)
    record(CaseworkTag.EVENT_POSTED, record_type="case", record_id=case.id, event=str(event.id))
    if publish:
        publish_event(case, event)
    else:
        deadlines.refresh_next_due(case)
    return event


def publish_event(case: Case, event: CaseEvent) -> None:
    """Show the update to the case's victims, meet the duties it fulfils, tell them."""
    if event.published_at is not None:
        return
    if not (event.victim_text or "").strip():
        raise CaseworkError("an update needs words for the victim before it is published")
    event.published_at = utcnow()
    victims = case_victims(case)
    cadence = min((victim.cadence_days for victim, _ in victims), default=28)
    deadlines.meet_duties(case, event, cadence)
    deadlines.refresh_next_due(case)
    for victim, _ in victims:
        if victim.account_created_at is None:
            continue  # nobody to sign in yet: the invite says there is a case to follow
        notify(
            Kind.VICTIM_UPDATE,
            recipient(victim),
            dedupe_key=f"victim_update:{event.id}:{victim.id}",
            case_id=case.id,
            automatic=True,
            contact_allowed=case.automatic_contact,
        )
    record(CaseworkTag.EVENT_PUBLISHED, record_type="case", record_id=case.id, event=str(event.id))


# --- messages -------------------------------------------------------------------------------


def reply(case: Case, to: Message, body: str, by: Officer) -> Message:
    """An officer's answer to a victim's message (or update request)."""
    now = utcnow()
    answer = Message(
        id=uuid.uuid4(),
        case_id=case.id,
        victim_id=to.victim_id,
        officer_id=by.id,
        body=body,
        in_reply_to=to.id,
        read_by_officer_at=now,
    )
    db.session.add(answer)
    to.answered_at = to.answered_at or now
    to.read_by_officer_at = to.read_by_officer_at or now
    db.session.flush()
    victim = db.session.get(Victim, to.victim_id) if to.victim_id else None
    if victim is not None and victim.account_created_at is not None:
        notify(
            Kind.VICTIM_REPLY,
            recipient(victim),
            dedupe_key=f"victim_reply:{answer.id}",
            case_id=case.id,
            automatic=True,
            contact_allowed=case.automatic_contact,
        )
    record(CaseworkTag.MESSAGE_SENT, record_type="case", record_id=case.id, message=str(answer.id))
    return answer


def set_property_status(item: PropertyItem, status: str) -> None:
    item.status = status
    record(
        CaseworkTag.PROPERTY_CHANGED,
        record_type="property_item",
        record_id=item.id,
        fields=["status"],
        status=status,
    )
