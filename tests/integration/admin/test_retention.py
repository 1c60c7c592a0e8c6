"""Retention and disposal: the rules, the review list, legal hold, the dry run, and the
sweep, which leaves no trace of what it erased anywhere in the database and a log that
names each record and its rule and keeps none of the data."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from rq.cron import CronScheduler
from sqlalchemy import select, text

from app.admin import jobs
from app.admin.blueprint import AdminTag
from app.admin.retention import RetentionRules, years_before
from app.admin.schedule import NIGHTLY, register_periodic
from app.models import Case, CaseVictim, OutboxMessage, SubjectAccessExport, Victim
from tenants.binding import force_scope
from tenants.jobs import enqueue, queue, run_for_force
from tests.factories import CaseFactory, registered_force
from tests.integration.admin.records import GONE, KEPT, closed_case
from tests.integration.admin.support import (
    as_admin,
    audit_rows,
    count,
    get,
    in_force,
    post,
    submit,
    tables_holding,
    work,
)

PERIODS = {f"years_{o}": "" for o in ("charged", "out_of_court_disposal", "no_further_action")}


def set_periods(client, default="6", **outcomes):
    data = {"default_years": default, **PERIODS, **{f"years_{k}": v for k, v in outcomes.items()}}
    submit(client, "/admin/retention", data)


def dispose(app):
    with app.app_context():
        enqueue("kent", jobs.dispose_due)
    work(app)


def row_counts(admin_engine) -> dict[str, int]:
    """Rows in each of Kent's tables (read as the superuser)."""
    with admin_engine.connect() as conn:
        names = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 't_kent' ORDER BY 1")
        ).scalars()
        return {
            name: conn.execute(text(f'SELECT count(*) FROM t_kent."{name}"')).scalar_one()
            for name in list(names)
        }


# --- the rules ----------------------------------------------------------------------------


def test_rules_read_from_settings_ignore_anything_malformed():
    rules = RetentionRules.from_settings(
        {"retention": {"default_years": "6", "by_outcome": {"charged": 7, "bogus": 3, "other": 0}}}
    )
    assert rules == RetentionRules(None, {"charged": 7})
    assert RetentionRules.from_settings({"retention": ["x"]}).empty
    assert RetentionRules.from_settings({}).empty


def test_years_before_copes_with_29_february():
    leap = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert years_before(leap, 1) == datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert years_before(leap, -1) == datetime(2029, 2, 28, 12, tzinfo=UTC)


def test_the_periods_page_saves_and_refuses_nonsense(app, client):
    as_admin(app, client)
    for bad in ("0", "101", "six", "-1"):
        response = post(client, "/admin/retention", {"default_years": bad, **PERIODS})
        assert response.status_code == 200
        assert "Enter a whole number of years from 1 to 100" in response.text
    set_periods(client, "6", charged="10")
    page = get(client, "/admin/retention").text
    assert 'value="10"' in page and 'value="6"' in page
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.purpose == "retention"
    assert row.detail["changes"]["by_outcome"]["new"] == {"charged": 10}


def test_without_a_period_nothing_is_ever_disposed(app, client, admin_engine):
    with app.app_context():
        closed_case(closed_years=40)
    before = row_counts(admin_engine)
    dispose(app)
    after = row_counts(admin_engine)
    assert after["case"] == before["case"] and after["victim"] == before["victim"]


# --- the review list, the dry run and legal hold ------------------------------------------


def test_the_review_lists_due_and_coming_cases_and_holds(app, client):
    with app.app_context():
        made = closed_case(closed_years=8)
        soon = datetime.now(UTC) - timedelta(days=6 * 365 - 30)
        CaseFactory(force="kent", crime_reference="SOON/1/20", status="closed",
                    outcome="other", closed_at=soon)  # fmt: skip
        long_ago = soon - timedelta(days=3650)
        CaseFactory(force="kent", crime_reference="HELD/1/10", status="closed",
                    outcome="other", closed_at=long_ago, legal_hold=True)  # fmt: skip
    as_admin(app, client)
    set_periods(client, "6")
    page = get(client, "/admin/retention/review").text
    due, _, rest = page.partition("Due in the next")
    assert GONE["reference"] in due and "SOON/1/20" not in due
    assert "SOON/1/20" in rest
    assert "HELD/1/10" in rest.partition("On legal hold")[2]
    [row] = audit_rows(app, tag=AdminTag.DISPOSAL_REVIEWED.value)
    assert str(made.case_id) in row.detail["cases"]


def test_the_dry_run_shows_what_would_go_and_changes_nothing(app, client, admin_engine):
    with app.app_context():
        made = closed_case()
    as_admin(app, client)
    set_periods(client, "6")
    before = row_counts(admin_engine)
    response = post(client, "/admin/retention/dry-run", form_page="/admin/retention/review")
    assert response.status_code == 200
    assert GONE["reference"] in response.text
    assert "closed+6y:default" in response.text
    summary = response.text.split('id="dry-run-summary"')[1].split("</ul>")[0]
    assert "1 case would be erased" in summary
    assert "1 person's record would be erased" in summary
    assert "1 person would be kept" in summary
    after = row_counts(admin_engine)
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }
    [row] = audit_rows(app, tag=AdminTag.DISPOSAL_DRY_RUN.value)
    assert row.detail["cases"] == [str(made.case_id)]


def test_legal_hold_stops_disposal(app, client):
    with app.app_context():
        made = closed_case(closed_years=30)
    as_admin(app, client)
    set_periods(client, "6")
    found = get(client, f"/admin/cases?q={GONE['reference'].lower()}", status=302)
    assert found.headers["Location"].endswith(f"/admin/cases/{made.case_id}/legal-hold")
    submit(client, f"/admin/cases/{made.case_id}/legal-hold", {"hold": "yes"})
    [held] = in_force(app, select(Case).where(Case.id == made.case_id))
    assert held.legal_hold
    [row] = audit_rows(app, tag=AdminTag.LEGAL_HOLD_CHANGED.value)
    assert row.record_id == str(made.case_id)
    assert row.detail["changes"] == {"legal_hold": {"old": False, "new": True}}

    dry = post(client, "/admin/retention/dry-run", form_page="/admin/retention/review")
    assert GONE["reference"] not in dry.text
    dispose(app)
    assert in_force(app, select(Case.id).where(Case.id == made.case_id)) == [made.case_id]
    assert count(app, Victim) == 2

    submit(client, f"/admin/cases/{made.case_id}/legal-hold", {"hold": "no"})
    dispose(app)
    assert in_force(app, select(Case.id).where(Case.id == made.case_id)) == []


def test_a_review_date_still_to_come_keeps_the_case(app, client):
    with app.app_context():
        made = closed_case()
        with force_scope(registered_force("kent")) as session:
            later = datetime.now(UTC) + timedelta(days=30)
            session.get(Case, made.case_id).retention_review_on = later.date()
    as_admin(app, client)
    set_periods(client, "6")
    dispose(app)
    assert in_force(app, select(Case.id).where(Case.id == made.case_id)) == [made.case_id]


def test_an_unknown_case_on_the_hold_page_is_not_found(app, client):
    as_admin(app, client)
    assert "No case has that crime reference" in get(client, "/admin/cases?q=NO/1/1").text
    get(client, "/admin/cases/00000000-0000-0000-0000-000000000000/legal-hold", status=404)


# --- the sweep ----------------------------------------------------------------------------


def test_disposal_leaves_no_trace_of_the_erased_data_anywhere(app, client, admin_engine):
    with app.app_context():
        made = closed_case()
    audit_before = len(audit_rows(app))
    as_admin(app, client)
    set_periods(client, "6")
    for value in GONE.values():
        assert tables_holding(admin_engine, value), f"{value!r} was never written"
    dispose(app)

    for name, value in GONE.items():
        assert tables_holding(admin_engine, value) == [], f"{name} survived disposal"
    assert tables_holding(admin_engine, str(made.case_id)) == ["t_kent.audit_event"]
    assert tables_holding(admin_engine, str(made.gone_victim)) == ["t_kent.audit_event"]
    # The victim another case needs keeps their record and that case; their export,
    # made before disposal, held the disposed case and went with it.
    [kept] = in_force(app, select(Victim).where(Victim.id == made.kept_victim))
    assert kept.name == KEPT["victim_name"]
    links = in_force(app, select(CaseVictim.case_id).where(CaseVictim.victim_id == kept.id))
    assert links == [made.open_case]
    assert in_force(app, select(SubjectAccessExport)) == []
    assert count(app, OutboxMessage) == 0
    assert len(audit_rows(app)) > audit_before  # nothing of the trail went


def test_the_erasure_log_names_record_and_rule_and_keeps_none_of_the_data(app, client):
    with app.app_context():
        made = closed_case()
    as_admin(app, client)
    set_periods(client, "6", charged="7")
    dispose(app)
    erased = audit_rows(app, tag=AdminTag.RECORD_ERASED.value)
    assert {(r.record_type, r.record_id) for r in erased} == {
        ("case", str(made.case_id)),
        ("victim", str(made.gone_victim)),
    }
    [case_row] = [r for r in erased if r.record_type == "case"]
    assert case_row.detail["rule"] == "closed+7y:charged"
    assert (case_row.actor_type, case_row.purpose) == ("system", "retention")
    logged = json.dumps([[r.detail, r.purpose, r.record_id] for r in audit_rows(app)])
    for value in GONE.values():
        assert value not in logged
    [swept] = audit_rows(app, tag=AdminTag.DISPOSAL_SWEPT.value)
    assert swept.detail["cases_erased"] == 1 and swept.detail["victims_erased"] == 1


def test_running_the_sweep_again_changes_nothing(app, client, admin_engine):
    with app.app_context():
        closed_case()
    as_admin(app, client)
    set_periods(client, "6")
    dispose(app)
    before = row_counts(admin_engine)
    dispose(app)
    after = row_counts(admin_engine)
    assert after["audit_event"] == before["audit_event"] + 1  # only the sweep's own row
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }


def test_an_administrator_can_start_disposal_and_is_named_in_the_log(app, client):
    with app.app_context():
        made = closed_case()
    admin = as_admin(app, client)
    set_periods(client, "6")
    response = submit(client, "/admin/retention/dispose", form_page="/admin/retention/review")
    assert response.headers["Location"].endswith("/admin/retention/review")
    work(app)
    [row] = [
        r for r in audit_rows(app, tag=AdminTag.RECORD_ERASED.value) if r.record_type == "case"
    ]
    assert (row.actor_type, row.actor_id, row.record_id) == (
        "officer",
        str(admin.id),
        str(made.case_id),
    )


def test_a_recent_case_and_an_open_case_are_kept(app, client):
    with app.app_context():
        recent = closed_case(closed_years=2)
    as_admin(app, client)
    set_periods(client, "6")
    dispose(app)
    kept = set(in_force(app, select(Case.id)))
    assert {recent.case_id, recent.open_case} <= kept


def test_the_nightly_entry_point_queues_one_sweep_per_active_force(app, admin_engine):
    with admin_engine.begin() as conn:
        conn.execute(
            text("UPDATE public.tenant SET status = 'suspended' WHERE slug = 'avon-and-somerset'")
        )
    with app.app_context():
        assert jobs.sweep_all_forces() == 2
        queued = queue("maintenance").jobs
        assert sorted(job.meta["force"] for job in queued) == ["dyfed-powys", "kent"]
        assert all(job.args[2:] == () for job in queued)  # no ids, no data


@pytest.mark.parametrize("field", ["default_years", "years_charged"])
def test_periods_are_whole_years(app, client, field):
    as_admin(app, client)
    response = post(client, "/admin/retention", {**PERIODS, "default_years": "", field: "2.5"})
    assert response.status_code == 200
    assert "Enter a whole number of years from 1 to 100" in response.text


def test_the_nightly_sweep_is_registered_with_the_cron_scheduler(app):
    with app.app_context():
        [job] = register_periodic(CronScheduler(connection=app.extensions["tenancy"].redis))
    assert job.func is jobs.sweep_all_forces
    assert (job.queue_name, job.cron) == ("maintenance", NIGHTLY)


def test_a_large_backlog_goes_in_batches_until_none_is_due(app, client, monkeypatch):
    long_ago = datetime.now(UTC) - timedelta(days=3650)
    with app.app_context():
        for n in range(5):
            CaseFactory(force="kent", crime_reference=f"OLD/{n}/10", status="closed",
                        outcome="other", closed_at=long_ago)  # fmt: skip
    as_admin(app, client)
    set_periods(client, "6")
    monkeypatch.setattr(jobs, "BATCH", 2)
    dispose(app)
    assert in_force(app, select(Case.id)) == []
    sweeps = audit_rows(app, tag=AdminTag.DISPOSAL_SWEPT.value)
    assert [s.detail["cases_erased"] for s in sweeps] == [2, 2, 1]


def test_two_sweeps_at_once_erase_and_log_each_case_once(app, client):
    with app.app_context():
        made = closed_case()
    as_admin(app, client)
    set_periods(client, "6")
    results, errors = [], []

    def sweep() -> None:
        try:
            with app.app_context():
                results.append(run_for_force("kent", "app.admin.jobs.dispose_due"))
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and sorted(results) == [0, 1]
    erased = audit_rows(app, tag=AdminTag.RECORD_ERASED.value)
    assert sorted(r.record_id for r in erased) == sorted([str(made.case_id), str(made.gone_victim)])
