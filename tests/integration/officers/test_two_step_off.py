"""A victim who lost their phone calls 101: a supervisor turns their two-step sign-in
off from the case page; an officer cannot."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.models import AuditEvent, Victim
from tenants.binding import force_scope
from tests.factories import CaseFactory, CaseVictimFactory, VictimFactory, registered_force
from tests.support.officers import as_officer, csrf_token, host


def _victim_on_case(app):
    with app.app_context():
        case = CaseFactory(force="kent", team="Team A")
        victim = VictimFactory(
            force="kent", totp_secret_sealed="sealed", totp_enabled_at=datetime.now(UTC)
        )
        CaseVictimFactory(force="kent", case_id=case.id, victim_id=victim.id)
    return case, victim


def _turn_off(client, case, victim):
    page = client.get(f"/officer/cases/{case.id}", headers=host("kent"))
    return client.post(
        f"/officer/cases/{case.id}/people/{victim.id}/two-step-off",
        headers=host("kent"),
        data={"csrf_token": csrf_token(page.text)},
    )


def _state(app, victim):
    with app.app_context(), force_scope(registered_force("kent")) as session:
        row = session.get(Victim, victim.id)
        tags = session.scalars(select(AuditEvent.tag).where(AuditEvent.record_id == str(victim.id)))
        return row.totp_secret_sealed, "victim:two-step-turned-off" in set(tags)


def test_a_supervisor_turns_it_off(app, client):
    case, victim = _victim_on_case(app)
    as_officer(app, client, "kent", role="supervisor", team="Team A")
    assert (
        "Turn off two-step sign-in"
        in client.get(f"/officer/cases/{case.id}", headers=host("kent")).text
    )
    assert _turn_off(client, case, victim).status_code == 302
    assert _state(app, victim) == (None, True)


def test_an_officer_cannot(app, client):
    case, victim = _victim_on_case(app)
    as_officer(app, client, "kent", role="officer", team="Team A")
    assert (
        "Turn off two-step sign-in"
        not in client.get(f"/officer/cases/{case.id}", headers=host("kent")).text
    )
    assert _turn_off(client, case, victim).status_code == 403
    assert _state(app, victim) == ("sealed", False)
