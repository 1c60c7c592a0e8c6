"""The force's audit trail, searched and exported (Data Protection Act 2018 s.62).

A search names people (officers or victims: what they did, and what was done to their
record), records (an id, or a crime reference for a case), an action (a tag) and a date
range in UK time. Results are keyset-paginated newest first; the CSV export is the same
search without pages, capped. The recorder of the search itself lives in the views:
these functions only read.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from app.models import AuditEvent, Case, Officer, Victim
from tenants.audit import ForceTag, all_tags
from tenants.binding import db

UK = ZoneInfo("Europe/London")
PAGE_SIZE = 50
EXPORT_CAP = 50_000
PEOPLE = ("officer", "victim")


@dataclass(frozen=True)
class AuditQuery:
    """A search: every part optional; given parts must all match."""

    person_ids: tuple[str, ...] = ()
    record_ids: tuple[str, ...] = ()
    tag: str = ""
    start: date | None = None
    end: date | None = None
    before: str | None = None  # cursor: "<occurred_at iso>|<id>"

    def describe(self) -> dict[str, object]:
        """The search for its own audit row: ids, a tag and dates, never the typed text."""
        return {
            "people": list(self.person_ids),
            "records": list(self.record_ids),
            "action": self.tag or None,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }


@dataclass
class Results:
    rows: list[AuditEvent]
    next_cursor: str | None
    officers: dict[str, Officer] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)


def force_tags() -> list[str]:
    """Every action the force trail can hold, for the action filter."""
    return sorted(tag.value for tag in all_tags() if isinstance(tag, ForceTag))


# --- resolving what was typed ------------------------------------------------------------


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def people_matching(text: str) -> list[str]:
    """Ids of officers (collar number or email) and victims (email) that text names."""
    text = text.strip()
    if not text:
        return []
    if (found := _as_uuid(text)) is not None:
        return [str(found)]
    lowered = text.lower()
    officers = select(Officer.id).where(
        or_(func.lower(Officer.collar_number) == lowered, func.lower(Officer.email) == lowered)
    )
    victims = select(Victim.id).where(func.lower(Victim.email) == lowered)
    ids = list(db.session.scalars(officers)) + list(db.session.scalars(victims))
    return [str(found) for found in ids]


def records_matching(text: str, normalise: str) -> list[str]:
    """Ids text names: an id itself, or the case with that crime reference (normalised)."""
    text = text.strip()
    if not text:
        return []
    if (found := _as_uuid(text)) is not None:
        return [str(found)]
    case_id = db.session.scalar(select(Case.id).where(Case.crime_reference == normalise))
    return [str(case_id)] if case_id else []


# --- the search -----------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UK).astimezone(UTC)


def _conditions(query: AuditQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.person_ids:
        about = and_(AuditEvent.record_type.in_(PEOPLE), AuditEvent.record_id.in_(query.person_ids))
        conditions.append(or_(AuditEvent.actor_id.in_(query.person_ids), about))
    if query.record_ids:
        conditions.append(AuditEvent.record_id.in_(query.record_ids))
    if query.tag:
        conditions.append(AuditEvent.tag == query.tag)
    if query.start:
        conditions.append(AuditEvent.occurred_at >= _day_start(query.start))
    if query.end:
        conditions.append(AuditEvent.occurred_at < _day_start(query.end + timedelta(days=1)))
    return conditions


def _statement(query: AuditQuery) -> Select[AuditEvent]:
    return (
        select(AuditEvent)
        .where(*_conditions(query))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )


def _after_cursor(cursor: str | None) -> ColumnElement[bool] | None:
    """Rows older than the cursor's; None when there is no (valid) cursor."""
    if not cursor or "|" not in cursor:
        return None
    moment, _, row_id = cursor.partition("|")
    try:
        when, last = datetime.fromisoformat(moment), uuid.UUID(row_id)
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    return or_(
        AuditEvent.occurred_at < when, and_(AuditEvent.occurred_at == when, AuditEvent.id < last)
    )


def search(query: AuditQuery, size: int = PAGE_SIZE) -> Results:
    """One page of matching rows, newest first, with who and which case they name."""
    statement = _statement(query)
    older = _after_cursor(query.before)
    if older is not None:
        statement = statement.where(older)
    rows = list(db.session.scalars(statement.limit(size + 1)))
    cursor = None
    if len(rows) > size:
        rows = rows[:size]
        cursor = f"{rows[-1].occurred_at.isoformat()}|{rows[-1].id}"
    return Results(rows, cursor, officers_named(rows), references_named(rows))


def officers_named(rows: Iterable[AuditEvent]) -> dict[str, Officer]:
    ids = {row.actor_id for row in rows if row.actor_type == "officer" and row.actor_id}
    ids |= {row.record_id for row in rows if row.record_type == "officer" and row.record_id}
    valid = [found for text in ids if (found := _as_uuid(text)) is not None]
    if not valid:
        return {}
    return {str(o.id): o for o in db.session.scalars(select(Officer).where(Officer.id.in_(valid)))}


def references_named(rows: Iterable[AuditEvent]) -> dict[str, str]:
    """Crime references of the cases rows name (a disposed case has none any more)."""
    ids = {row.record_id for row in rows if row.record_type == "case" and row.record_id}
    valid = [found for text in ids if (found := _as_uuid(text)) is not None]
    if not valid:
        return {}
    rows_found = db.session.execute(select(Case.id, Case.crime_reference).where(Case.id.in_(valid)))
    return {str(case_id): reference for case_id, reference in rows_found}


# --- CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "occurred_at",
    "action",
    "actor_type",
    "actor_id",
    "actor_name",
    "actor_collar_number",
    "record_type",
    "record_id",
    "crime_reference",
    "purpose",
    "request_id",
    "detail",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_rows(query: AuditQuery) -> tuple[list[AuditEvent], bool]:
    """Every matching row up to EXPORT_CAP, and whether there were more."""
    rows = list(db.session.scalars(_statement(query).limit(EXPORT_CAP + 1)))
    return rows[:EXPORT_CAP], len(rows) > EXPORT_CAP


def _line(row: AuditEvent, officers: dict[str, Officer], references: dict[str, str]) -> list[str]:
    officer = officers.get(row.actor_id or "") if row.actor_type == "officer" else None
    values = (
        row.occurred_at.astimezone(UTC).isoformat(),
        row.tag,
        row.actor_type,
        row.actor_id,
        officer.name if officer else None,
        officer.collar_number if officer else None,
        row.record_type,
        row.record_id,
        references.get(row.record_id or "") if row.record_type == "case" else None,
        row.purpose,
        row.request_id,
        json.dumps(row.detail or {}, sort_keys=True, default=str),
    )
    return [safe_cell(value) for value in values]


def as_csv(rows: list[AuditEvent]) -> Iterator[str]:
    """The rows as CSV text, a header first, in pieces."""
    officers, references = officers_named(rows), references_named(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for number, row in enumerate(rows, start=1):
        writer.writerow(_line(row, officers, references))
        if number % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
