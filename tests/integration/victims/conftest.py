"""Victim-site fixtures: a case with an officer in charge, a victim and a live invite.

Isolation: everything is written in committed transactions through the factories; the
root `_isolate` fixture empties every force table after each test.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.casework.cases import hash_token
from app.models import AuditEvent, Message, OutboxMessage, PropertyItem, Victim
from tenants.binding import force_scope
from tests.factories import (
    CaseFactory,
    CaseVictimFactory,
    InviteFactory,
    OfficerFactory,
    VictimFactory,
    registered_force,
)
from tests.support.officers import csrf_token
from tests.support.victims import PASSWORD, host

BORN = date(1985, 3, 27)


@dataclass(frozen=True)
class Invited:
    """A victim invited to a case on a force, and the link's token."""

    slug: str
    token: str
    case: Any
    victim: Any
    officer: Any
    invite: Any

    @property
    def headers(self) -> dict[str, str]:
        return host(self.slug)

    @property
    def link(self) -> str:
        return f"/invite/{self.token}"


def make_invited(slug: str = "kent", reference: str = "46/12345/26", **invite: Any) -> Invited:
    officer = OfficerFactory(force=slug, name="Sam Jones", collar_number="KT1234")
    case = CaseFactory(force=slug, crime_reference=reference, oic_id=officer.id)
    victim = VictimFactory(force=slug, date_of_birth=BORN, email="victim@example.com")
    CaseVictimFactory(force=slug, case_id=case.id, victim_id=victim.id)
    token = secrets.token_urlsafe(32)
    made = InviteFactory(
        force=slug,
        victim_id=victim.id,
        case_id=case.id,
        token_hash=hash_token(token),
        created_by=officer.id,
        **invite,
    )
    return Invited(slug, token, case, victim, officer, made)


@pytest.fixture
def invited(app: Flask) -> Invited:
    """A live invite on Kent. Made in a context of its own: a test's requests must not
    share one app context (and so `g`, which holds the CSRF token) with each other."""
    with app.app_context():
        return make_invited()


_APP: dict[str, Flask] = {}


@pytest.fixture(autouse=True)
def _remember_app(app: Flask) -> None:
    """Lets the helpers below open a short app context of their own."""
    _APP["app"] = app


def rows(slug: str, model: type, *where: Any) -> list[Any]:
    """Rows of model in slug's schema (detached, columns loaded), read in a context of
    their own (never the one the test's requests run in)."""
    with _APP["app"].app_context(), force_scope(registered_force(slug)) as session:
        found = list(session.scalars(select(model).where(*where)))
        session.expunge_all()
    return found


def outbox(slug: str) -> list[OutboxMessage]:
    return rows(slug, OutboxMessage)


def audit_tags(slug: str) -> list[str]:
    return [row.tag for row in rows(slug, AuditEvent)]


def victim_row(slug: str, victim_id: uuid.UUID) -> Victim:
    return rows(slug, Victim, Victim.id == victim_id)[0]


def messages(slug: str) -> list[Message]:
    return rows(slug, Message)


def property_items(slug: str) -> list[PropertyItem]:
    return rows(slug, PropertyItem)


def post_form(client: Any, path: str, headers: dict[str, str], data: dict[str, Any]) -> Any:
    """GET the page for its CSRF token, then POST data to it (or to path's form)."""
    page = client.get(path, headers=headers)
    return client.post(path, headers=headers, data={"csrf_token": csrf_token(page.text), **data})


def dob(day: str = "27", month: str = "3", year: str = "1985") -> list[str]:
    """The three values a GOV.UK date input posts under one name."""
    return [day, month, year]


def accept(client: Any, invited: Invited, email: str = "me@example.com") -> Any:
    """Answer the invite's questions and set up the account; the final response."""
    answered = post_form(
        client,
        invited.link,
        invited.headers,
        {"crime_reference": invited.case.crime_reference, "date_of_birth": dob()},
    )
    assert answered.status_code == 302, answered.text
    assert answered.headers["Location"] == "/create-account"
    return post_form(
        client,
        "/create-account",
        invited.headers,
        {"email": email, "password": PASSWORD, "confirm": PASSWORD},
    )


def sign_in(client: Any, slug: str, email: str, password: str = PASSWORD) -> Any:
    return post_form(client, "/sign-in", host(slug), {"email": email, "password": password})


def expired_at() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=1)
