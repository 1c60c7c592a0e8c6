"""What the officer-workspace tests read back: audit rows, row counts, who is signed in.

Everything is read through the force's own binding (tenants.binding.force_scope), so a
test sees exactly what the app wrote into that force's schema and nothing else.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import factory
from flask import Flask
from sqlalchemy import func, select

from app import victims_code as code
from app.models import AuditEvent, Duty, Officer
from tenants.binding import force_scope
from tests.factories import ForceModelFactory, registered_force
from tests.support.officers import csrf_token, host


@dataclass(frozen=True)
class AuditRow:
    tag: str
    actor_type: str
    actor_id: str | None
    record_type: str | None
    record_id: str | None
    detail: dict[str, Any]
    request_id: str | None


def audit(app: Flask, slug: str, tag: str | None = None) -> list[AuditRow]:
    """slug's audit trail (oldest first), or only the rows tagged tag."""
    statement = select(AuditEvent).order_by(AuditEvent.occurred_at)
    if tag is not None:
        statement = statement.where(AuditEvent.tag == tag)
    with app.app_context(), force_scope(registered_force(slug)) as session:
        return [
            AuditRow(
                row.tag,
                row.actor_type,
                row.actor_id,
                row.record_type,
                row.record_id,
                dict(row.detail or {}),
                row.request_id,
            )
            for row in session.scalars(statement)
        ]


def count(app: Flask, slug: str, model: type) -> int:
    with app.app_context(), force_scope(registered_force(slug)) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def counts(app: Flask, slug: str, *models: type) -> dict[str, int]:
    return {model.__name__: count(app, slug, model) for model in models}


def officers(app: Flask, slug: str) -> list[tuple[str, str, str | None]]:
    """(role, issuer, team) of every officer of slug."""
    with app.app_context(), force_scope(registered_force(slug)) as session:
        return [(o.role, o.issuer, o.team) for o in session.scalars(select(Officer))]


def is_signed_in(client: Any, slug: str) -> bool:
    """Whether client's cookie opens the caseload of slug (not sent to sign in)."""
    response = client.get("/officer/", headers=host(slug))
    if response.status_code == 302:
        assert "/officer/sign-in" in response.headers["Location"], response.headers
        return False
    assert response.status_code == 200, response.status_code
    return True


def page_token(client: Any, slug: str, path: str = "/officer/") -> str:
    """A CSRF token for client's session on slug, read from a page with a form."""
    page = client.get(path, headers=host(slug))
    assert page.status_code == 200, (path, page.status_code)
    return csrf_token(page.text)


def error_summary(html: str) -> list[str]:
    """The messages in the page's GOV.UK error summary (empty if it has none)."""
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    if not found:
        return []
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", found.group(0), re.S)
    ]


def london_today() -> date:
    """Today where the test forces' Code applies: what the app calls today."""
    return code.local_date(datetime.now(UTC), "Europe/London")


class DutyFactory(ForceModelFactory):
    """A Victims' Code duty on a case (case_id required), open unless met_at is given."""

    class Meta:
        model = Duty

    id = factory.LazyFunction(uuid.uuid4)
    duty = "inform-arrest"
    ruleset = "ew-2021"
