"""The victim's case page reads its timeline once, and the kept timeline never hides a
write made in the same unit of work."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event

from app.casework import victims as casework
from app.models import Case, CaseEvent, CaseVictim
from tenants.binding import db, force_scope
from tests.factories import CaseEventFactory, registered_force
from tests.integration.victims.conftest import rows
from tests.support.victims import as_victim, host, victim_with_account


def _statements(app, request):
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def note(_conn, _cursor, statement, *_):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_the_case_page_reads_the_timeline_once(app, client):
    with app.app_context():
        victim = victim_with_account("kent")
        (link,) = rows("kent", CaseVictim, CaseVictim.victim_id == victim.id)
        CaseEventFactory(force="kent", case_id=link.case_id, event_type="arrested",
                         victim_text="Someone has been arrested.",
                         published_at=datetime.now(UTC))  # fmt: skip
    as_victim(app, client, "kent", victim)
    url = f"/cases/{link.case_id}"
    pages = []
    seen = _statements(app, lambda: pages.append(client.get(url, headers=host("kent"))))
    assert pages[0].status_code == 200
    assert "Someone has been arrested." in pages[0].text
    timelines = [
        s
        for s in seen
        if s.startswith("SELECT t_kent.case_event.id") and "published_at IS NOT" in s
    ]
    assert len(timelines) == 1, timelines
    binding = [s for s in seen if s.startswith("SET LOCAL ROLE")]
    assert len(binding) == 1 and "; SET LOCAL search_path TO" in binding[0]


def test_a_kept_timeline_shows_an_update_added_in_the_same_unit_of_work(app):
    with app.app_context():
        victim = victim_with_account("kent")
        (link,) = rows("kent", CaseVictim, CaseVictim.victim_id == victim.id)
        with force_scope(registered_force("kent")) as session:
            case = session.get(Case, link.case_id)
            assert casework.timeline(case) == []
            session.add(CaseEvent(case_id=case.id, event_type="arrested",
                                  occurred_at=datetime.now(UTC), posted_at=datetime.now(UTC),
                                  victim_text="Someone has been arrested.",
                                  published_at=datetime.now(UTC)))  # fmt: skip
            assert [e.victim_text for e in casework.timeline(case)] == [
                "Someone has been arrested."
            ]
            session.rollback()
            assert casework.timeline(case) == []
