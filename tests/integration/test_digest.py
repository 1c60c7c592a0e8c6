"""The officers' morning digest: one per officer with duties due, one per supervisor for
their team, at 07:00 London time whatever the season, never twice in a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.casework.digest import digest_all
from app.models import OutboxMessage
from tenants.binding import force_scope
from tenants.extension import tenancy
from tenants.jobs import queue, run_for_force
from tests.factories import CaseFactory, OfficerFactory, registered_force
from tests.integration.officers.support import DutyFactory


def _digests(slug):
    with force_scope(registered_force(slug)) as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "officer_digest"))
        return sorted(str(row.recipient_id) for row in rows)


def test_the_digest_goes_to_whoever_has_duties_due_and_their_supervisor(app):
    with app.app_context():
        holder = OfficerFactory(force="kent", team="Team A", email="holder@police.example")
        OfficerFactory(force="kent", team="Team B", email="idle@police.example")
        supervisor = OfficerFactory(
            force="kent", team="Team A", role="supervisor", email="sup@police.example"
        )
        case = CaseFactory(force="kent", oic_id=holder.id, team="Team A")
        DutyFactory(force="kent", case_id=case.id, due_on=date.today() - timedelta(days=2))
        run_for_force("kent", "app.casework.digest.send_digests")
        run_for_force("kent", "app.casework.digest.send_digests")  # a repeat sends nothing
        assert _digests("kent") == sorted([str(holder.id), str(supervisor.id)])
        assert _digests("dyfed-powys") == []


def test_the_hourly_entry_point_acts_at_seven_london_time_only(app):
    summer_seven = datetime(2026, 7, 1, 6, 30, tzinfo=UTC)  # 07:30 BST
    winter_seven = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)  # 07:30 GMT
    with app.app_context():
        assert digest_all(summer_seven - timedelta(hours=1)) == 0
        assert digest_all(summer_seven) == 3
        assert digest_all(winter_seven) == 3
        assert digest_all(winter_seven + timedelta(hours=1)) == 0
        assert len(queue("notifications", tenancy().redis)) == 6
