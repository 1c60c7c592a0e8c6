"""Forces, people, cases and signed-in sessions for the HTTP benchmarks.

Each victim gets a case shaped like a live one (an officer in charge, three published
updates, an open duty) and a session as a real sign-in leaves it: a live SignedInSession
row in the force's schema and the force-bound cookie, signed by the app's own session
interface with the production cookie name, plus a CSRF token for the forms. Signing a
thousand victims in through POST /sign-in would spend most of the set-up on argon2 and
on the sign-in rate limit; what the page then does with the cookie is the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Flask, g, session
from flask_login.utils import _create_identifier
from flask_wtf.csrf import generate_csrf

from app.models import Case, CaseEvent, CaseVictim, Duty, Officer, SignedInSession, Victim
from bench.harness import BASE_DOMAIN, USER_AGENT
from tenants.binding import force_scope
from tenants.extension import tenancy
from tenants.forces import Force, NewForce

PRODUCTION_COOKIE = "__Host-tmc"  # app/__init__.py's name when cookies are secure
EVENTS = (
    ("arrested", "A suspect has been arrested."),
    ("interviewed_under_caution", "The suspect has been interviewed."),
    ("bailed", "The suspect has been released on bail with conditions."),
)


def host(slug: str) -> str:
    return f"{slug}.{BASE_DOMAIN}"


def provision(slugs: Iterable[str], say: Callable[[str], None] | None = None) -> list[Force]:
    """Provision each force (as the platform does); the registered forces."""
    t, forces = tenancy(), []
    names = list(slugs)
    for number, slug in enumerate(names, start=1):
        forces.append(t.provision(NewForce(slug, f"Bench {slug}")))
        if say and number % 250 == 0:
            say(f"provisioned {number}/{len(names)} forces")
    return forces


@dataclass(frozen=True)
class SignedIn:
    """A signed-in user of one force: what a virtual user sends."""

    slug: str
    kind: str  # victim or officer
    user_id: uuid.UUID
    cookie: str  # the whole Cookie header value
    csrf_token: str
    case_id: uuid.UUID | None = None


def officer(slug: str, role: str = "officer", team: str = "Team A", n: int = 0) -> Officer:
    return Officer(
        id=uuid.uuid4(),
        issuer="https://idp.bench.example/",
        subject=f"bench-officer-{slug}-{n}-{uuid.uuid4().hex[:6]}",
        name=f"Officer {n}",
        email=f"officer{n}@{slug}.police.example",
        collar_number=f"B{n:05d}",
        role=role,
        team=team,
        active=True,
    )


def victim_case(force: Force, oic: Officer, n: int) -> tuple[uuid.UUID, uuid.UUID]:
    """A victim with an account on a case of their own, written in one force transaction;
    (victim id, case id)."""
    now = datetime.now(UTC)
    victim_id, case_id, due = uuid.uuid4(), uuid.uuid4(), (now + timedelta(days=20)).date()
    victim = Victim(
        id=victim_id,
        name=f"Victim {n}",
        date_of_birth=date(1985, 3, 27),
        email=f"victim{n}@bench.example",
        preferred_language="en",
        contact_channel="email",
        password_hash="not-used-sessions-are-minted",  # noqa: S106 - no password is checked
        account_created_at=now,
    )
    case = Case(
        id=case_id,
        crime_reference=f"BEN-{n:07d}",
        offence_category="burglary",
        status="open",
        oic_id=oic.id,
        team=oic.team,
        next_due_on=due,
    )
    with force_scope(force) as s:
        s.add_all([victim, case])
        s.flush()
        s.add(CaseVictim(case_id=case_id, victim_id=victim_id, role="victim"))
        for days, (event_type, words) in enumerate(EVENTS):
            at = now - timedelta(days=30 - 7 * days)
            s.add(
                CaseEvent(
                    id=uuid.uuid4(), case_id=case_id, event_type=event_type, occurred_at=at,
                    posted_by=oic.id, victim_text=words, details={}, published_at=at,
                )
            )  # fmt: skip
        s.add(
            Duty(
                id=uuid.uuid4(), case_id=case_id, duty="update-cadence", ruleset="2020",
                due_on=due,
            )
        )  # fmt: skip
    return victim_id, case_id


def add_officer(force: Force, **kw: object) -> Officer:
    o = officer(force.slug, **kw)  # type: ignore[arg-type]
    with force_scope(force) as s:
        s.add(o)
        s.flush()
        s.expunge(o)
    return o


def sign_in(app: Flask, force: Force, kind: str, user_id: uuid.UUID, **extra: object) -> SignedIn:
    """A live session row for the user and the cookie a real sign-in would leave."""
    sid = uuid.uuid4()
    with force_scope(force) as s:
        s.add(SignedInSession(id=sid, user_kind=kind, user_id=user_id))
    headers = {"Host": host(force.slug), "User-Agent": USER_AGENT}
    with app.test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        # What sign_in() and Flask-Login put in the session, tied (strong protection) to
        # the address and user agent wrk will send from.
        session.update(_user_id=f"{kind}:{user_id}", _fresh=True, _id=_create_identifier())
        session["sid"] = str(sid)
        # Flask-WTF caches the token in g, which lives as long as the app context this
        # runs in (the benchmark's, shared by every sign-in): drop it so each session
        # gets a token of its own.
        g.pop("csrf_token", None)
        csrf = generate_csrf()
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        value = serializer.dumps(dict(session))
    return SignedIn(force.slug, kind, user_id, f"{PRODUCTION_COOKIE}={value}", csrf, **extra)  # type: ignore[arg-type]


def victims(
    app: Flask, force: Force, count: int, oic: Officer | None = None, first: int = 0
) -> list[SignedIn]:
    """count signed-in victims on force, each on a case of their own, numbered from first
    (crime references BEN-<number>)."""
    oic = oic or add_officer(force)
    out = []
    for n in range(first, first + count):
        victim_id, case_id = victim_case(force, oic, n)
        out.append(sign_in(app, force, "victim", victim_id, case_id=case_id))
    return out
