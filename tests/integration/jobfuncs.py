"""Job functions the job tests enqueue (importable by the worker by dotted path)."""

import uuid

from sqlalchemy import select

from app.models import Case
from tenants.binding import db


def case_references() -> list[str]:
    """Idempotent: reads only."""
    return sorted(db.session.scalars(select(Case.crime_reference)))


def add_case(reference: str) -> None:
    """Idempotent: adds the case only if it is not there yet."""
    if not db.session.scalar(select(Case).where(Case.crime_reference == reference)):
        db.session.add(Case(crime_reference=reference, offence_category="theft"))


def copy_case(case_id: str) -> None:
    """Fails on purpose: the copy violates the unique crime reference."""
    case = db.session.get(Case, uuid.UUID(case_id))
    assert case is not None
    db.session.add(Case(crime_reference=case.crime_reference, offence_category="theft"))
    db.session.flush()
