"""Subject access (Data Protection Act 2018 s.45): everything this force holds about one
victim, as JSON and as a readable page, for the administrator who asked.

The export is made by a job (app.admin.jobs.produce_export), kept sealed with the
force's secret box, downloadable once by the requesting administrator before it
expires, and cleared as soon as it is downloaded or expires.

What goes in: the person's own record; the victim-visible parts of each case they are
on (never internal notes); every row of every force table that points at them by a
foreign key (found from the models, so a new table is included without a change
here); notifications to them; their sign-ins; audit entries about their record or by
them. Secrets (password and token hashes) never do.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from flask import render_template
from sqlalchemy import Table, and_, or_, select

from app.models import (
    AuditEvent,
    Case,
    CaseEvent,
    CaseVictim,
    Duty,
    OffenceCategory,
    Officer,
    OutboxMessage,
    SignedInSession,
    SubjectAccessExport,
    Victim,
)
from app.models.base import utcnow
from tenants.binding import bound_force, db, tenant_tables
from tenants.extension import tenancy

FORMAT = "trackmycrime-subject-access/1"
AVAILABLE_FOR = timedelta(hours=48)
STUCK_AFTER = timedelta(minutes=5)
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "secret_hash", "content_sealed"})
# Tables whose rows about the person are given in their own section (or not at all).
NOT_IN_RECORDS = frozenset({"victim", "subject_access_export"})


def plain(value: Any) -> Any:
    """A column value as JSON can hold it."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def _row(table: Table, row: Any) -> dict[str, Any]:
    return {
        column.name: plain(getattr(row, column.name))
        for column in table.columns
        if column.name not in SECRET_COLUMNS
    }


def person_tables() -> list[tuple[Table, str]]:
    """(table, column) for every force table with a foreign key to a victim."""
    found = []
    for table in tenant_tables():
        if table.name in NOT_IN_RECORDS:
            continue
        for key in table.foreign_keys:
            if key.column.table.name == "victim":
                found.append((table, key.parent.name))
    return found


def _records(victim_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = {}
    for table, column in person_tables():
        rows = db.session.execute(select(table).where(table.c[column] == victim_id))
        records.setdefault(table.name, []).extend(_row(table, row) for row in rows)
    return records


def _case(case: Case, role: str) -> dict[str, Any]:
    """What the victim can see of a case on the victim site."""
    oic = db.session.get(Officer, case.oic_id) if case.oic_id else None
    category = db.session.get(OffenceCategory, case.offence_category)
    events = db.session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.published_at.is_not(None))
        .order_by(CaseEvent.occurred_at)
    )
    duties = db.session.scalars(select(Duty).where(Duty.case_id == case.id).order_by(Duty.due_on))
    return {
        "id": str(case.id),
        "crime_reference": case.crime_reference,
        "offence": category.name if category else case.offence_category,
        "your_role": role,
        "status": case.status,
        "outcome": case.outcome,
        "reported_on": plain(case.reported_on),
        "closed_at": plain(case.closed_at),
        "officer_in_charge": {"name": oic.name, "collar_number": oic.collar_number}
        if oic
        else None,
        "updates": [
            {
                "event_type": e.event_type,
                "occurred_at": plain(e.occurred_at),
                "published_at": plain(e.published_at),
                "text": e.victim_text,
                "text_cy": e.victim_text_cy,
                "details": e.details,
            }
            for e in events
        ],
        "duties_owed": [
            {"duty": d.duty, "due_on": plain(d.due_on), "met_at": plain(d.met_at)} for d in duties
        ],
    }


def _cases(victim_id: uuid.UUID) -> list[dict[str, Any]]:
    links = db.session.execute(
        select(Case, CaseVictim.role)
        .join(CaseVictim, CaseVictim.case_id == Case.id)
        .where(CaseVictim.victim_id == victim_id)
        .order_by(Case.created_at)
    )
    return [_case(case, role) for case, role in links]


def _table_rows(model: type, where: Any) -> list[dict[str, Any]]:
    table: Table = model.__table__  # type: ignore[attr-defined]
    rows: list[Any] = list(db.session.scalars(select(model).where(where)))
    return [_row(table, row) for row in rows]


def _audit(victim_id: uuid.UUID) -> list[dict[str, Any]]:
    who = str(victim_id)
    about = and_(AuditEvent.record_type == "victim", AuditEvent.record_id == who)
    by = and_(AuditEvent.actor_type == "victim", AuditEvent.actor_id == who)
    rows = db.session.scalars(
        select(AuditEvent).where(or_(about, by)).order_by(AuditEvent.occurred_at)
    )
    return [
        {
            "occurred_at": plain(row.occurred_at),
            "action": row.tag,
            "by": row.actor_type,
            "purpose": row.purpose,
            "record": row.record_type,
        }
        for row in rows
    ]


def collect(victim: Victim) -> dict[str, Any]:
    """Everything held about victim in the bound force."""
    force = bound_force(db.session())
    victim_table = Victim.__table__
    assert isinstance(victim_table, Table)
    return {
        "format": FORMAT,
        "generated_at": plain(utcnow()),
        "force": force.name if force else None,
        "person": _row(victim_table, victim),
        "cases": _cases(victim.id),
        "records": _records(victim.id),
        "notifications": _table_rows(
            OutboxMessage,
            and_(OutboxMessage.recipient_kind == "victim", OutboxMessage.recipient_id == victim.id),
        ),
        "sign_ins": _table_rows(
            SignedInSession,
            and_(SignedInSession.user_kind == "victim", SignedInSession.user_id == victim.id),
        ),
        "audit": _audit(victim.id),
    }


# --- the export's life ------------------------------------------------------------------------


def start(victim: Victim, officer: Officer) -> SubjectAccessExport:
    """A queued export of victim for officer (the caller enqueues its job after commit)."""
    export = SubjectAccessExport(
        id=uuid.uuid4(), victim_id=victim.id, requested_by=officer.id, status="queued"
    )
    db.session.add(export)
    db.session.flush()
    return export


def produce(export: SubjectAccessExport) -> bool:
    """Fill a queued export; False if it was not waiting (the job is idempotent)."""
    if export.status != "queued":
        return False
    victim = db.session.get(Victim, export.victim_id)
    if victim is None:
        export.status = "failed"
        return False
    content = json.dumps(collect(victim), ensure_ascii=False, sort_keys=True, indent=2)
    now = utcnow()
    export.content_sealed = tenancy().secret_box().seal(content)
    export.status, export.ready_at, export.expires_at = "ready", now, now + AVAILABLE_FOR
    return True


def stuck(export: SubjectAccessExport) -> bool:
    """Queued for longer than any job takes: its job was lost (the job is idempotent)."""
    return export.status == "queued" and export.requested_at < utcnow() - STUCK_AFTER


def expire(export: SubjectAccessExport) -> bool:
    """Clear a ready export past its time; True if it was."""
    if export.status != "ready" or export.expires_at is None or export.expires_at > utcnow():
        return False
    export.content_sealed, export.status = None, "expired"
    return True


def take(export: SubjectAccessExport) -> dict[str, Any] | None:
    """The export's content, cleared from the database as it is taken (once only)."""
    if expire(export) or export.status != "ready" or not export.content_sealed:
        return None
    content = json.loads(tenancy().secret_box().open(export.content_sealed))
    export.content_sealed, export.status, export.downloaded_at = None, "downloaded", utcnow()
    return dict(content)


def as_zip(export_id: uuid.UUID, content: dict[str, Any]) -> bytes:
    """The export as a zip: the JSON and a readable HTML page of the same content."""
    page = render_template("admin/subject_access_document.html", export=content)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        name = f"subject-access-{export_id}"
        archive.writestr(f"{name}.json", json.dumps(content, ensure_ascii=False, indent=2))
        archive.writestr(f"{name}.html", page)
    return buffer.getvalue()
