"""Unit tests are pure: opening a PostgreSQL or Redis connection fails the test.

psycopg2.connect (what SQLAlchemy's engine calls) and every redis-py connection's
connect() raise NoConnectionsInUnitTests, so a unit test that reaches for a server fails
at once and names the cause, instead of quietly depending on one. Tests that need a
database belong in tests/integration.
"""

from __future__ import annotations

import inspect
from typing import Any, NoReturn

import psycopg2
import pytest
import redis.asyncio.connection
import redis.connection


class NoConnectionsInUnitTests(RuntimeError):
    """A unit test tried to open a connection to PostgreSQL or Redis."""


def _refuse(what: str) -> Any:
    def refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
        raise NoConnectionsInUnitTests(
            f"a unit test tried to connect to {what}: move it to tests/integration"
        )

    return refuse


# Every redis-py connection class that defines its own connect(), sync and asyncio
# (found, not listed: a new redis-py release may add one).
REDIS_CONNECTIONS = [
    value
    for module in (redis.connection, redis.asyncio.connection)
    for value in vars(module).values()
    if inspect.isclass(value) and "connect" in vars(value)
]


@pytest.fixture(autouse=True)
def _no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(psycopg2, "connect", _refuse("PostgreSQL"))
    for connection in REDIS_CONNECTIONS:
        monkeypatch.setattr(connection, "connect", _refuse("Redis"))
