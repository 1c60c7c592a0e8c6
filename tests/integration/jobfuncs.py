"""Job functions the job tests enqueue (importable by the worker by dotted path)."""

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
