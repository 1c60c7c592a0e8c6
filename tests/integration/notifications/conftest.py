"""Fixtures for the outbox tests: a real SMTP sink, real workers, the force's settings.

Isolation: each test gets its own sink (a fresh maildir under the run's instance path,
stopped afterwards); force settings a test changes are put back; central outbox rows
are deleted. The shared `_isolate` fixture empties the force outboxes and Redis.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import pytest
from rq import SimpleWorker
from sqlalchemy import text

import app.notifications  # noqa: F401 - registers the outbox models before provisioning
from app.models.outbox import CentralOutboxMessage
from app.notifications import Recipient
from app.notifications.sink import SentMail, SinkHandle, read_mail, run_sink
from tenants import registry
from tenants.binding import db, force_scope
from tenants.forces import Force
from tenants.jobs import queue
from tests.integration.notifications.fake_notify import fake_notify  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def sink(settings) -> Iterator[SinkHandle]:
    """A real SMTP server on a free loopback port, found by the app through
    instance/mail/sink.json as in development (no SMTP_URL)."""
    maildir = Path(settings.instance_path) / "mail"
    shutil.rmtree(maildir, ignore_errors=True)
    handle = run_sink("127.0.0.1", 0, maildir)
    yield handle
    handle.stop()
    shutil.rmtree(maildir, ignore_errors=True)


@pytest.fixture(scope="session")
def central_outbox(app) -> None:
    """The public outbox table (until the public migration creates it, the admin role
    creates it from the model; its default privileges let the login role use it)."""
    with app.app_context(), app.extensions["tenancy"].admin_engine.begin() as conn:
        CentralOutboxMessage.__table__.create(conn, checkfirst=True)


@pytest.fixture
def central_rows(central_outbox, admin_engine) -> Iterator[None]:
    yield
    with admin_engine.begin() as conn:
        conn.execute(text("DELETE FROM public.central_outbox_message"))


@pytest.fixture
def force_settings(app, admin_engine) -> Iterator[Callable[[str, dict[str, Any]], None]]:
    """set(slug, notifications) writes force.settings["notifications"]; undone after."""
    changed: list[str] = []

    def set_(slug: str, notifications: dict[str, Any]) -> None:
        with admin_engine.begin() as conn:
            conn.execute(
                text("UPDATE public.tenant SET settings = CAST(:s AS json) WHERE slug = :slug"),
                {"s": json.dumps({"notifications": notifications}), "slug": slug},
            )
        changed.append(slug)
        app.extensions["tenancy"].registry.invalidate()

    yield set_
    with admin_engine.begin() as conn:
        for slug in changed:
            conn.execute(
                text("UPDATE public.tenant SET settings = CAST('{}' AS json) WHERE slug = :s"),
                {"s": slug},
            )
    app.extensions["tenancy"].registry.invalidate()


def force(slug: str) -> Force:
    found = registry.fresh_force(db.engine, slug)
    assert found is not None
    return found


@contextmanager
def in_force(slug: str) -> Iterator[Any]:
    """A unit of work bound to slug (as a job or the CLI runs one): commits at the end."""
    with force_scope(force(slug)) as session:
        yield session


def victim(**changes: Any) -> Recipient:
    values: dict[str, Any] = {
        "kind": "victim",
        "id": uuid.uuid4(),
        "email": f"victim-{uuid.uuid4().hex[:8]}@victim.example",
        "mobile": "07700900123",
        "language": "en",
        "channel": "email",
    }
    values.update(changes)
    return Recipient(**values)


def work(app) -> None:
    """Run every queued notifications job in this process (no fork)."""
    with app.app_context():
        redis = app.extensions["tenancy"].redis
        SimpleWorker([queue("notifications", redis)], connection=redis).work(burst=True)


def mail(sink: SinkHandle) -> list[SentMail]:
    return read_mail(sink.maildir)


def mail_for(sink: SinkHandle, outbox_id: Any) -> list[SentMail]:
    return [m for m in mail(sink) if m.message_id.startswith(f"<{outbox_id}@")]


def rows(admin_engine, schema: str = "t_kent") -> list[Any]:
    with admin_engine.connect() as conn:
        return list(conn.execute(text(f'SELECT * FROM "{schema}".outbox_message')).mappings())


@pytest.fixture
def worker_env(services, settings) -> dict[str, str]:
    """A worker's environment: the login role, this run's Redis and instance (sink.json)."""
    return {
        **os.environ,
        "TMC_ENV": "test",
        "DATABASE_URL": services.app_url,
        "REDIS_URL": services.redis_url,
        "DB_ROLE_PREFIX": settings.db_role_prefix,
        "INSTANCE_PATH": str(settings.instance_path),
        "PYTHONPATH": str(ROOT),
    }


class Workers:
    """Real `flask worker` processes; their output goes to files (a pipe nobody reads
    would fill up and stop them)."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker-{len(self.running)}.log").open("wb")
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "worker"]
        process = subprocess.Popen(
            [*command, "--queue", "notifications", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()  # the child has its own copy
        self.running.append(process)
        return process

    def output(self, process: subprocess.Popen[bytes]) -> str:
        index = self.running.index(process)
        return (self.logs / f"worker-{index}.log").read_text(errors="replace")[-3000:]

    def burst(self, env: dict[str, str], timeout: float = 120) -> None:
        process = self.start(env, "--burst")
        process.wait(timeout=timeout)
        assert process.returncode == 0, self.output(process)

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker and its work horse (RQ puts the horse in a process group
        of its own, so it is found as a child)."""
        horses = psutil.Process(process.pid).children(recursive=True)
        for found in [psutil.Process(process.pid), *horses]:
            found.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        psutil.wait_procs(horses, timeout=30)

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        """Warm shutdown: finish the current job, then exit."""
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                self.kill(process)


@pytest.fixture
def workers(tmp_path) -> Iterator[Workers]:
    """Worker processes started by the test; any still running are killed afterwards."""
    found = Workers(tmp_path)
    yield found
    found.stop_all()


def wait_for(condition: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
