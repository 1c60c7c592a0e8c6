"""A case with something in every table that can hold a victim's data, each piece
carrying a value found nowhere else, so a test can search the whole database for it.

`closed_case` writes, in one force: the case (closed years ago), an event with a
victim-facing text and an internal note, a duty, a victim on this case only and a
victim also on an open case, a message and the officer's reply, property, an invite,
a password reset, a sign-in, outbox rows, subject access exports and a remembered API
answer naming the case, plus audit rows about all of it (ids only).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.models import (
    ApiClient,
    AuditEvent,
    Case,
    CaseEvent,
    CaseVictim,
    Duty,
    IdempotencyKey,
    Invite,
    Message,
    OutboxMessage,
    PasswordReset,
    PropertyItem,
    SignedInSession,
    SubjectAccessExport,
    Victim,
)
from tenants.binding import force_scope
from tests.factories import OfficerFactory, registered_force

NOW = datetime.now(UTC)

# The values nothing else in the database holds: each must be gone after disposal.
GONE = {
    "reference": "ZQ/9191/19",
    "victim_name": "Quillon Marchbanks",
    "victim_email": "quillon.marchbanks@example.com",
    "victim_mobile": "07700900917",
    "event_text": "Zephyrine doorbell footage reviewed",
    "internal_note": "Zephyrine neighbour statement pending",
    "message": "Xanthippe asked about the footage",
    "reply": "Xanthippe was told about the footage",
    "property": "Vorpal teapot with a chipped spout",
    "serial": "SN-VORPAL-4417",
    "kept_victim_message": "Bettany asked about the closed case",
}
# The victim also on an open case keeps their record.
KEPT = {"victim_name": "Bettany Oakshott", "reference": "KP/2020/26"}


@dataclass(frozen=True)
class ClosedCase:
    case_id: uuid.UUID
    gone_victim: uuid.UUID  # on this case only: erased with it
    kept_victim: uuid.UUID  # also on an open case: kept
    open_case: uuid.UUID
    officer: uuid.UUID


def _case(session: Any, reference: str, officer: Any, closed_years: int | None) -> Case:
    closed = NOW - timedelta(days=365 * closed_years + 5) if closed_years else None
    case = Case(
        id=uuid.uuid4(), crime_reference=reference, offence_category="burglary",
        oic_id=officer.id, team="Team A", status="closed" if closed else "open",
        outcome="charged" if closed else None, closed_at=closed,
    )  # fmt: skip
    session.add(case)
    session.flush()
    return case


def _victims(session: Any, case: Case, open_case: Case) -> tuple[Victim, Victim]:
    gone = Victim(
        id=uuid.uuid4(), name=GONE["victim_name"], email=GONE["victim_email"],
        mobile=GONE["victim_mobile"], date_of_birth=date(1979, 2, 28), password_hash="x",
    )  # fmt: skip
    kept = Victim(id=uuid.uuid4(), name=KEPT["victim_name"], email="bettany@example.com")
    session.add_all([gone, kept])
    session.flush()
    session.add_all(
        [
            CaseVictim(case_id=case.id, victim_id=gone.id),
            CaseVictim(case_id=case.id, victim_id=kept.id, role="parent_guardian"),
            CaseVictim(case_id=open_case.id, victim_id=kept.id),
        ]
    )
    return gone, kept


def _casework(session: Any, case: Case, gone: Victim, kept: Victim, officer: Any) -> None:
    event = CaseEvent(
        id=uuid.uuid4(), case_id=case.id, event_type="free_update", occurred_at=NOW,
        victim_text=GONE["event_text"], internal_note=GONE["internal_note"], details={},
        published_at=NOW, posted_by=officer.id,
    )  # fmt: skip
    session.add(event)
    session.flush()
    session.add(
        Duty(case_id=case.id, event_id=event.id, duty="update-cadence", ruleset="ew-2021",
             due_on=NOW.date(), met_at=NOW, met_by_event_id=event.id)
    )  # fmt: skip
    asked = Message(id=uuid.uuid4(), case_id=case.id, victim_id=gone.id, body=GONE["message"])
    session.add(asked)
    session.flush()
    session.add_all(
        [
            Message(id=uuid.uuid4(), case_id=case.id, victim_id=gone.id, officer_id=officer.id,
                    body=GONE["reply"], in_reply_to=asked.id),
            Message(id=uuid.uuid4(), case_id=case.id, victim_id=kept.id,
                    body=GONE["kept_victim_message"]),
            PropertyItem(id=uuid.uuid4(), case_id=case.id, victim_id=gone.id,
                         category="other", description=GONE["property"],
                         serial_number=GONE["serial"]),
        ]
    )  # fmt: skip


def _account(session: Any, case: Case, gone: Victim, kept: Victim) -> None:
    later = NOW + timedelta(days=3)
    session.add_all(
        [
            Invite(id=uuid.uuid4(), victim_id=gone.id, case_id=case.id,
                   token_hash=uuid.uuid4().hex * 2, expires_at=later),
            Invite(id=uuid.uuid4(), victim_id=kept.id, case_id=case.id,
                   token_hash=uuid.uuid4().hex * 2, expires_at=later),
            PasswordReset(id=uuid.uuid4(), victim_id=gone.id,
                          token_hash=uuid.uuid4().hex * 2, expires_at=later),
            SignedInSession(id=uuid.uuid4(), user_kind="victim", user_id=gone.id),
            OutboxMessage(id=uuid.uuid4(), dedupe_key=f"victim_update:{uuid.uuid4()}",
                          kind="victim_update", channel="email", address=GONE["victim_email"],
                          status="queued", recipient_kind="victim", recipient_id=gone.id,
                          case_id=case.id),
            OutboxMessage(id=uuid.uuid4(), dedupe_key=f"victim_reply:{uuid.uuid4()}",
                          kind="victim_reply", channel="sms", address=GONE["victim_mobile"],
                          status="sent", recipient_kind="victim", recipient_id=gone.id),
            OutboxMessage(id=uuid.uuid4(), dedupe_key=f"victim_update:{uuid.uuid4()}",
                          kind="victim_update", channel="email", address="bettany@example.com",
                          status="queued", recipient_kind="victim", recipient_id=kept.id,
                          case_id=case.id),
        ]
    )  # fmt: skip


def _elsewhere(session: Any, case: Case, gone: Victim, kept: Victim, officer: Any) -> None:
    client = ApiClient(id=uuid.uuid4(), client_id=uuid.uuid4().hex, name="Niche",
                       secret_hash="x$y", scopes=["cases:write"])  # fmt: skip
    session.add(client)
    session.flush()
    session.add_all(
        [
            IdempotencyKey(client_id=client.id, key=uuid.uuid4().hex, request_hash="0" * 64,
                           response_status=201,
                           response_body={"id": str(case.id), "crime_reference": GONE["reference"]},
                           response_location=f"/api/v1/cases/{case.id}"),
            SubjectAccessExport(id=uuid.uuid4(), victim_id=gone.id, requested_by=officer.id,
                                status="ready", content_sealed="sealed-copy-of-gone"),
            SubjectAccessExport(id=uuid.uuid4(), victim_id=kept.id, requested_by=officer.id,
                                status="ready", content_sealed="sealed-copy-of-kept"),
            AuditEvent(tag="case:viewed", actor_type="officer", actor_id=str(officer.id),
                       record_type="case", record_id=str(case.id), detail={}),
            AuditEvent(tag="victim:viewed", actor_type="officer", actor_id=str(officer.id),
                       record_type="victim", record_id=str(gone.id), detail={}),
        ]
    )  # fmt: skip


def closed_case(slug: str = "kent", closed_years: int = 8, legal_hold: bool = False) -> ClosedCase:
    """The case (closed closed_years ago, outcome charged) and everything about it."""
    officer = OfficerFactory(force=slug, name="PC Disposal Tester")
    with force_scope(registered_force(slug)) as session:
        case = _case(session, GONE["reference"], officer, closed_years)
        case.legal_hold = legal_hold
        open_case = _case(session, KEPT["reference"], officer, None)
        gone, kept = _victims(session, case, open_case)
        session.flush()
        _casework(session, case, gone, kept, officer)
        _account(session, case, gone, kept)
        _elsewhere(session, case, gone, kept, officer)
        made = ClosedCase(case.id, gone.id, kept.id, open_case.id, officer.id)
    return made
