"""Demo only: connect the demo forces to the demo identity provider and give each a few
cases, so a new user signs in to a caseload with something due and a message waiting.

Never used in production (the demo command imports it). Idempotent: it adds what is
missing and leaves what a user has changed alone.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.idp import build
from app.casework.cases import hash_token
from app.central import operators
from app.demo import DEMO_FORCES
from app.demo_idp import (
    CENTRAL_ISSUER,
    DEMO_OPERATOR_EMAIL,
    DemoIssuer,
    RunningProvider,
    demo_client_id,
    demo_client_secret,
    demo_issuers,
    demo_operator_issuer,
    run_in_thread,
)
from app.models import Case, CaseEvent, CaseVictim, Duty, Invite, Message, Officer, Victim
from app.victims.passwords import hash_password
from tenants.binding import db, force_scope
from tenants.extension import tenancy
from tenants.forces import Force

ROLE_VALUES = {
    "officer": ("tmc-officer",),
    "supervisor": ("tmc-supervisor",),
    "admin": ("tmc-admin",),
}
ROLES_BY_USERNAME = {"officer": "officer", "supervisor": "supervisor", "admin": "admin"}


# A force that has not joined: its demo provider lets a new user try the application.
SPARE_FORCE = ("north-yorkshire", "North Yorkshire Police")


def start_provider(base: str, port: int, idp_port: int) -> RunningProvider:
    """The demo's OpenID provider on loopback: one issuer per demo force (connected and
    seeded), one for the spare force an applicant can name, one for operators."""

    def officer_callback(slug: str) -> str:
        return f"http://{slug}.{base}:{port}/officer/auth/callback"

    def officer_signed_out(slug: str) -> str:
        return f"http://{slug}.{base}:{port}/officer/signed-out"

    forces = demo_issuers(
        [(force.slug, force.name) for force in DEMO_FORCES], officer_callback, officer_signed_out
    )
    spare = demo_issuers([SPARE_FORCE], officer_callback, officer_signed_out)
    console = f"http://{base}:{port}/console"
    operator = demo_operator_issuer(f"{console}/auth/callback", f"{console}/signed-out")
    provider = run_in_thread("127.0.0.1", idp_port, [*forces, *spare, operator])
    for issuer in forces:
        connect(provider.issuer(issuer.slug), issuer.slug)
        tenancy().registry.invalidate()
        force = tenancy().registry.by_slug(issuer.slug)
        assert force is not None
        seed(force, issuer, provider.issuer(issuer.slug))
    _operators(provider.issuer(CENTRAL_ISSUER))
    return provider


def _operators(issuer: str) -> None:
    """Operator sign-in through the demo provider, and the demo operator pre-authorised."""
    operators.configure_idp(
        current_app, issuer, demo_client_id(CENTRAL_ISSUER), demo_client_secret(CENTRAL_ISSUER)
    )
    operators.create(DEMO_OPERATOR_EMAIL, "Demo operator")
    db.session.commit()


INVITEE_BIRTH_DATE = date(1990, 7, 14)


def invitee_reference(slug: str) -> str:
    return f"{slug[:2].upper()}/10502/26"


def fresh_invite(force: Force) -> str | None:
    """A new invite link path for the demo's invitee (Jamie Lee, a bicycle theft), the
    last one revoked; None once Jamie has an account. Only the token's hash is stored,
    so each demo run makes a new one to print."""
    with force_scope(force) as session:
        found = session.execute(
            select(Case, Victim)
            .join(CaseVictim, CaseVictim.case_id == Case.id)
            .join(Victim, Victim.id == CaseVictim.victim_id)
            .where(Case.crime_reference == invitee_reference(force.slug))
        ).first()
        if found is None or found[1].account_created_at is not None:
            return None
        case, invitee = found
        now = datetime.now(UTC)
        for pending in session.scalars(
            select(Invite).where(
                Invite.victim_id == invitee.id,
                Invite.used_at.is_(None),
                Invite.revoked_at.is_(None),
            )
        ):
            pending.revoked_at = now
        token = secrets.token_urlsafe(32)
        session.add(
            Invite(
                id=uuid.uuid4(), victim_id=invitee.id, case_id=case.id,
                token_hash=hash_token(token), expires_at=now + timedelta(days=14),
            )
        )  # fmt: skip
        return f"/invite/{token}"


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
    """A burglary with a message waiting, an assault whose arrest update is late, and a
    closed criminal damage case where the victim may ask for a review."""
    prefix = force.slug[:2].upper()
    sam = _burglary(session, force, oic, prefix)
    _assault(session, oic, prefix)
    _damage_closed(session, oic, prefix, sam)
    theft = _case(session, invitee_reference(force.slug), "theft", oic, date.today())
    invitee = _victim(session, theft, "Jamie Lee", f"jamie.lee@{force.slug}.victim.example")
    invitee.date_of_birth = INVITEE_BIRTH_DATE
    session.flush()
    for case in session.scalars(select(Case)):
        case.next_due_on = session.scalar(
            select(Duty.due_on)
            .where(Duty.case_id == case.id, Duty.met_at.is_(None))
            .order_by(Duty.due_on)
            .limit(1)
        )


def _ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def _burglary(session: Session, force: Force, oic: Officer, prefix: str) -> Victim:
    burglary = _case(session, f"{prefix}/10234/26", "burglary", oic, date.today() - timedelta(3))
    sam = _victim(session, burglary, "Sam Taylor", victim_email(force.slug))
    sam.password_hash = hash_password(victim_password(force.slug))
    sam.account_created_at = _ago(2)
    session.add(
        CaseEvent(
            id=uuid.uuid4(), case_id=burglary.id, event_type="free_update",
            occurred_at=_ago(2), posted_by=oic.id,
            victim_text="I have visited the house next door and asked for their doorbell "
            "camera footage. I will update you when I have looked at it.",
            internal_note="Demo: neighbour at no. 12 has footage; collect Tuesday.",
            details={}, published_at=_ago(2),
        )
    )  # fmt: skip
    session.add(
        Message(
            id=uuid.uuid4(), case_id=burglary.id, victim_id=sam.id, created_at=_ago(2),
            body="Hello, has anyone looked at the doorbell camera footage I sent?",
        )
    )  # fmt: skip
    return sam


def _assault(session: Session, oic: Officer, prefix: str) -> None:
    reported = date.today() - timedelta(days=12)
    assault = _case(session, f"{prefix}/10377/26", "violence_against_the_person", oic, reported)
    assault.enhanced_rights, assault.enhanced_reasons = True, ["fear_of_testifying"]
    _victim(session, assault, "Chris Jones", "chris.jones@example.com")
    event = CaseEvent(
        id=uuid.uuid4(), case_id=assault.id, event_type="arrested", occurred_at=_ago(6),
        victim_text="A suspect has been arrested. We will tell you what happens next.",
        internal_note="Demo: arrested at home address, interview pending.",
        details={}, posted_by=oic.id,
    )  # fmt: skip
    session.add(event)
    session.flush()
    session.add(
        Duty(
            case_id=assault.id, event_id=event.id, duty="inform-arrest", ruleset="ew-2021",
            due_on=(_ago(6) + timedelta(days=1)).date(),
        )
    )  # fmt: skip


def _damage_closed(session: Session, oic: Officer, prefix: str, sam: Victim) -> None:
    """Closed with no further action, the victim told: the right to a review is open."""
    reported = date.today() - timedelta(days=40)
    damage = _case(session, f"{prefix}/09811/26", "criminal_damage_and_arson", oic, reported)
    session.add(CaseVictim(case_id=damage.id, victim_id=sam.id, role="victim"))
    session.add(
        CaseEvent(
            id=uuid.uuid4(), case_id=damage.id, event_type="no_further_action",
            occurred_at=_ago(5), posted_by=oic.id, details={}, published_at=_ago(5),
            victim_text="No further action will be taken: there is not enough evidence to "
            "identify who damaged your car. You have the right to ask for this decision "
            "to be reviewed.",
        )
    )  # fmt: skip
    damage.status, damage.outcome, damage.closed_at = "closed", "no_further_action", _ago(5)


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
