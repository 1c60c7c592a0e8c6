"""An internal note stays on the officer pages: no outbox row, notification text, audit
row, job payload or other table carries it, and no template outside the officer
workspace reads it.

The update is posted and published through the officer pages, to a victim who has an
account (so the update notification is written), with a reply on the case too.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text

from app.models import CaseEvent, OutboxMessage
from app.notifications import Kind, render
from tenants.binding import force_scope
from tenants.extension import tenancy
from tests.factories import (
    CaseFactory,
    CaseVictimFactory,
    MessageFactory,
    VictimFactory,
    registered_force,
)
from tests.integration.officers.support import audit, london_today, page_token
from tests.support.officers import as_officer, host

NOTE = "INTERNAL-NOTE-7f3a"
APP = Path(__file__).resolve().parents[3] / "app"


def post_and_publish(app, client) -> tuple[object, object]:
    """A case with a signed-up victim; an update with NOTE posted and published."""
    officer = as_officer(app, client, "kent")
    with app.app_context():
        case = CaseFactory(force="kent", team=officer.team, oic_id=officer.id)
        victim = VictimFactory(force="kent", account_created_at=datetime.now(UTC))
        CaseVictimFactory(force="kent", case_id=case.id, victim_id=victim.id)
        message = MessageFactory(force="kent", case_id=case.id, victim_id=victim.id)
    path = f"/officer/cases/{case.id}/updates/new"
    today = london_today()
    posted = client.post(
        path,
        headers=host("kent"),
        data={
            "csrf_token": page_token(client, "kent", path),
            "event_type": "charged",
            "occurred_on": [str(today.day), str(today.month), str(today.year)],
            "victim_text": "The suspect has been charged. The first hearing is on Monday.",
            "details": "Canterbury Magistrates' Court, 10am",
            "internal_note": NOTE,
            "publish": "Post and tell the victim",
        },
    )
    assert posted.status_code == 302, posted.text[:400]
    reply = f"/officer/cases/{case.id}/messages/{message.id}/reply"
    answered = client.post(
        reply,
        headers=host("kent"),
        data={"csrf_token": page_token(client, "kent", reply), "body": "We will be in touch."},
    )
    assert answered.status_code == 302
    return case, victim


def test_the_note_is_kept_on_the_event_and_shown_to_officers(app, client):
    case, _ = post_and_publish(app, client)
    with app.app_context(), force_scope(registered_force("kent")) as session:
        [event] = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
        assert event.internal_note == NOTE and event.published_at is not None
    assert NOTE in client.get(f"/officer/cases/{case.id}", headers=host("kent")).text


def test_no_notification_carries_the_note(app, client):
    post_and_publish(app, client)
    with app.app_context(), force_scope(registered_force("kent")) as session:
        rows = list(session.scalars(select(OutboxMessage)))
        session.expunge_all()
    assert {row.kind for row in rows} >= {"victim_update", "victim_reply"}, rows
    for row in rows:
        columns = [str(getattr(row, c.key)) for c in OutboxMessage.__table__.columns]
        assert not [value for value in columns if NOTE in value]
        for language in ("en", "cy"):
            with app.test_request_context(headers=host("kent")):
                texts = render(Kind(row.kind), sender="Kent", url="http://x/", language=language)
            assert NOTE not in texts.subject + texts.body + texts.sms


def test_the_note_is_in_no_other_row_of_any_table(app, client, admin_engine):
    """Every row of every table, in every schema, cast to text: the note is only in its
    event's internal_note (not copied into audit details, messages, duties, outbox...)."""
    post_and_publish(app, client)
    found = []
    with admin_engine.connect() as conn:
        tables = conn.execute(
            text(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' AND (table_schema = 'public' "
                "OR table_schema LIKE 't\\_%')"
            )
        ).all()
        for schema, table in tables:
            hits = conn.execute(
                text(f'SELECT count(*) FROM "{schema}"."{table}" AS r WHERE r::text LIKE :note'),
                {"note": f"%{NOTE}%"},
            ).scalar()
            if hits:
                found.append((schema, table, hits))
        in_column = conn.execute(
            text('SELECT count(*) FROM "t_kent".case_event WHERE internal_note = :note'),
            {"note": NOTE},
        ).scalar()
    assert found == [("t_kent", "case_event", 1)] and in_column == 1, found
    assert all(NOTE not in str(row.detail) for row in audit(app, "kent"))


def test_no_job_payload_carries_the_note(app, client):
    post_and_publish(app, client)
    with app.app_context():
        redis = tenancy().redis
        values = [value for key in redis.scan_iter() for value in _values(redis, key)]
    assert values, "no job was handed to Redis"
    assert not [value for value in values if NOTE.encode() in value]


def _values(redis, key: bytes) -> list[bytes]:
    """Every stored value under key, decompressed where RQ compressed it."""
    kind = redis.type(key)
    if kind == b"string":
        raw = [redis.get(key)]
    elif kind == b"hash":
        raw = list(redis.hgetall(key).values())
    elif kind == b"list":
        raw = redis.lrange(key, 0, -1)
    elif kind == b"set":
        raw = list(redis.smembers(key))
    elif kind == b"zset":
        raw = redis.zrange(key, 0, -1)
    else:
        raw = []
    return [_inflated(value) for value in raw if value is not None]


def _inflated(value: bytes) -> bytes:
    try:
        return zlib.decompress(value)
    except zlib.error:
        return value


def test_no_template_outside_the_officer_workspace_reads_internal_notes():
    officer_templates = APP / "officers" / "templates"
    offenders = [
        str(path.relative_to(APP))
        for path in APP.rglob("*")
        if path.suffix in (".html", ".txt", ".jinja", ".j2")
        and officer_templates not in path.parents
        and "internal_note" in path.read_text(errors="replace")
    ]
    assert offenders == [], f"templates that read internal_note: {offenders}"
    assert (officer_templates / "officers" / "case.html").read_text().count("internal_note")
