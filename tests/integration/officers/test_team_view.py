"""The supervisor's team view: overdue duties, messages waiting over 1 and 5 working
days, and the month's on-time percentage, for their team only."""

from __future__ import annotations

import calendar as months
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from app import victims_code as code
from tests.factories import CaseFactory, MessageFactory, OfficerFactory
from tests.integration.officers.support import DutyFactory, london_today
from tests.support.officers import as_officer, host

NOW = datetime.now(UTC)
TODAY = london_today()
FIRST = TODAY.replace(day=1)
LAST = TODAY.replace(day=months.monthrange(TODAY.year, TODAY.month)[1])
CALENDAR = code.jurisdiction("england-and-wales").calendar


def figure(page: str, name: str) -> str:
    found = re.search(rf'id="{name}">([^<]*)<', page)
    assert found, f"no {name} figure"
    return found.group(1)


def team_page(client: Any) -> str:
    response = client.get("/officer/team", headers=host("kent"))
    assert response.status_code == 200
    return response.text


def test_the_months_figure_counts_settled_duties_of_the_team_only(app, client):
    as_officer(app, client, "kent", role="supervisor", team="Team A")
    with app.app_context():
        ours = CaseFactory(force="kent", crime_reference="OURS/1/26", team="Team A")
        theirs = CaseFactory(force="kent", crime_reference="THEIRS/1/26", team="Team B")
        # Met before its due date, later this month: counts, on time.
        DutyFactory(force="kent", case_id=ours.id, due_on=LAST, met_at=NOW)
        on_time = settled = 1
        # Open, still in time: not counted yet.
        DutyFactory(force="kent", case_id=ours.id, due_on=LAST)
        # Due next month, met already: another month's figure.
        DutyFactory(force="kent", case_id=ours.id, due_on=LAST + timedelta(days=1), met_at=NOW)
        if TODAY > FIRST:  # there is a past day this month
            # Past due and open: overdue, counts against.
            DutyFactory(force="kent", case_id=ours.id, due_on=FIRST)
            # Met after its due date: counts against.
            DutyFactory(force="kent", case_id=ours.id, due_on=FIRST, met_at=NOW)
            settled += 2
        # Another team's overdue duty: not this supervisor's.
        DutyFactory(force="kent", case_id=theirs.id, due_on=TODAY - timedelta(days=40))

    page = team_page(client)

    assert figure(page, "on-time") == f"{round(100 * on_time / settled)}%"
    assert "THEIRS/1/26" not in page
    if TODAY > FIRST:
        assert "OURS/1/26" in page.split("Overdue duties", 1)[1]
    else:
        assert "No duties are overdue." in page


def test_messages_waiting_over_one_and_five_working_days(app, client):
    as_officer(app, client, "kent", role="supervisor", team="Team A")
    ages = (0, 2, 4, 8, 15)  # calendar days
    with app.app_context():
        ours = CaseFactory(force="kent", team="Team A")
        theirs = CaseFactory(force="kent", team="Team B")
        for days in ages:
            MessageFactory(force="kent", case_id=ours.id, created_at=NOW - timedelta(days=days))
        MessageFactory(force="kent", case_id=theirs.id, created_at=NOW - timedelta(days=30))
        colleague = OfficerFactory(force="kent", team="Team A")
        # Answered already, and an officer's own message: neither is waiting.
        MessageFactory(
            force="kent", case_id=ours.id, created_at=NOW - timedelta(days=30), answered_at=NOW
        )
        MessageFactory(force="kent", case_id=ours.id, officer_id=colleague.id, body="Reply")
    waited = [
        code.working_days_between(code.local_date(NOW - timedelta(days=d), "Europe/London"),
                                  TODAY, CALENDAR)
        for d in ages
    ]  # fmt: skip

    page = team_page(client)

    assert figure(page, "unanswered-1") == str(sum(1 for w in waited if w > 1))
    assert figure(page, "unanswered-5") == str(sum(1 for w in waited if w > 5))
    assert page.count('<a class="govuk-link" href="/officer/cases/') >= len(ages)


def test_an_officer_cannot_open_the_team_view(app, client):
    as_officer(app, client, "kent", role="officer")
    assert client.get("/officer/team", headers=host("kent")).status_code == 403
