"""What per-force login roles would cost in connections (docs/security.md).

Run by hand from the repository root, against a server where you may create and drop
a database and roles (about a minute):

    .venv/bin/python -m bench.connection_roles \\
        [--superuser-url postgresql://postgres@127.0.0.1:5432/postgres] \\
        [--forces 43 200] [--requests 2000] [--connections 200] [--budget 20]

It makes a throwaway database with one schema and one small table per force, the
shared NOINHERIT login role we use, and a login role per force (the alternative), then:

1. **New connection + first query**, N times: as the shared role (BEGIN, SET LOCAL ROLE,
   SET LOCAL search_path, SELECT) and as the force's own login role (SELECT).
2. **A stream of requests** spread over every force in random order, one at a time, as
   one process would serve them:
   - shared role, one pool (a request borrows any connection and binds its force);
   - a pool per force, every connection kept (no churn, but connections = forces);
   - a pool per force under a connection budget (least recently used closed first):
     the churn a real max_connections forces on you.

It prints the figures and drops everything it made. The server's authentication
matters: trust costs nothing per connection, SCRAM-SHA-256 costs a few milliseconds.
"""

from __future__ import annotations

import argparse
import platform
import random
import secrets
import statistics
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg2
from sqlalchemy import make_url

from tenants.names import quoted

PASSWORD = secrets.token_urlsafe(16)  # used only if the server asks (SCRAM); dropped after


@dataclass(frozen=True)
class Setup:
    """The throwaway database's URLs and names."""

    superuser_url: str  # on the throwaway database
    shared_url: str  # the shared login role
    force_urls: list[str]  # each force role, logging in itself
    force_roles: list[str]
    schemas: list[str]


def _connect(url: str) -> Any:
    u = make_url(url)
    return psycopg2.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database
    )


def _run(url: str, statements: list[str]) -> None:
    conn = _connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    conn.close()


@contextmanager
def throwaway(superuser_url: str, forces: int) -> Iterator[Setup]:
    """A database, a shared login role, and per force: a role that may log in, a schema."""
    tag = secrets.token_hex(3)
    database, shared = f"bench_conn_{tag}", f"bench_login_{tag}"
    force_roles = [f"bench_{tag}_f{i}" for i in range(forces)]
    schemas = [f"t_bench_{i}" for i in range(forces)]
    password = f"PASSWORD '{PASSWORD}'"  # token_urlsafe: no quote can appear in it
    _run(superuser_url, [f"CREATE DATABASE {quoted(database)}"])
    on_db = make_url(superuser_url).set(database=database)
    roles = [
        f"CREATE ROLE {quoted(shared)} LOGIN NOINHERIT {password}",
        f"ALTER ROLE {quoted(shared)} SET search_path = ''",
    ]
    for role, schema in zip(force_roles, schemas, strict=True):
        # The alternative design: the force role itself may log in (its own password).
        roles += [
            f"CREATE ROLE {quoted(role)} LOGIN {password}",
            f"GRANT {quoted(role)} TO {quoted(shared)}",
            f"CREATE SCHEMA {quoted(schema)} AUTHORIZATION {quoted(role)}",
            f'CREATE TABLE {quoted(schema)}."case" (id int PRIMARY KEY, ref text)',
            # A force's own login role finds its tables unqualified, as ours do bound.
            f"ALTER ROLE {quoted(role)} SET search_path = {quoted(schema)}",
            f"SET search_path TO {quoted(schema)}",
            "INSERT INTO \"case\" SELECT g, 'REF-' || g FROM generate_series(1, 10) g",
            f'ALTER TABLE {quoted(schema)}."case" OWNER TO {quoted(role)}',
        ]
    try:
        _run(on_db.render_as_string(False), roles)
        as_role = on_db.set(password=PASSWORD)
        yield Setup(
            on_db.render_as_string(False),
            as_role.set(username=shared).render_as_string(False),
            [as_role.set(username=role).render_as_string(False) for role in force_roles],
            force_roles,
            schemas,
        )
    finally:
        _run(superuser_url, [f"DROP DATABASE IF EXISTS {quoted(database)} WITH (FORCE)"])
        _run(superuser_url, [f"DROP ROLE IF EXISTS {quoted(r)}" for r in [shared, *force_roles]])


def shared_request(conn: Any, role: str, schema: str) -> None:
    """One request as the app makes it: bind the force for the transaction, read."""
    with conn.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {quoted(role)}")
        cursor.execute(f"SET LOCAL search_path TO {quoted(schema)}")
        cursor.execute('SELECT count(*) FROM "case"')
        cursor.fetchone()
    conn.commit()


def own_request(conn: Any) -> None:
    """One request as a force's own login role: nothing to bind."""
    with conn.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM "case"')
        cursor.fetchone()
    conn.commit()


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered) * 1000:6.2f} ms, p95 {p95 * 1000:6.2f} ms"


def new_connections(setup: Setup, n: int) -> dict[str, str]:
    """Time n fresh connections plus their first query, for each design."""
    shared, own = [], []
    for i in range(n):
        f = i % len(setup.schemas)
        start = time.perf_counter()
        conn = _connect(setup.shared_url)
        shared_request(conn, setup.force_roles[f], setup.schemas[f])
        shared.append(time.perf_counter() - start)
        conn.close()
        start = time.perf_counter()
        conn = _connect(setup.force_urls[f])
        own_request(conn)
        own.append(time.perf_counter() - start)
        conn.close()
    return {"shared login role": _ms(shared), "login role per force": _ms(own)}


def _timed(order: list[int], request: Callable[[int], None]) -> float:
    """Requests per second over order (one force index per request)."""
    start = time.perf_counter()
    for f in order:
        request(f)
    return len(order) / (time.perf_counter() - start)


def one_shared_pool(setup: Setup, order: list[int]) -> str:
    """Our design: any connection serves any force (one at a time needs one)."""
    conn = _connect(setup.shared_url)
    try:
        rate = _timed(order, lambda f: shared_request(conn, setup.force_roles[f], setup.schemas[f]))
    finally:
        conn.close()
    return f"{rate:7.0f} req/s, 1 connection opened, 1 held"


def pool_per_force_all_kept(setup: Setup, order: list[int]) -> str:
    """A connection per force, never closed: no churn, but connections = forces."""
    kept: dict[int, Any] = {}

    def request(f: int) -> None:
        if f not in kept:
            kept[f] = _connect(setup.force_urls[f])
        own_request(kept[f])

    try:
        rate = _timed(order, request)
    except psycopg2.OperationalError as error:  # too many clients
        return f"failed at connection {len(kept) + 1}: {str(error).strip().splitlines()[-1]}"
    finally:
        for conn in kept.values():
            conn.close()
    return f"{rate:7.0f} req/s, {len(kept)} connections opened, {len(kept)} held"


def pool_per_force_within(setup: Setup, order: list[int], budget: int) -> str:
    """A connection per force, at most budget open (least recently used closed first)."""
    lru: OrderedDict[int, Any] = OrderedDict()
    opened = 0

    def request(f: int) -> None:
        nonlocal opened
        if f in lru:
            lru.move_to_end(f)
        else:
            if len(lru) >= budget:
                lru.popitem(last=False)[1].close()
            lru[f] = _connect(setup.force_urls[f])
            opened += 1
        own_request(lru[f])

    try:
        rate = _timed(order, request)
    finally:
        for conn in lru.values():
            conn.close()
    return f"{rate:7.0f} req/s, {opened} connections opened, {len(lru)} held"


def request_streams(setup: Setup, requests: int, budget: int) -> dict[str, str]:
    """Requests per second and connections opened/held for each pooling design."""
    forces = len(setup.schemas)
    order = [random.randrange(forces) for _ in range(requests)]  # noqa: S311 - not crypto
    return {
        "shared role, one pool": one_shared_pool(setup, order),
        "pool per force, all kept": pool_per_force_all_kept(setup, order),
        f"pool per force, budget {budget}": pool_per_force_within(setup, order, budget),
    }


def _server(superuser_url: str) -> str:
    conn = _connect(superuser_url)
    with conn.cursor() as cursor:
        cursor.execute("SELECT version(), current_setting('max_connections')")
        version, max_connections = cursor.fetchone()
    conn.close()
    return f"{version.split(' on ')[0]}, max_connections {max_connections}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--superuser-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--forces", type=int, nargs="+", default=[43, 200])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--budget", type=int, default=20)
    args = parser.parse_args()
    print(f"{_server(args.superuser_url)}; {platform.processor() or platform.machine()}")
    for forces in args.forces:
        with throwaway(args.superuser_url, forces) as setup:
            print(f"\n{forces} forces: {args.connections} new connections + first query")
            for name, figure in new_connections(setup, args.connections).items():
                print(f"  {name:<28} {figure}")
            print(f"{forces} forces: {args.requests} requests, random force each, one at a time")
            for name, figure in request_streams(setup, args.requests, args.budget).items():
                print(f"  {name:<28} {figure}")


if __name__ == "__main__":
    main()
