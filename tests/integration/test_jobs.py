"""Jobs carry their force; the worker binds it; a job without one fails, visibly."""

import os
from pathlib import Path

import pytest
from rq import SimpleWorker
from rq.job import JobStatus
from sqlalchemy import text

from app.models import Case
from tenants.binding import force_scope
from tenants.jobs import QUEUES, enqueue, queue, run_for_force
from tests.integration import jobfuncs
from tests.support.processes import run_flask

ROOT = Path(__file__).resolve().parents[2]


def _work(app):
    """Run every queued job in this process, as the worker command would."""
    with app.app_context():
        queues = [queue(name) for name in QUEUES]
        SimpleWorker(queues, connection=app.extensions["tenancy"].redis).work(burst=True)


def _case_count(admin_engine, schema):
    with admin_engine.connect() as conn:
        return conn.execute(text(f'SELECT count(*) FROM "{schema}"."case"')).scalar()


def test_a_job_sees_only_its_forces_rows(app, app_context):
    enqueue("kent", jobfuncs.add_case, "KENT-7")
    enqueue("dyfed-powys", jobfuncs.add_case, "DP-9")
    _work(app)
    kent = enqueue("kent", jobfuncs.case_references)
    dyfed = enqueue("dyfed-powys", jobfuncs.case_references)
    _work(app)
    assert kent.return_value() == ["KENT-7"]
    assert dyfed.return_value() == ["DP-9"]
    assert kent.meta["force"] == "kent"


def test_jobs_are_idempotent_when_run_twice(app, app_context, admin_engine):
    enqueue("kent", jobfuncs.add_case, "KENT-8")
    enqueue("kent", jobfuncs.add_case, "KENT-8")
    _work(app)
    assert _case_count(admin_engine, "t_kent") == 1


@pytest.mark.parametrize("force", [None, "", "essex", "kent'; --"])
def test_a_job_without_a_known_force_fails_into_the_failed_registry(app, app_context, force):
    job = queue("maintenance").enqueue(
        run_for_force, force, "tests.integration.jobfuncs.case_references"
    )
    _work(app)
    assert job.get_status(refresh=True) == JobStatus.FAILED
    assert job.id in queue("maintenance").failed_job_registry.get_job_ids()


def test_a_plain_job_touching_force_tables_fails_rather_than_reading_public(app, app_context):
    job = queue("maintenance").enqueue(jobfuncs.case_references)
    _work(app)
    assert job.get_status(refresh=True) == JobStatus.FAILED
    assert "TenantNotBound" in (job.latest_result().exc_string or "")


def test_a_suspended_forces_jobs_do_not_run(app, app_context, admin_engine):
    job = enqueue("kent", jobfuncs.add_case, "KENT-9")
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE public.tenant SET status = 'suspended' WHERE slug = 'kent'"))
    _work(app)
    assert job.get_status(refresh=True) == JobStatus.FAILED
    assert _case_count(admin_engine, "t_kent") == 0


def test_job_ids_are_prefixed_with_the_force(app, app_context):
    job = enqueue("kent", jobfuncs.case_references, job_id="nightly")
    assert job.id == "kent--nightly"


def test_the_worker_command_runs_force_jobs_in_forked_work_horses(
    app, app_context, services, settings, admin_engine
):
    """The real `flask worker` process, as the demo and production run it."""
    enqueue("kent", jobfuncs.add_case, "KENT-FORKED")
    bad = queue("maintenance").enqueue(jobfuncs.case_references)  # no force
    env = {
        **os.environ,
        "TMC_ENV": "test",
        "DATABASE_URL": services.app_url,
        "REDIS_URL": services.redis_url,
        "DB_ROLE_PREFIX": settings.db_role_prefix,
        "PYTHONPATH": str(ROOT),
    }
    done = run_flask(env, "worker", "--burst")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _case_count(admin_engine, "t_kent") == 1
    assert _case_count(admin_engine, "t_dyfed_powys") == 0
    assert bad.get_status(refresh=True) == JobStatus.FAILED


def test_a_failing_job_leaves_no_value_in_the_log_or_in_redis(app, app_context, caplog):
    """PostgreSQL's DETAIL line quotes the duplicate value: it must reach neither the
    worker's log nor the traceback RQ keeps in Redis."""
    secret = "KENT-REF-7F3A9"
    with force_scope(app.extensions["tenancy"].registry.by_slug("kent")) as session:
        case = Case(crime_reference=secret, offence_category="theft")
        session.add(case)
        session.flush()
        case_id = str(case.id)
    job = enqueue("kent", jobfuncs.copy_case, case_id)
    with caplog.at_level("DEBUG"):
        _work(app)
    assert job.get_status(refresh=True) == JobStatus.FAILED
    stored = job.latest_result().exc_string or ""
    assert "RedactedError" in stored and "SQLSTATE 23505" in stored
    raw = b"".join(
        app.extensions["tenancy"].redis.dump(key) or b""
        for key in app.extensions["tenancy"].redis.keys("*")
    )
    assert secret not in stored
    assert secret.encode() not in raw
    assert secret not in caplog.text


def test_after_commit_hands_over_on_commit_only_and_survives_redis_being_away(
    app, app_context, monkeypatch
):
    from redis.exceptions import ConnectionError as RedisConnectionError
    from sqlalchemy import select

    from tenants import jobs
    from tenants.binding import db
    from tenants.jobs import after_commit

    called: list[str] = []
    # The module's logger itself (the app's logging setup may stop it propagating to
    # pytest's capture, depending on which tests ran first in this process).
    warnings: list[str] = []
    monkeypatch.setattr(jobs.log, "warning", lambda message, *args: warnings.append(message % args))

    def away() -> None:
        raise RedisConnectionError("no redis")

    session = db.session()
    after_commit(session, lambda: called.append("rolled back"))
    session.execute(select(1))
    session.rollback()
    after_commit(session, away)
    after_commit(session, lambda: called.append("committed"))
    session.execute(select(1))
    session.commit()  # the request has committed: Redis being away must not fail it
    assert called == ["committed"]
    assert warnings == ["away not queued (ConnectionError)"]
    session.commit()
    assert called == ["committed"], "handed over once"
