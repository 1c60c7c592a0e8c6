"""One process owns the embedded servers; every other command connects and leaves them be.

Each test runs the real `flask --app wsgi …` commands in subprocesses on an instance
directory of this module's own (its own PostgreSQL data and Redis), with no URLs and no
XDG_RUNTIME_DIR in the environment, as a new user's shell has. Every test ends with the
servers stopped, so the next one starts from nothing running.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rq.job import Job, JobStatus

from app import create_app
from config import TestSettings
from tenants.embedded import STATE_FILE, ServiceState, running
from tenants.jobs import enqueue
from tests.integration import jobfuncs
from tests.support.processes import run_flask

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger(__name__)


@pytest.fixture(scope="module")
def instance() -> Iterator[Path]:
    """An instance dir for this module only; nothing left running in it afterwards.

    Under instance/test, not pytest's tmp dir: PostgreSQL runs as another user when we
    are root, and pytest makes its own dir private again whenever any run starts.
    """
    path = ROOT / "instance" / "test" / f"embedded-{secrets.token_hex(3)}"
    path.mkdir(parents=True)
    yield path
    if (path / "pgdata" / "postmaster.pid").exists():  # a failed test left orphans
        _flask(path, "tenants", "list")  # adopts them, and stops them as it exits
    shutil.rmtree(path)


def _env(instance: Path) -> dict[str, str]:
    unset = {"DATABASE_URL", "REDIS_URL", "XDG_RUNTIME_DIR", "DB_ROLE_PREFIX"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return {**env, "TMC_ENV": "development", "INSTANCE_PATH": str(instance),
            "PYTHONPATH": str(ROOT)}  # fmt: skip


def _flask(instance: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one CLI command to the end, timed (reported, never asserted)."""
    started = time.perf_counter()
    done = run_flask(_env(instance), *args)
    log.info("flask %s: %.2f s", " ".join(args), time.perf_counter() - started)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "RuntimeDirWarning" not in done.stderr
    return done


@contextmanager
def _background(instance: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    """A long-running flask command; killed at the end if the test did not stop it."""
    log_file = (instance / f"{args[0]}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=_env(instance),
        stdin=subprocess.PIPE, stdout=log_file, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=30)  # also closes its stdin
        log_file.close()


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _owned_by(instance: Path, pid: int) -> ServiceState:
    """Wait until the servers run and services.json names pid as their owner."""
    _wait_for(lambda: (s := running(instance)) is not None and s.owner_pid == pid, "services")
    state = running(instance)
    assert state is not None
    return state


def _answers(path: str) -> bool:
    with socket.socket(socket.AF_UNIX) as probe:
        return probe.connect_ex(path) == 0


def _assert_stopped(instance: Path, state: ServiceState) -> None:
    assert not _answers(state.postgres_socket)
    assert not _answers(state.redis_socket)
    assert not (instance / STATE_FILE).exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _finished(job: Job) -> Job:
    done = (JobStatus.FINISHED, JobStatus.FAILED)
    _wait_for(lambda: job.get_status(refresh=True) in done, f"job {job.id}", timeout=60)
    assert job.get_status() == JobStatus.FINISHED, job.latest_result()
    return job


def test_cli_commands_on_the_running_demo_leave_its_servers_and_worker_working(instance):
    port = _free_port()
    with _background(instance, "demo", "run", "--port", str(port)) as demo:
        state = _owned_by(instance, demo.pid)
        _wait_for(lambda: _port_open(port), "the demo's web server")

        _flask(instance, "tenants", "create", "essex", "--name", "Essex Police")
        _flask(instance, "tenants", "suspend", "essex")
        _flask(instance, "tenants", "resume", "essex")
        assert "essex" in _flask(instance, "tenants", "list").stdout
        assert running(instance) == state  # same servers, same owner, still answering

        # The demo's own worker still reaches Redis and runs jobs.
        settings = TestSettings(database_url=state.database_url, redis_url=state.redis_url,
                                base_domain="localhost", instance_path=instance)  # fmt: skip
        with create_app(settings).app_context():
            _finished(enqueue("essex", jobfuncs.add_case, "ESSEX-1"))
            listed = _finished(enqueue("essex", jobfuncs.case_references))
        assert listed.return_value() == ["ESSEX-1"]

        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=60)
    _assert_stopped(instance, state)
    assert "RuntimeDirWarning" not in (instance / "demo.log").read_text()


def test_a_command_that_started_the_servers_stops_them_and_one_that_found_them_does_not(
    instance,
):
    # `flask shell` waits on its stdin: a command that runs as long as the test likes.
    with _background(instance, "shell") as owner:
        state = _owned_by(instance, owner.pid)
        _flask(instance, "tenants", "upgrade-public")
        assert running(instance) == state

        owner.communicate("", timeout=60)  # end of input: the shell exits normally
    _assert_stopped(instance, state)


def test_servers_whose_owner_died_are_adopted_and_stopped_by_the_next_command(instance):
    with _background(instance, "shell") as owner:
        state = _owned_by(instance, owner.pid)
        owner.kill()  # no chance to clean up: the servers keep running, the file is stale
        owner.wait(timeout=30)
    assert _answers(state.postgres_socket)
    assert running(instance) is None

    _flask(instance, "tenants", "upgrade-public")
    _assert_stopped(instance, state)
