"""The operators' console: the applications queue and its decisions, retrying a failed
provisioning, suspending and resuming a force, jobs, and the platform trail."""

from __future__ import annotations

import threading

from rq.job import Job
from sqlalchemy import text

from tenants.jobs import queue
from tests.factories import ForceApplicationFactory
from tests.integration.central.support import count, post_form
from tests.support.officers import csrf_token, host
from tests.support.operators import CENTRAL_HOST, as_operator


def _row(admin_engine, application_id):
    with admin_engine.connect() as conn:
        return (
            conn.execute(
                text("SELECT * FROM public.force_application WHERE id = :i"), {"i": application_id}
            )
            .mappings()
            .one()
        )


def _events(admin_engine, prefix):
    with admin_engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT tag, actor_type, actor_id, force_slug FROM public.platform_audit_event "
                "WHERE tag LIKE :p ORDER BY occurred_at"
            ),
            {"p": f"{prefix}%"},
        ).all()


def _provisioning_jobs(app):
    with app.app_context():
        return queue("provisioning").jobs


def test_the_queue_lists_waiting_applications_first(app, client):
    with app.app_context():
        decided = ForceApplicationFactory(status="rejected", force_name="Decided Police")
        waiting = ForceApplicationFactory(force_name="Waiting Police")
        ForceApplicationFactory(status="draft", force_name="Draft Police")
    as_operator(app, client)

    page = client.get("/console/applications", headers=CENTRAL_HOST).text

    assert page.index("Waiting Police") < page.index("Decided Police")
    assert "Draft Police" not in page  # drafts are the applicant's own until submitted
    detail = client.get(f"/console/applications/{waiting.id}", headers=CENTRAL_HOST)
    assert "Approve and set up the site" in detail.text and waiting.contact_email in detail.text
    assert (
        client.get(f"/console/applications/{decided.id}", headers=CENTRAL_HOST).status_code == 200
    )


def test_a_draft_or_unknown_application_is_not_found(app, client):
    with app.app_context():
        draft = ForceApplicationFactory(status="draft")
    as_operator(app, client)
    for application_id in (draft.id, "6f1d2c8e-3b7a-4c55-9a0e-1e5c2b7d9f40"):
        page = client.get(f"/console/applications/{application_id}", headers=CENTRAL_HOST)
        assert page.status_code == 404


def test_approving_queues_provisioning_with_the_id_only(
    app, client, admin_engine, submitted_application
):
    operator = as_operator(app, client)
    path = f"/console/applications/{submitted_application}"
    page = client.get(path, headers=CENTRAL_HOST)

    done = client.post(
        f"{path}/approve", headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)}
    )

    assert done.headers["Location"] == path
    row = _row(admin_engine, submitted_application)
    assert (row["status"], row["provisioning_state"], row["decided_by"]) == (
        "approved", "queued", operator.id
    )  # fmt: skip
    (job,) = _provisioning_jobs(app)
    assert job.func_name == "app.central.provisioning.provision_application"
    assert job.args == (str(submitted_application),) and job.kwargs == {}
    assert [e.tag for e in _events(admin_engine, "application:")] == ["application:approved"]
    assert count(admin_engine, "central_outbox_message", "kind = 'applicant_decision'") == 1
    shown = client.get(path, headers=CENTRAL_HOST).text
    assert "Application approved" in shown and 'data-state="queued"' in shown


def test_two_operators_approving_at_once_provision_once(app, admin_engine, submitted_application):
    path = f"/console/applications/{submitted_application}"
    browsers = []
    for _ in range(2):
        browser = app.test_client()
        as_operator(app, browser)
        token = csrf_token(browser.get(path, headers=CENTRAL_HOST).text)
        browsers.append((browser, token))
    start = threading.Barrier(2)
    answers = []

    def press(browser, token):
        start.wait()
        browser.post(f"{path}/approve", headers=CENTRAL_HOST, data={"csrf_token": token})
        answers.append(browser.get(path, headers=CENTRAL_HOST).text)

    threads = [threading.Thread(target=press, args=pair) for pair in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(_provisioning_jobs(app)) == 1
    assert len(_events(admin_engine, "application:approved")) == 1
    assert sum("Someone else has already decided" in answer for answer in answers) == 1


def test_rejecting_needs_a_reason_and_the_applicant_reads_it(
    app, client, admin_engine, submitted_application
):
    as_operator(app, client)
    path = f"/console/applications/{submitted_application}/reject"

    done = post_form(client, path, {"reason": "Your issuer is not your force's own <provider>."})

    assert done.status_code == 302
    row = _row(admin_engine, submitted_application)
    assert row["status"] == "rejected" and row["provisioning_state"] is None
    assert _provisioning_jobs(app) == []
    applicant = app.test_client()
    with applicant.session_transaction(headers=CENTRAL_HOST) as session:
        session["application_id"] = str(submitted_application)
    status = applicant.get("/apply/status", headers=CENTRAL_HOST).text
    assert "Not approved" in status
    assert "Your issuer is not your force&#39;s own &lt;provider&gt;." in status
    assert client.get(path, headers=CENTRAL_HOST).status_code == 302  # decided: no second go


def test_the_applicant_is_emailed_a_link_to_the_decision(
    app, client, admin_engine, submitted_application
):
    as_operator(app, client)
    post_form(client, f"/console/applications/{submitted_application}/reject", {"reason": "No."})
    with admin_engine.connect() as conn:
        mail = conn.execute(text("SELECT * FROM public.central_outbox_message")).mappings().one()
    assert mail["kind"] == "applicant_decision" and mail["link_path"].startswith("/apply/confirm/")
    assert "No." not in str(dict(mail))  # the reason is on the status page, not in the mail


def test_a_failed_provisioning_can_be_retried(app, client, admin_engine):
    with app.app_context():
        failed = ForceApplicationFactory(
            status="approved", provisioning_state="failed", provisioning_attempts=1,
            provisioning_error="OperationalError",
        )  # fmt: skip
    as_operator(app, client)
    path = f"/console/applications/{failed.id}"
    page = client.get(path, headers=CENTRAL_HOST)
    assert "It failed" in page.text and "OperationalError" in page.text

    client.post(f"{path}/retry", headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)})

    assert _row(admin_engine, failed.id)["provisioning_state"] == "queued"
    (job,) = _provisioning_jobs(app)
    assert job.id == f"provision-{failed.id}-2"
    assert [e.tag for e in _events(admin_engine, "provisioning:")] == ["provisioning:retried"]


def test_a_live_application_cannot_be_retried(app, client, admin_engine):
    with app.app_context():
        live = ForceApplicationFactory(status="live", provisioning_state="done")
    as_operator(app, client)
    path = f"/console/applications/{live.id}"
    page = client.get(path, headers=CENTRAL_HOST)
    assert "Try setting up again" not in page.text
    client.post(f"{path}/retry", headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)})
    assert _provisioning_jobs(app) == []


def test_suspending_pauses_the_forces_site_and_resuming_opens_it(app, client, admin_engine):
    operator = as_operator(app, client)
    forces = client.get("/console/forces", headers=CENTRAL_HOST).text
    assert 'href="/console/forces/kent/suspend"' in forces

    confirm = client.get("/console/forces/kent/suspend", headers=CENTRAL_HOST)
    assert "Suspend Test Kent Police?" in confirm.text
    client.post(
        "/console/forces/kent/suspend",
        headers=CENTRAL_HOST,
        data={"csrf_token": csrf_token(confirm.text)},
    )

    paused = app.test_client().get("/", headers=host("kent"))
    assert paused.status_code == 503 and "This service is paused" in paused.text
    assert app.test_client().get("/", headers=host("dyfed-powys")).status_code == 200
    resume = client.get("/console/forces/kent/resume", headers=CENTRAL_HOST)
    client.post(
        "/console/forces/kent/resume",
        headers=CENTRAL_HOST,
        data={"csrf_token": csrf_token(resume.text)},
    )
    assert app.test_client().get("/", headers=host("kent")).status_code == 200
    assert _events(admin_engine, "force:") == [
        ("force:suspended", "operator", str(operator.id), "kent"),
        ("force:resumed", "operator", str(operator.id), "kent"),
    ]


def test_status_changes_for_unknown_forces_or_the_wrong_status_do_nothing(app, client):
    as_operator(app, client)
    assert (
        client.get("/console/forces/no-such-force/suspend", headers=CENTRAL_HOST).status_code == 404
    )
    assert (
        client.get("/console/forces/" + "x" * 300 + "/suspend", headers=CENTRAL_HOST).status_code
        == 404
    )
    resume = client.get("/console/forces/kent/resume", headers=CENTRAL_HOST)  # kent is active
    assert resume.status_code == 302 and resume.headers["Location"] == "/console/forces"
    assert client.get("/console/forces/kent/delete", headers=CENTRAL_HOST).status_code == 404


def test_jobs_shows_each_queue_and_retries_failed_jobs(app, client, admin_engine):
    with app.app_context():
        failed = queue("maintenance").enqueue("tests.integration.jobfuncs.case_references")
        failed.set_status("failed")
        queue("maintenance").remove(failed)
        from rq.registry import FailedJobRegistry

        FailedJobRegistry(queue=queue("maintenance")).add(failed, ttl=600)
    as_operator(app, client)
    page = client.get("/console/jobs", headers=CENTRAL_HOST)
    assert "Retry failed jobs" in page.text and "No workers are running" in page.text

    client.post(
        "/console/jobs/maintenance/retry",
        headers=CENTRAL_HOST,
        data={"csrf_token": csrf_token(page.text)},
    )

    with app.app_context():
        assert queue("maintenance").job_ids == [failed.id]
        assert Job.fetch(failed.id, connection=queue("maintenance").connection).args == ()
    assert [e.tag for e in _events(admin_engine, "jobs:")] == ["jobs:retried"]


def test_the_audit_trail_shows_platform_events_and_filters_by_force(app, client, admin_engine):
    as_operator(app, client)
    confirm = client.get("/console/forces/kent/suspend", headers=CENTRAL_HOST)
    client.post(
        "/console/forces/kent/suspend",
        headers=CENTRAL_HOST,
        data={"csrf_token": csrf_token(confirm.text)},
    )
    trail = client.get("/console/audit", headers=CENTRAL_HOST).text
    assert "force:suspended" in trail
    only_dyfed = client.get("/console/audit?force=dyfed-powys", headers=CENTRAL_HOST).text
    assert "force:suspended" not in only_dyfed and "Showing dyfed-powys only" in only_dyfed
    odd = client.get("/console/audit?force=%3Cscript%3E", headers=CENTRAL_HOST)
    assert odd.status_code == 200 and "force:suspended" in odd.text
    assert count(admin_engine, "operator") == 1


def test_two_messages_on_one_page_have_their_own_banner_ids(app, client):
    """Each flash message is a banner whose title has an id: two must not share one (the
    validating client fails a page with a duplicate id)."""
    as_operator(app, client)
    with client.session_transaction(headers=CENTRAL_HOST) as session:
        session["_flashes"] = [("message", "First thing done"), ("error", "Second thing")]
    page = client.get("/console/forces", headers=CENTRAL_HOST).text
    assert 'id="notification-title-1"' in page and 'id="notification-title-2"' in page
    assert "First thing done" in page and "Second thing" in page
