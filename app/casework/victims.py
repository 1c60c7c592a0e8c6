"""What a signed-in victim may read and do on their own cases, as small named functions.

Every function takes the victim and only ever returns their own cases (CaseVictim) and
what victims may see of them: published updates, never an internal note or an
unpublished event. None of them commits (the request does, at the edge); each read or
change writes its audit event (who, which record, why) in the same transaction, and
every notification to an officer goes through the outbox and names nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.event import listens_for
from sqlalchemy.orm import Session

from app import victims_code as code
from app.audit import record
from app.casework import deadlines
from app.models import (
    Case,
    CaseEvent,
    CaseVictim,
    Duty,
    Message,
    Officer,
    PropertyItem,
    SupportService,
    Victim,
)
from app.models.base import utcnow
from app.notifications import Kind, Recipient, notify
from tenants.audit import ForceTag
from tenants.binding import db


class VictimTag(ForceTag):
    """What victims do on the force's site (reads included: DPA 2018 s.62)."""

    SIGNED_IN = "victim:signed-in"
    SIGNED_OUT = "victim:signed-out"
    SIGN_IN_FAILED = "victim:sign-in-failed"
    SIGN_IN_REFUSED = "victim:sign-in-refused"
    ACCOUNT_LOCKED = "victim:account-locked"
    ACCOUNT_CREATED = "victim:account-created"
    INVITE_CHECKED = "invite:checked"
    INVITE_CHECK_FAILED = "invite:check-failed"
    INVITE_LOCKED = "invite:locked"
    RESET_REQUESTED = "victim:password-reset-requested"
    PASSWORD_RESET = "victim:password-reset"  # noqa: S105 - a tag, not a password
    CASES_VIEWED = "victim:cases-viewed"
    CASE_VIEWED = "victim:case-viewed"
    MESSAGES_VIEWED = "victim:messages-viewed"
    MESSAGE_SENT = "victim:message-sent"
    UPDATE_REQUESTED = "victim:update-requested"
    PROPERTY_VIEWED = "victim:property-viewed"
    PROPERTY_ADDED = "victim:property-added"
    PROPERTY_CHANGED = "victim:property-changed"
    PROPERTY_REMOVED = "victim:property-removed"
    SUPPORT_VIEWED = "victim:support-viewed"
    CONTACT_PLAN_VIEWED = "victim:contact-plan-viewed"
    CONTACT_PLAN_CHANGED = "victim:contact-plan-changed"
    TWO_STEP_SETUP_STARTED = "victim:two-step-setup-started"
    TWO_STEP_TURNED_ON = "victim:two-step-turned-on"
    TWO_STEP_TURNED_OFF = "victim:two-step-turned-off"
    TWO_STEP_CODE_FAILED = "victim:two-step-code-failed"
    TWO_STEP_CODE_REPLAYED = "victim:two-step-code-replayed"


# Property a victim may still change: once an officer has it back, it is theirs to record.
EDITABLE_PROPERTY = ("missing", "damaged")


def _on_case(victim: Victim) -> ColumnElement[bool]:
    return Case.id.in_(select(CaseVictim.case_id).where(CaseVictim.victim_id == victim.id))


# --- cases -------------------------------------------------------------------------------


@dataclass
class CaseSummary:
    case: Case
    unread: int


def cases_of(victim: Victim) -> list[CaseSummary]:
    """The victim's cases in this force, newest first, with their unread replies."""
    cases = list(
        db.session.scalars(select(Case).where(_on_case(victim)).order_by(Case.created_at.desc()))
    )
    unread: Counter[uuid.UUID] = Counter()
    for case_id, count in db.session.execute(
        select(Message.case_id, func.count())
        .where(_unread_for(victim), Message.case_id.in_([c.id for c in cases]))
        .group_by(Message.case_id)
    ):
        unread[case_id] = count
    record(VictimTag.CASES_VIEWED, purpose="list of own cases", cases=[str(c.id) for c in cases])
    return [CaseSummary(case, unread[case.id]) for case in cases]


def case_of(victim: Victim, case_id: uuid.UUID) -> Case | None:
    """One of the victim's cases; None for anyone else's (and for a missing id)."""
    return db.session.scalar(select(Case).where(Case.id == case_id, _on_case(victim)))


def oic(case: Case) -> Officer | None:
    return db.session.get(Officer, case.oic_id) if case.oic_id else None


def view_case(victim: Victim, case: Case, purpose: str = "own case") -> None:
    record(VictimTag.CASE_VIEWED, record_type="case", record_id=case.id, purpose=purpose)


def timeline(case: Case) -> list[CaseEvent]:
    """Published updates, newest first. Unpublished events stay with the officers.

    A victim's case page asks five times (the page, the review right, statements,
    feedback, the duties owed); the first answer is kept for the rest of the unit of work
    and forgotten at any write (a flush, a commit or a rollback).
    """
    session = db.session()
    if session.autoflush:
        session.flush()  # as the query would: pending writes reach the database, and forget
    kept: dict[uuid.UUID, list[CaseEvent]] = session.info.setdefault(_TIMELINES, {})
    if case.id not in kept:
        kept[case.id] = list(
            session.scalars(
                select(CaseEvent)
                .where(CaseEvent.case_id == case.id, CaseEvent.published_at.is_not(None))
                .order_by(CaseEvent.published_at.desc(), CaseEvent.occurred_at.desc())
            )
        )
    return list(kept[case.id])


_TIMELINES = "tmc_timelines"


@listens_for(Session, "after_flush")
@listens_for(Session, "after_commit")
@listens_for(Session, "after_rollback")
def _forget_timelines(session: Session, *_: Any) -> None:
    session.info.pop(_TIMELINES, None)


def owed(case: Case) -> list[Duty]:
    """Open duties the victim may be told about, soonest first.

    A duty made by an event the officer has not published yet would tell the victim
    that something happened (an arrest, say) before the officer chose to say so: only
    duties with no event (the regular update) or a published one are shown.
    """
    published = select(CaseEvent.id).where(CaseEvent.published_at.is_not(None))
    return list(
        db.session.scalars(
            select(Duty)
            .where(
                Duty.case_id == case.id,
                Duty.met_at.is_(None),
                or_(Duty.event_id.is_(None), Duty.event_id.in_(published)),
            )
            .order_by(Duty.due_on)
        )
    )


@dataclass(frozen=True)
class OpenWindow:
    right: str
    event_type: str
    closes_on: date


def open_rights(case: Case, today: date) -> list[OpenWindow]:
    """Rights with a deadline that published updates opened (a review of a decision not
    to charge, under ew-2021: 3 months from being told), still open today."""
    windows = []
    for event in timeline(case):
        assert event.published_at is not None
        rules = code.ruleset_for(deadlines.jurisdiction(), event.occurred_at)
        told_on = deadlines.local_day(event.published_at)
        for right in code.windows_opened_by(event.event_type, rules):
            closes = code.window_closes(right, told_on, rules)
            if closes >= today:
                windows.append(OpenWindow(right, event.event_type, closes))
    return windows


def referrals(victim: Victim) -> list[tuple[Case, CaseEvent]]:
    """Published support referrals on the victim's cases, newest first."""
    rows = db.session.execute(
        select(Case, CaseEvent)
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(
            _on_case(victim),
            CaseEvent.event_type == "support_referral_made",
            CaseEvent.published_at.is_not(None),
        )
        .order_by(CaseEvent.published_at.desc())
    )
    return [(case, event) for case, event in rows]


def support_services() -> list[SupportService]:
    record(VictimTag.SUPPORT_VIEWED, purpose="support services")
    return list(
        db.session.scalars(
            select(SupportService)
            .where(SupportService.retired.is_(False))
            .order_by(SupportService.national, SupportService.position, SupportService.name)
        )
    )


# --- messages ----------------------------------------------------------------------------


def _unread_for(victim: Victim) -> ColumnElement[bool]:
    return and_(
        Message.victim_id == victim.id,
        Message.officer_id.is_not(None),
        Message.read_by_victim_at.is_(None),
    )


def thread(victim: Victim, case: Case) -> list[Message]:
    """The victim's messages with the officers on case, oldest first; replies now read."""
    messages = list(
        db.session.scalars(
            select(Message)
            .where(Message.case_id == case.id, Message.victim_id == victim.id)
            .order_by(Message.created_at)
        )
    )
    now = utcnow()
    for message in messages:
        if message.officer_id is not None and message.read_by_victim_at is None:
            message.read_by_victim_at = now
    record(
        VictimTag.MESSAGES_VIEWED,
        record_type="case",
        record_id=case.id,
        purpose="own messages",
        messages=[str(m.id) for m in messages],
    )
    return messages


def open_update_request(victim: Victim, case: Case) -> Message | None:
    """The victim's unanswered request for an update on case, if there is one."""
    return db.session.scalar(
        select(Message)
        .where(
            Message.case_id == case.id,
            Message.victim_id == victim.id,
            Message.kind == "update_request",
            Message.answered_at.is_(None),
        )
        .limit(1)
    )


def send_message(victim: Victim, case: Case, body: str) -> Message:
    """A message to the officers on case; the officer in charge is told one is waiting."""
    message = _new_message(victim, case, "message", body)
    _tell_officer(case, Kind.OFFICER_NEW_MESSAGE, message)
    record(VictimTag.MESSAGE_SENT, record_type="message", record_id=message.id, case=str(case.id))
    return message


def request_update(victim: Victim, case: Case, body: str) -> Message | None:
    """Ask for an update (one open request at a time: None if one is waiting)."""
    if open_update_request(victim, case) is not None:
        return None
    message = _new_message(victim, case, "update_request", body)
    _tell_officer(case, Kind.OFFICER_UPDATE_REQUEST, message)
    record(
        VictimTag.UPDATE_REQUESTED,
        record_type="message",
        record_id=message.id,
        case=str(case.id),
    )
    return message


def _new_message(victim: Victim, case: Case, kind: str, body: str) -> Message:
    message = Message(id=uuid.uuid4(), case_id=case.id, victim_id=victim.id, kind=kind, body=body)
    db.session.add(message)
    db.session.flush()
    return message


def officer_recipient(officer: Officer) -> Recipient:
    return Recipient(
        kind="officer",
        id=officer.id,
        email=officer.email,
        channel="email" if officer.email else "none",
    )


def _tell_officer(case: Case, kind: Kind, message: Message) -> None:
    officer = oic(case)
    if officer is None or not officer.active:
        return  # the team's inbox still shows it
    notify(
        kind,
        officer_recipient(officer),
        dedupe_key=f"{kind.value}:{message.id}",
        case_id=case.id,
        link_path=f"/officer/cases/{case.id}",
        automatic=False,
    )


# --- property ----------------------------------------------------------------------------


def property_of(victim: Victim, case: Case) -> list[PropertyItem]:
    items = list(
        db.session.scalars(
            select(PropertyItem)
            .where(PropertyItem.case_id == case.id, PropertyItem.victim_id == victim.id)
            .order_by(PropertyItem.created_at)
        )
    )
    record(
        VictimTag.PROPERTY_VIEWED,
        record_type="case",
        record_id=case.id,
        purpose="own property list",
        items=[str(i.id) for i in items],
    )
    return items


def property_item(victim: Victim, case: Case, item_id: uuid.UUID) -> PropertyItem | None:
    """One of the victim's own items on case (its reading audited); None for anyone else's."""
    item = db.session.scalar(
        select(PropertyItem).where(
            PropertyItem.id == item_id,
            PropertyItem.case_id == case.id,
            PropertyItem.victim_id == victim.id,
        )
    )
    if item is not None:
        record(
            VictimTag.PROPERTY_VIEWED,
            record_type="property_item",
            record_id=item.id,
            purpose="own property item",
        )
    return item


def add_property(victim: Victim, case: Case, values: dict[str, Any]) -> PropertyItem:
    item = PropertyItem(id=uuid.uuid4(), case_id=case.id, victim_id=victim.id, **values)
    db.session.add(item)
    db.session.flush()
    record(
        VictimTag.PROPERTY_ADDED,
        record_type="property_item",
        record_id=item.id,
        case=str(case.id),
    )
    return item


def change_property(item: PropertyItem, values: dict[str, Any]) -> list[str]:
    """Set the changed fields; the audit row names them, never their values."""
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
    for name in changed:
        setattr(item, name, values[name])
    if changed:
        record(
            VictimTag.PROPERTY_CHANGED,
            record_type="property_item",
            record_id=item.id,
            fields=changed,
        )
    return changed


def remove_property(item: PropertyItem) -> None:
    item_id, case_id = item.id, item.case_id
    db.session.execute(delete(PropertyItem).where(PropertyItem.id == item_id))
    record(
        VictimTag.PROPERTY_REMOVED,
        record_type="property_item",
        record_id=item_id,
        case=str(case_id),
    )


# --- contact plan --------------------------------------------------------------------------


def view_contact_plan(victim: Victim) -> None:
    record(
        VictimTag.CONTACT_PLAN_VIEWED,
        record_type="victim",
        record_id=victim.id,
        purpose="own contact plan",
    )


def change_contact_plan(victim: Victim, values: dict[str, Any]) -> list[str]:
    """Set the contact plan; the audit row (which the officers see) names the fields."""
    changed = sorted(name for name, value in values.items() if getattr(victim, name) != value)
    for name in changed:
        setattr(victim, name, values[name])
    if changed:
        record(
            VictimTag.CONTACT_PLAN_CHANGED,
            record_type="victim",
            record_id=victim.id,
            purpose="victim changed their contact plan",
            fields=changed,
        )
    return changed


def turn_off_two_step(victim: Victim, by: str) -> None:
    """Forget the victim's authenticator secret; by says who (the victim, or an officer
    for a victim who lost their phone)."""
    victim.totp_secret_sealed = victim.totp_enabled_at = victim.totp_last_step = None
    record(VictimTag.TWO_STEP_TURNED_OFF, record_type="victim", record_id=victim.id, by=by)
