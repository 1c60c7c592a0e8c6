"""People acting for a victim: a parent or guardian (a victim under 18), a family
spokesperson (bereaved families), an independent advocate (IDVA or ISVA).

Each is a person of their own (a victim row: their own invite, account and sign-in)
linked to the case in their role (CaseVictim), plus a Representative row saying whom
they act for. What each role may see is the table below; an adult victim can see who
acts for them and end it; ending it takes the person off the case.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select

from app.audit import record
from app.casework.cases import add_victim
from app.models import Case, CaseVictim, Invite, Officer, Representative, Victim
from app.models.base import utcnow
from app.rights.tags import RightsTag
from tenants.binding import db

# What a person on a case sees and does on the victim site, by their role:
#   updates   the timeline and what the police owe, by when
#   messages  messages with the officers, asking for an update
#   property  the stolen or damaged property list (values included)
#   requests  asking for a review, complaining, the personal statement
#   feedback  the feedback questions
ROLE_SEES: dict[str, frozenset[str]] = {
    "victim": frozenset({"updates", "messages", "property", "requests", "feedback"}),
    "parent_guardian": frozenset({"updates", "messages", "property", "requests", "feedback"}),
    "spokesperson": frozenset({"updates", "messages", "requests", "feedback"}),
    "advocate": frozenset({"updates", "messages"}),
}
ADULT_AGE = 18


def role_on(person: Victim, case_id: uuid.UUID) -> str | None:
    return db.session.scalar(
        select(CaseVictim.role).where(
            CaseVictim.case_id == case_id, CaseVictim.victim_id == person.id
        )
    )


def allows(person: Victim, case_id: uuid.UUID, area: str) -> bool:
    """Whether person's role on the case lets them see or do area (ROLE_SEES)."""
    return area in ROLE_SEES.get(role_on(person, case_id) or "", frozenset())


def is_adult(victim: Victim, today: date) -> bool:
    """18 or over (a victim whose date of birth is not known is taken as an adult)."""
    born = victim.date_of_birth
    if born is None:
        return True
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age >= ADULT_AGE


def add_representative(
    case: Case, acting_for: Victim, person: Victim, role: str, by: Officer
) -> Representative:
    """Put person on case in role, acting for acting_for (their invite is sent apart)."""
    add_victim(case, person, role)
    representative = Representative(
        id=uuid.uuid4(),
        case_id=case.id,
        victim_id=acting_for.id,
        person_id=person.id,
        role=role,
        added_by=by.id,
    )
    db.session.add(representative)
    db.session.flush()
    record(
        RightsTag.REPRESENTATIVE_ADDED,
        record_type="victim",
        record_id=acting_for.id,
        representative=str(representative.id),
        person=str(person.id),
        role=role,
    )
    return representative


def representatives_on(case: Case) -> list[tuple[Representative, Victim]]:
    """Who acts for whom on case (still acting), with each representative's person."""
    rows = db.session.execute(
        select(Representative, Victim)
        .join(Victim, Victim.id == Representative.person_id)
        .where(Representative.case_id == case.id, Representative.ended_at.is_(None))
        .order_by(Representative.added_at)
    )
    return [(representative, person) for representative, person in rows]


def acting_for_me(victim: Victim, case: Case) -> list[tuple[Representative, Victim]]:
    """The people acting for victim on case."""
    return [(r, p) for r, p in representatives_on(case) if r.victim_id == victim.id]


def i_act_for(person: Victim, case: Case) -> list[tuple[Representative, Victim]]:
    """Whom person acts for on case, with each victim's row."""
    rows = db.session.execute(
        select(Representative, Victim)
        .join(Victim, Victim.id == Representative.victim_id)
        .where(
            Representative.case_id == case.id,
            Representative.person_id == person.id,
            Representative.ended_at.is_(None),
        )
    )
    return [(representative, victim) for representative, victim in rows]


def representative_on(case: Case, representative_id: uuid.UUID) -> Representative | None:
    return db.session.scalar(
        select(Representative).where(
            Representative.id == representative_id,
            Representative.case_id == case.id,
            Representative.ended_at.is_(None),
        )
    )


def end(case: Case, representative: Representative, by: str) -> None:
    """End the representation (by "officer" or "victim"). Unless the person still acts
    for someone else on the case, they come off it: its pages are 404 to them from the
    next request, and an invite to it they have not used stops working."""
    now = utcnow()
    representative.ended_at, representative.ended_by = now, by
    db.session.flush()
    if not i_act_for(_person(representative), case):
        db.session.execute(
            delete(CaseVictim).where(
                CaseVictim.case_id == case.id, CaseVictim.victim_id == representative.person_id
            )
        )
        for invite in db.session.scalars(
            select(Invite).where(
                Invite.case_id == case.id,
                Invite.victim_id == representative.person_id,
                Invite.used_at.is_(None),
                Invite.revoked_at.is_(None),
            )
        ):
            invite.revoked_at = now
    record(
        RightsTag.REPRESENTATIVE_ENDED,
        record_type="victim",
        record_id=representative.victim_id,
        representative=str(representative.id),
        person=str(representative.person_id),
        by=by,
    )


def _person(representative: Representative) -> Victim:
    person = db.session.get(Victim, representative.person_id)
    assert person is not None  # a foreign key
    return person
