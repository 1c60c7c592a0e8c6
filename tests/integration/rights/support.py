"""What the rights tests share: a case a victim and its officer both use (each with a
client of their own), reading rows back through the force's own binding, forms posted
with their page's CSRF token, and force settings changed for one test only.

Isolation: every row is written in committed transactions (factories, requests); the
root `_isolate` fixture empties the force tables after each test.
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from app import victims_code as code
from app.models import AuditEvent, Duty, OutboxMessage
from tenants import registry
from tenants.binding import db, force_scope
from tenants.extension import tenancy
from tests.factories import CaseEventFactory, CaseFactory, OfficerFactory, registered_force
from tests.integration.officers.support import error_summary
from tests.support.officers import as_officer, csrf_token, host
from tests.support.victims import as_victim, victim_with_account

EW = code.jurisdiction("england-and-wales").calendar


def london_today() -> date:
    return code.local_date(datetime.now(UTC), "Europe/London")


def working_days_after(day: date, n: int) -> date:
    return code.working_days_after(day, n, EW)


def rows(app: Flask, slug: str, model: type, *where: Any) -> list[Any]:
    """Rows of model in slug's schema (detached, columns loaded)."""
    with app.app_context(), force_scope(registered_force(slug)) as session:
        found = list(session.scalars(select(model).where(*where)))
        session.expunge_all()
    return found


def duties(app: Flask, slug: str, case_id: uuid.UUID) -> dict[str, Duty]:
    return {d.duty: d for d in rows(app, slug, Duty, Duty.case_id == case_id)}


def outbox(app: Flask, slug: str) -> list[OutboxMessage]:
    return rows(app, slug, OutboxMessage)


def audit_rows(app: Flask, slug: str) -> list[AuditEvent]:
    return rows(app, slug, AuditEvent)


def get(client: Any, path: str, slug: str = "kent", status: int = 200) -> Any:
    response = client.get(path, headers=host(slug))
    assert response.status_code == status, (path, response.status_code)
    return response


def post(client: Any, path: str, data: dict[str, Any], slug: str = "kent", page: str = "") -> Any:
    """POST data to path with the CSRF token of its page (or of page)."""
    token = csrf_token(get(client, page or path, slug).text)
    return client.post(path, headers=host(slug), data={"csrf_token": token, **data})


def submitted(response: Any) -> Any:
    assert response.status_code == 302, error_summary(response.text) or response.text[:400]
    return response


def text(page: str) -> str:
    """The page's words, tags dropped, entities read and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))).strip()


def show(day: date) -> str:
    """A date as the pages show it in English (27 March 2026: app.dates)."""
    return f"{day.day} {day.strftime('%B %Y')}"


@dataclass
class Story:
    """A Kent case, its officer in charge (signed in on officer_client) and its victim
    (signed in on victim_client)."""

    app: Flask
    case: Any
    victim: Any
    officer: Any
    officer_client: Any
    victim_client: Any
    slug: str = "kent"

    @property
    def case_path(self) -> str:
        return f"/cases/{self.case.id}"

    @property
    def officer_case_path(self) -> str:
        return f"/officer/cases/{self.case.id}"


def make_story(app: Flask, slug: str = "kent", told_days_ago: int | None = 3, **case: Any) -> Story:
    """A case with an officer in charge and a victim with an account; a published
    no-further-action update told_days_ago days ago (None: no such update)."""
    officer_client, victim_client = app.test_client(), app.test_client()
    officer = as_officer(app, officer_client, slug, team="Team A")
    with app.app_context():
        made = CaseFactory(force=slug, oic_id=officer.id, team="Team A", **case)
        victim = victim_with_account(slug, case_id=made.id, name="Priya Shah")
        if told_days_ago is not None:
            told = datetime.now(UTC) - timedelta(days=told_days_ago)
            CaseEventFactory(
                force=slug,
                case_id=made.id,
                event_type="no_further_action",
                victim_text="No further action will be taken.",
                occurred_at=told,
                published_at=told,
            )
    as_victim(app, victim_client, slug, victim)
    return Story(app, made, victim, officer, officer_client, victim_client, slug)


def set_setting(app: Flask, slug: str, key: str, value: Any) -> Any:
    """Set one force setting (None removes it); the old value."""
    with app.app_context():
        old = registered_force(slug).settings.get(key)
        with db.engine.begin() as conn:
            registry.change_force(conn, slug, registry.ForceChange(settings={key: value}))
        tenancy().registry.invalidate()
    return old


def officer_in(app: Flask, slug: str, role: str, team: str = "Team A") -> Any:
    """A new client signed in on slug as a new officer with role in team; (client, officer)."""
    client = app.test_client()
    return client, as_officer(app, client, slug, role=role, team=team)


def another_officer(app: Flask, slug: str = "kent", **values: Any) -> Any:
    with app.app_context():
        return OfficerFactory(force=slug, **values)
