"""The audit trail page: search by person (officer or victim, as actor or as the record),
by record (an id or a crime reference), by action and by date range; pages of results;
the CSV export; and every search and export recorded in the trail itself, by ids only."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.admin.blueprint import AdminTag
from tests.factories import AuditEventFactory, CaseFactory, OfficerFactory, VictimFactory
from tests.integration.admin.support import as_admin, audit_rows, get
from tests.support.officers import host

NOW = datetime.now(UTC)


@pytest.fixture
def trail(app):
    """An officer who viewed a case and a victim, a victim who signed in, a month-old row,
    and a row in another force."""
    with app.app_context():
        officer = OfficerFactory(force="kent", name="PC Ada Lane", collar_number="KT4711")
        victim = VictimFactory(force="kent", email="rowan.ash@example.com")
        case = CaseFactory(force="kent", crime_reference="46/555/26")
        make = AuditEventFactory
        rows = {
            "case": make(force="kent", tag="case:viewed", actor_type="officer",
                         actor_id=str(officer.id), record_type="case", record_id=str(case.id),
                         purpose="case page", occurred_at=NOW - timedelta(minutes=3)),
            "victim": make(force="kent", tag="victim:viewed", actor_type="officer",
                           actor_id=str(officer.id), record_type="victim",
                           record_id=str(victim.id), purpose="case page",
                           occurred_at=NOW - timedelta(minutes=2)),
            "signed_in": make(force="kent", tag="victim:signed-in", actor_type="victim",
                              actor_id=str(victim.id), record_type="victim",
                              record_id=str(victim.id), occurred_at=NOW - timedelta(minutes=1)),
            "old": make(force="kent", tag="case:viewed", actor_type="officer",
                        actor_id=str(officer.id), record_type="case", record_id=str(case.id),
                        occurred_at=NOW - timedelta(days=40)),
        }  # fmt: skip
        AuditEventFactory(force="dyfed-powys", tag="case:viewed", record_id=str(case.id))
    return {"officer": officer, "victim": victim, "case": case, "rows": rows}


def search(client, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return get(client, f"/admin/audit?{query}").text


def result_rows(html: str) -> int:
    body = html.split('id="audit-results"', 1)
    return body[1].count('<tr class="govuk-table__row">') - 1 if len(body) > 1 else 0


def test_by_officer_collar_number_finds_what_they_did(app, client, trail):
    as_admin(app, client)
    html = search(client, person="kt4711")
    assert result_rows(html) == 3
    assert "PC Ada Lane (KT4711)" in html


def test_by_victim_email_finds_what_they_did_and_what_was_done_to_their_record(app, client, trail):
    as_admin(app, client)
    html = search(client, person="Rowan.Ash@example.com")
    assert result_rows(html) == 2  # viewed by the officer, and their own sign-in


def test_by_crime_reference_and_action(app, client, trail):
    as_admin(app, client)
    assert result_rows(search(client, record="46/555/26")) == 2
    assert result_rows(search(client, record="46/555/26", action="victim:viewed")) == 0
    assert result_rows(search(client, action="victim:signed-in")) == 1
    assert result_rows(search(client, record=str(trail["victim"].id))) == 2


def test_by_date_range_in_uk_days(app, client, trail):
    as_admin(app, client)
    london = ZoneInfo("Europe/London")  # the form's days are UK days, not UTC ones
    today, old = NOW.astimezone(london).date(), (NOW - timedelta(days=40)).astimezone(london).date()
    two_boxes = get(client, f"/admin/audit?person=KT4711&start={old.day}&start={old.month}")
    assert "The start date must be a real date" in two_boxes.text  # not a 500
    dated = (
        f"/admin/audit?person=KT4711&start={old.day}&start={old.month}&start={old.year}"
        f"&end={old.day}&end={old.month}&end={old.year}"
    )
    assert result_rows(get(client, dated).text) == 1
    since_today = (
        f"/admin/audit?person=KT4711&start={today.day}&start={today.month}&start={today.year}"
    )
    assert result_rows(get(client, since_today).text) in (2, 3)  # UTC midnight vs UK midnight


def test_an_end_before_the_start_is_an_error(app, client, trail):
    as_admin(app, client)
    html = get(client, "/admin/audit?start=2&start=1&start=2026&end=1&end=1&end=2026").text
    assert "The end date must be the same as or after the start" in html


def test_unknown_people_and_records_find_nothing_rather_than_everything(app, client, trail):
    as_admin(app, client)
    assert result_rows(search(client, person="nobody@example.com")) == 0
    assert result_rows(search(client, record="99/999/99")) == 0
    assert "No audit entries match." in search(client, person="nobody@example.com")


def test_another_forces_rows_never_appear(app, client, trail):
    as_admin(app, client)
    html = search(client, record=str(trail["case"].id))
    assert result_rows(html) == 2


def test_results_page_through_without_repeats(app, client):
    with app.app_context():
        for minute in range(120):
            AuditEventFactory(
                force="kent", tag="case:viewed", record_type="note", record_id=f"row-{minute:03d}",
                occurred_at=NOW - timedelta(minutes=minute),
            )  # fmt: skip
    as_admin(app, client)
    seen, url = [], "/admin/audit?action=case:viewed"
    while url:
        html = get(client, url).text
        seen += [f"row-{n:03d}" for n in range(120) if f"row-{n:03d}" in html]
        found = html.split('rel="next"')[0].rsplit('href="', 1) if 'rel="next"' in html else None
        url = found[1].split('"')[0].replace("&amp;", "&") if found else None
    assert sorted(seen) == [f"row-{n:03d}" for n in range(120)]
    assert len(seen) == len(set(seen))


def test_a_forged_cursor_is_ignored(app, client, trail):
    as_admin(app, client)
    for cursor in ("nonsense", "2026-01-01|not-a-uuid", "2026-01-01T00:00:00|" + str(uuid.uuid4())):
        get(client, f"/admin/audit?before={cursor}")


def test_every_search_is_recorded_with_ids_never_the_typed_text(app, client, trail):
    admin = as_admin(app, client)
    search(client, person="rowan.ash@example.com", record="46/555/26")
    [row] = audit_rows(app, tag=AdminTag.AUDIT_SEARCHED.value)
    assert (row.actor_type, row.actor_id) == ("officer", str(admin.id))
    assert row.detail["search"]["people"] == [str(trail["victim"].id)]
    assert row.detail["search"]["records"] == [str(trail["case"].id)]
    assert "rowan" not in str(row.detail) and "46/555/26" not in str(row.detail)


def test_csv_export_has_the_same_rows_and_is_recorded(app, client, trail):
    as_admin(app, client)
    response = get(client, "/admin/audit/export.csv?person=KT4711")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3
    assert {r["actor_collar_number"] for r in rows} == {"KT4711"}
    assert {r["crime_reference"] for r in rows if r["record_type"] == "case"} == {"46/555/26"}
    [row] = audit_rows(app, tag=AdminTag.AUDIT_EXPORTED.value)
    assert row.detail["rows"] == 3


def test_csv_cells_cannot_run_as_spreadsheet_formulas(app, client):
    with app.app_context():
        AuditEventFactory(force="kent", tag="case:viewed", purpose='=HYPERLINK("http://x")')
    as_admin(app, client)
    body = get(client, "/admin/audit/export.csv?action=case:viewed").text
    assert "'=HYPERLINK" in body


def test_the_search_page_is_on_the_right_host_only(app, client, trail):
    as_admin(app, client)
    assert client.get("/admin/audit", headers={"Host": "localhost"}).status_code == 404
    assert client.get("/admin/audit", headers=host("kent")).status_code == 200
