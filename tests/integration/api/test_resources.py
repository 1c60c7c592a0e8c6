"""Cases, victims, events and duties through the API: each happy path, what it writes
(through app.casework, as the officer screens do), and what it never returns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from app.models import Case, OutboxMessage
from tenants.binding import force_scope
from tests.factories import CaseFactory, registered_force
from tests.integration.api.conftest import (
    DYFED,
    KENT,
    Api,
    assert_problem,
    count,
    create_client,
    fetch_token,
    new_case,
)
from tests.support.officers import as_officer

REF = "46/12345/26"
NOTE = "Suspect named by neighbour; INTERNAL-ONLY-7f3a"


def victim(**changes):
    body = {
        "name": "Sam Example",
        "date_of_birth": "1985-03-27",
        "email": "Sam@Example.com",
        "preferred_language": "cy",
        "contact_channel": "email",
        "safe_from": "09:00",
        "safe_until": "17:00",
    }
    body.update(changes)
    return body


def arrested(**changes):
    body = {"event_type": "arrested", "occurred_at": datetime.now(UTC).isoformat(),
            "internal_note": NOTE, "publish": True}  # fmt: skip
    body.update(changes)
    return body


def audit_rows(admin_engine, slug: str = KENT) -> list[tuple[str, str, str | None]]:
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(f'SELECT tag, actor_type, actor_id FROM "t_{slug.replace("-", "_")}".audit_event')
        )
        return [tuple(row) for row in rows]


def test_create_case(kent_api, oic, admin_engine, kent_creds):
    response = kent_api.post("/cases", json=new_case(crime_reference=" 46/12345/26 "))
    assert response.status_code == 201, response.text
    body = response.json
    assert body["crime_reference"] == REF and body["status"] == "open"
    assert body["oic"] == {"collar_number": "C1234", "email": "oic@kent.police.example"}
    assert body["enhanced_rights"] is True and body["enhanced_reasons"] == ["persistently_targeted"]
    assert body["next_due_on"] is not None and body["victim_count"] == 0
    assert response.headers["Location"] == f"/api/v1/cases/{REF}"
    assert count(admin_engine, '"case"') == 1 and count(admin_engine, "duty") == 1
    rows = audit_rows(admin_engine)
    assert ("case:created", "api_client", kent_creds.client_id) in rows


def test_oic_by_email_and_category_default_contact(kent_api, oic):
    body = new_case(oic="oic@kent.police.example", offence_category="domestic_abuse")
    del body["automatic_contact"]
    response = kent_api.post("/cases", json=body)
    assert response.status_code == 201, response.text
    assert response.json["automatic_contact"] is False  # the category's safe default


def test_get_case_is_audited_and_a_missing_one_is_404(kent_api, oic, admin_engine, kent_creds):
    kent_api.post("/cases", json=new_case())
    response = kent_api.get(f"/cases/{REF}")
    assert response.status_code == 200 and response.json["crime_reference"] == REF
    assert kent_api.get("/cases/46%2F12345%2F26").json["crime_reference"] == REF
    assert ("api:case-read", "api_client", kent_creds.client_id) in audit_rows(admin_engine)
    assert_problem(kent_api.get("/cases/46/99999/26"), 404, "not-found")


def test_another_forces_crime_reference_answers_as_a_missing_one(app, client, kent_api):
    with app.app_context():
        CaseFactory(force=DYFED, crime_reference="46/77777/26")
    theirs = kent_api.get("/cases/46/77777/26")
    missing = kent_api.get("/cases/46/77778/26")
    assert assert_problem(theirs, 404) == assert_problem(missing, 404)
    assert theirs.get_data() == missing.get_data()
    for path, body in (("/victims", victim()), ("/events", arrested())):
        a = kent_api.post(f"/cases/46/77777/26{path}", json=body)
        b = kent_api.post(f"/cases/46/77778/26{path}", json=body)
        assert (a.status_code, a.get_data()) == (b.status_code, b.get_data())
        assert a.status_code == 404
    a, b = kent_api.get("/cases/46/77777/26/duties"), kent_api.get("/cases/46/77778/26/duties")
    assert (a.status_code, a.get_data()) == (b.status_code, b.get_data())


def test_list_cases_pages_with_a_cursor(app, kent_api):
    with app.app_context():
        made = [CaseFactory(force=KENT) for _ in range(5)]
        CaseFactory(force=DYFED)
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = kent_api.get("/cases", query_string=query)
        assert page.status_code == 200, page.text
        seen += [case["crime_reference"] for case in page.json["cases"]]
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(case.crime_reference for case in made)


def test_list_cases_updated_since(app, kent_api):
    with app.app_context():
        CaseFactory(force=KENT)
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert kent_api.get("/cases", query_string={"updated_since": later}).json["cases"] == []
    earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert len(kent_api.get("/cases", query_string={"updated_since": earlier}).json["cases"]) == 1


def test_add_victim_sends_the_invite_by_the_outbox(kent_api, oic, admin_engine, kent_creds):
    kent_api.post("/cases", json=new_case())
    response = kent_api.post(f"/cases/{REF}/victims", json=victim())
    assert response.status_code == 201, response.text
    body = response.json
    assert set(body) == {"id", "role", "invite_sent", "invite_expires_at"}
    assert body["invite_sent"] is True and body["role"] == "victim"
    assert "Sam" not in response.text and "example.com" not in response.text.lower()
    with admin_engine.connect() as conn:
        stored = conn.execute(text("SELECT email, preferred_language FROM t_kent.victim")).one()
        outbox = conn.execute(text("SELECT kind, channel FROM t_kent.outbox_message")).all()
    assert tuple(stored) == ("sam@example.com", "cy")
    assert [tuple(row) for row in outbox] == [("victim_invite", "email")]
    rows = audit_rows(admin_engine)
    for tag in ("victim:added", "invite:sent"):
        assert (tag, "api_client", kent_creds.client_id) in rows
    assert kent_api.get(f"/cases/{REF}").json["victim_count"] == 1


def test_add_victim_without_invite(kent_api, oic, admin_engine):
    kent_api.post("/cases", json=new_case())
    body = victim(send_invite=False, contact_channel="none", email=None)
    response = kent_api.post(f"/cases/{REF}/victims", json=body)
    assert response.status_code == 201, response.text
    assert response.json["invite_sent"] is False
    assert count(admin_engine, "invite") == 0 and count(admin_engine, "outbox_message") == 0


def test_post_an_event_creates_duties_and_publishes(kent_api, oic, admin_engine):
    kent_api.post("/cases", json=new_case())
    kent_api.post(f"/cases/{REF}/victims", json=victim())
    response = kent_api.post(f"/cases/{REF}/events", json=arrested())
    assert response.status_code == 201, response.text
    body = response.json
    assert body["event_type"] == "arrested" and body["published_at"] is not None
    assert [d["duty"] for d in body["duties_created"]] == ["inform-arrest"]
    assert body["duties_created"][0]["status"] == "met_on_time"
    assert NOTE not in response.text and "internal" not in response.text
    with admin_engine.connect() as conn:
        event = conn.execute(
            text("SELECT source, posted_by, victim_text, internal_note FROM t_kent.case_event")
        ).one()
    assert event.source == "api" and event.posted_by is None
    assert event.victim_text.startswith("A suspect has been arrested")  # the force's wording
    assert event.internal_note == NOTE


def test_an_unpublished_event_leaves_its_duty_due(kent_api, oic):
    kent_api.post("/cases", json=new_case())
    response = kent_api.post(
        f"/cases/{REF}/events", json=arrested(publish=False, victim_text="We arrested someone.")
    )
    assert response.status_code == 201, response.text
    assert response.json["published_at"] is None
    duties = kent_api.get(f"/cases/{REF}/duties")
    assert duties.status_code == 200
    states = {d["duty"]: d["status"] for d in duties.json["duties"]}
    assert states["inform-arrest"] in ("due", "due_today")
    assert states["update-cadence"] == "due"


def test_a_free_update_needs_words_to_publish(kent_api, oic, admin_engine):
    kent_api.post("/cases", json=new_case())
    before = count(admin_engine, "case_event")
    response = kent_api.post(f"/cases/{REF}/events", json=arrested(event_type="free_update"))
    assert_problem(response, 422, "validation-failed")
    assert count(admin_engine, "case_event") == before


def test_internal_notes_appear_in_no_response(kent_api, oic):
    """Every read and write of the case after a note was posted: the note is nowhere."""
    kent_api.post("/cases", json=new_case())
    bodies = [kent_api.post(f"/cases/{REF}/events", json=arrested()).get_data(as_text=True)]
    bodies += [
        kent_api.get(path).get_data(as_text=True)
        for path in (f"/cases/{REF}", "/cases", f"/cases/{REF}/duties")
    ]
    bodies.append(kent_api.post(f"/cases/{REF}/events", json=arrested(), headers={
        "Idempotency-Key": "n-1"}).get_data(as_text=True))  # fmt: skip
    bodies.append(kent_api.post(f"/cases/{REF}/events", json=arrested(), headers={
        "Idempotency-Key": "n-1"}).get_data(as_text=True))  # fmt: skip
    assert all(NOTE not in body and "INTERNAL-ONLY" not in body for body in bodies)


def test_the_done_when_walk(app, client, kent_api, oic):
    """Create a case and a victim, post 'suspect arrested' (not yet told), and the
    officer workspace shows the case with the due duty; the invite waits in the outbox."""
    kent_api.post("/cases", json=new_case(team="Team A"))
    kent_api.post(f"/cases/{REF}/victims", json=victim())
    kent_api.post(f"/cases/{REF}/events", json=arrested(publish=False))
    officer_client = app.test_client()
    as_officer(app, officer_client, KENT, team="Team A")
    with app.app_context(), force_scope(registered_force(KENT)) as session:
        case_id = session.scalar(select(Case.id).where(Case.crime_reference == REF))
    page = officer_client.get(f"/officer/cases/{case_id}", headers={"Host": "kent.localhost"})
    assert page.status_code == 200 and REF in page.text
    assert "Tell the victim about the arrest" in page.text
    assert NOTE in page.text  # officers do see the note the records system sent
    with app.app_context(), force_scope(registered_force(KENT)) as session:
        kinds = session.scalars(select(OutboxMessage.kind)).all()
    assert kinds == ["victim_invite"]  # the invite the demo's Sent messages page shows


def test_reads_need_no_write_scope_and_writes_need_it(app, client, oic):
    creds = create_client(app, KENT, "cases:read")
    api = Api(client, KENT, fetch_token(client, creds).json["access_token"])
    assert api.get("/cases").status_code == 200
    for path in ("/cases", f"/cases/{REF}/victims", f"/cases/{REF}/events"):
        assert_problem(api.post(path, json={}), 403, "insufficient-scope")
