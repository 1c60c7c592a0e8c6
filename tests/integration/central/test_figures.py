"""The forces console's figures are right, and are computed without reading anything
about a person: every statement the forces page issues is captured, and none names the
victim table or any column that holds personal data or what someone wrote."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, select

from app.central.figures import figures_for
from app.models import Case, CaseEvent, Message, Officer, PropertyItem, Victim
from tenants.binding import force_scope
from tests.factories import (
    CaseFactory,
    MessageFactory,
    OfficerFactory,
    SignedInSessionFactory,
    registered_force,
)
from tests.integration.officers.support import DutyFactory
from tests.support.operators import CENTRAL_HOST, as_operator

NOW = datetime.now(UTC)


def personal_columns() -> list[tuple[str, str]]:
    """(table, column) pairs an operator's page must never read."""
    victim = [("victim", c.name) for c in Victim.__table__.columns if c.name != "id"]
    written = [
        ("message", "body"),
        ("case_event", "victim_text"),
        ("case_event", "victim_text_cy"),
        ("case_event", "internal_note"),
        ("case_event", "details"),
        ("case", "crime_reference"),
        ("officer", "name"),
        ("officer", "email"),
        ("officer", "collar_number"),
    ]
    items = [
        ("property_item", c)
        for c in ("description", "make", "model", "serial_number", "marks", "value_pence")
    ]
    assert {t for t, _ in written + items} <= {
        m.__tablename__ for m in (Message, CaseEvent, Case, Officer, PropertyItem)
    }
    return victim + written + items


def reads_personal_data(statement: str) -> list[str]:
    """What in statement names the victim table or a personal column, if anything."""
    found = (
        [f"victim table in: {statement[:200]}"]
        if re.search(r'\bvictim\b"?\s*(AS|$|,|\s)', statement)
        else []
    )
    for table, column in personal_columns():
        if re.search(rf'\b{table}"?\.{column}\b', statement):
            found.append(f"{table}.{column}")
    return found


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine sends while the block runs."""
    seen: list[str] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", capture)


def _kent_activity() -> None:
    """3 cases; 2 unanswered victim messages, 1 answered after 2 hours, 1 officer's;
    2 victims signed in lately (one twice), 1 long ago, an officer; this month's duties."""
    cases = [CaseFactory(force="kent").id for _ in range(3)]
    officer = OfficerFactory(force="kent")
    for _ in range(2):
        MessageFactory(force="kent", case_id=cases[0])
    MessageFactory(
        force="kent", case_id=cases[1], created_at=NOW - timedelta(hours=3),
        answered_at=NOW - timedelta(hours=1),
    )  # fmt: skip
    MessageFactory(force="kent", case_id=cases[1], victim_id=None, officer_id=officer.id)
    for user, seen in ((1, 1), (1, 2), (2, 5), (3, 200)):
        SignedInSessionFactory(
            force="kent",
            user_kind="victim",
            user_id=uuid.UUID(int=user),
            last_seen_at=NOW - timedelta(days=seen),
        )
    SignedInSessionFactory(force="kent", user_kind="officer", user_id=officer.id)
    today = NOW.astimezone(ZoneInfo("Europe/London")).date()
    first = today.replace(day=1)
    DutyFactory(force="kent", case_id=cases[0], due_on=today, met_at=NOW)  # on time
    DutyFactory(force="kent", case_id=cases[0], due_on=today)  # still in time: not counted
    DutyFactory(
        force="kent", case_id=cases[1], due_on=first,
        met_at=datetime.combine(first, datetime.min.time(), UTC) + timedelta(days=3),
    )  # late  # fmt: skip
    DutyFactory(force="kent", case_id=cases[2], due_on=first - timedelta(days=1))  # last month


def test_the_figures_count_what_they_say(app_context):
    _kent_activity()

    found = figures_for(registered_force("kent"), NOW)
    empty = figures_for(registered_force("dyfed-powys"), NOW)

    assert found is not None and empty is not None
    assert (found.cases, found.active_victim_accounts, found.awaiting_reply) == (3, 2, 2)
    assert found.median_first_response_hours == 2.0
    assert (found.duties_due_this_month, found.duties_met_on_time, found.on_time_percent) == (
        2, 1, 50
    )  # fmt: skip
    assert (empty.cases, empty.awaiting_reply, empty.median_first_response_hours) == (0, 0, None)
    assert empty.on_time_percent is None


def test_the_forces_page_reads_no_personal_column(app, client):
    with app.app_context():
        _kent_activity()
    as_operator(app, client)

    with statements() as seen:
        page = client.get("/console/forces", headers=CENTRAL_HOST)

    assert page.status_code == 200 and "Test Kent Police" in page.text
    figures = [s for s in seen if "percentile_cont" in s]
    assert len(figures) == 3, "one figures statement per force"
    assert any("t_kent.message" in s for s in figures)  # the check is not vacuous
    problems = [problem for statement in seen for problem in reads_personal_data(statement)]
    assert problems == []


def test_the_check_catches_a_query_that_reads_personal_data(app_context):
    """The detector finds a victim's name, a message body and an internal note."""
    with statements() as seen, force_scope(registered_force("kent")) as session:
        session.execute(select(Victim.name))
        session.execute(select(Message.body))
        session.execute(select(CaseEvent.internal_note))
    problems = [problem for statement in seen for problem in reads_personal_data(statement)]
    assert any("victim table" in p for p in problems)
    assert "message.body" in problems and "case_event.internal_note" in problems
