"""The commands the Helm chart runs: `worker --queue …` (repeatable) and `scheduler`.

Each runs as the real `flask --app wsgi …` process, as the chart and the demo start it.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from rq.job import JobStatus
from sqlalchemy import text

from app import create_app
from app.cli import worker_command
from config.settings import ProductionSettings
from tenants.jobs import enqueue, queue, run_for_force
from tests.integration import jobfuncs
from tests.support.processes import run_flask

ROOT = Path(__file__).resolve().parents[2]
SCHEDULER_LOCKS = [f"rq:scheduler-lock:{name}" for name in ("notifications", "maintenance")]


@pytest.fixture
def env(services, settings) -> dict[str, str]:
    """A worker's environment: the login role only, as the chart gives the queue workers."""
    return {
        **os.environ,
        "TMC_ENV": "test",
        "DATABASE_URL": services.app_url,
        "REDIS_URL": services.redis_url,
        "DB_ROLE_PREFIX": settings.db_role_prefix,
        "PYTHONPATH": str(ROOT),
    }


def _case_count(admin_engine, schema: str) -> int:
    with admin_engine.connect() as conn:
        return int(conn.execute(text(f'SELECT count(*) FROM "{schema}"."case"')).scalar_one())


def _require_scheduler_command(app) -> None:
    # app/__init__.py (lead-owned) registers the CLI commands; until it registers
    # app.cli.scheduler_command, `flask scheduler` does not exist and these tests say so.
    if "scheduler" not in app.cli.commands:
        pytest.xfail("app/__init__.py does not register app.cli.scheduler_command yet")


def test_a_worker_serves_only_the_queues_it_is_given(app, app_context, env, admin_engine):
    maintenance = enqueue("kent", jobfuncs.add_case, "KENT-MAINT")
    notification = enqueue("kent", jobfuncs.add_case, "KENT-NOTE", queue_name="notifications")

    done = run_flask(env, "worker", "--queue", "maintenance", "--burst")

    assert done.returncode == 0, done.stderr[-2000:]
    assert maintenance.get_status(refresh=True) == JobStatus.FINISHED
    assert notification.get_status(refresh=True) == JobStatus.QUEUED
    assert queue("notifications").job_ids == [notification.id]
    assert _case_count(admin_engine, "t_kent") == 1


def test_the_queue_option_repeats(app, app_context, env, admin_engine):
    enqueue("kent", jobfuncs.add_case, "KENT-A")
    enqueue("kent", jobfuncs.add_case, "KENT-B", queue_name="notifications")

    done = run_flask(env, "worker", "--queue", "notifications", "--queue", "maintenance", "--burst")

    assert done.returncode == 0, done.stderr[-2000:]
    assert _case_count(admin_engine, "t_kent") == 2


def test_an_unknown_queue_is_refused_and_nothing_runs(app, app_context, env):
    waiting = enqueue("kent", jobfuncs.add_case, "KENT-WAIT")

    done = run_flask(env, "worker", "--queue", "maintenance", "--queue", "mantenance", "--burst")

    assert done.returncode == 2
    assert "'mantenance' is not one of 'notifications', 'provisioning', 'maintenance'" in (
        done.stderr
    )
    assert waiting.get_status(refresh=True) == JobStatus.QUEUED


def test_in_production_a_provisioning_worker_without_the_admin_url_refuses_to_start(services):
    production = ProductionSettings(
        secret_key="p" * 40,
        secrets_key="Q7xXn3o1Yk8m2Jb5r0sVtW4cZ6dEf9gH1iJ2kL3mN4o=",
        smtp_url="smtp://127.0.0.1:1",
        database_url=services.app_url,
        redis_url="redis://127.0.0.1:1/0",  # never reached: the refusal comes first
        base_domain="trackmycrime.example",
    )
    runner = create_app(production).test_cli_runner()

    refused = runner.invoke(worker_command, ["--queue", "provisioning", "--burst"])

    assert refused.exit_code == 2
    assert "the provisioning queue needs ADMIN_DATABASE_URL" in refused.output


def test_the_scheduler_command_exists(app, env):
    _require_scheduler_command(app)
    done = run_flask(env, "scheduler", "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "scheduler [OPTIONS]" in done.stdout


def test_the_scheduler_enqueues_due_jobs_and_stops_cleanly_on_sigterm(app, app_context, env):
    _require_scheduler_command(app)
    redis = app.extensions["tenancy"].redis
    later = queue("maintenance").enqueue_in(
        timedelta(seconds=1), run_for_force, "kent", "tests.integration.jobfuncs.case_references"
    )
    assert later.get_status() == JobStatus.SCHEDULED

    scheduler = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while later.get_status(refresh=True) != JobStatus.QUEUED:
            assert scheduler.poll() is None, scheduler.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "the scheduler never enqueued the due job"
            time.sleep(0.2)
        assert later.id in queue("maintenance").job_ids
        assert all(redis.exists(lock) for lock in SCHEDULER_LOCKS)
    finally:
        scheduler.send_signal(signal.SIGTERM)
        _, stderr = scheduler.communicate(timeout=30)

    assert scheduler.returncode == 0, stderr[-2000:]
    assert not any(redis.exists(lock) for lock in SCHEDULER_LOCKS)  # a successor starts at once
