"""A real gunicorn, with config/gunicorn.py, serving the app on loopback.

Requests carry a victim's name, email and message text in the form body and the query
string; none of it may appear in any line gunicorn or the app writes, access log
included. Every line must be JSON, and no response may say `Server: gunicorn`.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from config.settings import REPO_ROOT

VICTIM = {
    "name": "Philippa Quarrendon",
    "email": "philippa.quarrendon@example.org",
    "message": "He followed me home from Ashford station again",
}
FORCE_HOST = "dyfed-powys.localhost"  # Welsh, so /language/cy answers


@dataclass
class Served:
    port: int
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def request(self, method: str, path: str, body: str | None = None) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Host": FORCE_HOST}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    def stop(self) -> list[str]:
        """SIGTERM (as Kubernetes sends it), then every line written, stdout and stderr."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return self.stdout.read_text().splitlines() + self.stderr.read_text().splitlines()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(served: Served) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError("gunicorn exited:\n" + served.stderr.read_text())
        try:
            if served.request("GET", "/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer /healthz in 30 s")


@pytest.fixture
def gunicorn(app, settings, tmp_path: Path) -> Iterator[Served]:
    """gunicorn on a free loopback port against the run's database and Redis; stopped after."""
    port = _free_port()
    env = {
        **os.environ,
        "TMC_ENV": "test",
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "DB_ROLE_PREFIX": settings.db_role_prefix,
        "BASE_DOMAIN": "localhost",
        "INSTANCE_PATH": str(settings.instance_path),
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
    }
    stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "wsgi:app"],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=err,
        )  # fmt: skip
    served = Served(port, process, stdout, stderr)
    try:
        _wait_until_serving(served)
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_victim_data_in_forms_and_query_strings_never_reaches_any_log(gunicorn):
    query, form = urlencode(VICTIM), urlencode(VICTIM)
    responses = [
        gunicorn.request("GET", f"/?{query}"),
        gunicorn.request("GET", f"/language/cy?next=/&{query}"),
        gunicorn.request("POST", f"/exit?{query}", body=form),  # refused: no CSRF token
        gunicorn.request("POST", f"/?{query}", body=form),  # 405
        gunicorn.request("GET", f"/no-such-page?{query}"),
    ]
    lines = gunicorn.stop()
    assert [r.status for r in responses] == [200, 302, 400, 405, 404]
    text = "\n".join(lines)
    for value in (*VICTIM.values(), "Philippa", "Quarrendon", "Ashford"):
        assert value not in text
    parsed = [json.loads(line) for line in lines if line.strip()]  # every line is JSON
    access = [entry for entry in parsed if entry["logger"] == "gunicorn.access"]
    assert [(a["method"], a["route"], a["status"]) for a in access] == [
        ("GET", "/", 200),
        ("GET", "/language/<code>", 302),
        ("POST", "/exit", 400),
        ("POST", "-", 405),  # no route matched the method
        ("GET", "-", 404),
    ]
    assert {a["force"] for a in access} == {"dyfed-powys"}
    app_lines = [entry for entry in parsed if entry["message"] == "request"]
    assert [a["request_id"] for a in access] == [a["request_id"] for a in app_lines]


def test_no_response_names_gunicorn_in_a_server_header(gunicorn):
    ok = gunicorn.request("GET", "/")
    missing = gunicorn.request("GET", "/no-such-page")
    probe = gunicorn.request("GET", "/healthz")
    gunicorn.stop()
    for response in (ok, missing, probe):
        assert response.getheader("Server") is None
        assert response.getheader("X-Request-Id")
