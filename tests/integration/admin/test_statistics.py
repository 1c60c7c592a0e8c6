"""Management information: duties met on time by month, team and event type (a duty
counts once met or once late), the median wait for a first reply, invites sent and
accepted; the page and its CSV, with no victim named anywhere."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from app.admin.blueprint import AdminTag
from tests.factories import (
    AuditEventFactory,
    CaseEventFactory,
    CaseFactory,
    InviteFactory,
    MessageFactory,
    VictimFactory,
)
from tests.integration.admin.support import as_admin, audit_rows, get
from tests.integration.officers.support import DutyFactory

NOW = datetime.now(UTC)


def figures(app):
    with app.app_context():
        case = CaseFactory(force="kent", team="Team Blue")
        event = CaseEventFactory(force="kent", case_id=case.id, event_type="arrested")
        today = NOW.date()
        DutyFactory(
            force="kent",
            case_id=case.id,
            event_id=event.id,
            duty="inform-arrest",
            due_on=today - timedelta(days=2),
            met_at=NOW - timedelta(days=3),
        )
        DutyFactory(
            force="kent",
            case_id=case.id,
            event_id=event.id,
            duty="inform-arrest",
            due_on=today - timedelta(days=2),
            met_at=NOW,
        )
        DutyFactory(
            force="kent", case_id=case.id, duty="update-cadence", due_on=today - timedelta(days=1)
        )
        DutyFactory(
            force="kent", case_id=case.id, duty="update-cadence", due_on=today + timedelta(days=9)
        )  # not due yet: not counted
        victim = VictimFactory(force="kent", name="Never Shown Anywhere")
        for hours in (2, 4, 30):
            MessageFactory(
                force="kent",
                case_id=case.id,
                victim_id=victim.id,
                created_at=NOW - timedelta(hours=hours + 1),
                answered_at=NOW - timedelta(hours=1),
            )
        for hours_ago in (1, 2, 30):  # two views today, one yesterday or so: two days
            AuditEventFactory(
                force="kent",
                tag="victim:case-viewed",
                actor_type="victim",
                actor_id=str(victim.id),
                occurred_at=NOW - timedelta(hours=hours_ago),
            )
        InviteFactory(force="kent", victim_id=victim.id, case_id=case.id, used_at=NOW)
        InviteFactory(force="kent", victim_id=victim.id, case_id=case.id)


def test_the_figures_page(app, client):
    figures(app)
    as_admin(app, client)
    page = get(client, "/admin/statistics").text
    assert 'id="median-reply">4.0<' in page
    assert 'id="invites-sent">2<' in page and 'id="invites-accepted">1<' in page
    assert re.search(r'id="calls-avoided">[56]<', page)  # 3 answered + 2 (or 3) days read
    team = page.split('id="by-team"')[1].split("</table>")[0]
    assert "Team Blue" in team and ">3<" in team and ">1<" in team and "33%" in team
    by_event = page.split('id="by-event"')[1].split("</table>")[0]
    assert "Suspect arrested" in by_event and "50%" in by_event
    assert "Never Shown Anywhere" not in page
    assert audit_rows(app, tag=AdminTag.STATISTICS_VIEWED.value)


def test_the_csv(app, client):
    figures(app)
    as_admin(app, client)
    rows = list(csv.reader(io.StringIO(get(client, "/admin/statistics.csv").text)))
    assert rows[0] == ["measure", "group", "duties_settled", "met_on_time", "percent_on_time"]
    assert ["team", "Team Blue", "3", "1", "33"] in rows
    assert ["median_first_reply_hours", "", "", "", "4.0"] in rows
