"""Demo only: connect the demo forces to the demo identity provider and give each a few
cases, so a new user signs in to a caseload with something due and a message waiting.

Never used in production (the demo command imports it). Idempotent: it adds what is
missing and leaves what a user has changed alone.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.idp import build
from app.demo_idp import DemoIssuer, demo_client_id, demo_client_secret
from app.models import Case, CaseEvent, CaseVictim, Duty, Message, Officer, Victim
from app.victims.passwords import hash_password
from tenants.binding import force_scope
from tenants.extension import tenancy
from tenants.forces import Force

ROLE_VALUES = {
    "officer": ("tmc-officer",),
    "supervisor": ("tmc-supervisor",),
    "admin": ("tmc-admin",),
}
ROLES_BY_USERNAME = {"officer": "officer", "supervisor": "supervisor", "admin": "admin"}


def victim_email(slug: str) -> str:
    return f"sam.taylor@{slug}.victim.example"


def victim_password(slug: str) -> str:
    """The printed demo victim's password (readable on purpose; protects nothing)."""
    return f"victim-{slug}-demo"


def connect(issuer_url: str, slug: str) -> None:
    """Point slug's officer sign-in at the demo provider (sealed secret, role mapping)."""
    t = tenancy()
    current = t.registry.by_slug(slug)
    if current is not None and current.idp.get("issuer") == issuer_url:
        return
    idp = build(
        issuer=issuer_url,
        client_id=demo_client_id(slug),
        client_secret=demo_client_secret(slug),
        role_claim="roles",
        role_values=ROLE_VALUES,
        box=t.secret_box(),
    )
    t.set_idp(slug, idp.to_mapping(), ("system", None))


def seed(force: Force, issuer: DemoIssuer, issuer_url: str) -> None:
    """The force's demo officers (as they will sign in) and three sample cases."""
    with force_scope(force) as session:
        officers = {}
        for user in issuer.users:
            subject = user.subject(force.slug)
            officer = session.scalar(
                select(Officer).where(Officer.issuer == issuer_url, Officer.subject == subject)
            )
            if officer is None:
                officer = Officer(
                    id=uuid.uuid4(), issuer=issuer_url, subject=subject, name=user.name,
                    email=user.email, collar_number=user.collar_number,
                    role=ROLES_BY_USERNAME[user.username], team=user.team,
                )  # fmt: skip
                session.add(officer)
            officers[user.username] = officer
        session.flush()
        if session.scalar(select(Case.id).limit(1)) is None:
            _sample_cases(session, force, officers["officer"])


def _sample_cases(session: Session, force: Force, oic: Officer) -> None:
    """A burglary with a message waiting, and an assault whose arrest update is late."""
    prefix = force.slug[:2].upper()
    today = date.today()
    burglary = _case(session, f"{prefix}/10234/26", "burglary", oic, today - timedelta(days=3))
    victim = _victim(session, burglary, "Sam Taylor", victim_email(force.slug))
    victim.password_hash = hash_password(victim_password(force.slug))
    victim.account_created_at = datetime.now(UTC) - timedelta(days=2)
    session.add(
        CaseEvent(
            id=uuid.uuid4(), case_id=burglary.id, event_type="free_update",
            occurred_at=datetime.now(UTC) - timedelta(days=2), posted_by=oic.id,
            victim_text="I have visited the house next door and asked for their doorbell "
            "camera footage. I will update you when I have looked at it.",
            internal_note="Demo: neighbour at no. 12 has footage; collect Tuesday.",
            details={}, published_at=datetime.now(UTC) - timedelta(days=2),
        )
    )  # fmt: skip
    session.add(
        Message(
            id=uuid.uuid4(), case_id=burglary.id, victim_id=victim.id,
            body="Hello, has anyone looked at the doorbell camera footage I sent?",
            created_at=datetime.now(UTC) - timedelta(days=2),
        )
    )  # fmt: skip
    assault = _case(
        session,
        f"{prefix}/10377/26",
        "violence_against_the_person",
        oic,
        today - timedelta(days=12),
    )
    assault.enhanced_rights, assault.enhanced_reasons = True, ["fear_of_testifying"]
    _victim(session, assault, "Chris Jones", "chris.jones@example.com")
    arrested_on = datetime.now(UTC) - timedelta(days=6)
    event = CaseEvent(
        id=uuid.uuid4(), case_id=assault.id, event_type="arrested", occurred_at=arrested_on,
        victim_text="A suspect has been arrested. We will tell you what happens next.",
        internal_note="Demo: arrested at home address, interview pending.",
        details={}, posted_by=oic.id,
    )  # fmt: skip
    session.add(event)
    session.flush()
    session.add(
        Duty(
            case_id=assault.id, event_id=event.id, duty="inform-arrest", ruleset="ew-2021",
            due_on=(arrested_on + timedelta(days=1)).date(),
        )
    )  # fmt: skip
    session.flush()
    for case in (burglary, assault):
        case.next_due_on = session.scalar(
            select(Duty.due_on)
            .where(Duty.case_id == case.id, Duty.met_at.is_(None))
            .order_by(Duty.due_on)
            .limit(1)
        )


def _case(session: Session, reference: str, category: str, oic: Officer, reported: date) -> Case:
    case = Case(
        id=uuid.uuid4(), crime_reference=reference, offence_category=category,
        reported_on=reported, oic_id=oic.id, team=oic.team, automatic_contact=True,
    )  # fmt: skip
    session.add(case)
    session.flush()
    session.add(
        Duty(
            case_id=case.id, duty="update-cadence", ruleset="ew-2021",
            due_on=reported + timedelta(days=28),
        )
    )  # fmt: skip
    return case


def _victim(session: Session, case: Case, name: str, email: str) -> Victim:
    victim = Victim(
        id=uuid.uuid4(), name=name, date_of_birth=date(1984, 5, 17), email=email,
        preferred_language="en", contact_channel="email",
    )  # fmt: skip
    session.add(victim)
    session.flush()
    session.add(CaseVictim(case_id=case.id, victim_id=victim.id, role="victim"))
    return victim
