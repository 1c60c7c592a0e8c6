"""Subject access: an export of everything held about one victim, made by a job, sealed
while it waits, downloaded once by the administrator who asked, and never a word about
another victim, even one on the same case."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.admin import jobs
from app.admin.blueprint import AdminTag
from app.admin.subject_access import person_tables
from app.models import (
    AuditEvent,
    CaseEvent,
    Invite,
    Message,
    OutboxMessage,
    PasswordReset,
    PropertyItem,
    SignedInSession,
    SubjectAccessExport,
)
from tenants.binding import force_scope
from tenants.jobs import enqueue, queue
from tests.factories import (
    CaseFactory,
    CaseVictimFactory,
    OfficerFactory,
    VictimFactory,
    registered_force,
)
from tests.integration.admin.support import (
    as_admin,
    audit_rows,
    get,
    in_force,
    post,
    submit,
    tables_holding,
    work,
)
from tests.support.html import assert_valid_html
from tests.support.officers import csrf_token, host

NOW = datetime.now(UTC)
ALICE = {
    "name": "Alyssandra Penhallow",
    "email": "alyssandra.penhallow@example.com",
    "mobile": "07700900311",
    "message": "Alyssandra asked when the hearing is",
    "reply": "Alyssandra was told the hearing date",
    "property": "Alyssandra's brass telescope",
    "outbox": "alyssandra-outbox@example.com",
}
BRIAN = {
    "name": "Brianus Whitlock",
    "email": "brianus.whitlock@example.com",
    "mobile": "07700900422",
    "message": "Brianus asked about his bicycle",
    "reply": "Brianus was told about his bicycle",
    "property": "Brianus's green bicycle",
    "outbox": "brianus-outbox@example.com",
}
SHARED_UPDATE = "The suspect was charged this morning"
INTERNAL = "Tellurian internal note never for victims"


def _person(session, case, values, officer):
    victim = VictimFactory._meta.model(
        id=uuid.uuid4(), name=values["name"], email=values["email"], mobile=values["mobile"],
        password_hash="$argon2id$secret-hash", preferred_language="en",
    )  # fmt: skip
    session.add(victim)
    session.flush()
    asked = Message(id=uuid.uuid4(), case_id=case.id, victim_id=victim.id, body=values["message"])
    session.add(asked)
    session.flush()
    session.add_all(
        [
            Message(id=uuid.uuid4(), case_id=case.id, victim_id=victim.id, officer_id=officer.id,
                    body=values["reply"], in_reply_to=asked.id),
            PropertyItem(id=uuid.uuid4(), case_id=case.id, victim_id=victim.id,
                         category="other", description=values["property"]),
            Invite(id=uuid.uuid4(), victim_id=victim.id, case_id=case.id,
                   token_hash=f"{uuid.uuid4().hex}{uuid.uuid4().hex}", expires_at=NOW),
            PasswordReset(id=uuid.uuid4(), victim_id=victim.id,
                          token_hash=f"{uuid.uuid4().hex}{uuid.uuid4().hex}", expires_at=NOW),
            SignedInSession(id=uuid.uuid4(), user_kind="victim", user_id=victim.id),
            OutboxMessage(id=uuid.uuid4(), dedupe_key=f"victim_update:{uuid.uuid4()}",
                          kind="victim_update", channel="email", address=values["outbox"],
                          status="queued", recipient_kind="victim", recipient_id=victim.id,
                          case_id=case.id),
            AuditEvent(tag="victim:viewed", actor_type="officer", actor_id=str(officer.id),
                       record_type="victim", record_id=str(victim.id), purpose="case page",
                       detail={}),
            AuditEvent(tag="victim:signed-in", actor_type="victim", actor_id=str(victim.id),
                       record_type="victim", record_id=str(victim.id), detail={}),
        ]
    )  # fmt: skip
    return victim


@pytest.fixture
def two_victims(app):
    """Alyssandra and Brianus on one case (and Alyssandra on a second one of her own)."""
    with app.app_context():
        officer = OfficerFactory(force="kent", name="PC Oriel Dane", collar_number="KT808")
        shared = CaseFactory(force="kent", crime_reference="46/7777/26", oic_id=officer.id)
        own = CaseFactory(force="kent", crime_reference="46/8888/26", oic_id=officer.id)
        with force_scope(registered_force("kent")) as session:
            alice = _person(session, shared, ALICE, officer)
            brian = _person(session, shared, BRIAN, officer)
            session.add(
                CaseEvent(id=uuid.uuid4(), case_id=shared.id, event_type="charged",
                          occurred_at=NOW, victim_text=SHARED_UPDATE, internal_note=INTERNAL,
                          details={}, published_at=NOW)
            )  # fmt: skip
            ids = alice.id, brian.id
        for victim_id, case in ((ids[0], shared), (ids[1], shared), (ids[0], own)):
            CaseVictimFactory(force="kent", case_id=case.id, victim_id=victim_id)
    return {"alice": ids[0], "brian": ids[1], "shared": shared, "own": own, "officer": officer}


def request_export(client, victim_id) -> str:
    """Ask for victim_id's export from the search page; the export page's path."""
    page = f"/admin/subject-access?q={ALICE['email']}"
    made = submit(client, f"/admin/subject-access/victims/{victim_id}", form_page=page)
    return made.headers["Location"].removeprefix("http://kent.localhost")


def download(client, export_path) -> dict:
    response = post(client, f"{export_path}/download", form_page=export_path)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert [n.rsplit(".", 1)[1] for n in names] == ["html", "json"]
    return {
        "json": json.loads(archive.read(names[1])),
        "html": archive.read(names[0]).decode(),
        "raw": archive.read(names[1]).decode(),
    }


def test_finding_a_victim_by_email_or_crime_reference(app, client, two_victims):
    as_admin(app, client)
    by_email = get(client, f"/admin/subject-access?q={ALICE['email'].upper()}").text
    assert ALICE["name"] in by_email and BRIAN["name"] not in by_email
    by_case = get(client, "/admin/subject-access?q=46/7777/26").text
    assert ALICE["name"] in by_case and BRIAN["name"] in by_case
    assert "No one matches." in get(client, "/admin/subject-access?q=nobody@example.com").text
    found = audit_rows(app, tag=AdminTag.VICTIMS_FOUND.value)
    assert found[0].detail["victims"] == [str(two_victims["alice"])]


def test_the_export_holds_everything_about_the_victim_and_nothing_about_the_other(
    app, client, two_victims
):
    as_admin(app, client)
    export_path = request_export(client, two_victims["alice"])
    assert "Being made" in get(client, export_path).text
    work(app)
    assert "Ready to download" in get(client, export_path).text
    got = download(client, export_path)
    content, raw = got["json"], got["raw"]

    for value in ALICE.values():
        assert value in raw, f"{value!r} missing from the export"
    for value in (*BRIAN.values(), str(two_victims["brian"])):
        assert value not in raw and value not in got["html"], f"{value!r} about Brianus leaked"
    assert INTERNAL not in raw and "secret-hash" not in raw
    assert '"token_hash"' not in raw and '"password_hash"' not in raw
    assert SHARED_UPDATE in raw  # the victim-visible parts of the shared case
    assert sorted(c["crime_reference"] for c in content["cases"]) == ["46/7777/26", "46/8888/26"]
    assert content["cases"][0]["officer_in_charge"]["collar_number"] == "KT808"
    assert {a["action"] for a in content["audit"]} >= {"victim:viewed", "victim:signed-in"}
    assert content["sign_ins"] and content["notifications"]


def test_every_table_that_points_at_a_victim_is_in_the_export(app, client, two_victims):
    as_admin(app, client)
    export_path = request_export(client, two_victims["alice"])
    work(app)
    records = download(client, export_path)["json"]["records"]
    tables = {table.name for table, _column in person_tables()}
    written = {"case_victim", "invite", "password_reset", "message", "property_item"}
    assert tables >= written
    assert set(records) == tables  # a table added later is in the export without a change
    assert all(records[name] for name in written), {n: len(records[n]) for n in tables}


def test_the_readable_page_is_valid_html_with_the_same_data(app, client, two_victims):
    as_admin(app, client)
    export_path = request_export(client, two_victims["alice"])
    work(app)
    page = download(client, export_path)["html"]
    assert_valid_html(page)
    for value in (ALICE["name"], ALICE["message"], ALICE["property"], "46/8888/26"):
        assert value.replace("'", "&#39;") in page


def test_it_is_downloaded_once_and_then_gone_from_the_database(
    app, client, admin_engine, two_victims
):
    as_admin(app, client)
    export_path = request_export(client, two_victims["alice"])
    work(app)
    download(client, export_path)
    again = post(client, f"{export_path}/download", form_page=export_path)
    assert again.status_code == 302
    assert "can no longer be downloaded" in get(client, export_path).text
    [export] = in_force(app, select(SubjectAccessExport))
    assert (export.status, export.content_sealed) == ("downloaded", None)
    assert "subject_access_export" not in " ".join(tables_holding(admin_engine, ALICE["name"]))


def test_while_it_waits_it_is_sealed(app, client, admin_engine, two_victims):
    as_admin(app, client)
    request_export(client, two_victims["alice"])
    work(app)
    [export] = in_force(app, select(SubjectAccessExport))
    assert export.status == "ready" and export.content_sealed
    for value in ALICE.values():
        assert "t_kent.subject_access_export" not in tables_holding(admin_engine, value)


def test_only_the_administrator_who_asked_can_see_or_take_it(app, client, two_victims):
    as_admin(app, client)
    export_path = request_export(client, two_victims["alice"])
    work(app)
    other = app.test_client()
    as_admin(app, other)
    get(other, export_path, status=404)
    token_page = get(other, "/admin/subject-access").text
    taken = other.post(
        f"{export_path}/download", headers=host("kent"), data={"csrf_token": csrf_token(token_page)}
    )
    assert taken.status_code == 404
    assert download(client, export_path)["json"]["person"]["name"] == ALICE["name"]


def test_an_expired_export_cannot_be_downloaded_and_is_cleared(app, client, two_victims):
    as_admin(app, client)
    export_path = request_export(client, two_victims["alice"])
    work(app)
    with app.app_context(), force_scope(registered_force("kent")) as session:
        export = session.scalar(select(SubjectAccessExport))
        export.expires_at = NOW - timedelta(minutes=1)
    response = post(client, f"{export_path}/download", form_page="/admin/subject-access")
    assert response.status_code == 302
    [export] = in_force(app, select(SubjectAccessExport))
    assert (export.status, export.content_sealed) == ("expired", None)
    assert audit_rows(app, tag=AdminTag.SUBJECT_ACCESS_EXPIRED.value)


def test_the_job_carries_only_the_exports_id_and_the_trail_records_each_step(
    app, client, two_victims
):
    admin = as_admin(app, client)
    export_path = request_export(client, two_victims["alice"])
    export_id = export_path.rsplit("/", 1)[1]
    with app.app_context():
        [job] = queue("maintenance").jobs
        assert job.args == ("kent", "app.admin.jobs.produce_export", export_id)
    work(app)
    download(client, export_path)
    tags = [
        (r.tag, r.record_id)
        for r in audit_rows(app)
        if r.tag.startswith("subject-access:") and r.tag != AdminTag.VICTIMS_FOUND.value
    ]
    alice = str(two_victims["alice"])
    assert tags == [
        (AdminTag.SUBJECT_ACCESS_REQUESTED.value, alice),
        (AdminTag.SUBJECT_ACCESS_PRODUCED.value, alice),
        (AdminTag.SUBJECT_ACCESS_DOWNLOADED.value, alice),
    ]
    [downloaded] = audit_rows(app, tag=AdminTag.SUBJECT_ACCESS_DOWNLOADED.value)
    assert downloaded.detail["recipient"] == f"officer:{admin.id}"


def test_running_the_job_twice_makes_it_once(app, client, two_victims):
    as_admin(app, client)
    export_path = request_export(client, two_victims["alice"])
    export_id = export_path.rsplit("/", 1)[1]
    work(app)
    with app.app_context():
        enqueue("kent", jobs.produce_export, export_id)
    work(app)
    assert len(audit_rows(app, tag=AdminTag.SUBJECT_ACCESS_PRODUCED.value)) == 1


def test_a_missing_victim_is_not_found(app, client):
    as_admin(app, client)
    response = post(
        client, f"/admin/subject-access/victims/{uuid.uuid4()}", form_page="/admin/subject-access"
    )
    assert response.status_code == 404


def test_an_export_whose_job_was_lost_is_queued_again_when_looked_at(app, client, two_victims):
    as_admin(app, client)
    export_path = request_export(client, two_victims["alice"])
    with app.app_context():
        queue("maintenance").empty()  # as if Redis had lost it
    get(client, export_path)
    work(app)
    assert "Being made" in get(client, export_path).text  # not stuck yet: left alone
    with app.app_context(), force_scope(registered_force("kent")) as session:
        export = session.scalar(select(SubjectAccessExport))
        export.requested_at = NOW - timedelta(minutes=10)
    get(client, export_path)
    work(app)
    assert "Ready to download" in get(client, export_path).text
