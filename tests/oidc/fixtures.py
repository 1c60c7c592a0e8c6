"""panva's certified oidc-provider (npm, on the machine's Node.js) for end-to-end tests.

    config = PanvaConfig(clients=(PanvaClient(...),), accounts={"officer-1": {...}})
    with panva_provider(config) as provider:          # one Node process, free port
        provider.issuer                                # http://127.0.0.1:<port>
        url = sign_in_with_dev_interactions(start_url, "officer-1", redirect_uri)

Without node and npm the test is skipped with its reason, except in CI (CI=true), where
it fails: there the certified provider must run. node_modules is installed from the
committed lock file by `npm ci`, once, whichever test process gets there first.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.oidc.http_client import Form, HttpClient, HttpResponse

OIDC_DIR = Path(__file__).resolve().parent
NODE_MODULES = OIDC_DIR / "node_modules"
READY_TIMEOUT = 30.0


@dataclass(frozen=True)
class PanvaClient:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...] = ()


@dataclass(frozen=True)
class PanvaConfig:
    """Clients, and accounts by id (the id is the `sub`; the claims go in the id_token)."""

    clients: tuple[PanvaClient, ...]
    accounts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    role_claim: str = "roles"

    def as_json(self) -> str:
        document = asdict(self)
        document["accounts"] = {key: dict(value) for key, value in self.accounts.items()}
        return json.dumps(document)


@dataclass(frozen=True)
class PanvaProvider:
    issuer: str
    log_path: Path

    def log(self) -> str:
        """What the provider printed: for a failing test's message."""
        return self.log_path.read_text(errors="replace")


def node_tools() -> tuple[str, str]:
    """Paths of node and npm; skips the test without them (fails in CI)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return node, npm
    if os.environ.get("CI") == "true":
        pytest.fail("Node is required in CI for the certified OIDC test")
    pytest.skip("node and npm not found: the certified OIDC provider (tests/oidc) cannot run")


def install_node_modules(npm: str) -> None:
    """`npm ci` in tests/oidc unless the locked oidc-provider is already there.

    An exclusive file lock makes parallel pytest-xdist workers install once: the first
    installs, the others wait and then find it done.
    """
    if _installed():
        return
    digest = hashlib.sha256(str(OIDC_DIR).encode()).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"tmc-oidc-npm-{digest}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed():
            return
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, capture_output=True,
            text=True, timeout=600, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"npm ci in tests/oidc failed:\n{done.stdout}\n{done.stderr}")


def _installed() -> bool:
    """node_modules holds the oidc-provider version package-lock.json names."""
    installed = NODE_MODULES / "oidc-provider" / "package.json"
    if not installed.exists():
        return False
    lock = json.loads((OIDC_DIR / "package-lock.json").read_text())
    wanted = lock["packages"]["node_modules/oidc-provider"]["version"]
    return bool(json.loads(installed.read_text())["version"] == wanted)


@pytest.fixture(scope="session")
def oidc_node() -> tuple[str, str]:
    """node and npm, with tests/oidc's packages installed (skip or fail as node_tools)."""
    node, npm = node_tools()
    install_node_modules(npm)
    return node, npm


@contextmanager
def panva_provider(config: PanvaConfig) -> Iterator[PanvaProvider]:
    """Run tests/oidc/provider.mjs with `config` until the block ends.

    Each call is its own Node process with its own keys, clients and sessions, listening
    on a free loopback port; nothing is shared between calls or written to the repo.
    """
    node, npm = node_tools()
    install_node_modules(npm)
    with tempfile.TemporaryDirectory(prefix="tmc-oidc-") as work:
        config_path, log_path = Path(work) / "config.json", Path(work) / "provider.log"
        config_path.write_text(config.as_json())
        env = {**os.environ, "OIDC_TEST_CONFIG": str(config_path)}
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [node, str(OIDC_DIR / "provider.mjs")], cwd=OIDC_DIR, env=env,
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                yield PanvaProvider(_wait_until_ready(process, log_path), log_path)
            finally:
                _stop(process)


def _wait_until_ready(process: subprocess.Popen[bytes], log_path: Path) -> str:
    """The issuer from the provider's READY line (stdout and stderr share the log)."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        for line in log_path.read_text(errors="replace").splitlines():
            if line.startswith("READY "):
                return line.removeprefix("READY ").strip()
        if process.poll() is not None:
            break
        time.sleep(0.05)
    log = log_path.read_text(errors="replace")
    pytest.fail(f"the OIDC test provider did not start (exit {process.poll()}):\n{log}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def sign_in_with_dev_interactions(
    start_url: str, login: str, redirect_uri: str, client: HttpClient | None = None
) -> str:
    """Go from an authorization URL to the provider's redirect back to `redirect_uri`,
    through oidc-provider's built-in login form (account id `login`, any password) and
    consent form. Returns that redirect's URL, not fetched: `…?code=…&state=…&iss=…`
    on success, `…?error=…` when the provider refused the request."""
    client = client or HttpClient()
    response = client.get(start_url)
    for _ in range(12):
        target = response.location
        if target is not None and target.startswith(redirect_uri):
            return target
        if target is not None:
            response = client.get(target)
            continue
        form = _interaction_form(response)
        answers = {"login": login, "password": "any"} if form.fields["prompt"] == "login" else {}
        response = client.submit(form, **answers)
    raise AssertionError(f"no redirect to {redirect_uri} after 12 steps; last: {response.url}")


def _interaction_form(response: HttpResponse) -> Form:
    forms = [form for form in response.forms() if "prompt" in form.fields]
    if response.status != 200 or not forms:
        raise AssertionError(f"expected a sign-in or consent page, got {response.status}:\n"
                             f"{response.text[:2000]}")  # fmt: skip
    return forms[0]


def confirm_dev_logout(end_session_url: str, client: HttpClient | None = None) -> HttpResponse:
    """Open the provider's end-session URL and press "Yes, sign me out" on its
    confirmation page; returns the provider's answer to that (a redirect to the
    post_logout_redirect_uri, or its success page)."""
    client = client or HttpClient()
    page = client.get(end_session_url)
    forms = [form for form in page.forms() if "xsrf" in form.fields]
    if page.status != 200 or not forms:
        return page
    return client.submit(forms[0], logout="yes")
