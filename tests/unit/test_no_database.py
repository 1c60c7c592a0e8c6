"""Unit tests cannot reach PostgreSQL or Redis (tests/unit/conftest.py)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import redis
import redis.asyncio
from sqlalchemy import create_engine, text

from tests.unit.conftest import NoConnectionsInUnitTests

pytestmark = pytest.mark.unit

# Addresses that would answer if anything were listening; the refusal comes first.
PG_URL = "postgresql+psycopg2://nobody@127.0.0.1:5432/nothing"
REDIS_URL = "redis://127.0.0.1:6379/0"


def test_psycopg2_cannot_connect():
    with pytest.raises(NoConnectionsInUnitTests, match="PostgreSQL"):
        psycopg2.connect(PG_URL.replace("+psycopg2", ""))


def test_a_sqlalchemy_engine_cannot_connect():
    engine = create_engine(PG_URL)
    with pytest.raises(NoConnectionsInUnitTests, match="PostgreSQL"), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()


@pytest.mark.parametrize(
    "url", [REDIS_URL, "unix:///tmp/tmc-no-such-redis.sock"], ids=["tcp", "unix"]
)
def test_redis_cannot_connect(url):
    client = redis.Redis.from_url(url)
    with pytest.raises(NoConnectionsInUnitTests, match="Redis"):
        client.ping()
    client.close()


def test_asyncio_redis_cannot_connect():
    async def ping() -> None:
        client = redis.asyncio.Redis.from_url(REDIS_URL)
        try:
            await client.ping()
        finally:
            await client.aclose()

    with pytest.raises(NoConnectionsInUnitTests, match="Redis"):
        # A thread of its own: browser tests leave an event loop running in this one.
        ThreadPoolExecutor(1).submit(asyncio.run, ping()).result()
