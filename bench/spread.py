"""P2, spread across forces: the victim case page over 1,000 forces vs all on one force.

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.spread [--quick] [--forces 1000]

FORCES forces are provisioned with one signed-in victim each, plus one more force with
FORCES victims: the same number of sessions and cases either way. One gunicorn server
(`wsgi:app`, production settings) serves both; wrk alternates between the spread targets
(one request per force in turn) and the one-force targets. Ratio: spread ÷ one force
req/s per round (target ≥ 0.9).

PostgreSQL caches the catalogue rows and relation descriptors each backend touches
(catcache, relcache), per backend and never shrunk while the backend lives. A pooled
connection that serves every force in turn ends up caching every force's tables, so
the benchmark also reports the memory of the login role's backends after each side.
A gunicorn worker recycled after max_requests (20,000 by default; it was 2,000) takes
its pool, and so its backends' caches, with it: `--max-requests N` serves with
GUNICORN_MAX_REQUESTS=N (0: never) to see the page with backends that stay warm.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bench import harness, seed
from bench.harness import Series, Target, say
from bench.report import write_section
from tenants import binding, registry
from tenants.binding import db
from tenants.forces import Force

SECTION = "bench/spread.py"
TARGET = 0.9
Row = tuple[str, str, str]


@dataclass(frozen=True)
class Plan:
    forces: int
    rounds: int
    seconds: float
    warmup: float
    connections: int

    @classmethod
    def of(cls, quick: bool, forces: int | None) -> Plan:
        if quick:
            return cls(forces or 20, rounds=1, seconds=3, warmup=2, connections=16)
        return cls(forces or 1000, rounds=4, seconds=20, warmup=30, connections=16)


@dataclass(frozen=True)
class Memory:
    backends: int
    total_mb: float
    largest_mb: float

    def text(self) -> str:
        return (
            f"{self.backends} backends, {self.total_mb:.0f} MB private memory in all, "
            f"largest {self.largest_mb:.0f} MB"
        )


def backend_memory(superuser_url: str, login_role: str) -> Memory:
    """Private (anonymous) memory of the login role's backends, from /proc."""
    engine = create_engine(superuser_url)
    with engine.connect() as conn:
        pids = conn.scalars(
            text("SELECT pid FROM pg_stat_activity WHERE usename = :role"), {"role": login_role}
        ).all()
    engine.dispose()
    sizes = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        kb = next((int(ln.split()[1]) for ln in status if ln.startswith("RssAnon:")), 0)
        sizes.append(kb / 1024)
    return Memory(len(sizes), sum(sizes), max(sizes, default=0.0))


# The tables the victim case page reads, one row each (the catalogue work is per table).
_PAGE_TABLES = ("case", "case_victim", "case_event", "duty", "officer", "victim",
                "signed_in_session", "message", "support_service")  # fmt: skip


@dataclass(frozen=True)
class CatalogCost:
    forces: int
    cold_ms: float  # median, first transaction on a force in this backend
    warm_ms: float  # median, the same transaction again
    rss_before_mb: float
    rss_after_mb: float

    @property
    def per_force_kb(self) -> float:
        return (self.rss_after_mb - self.rss_before_mb) * 1024 / self.forces


def catalog_cost(s: harness.Stack, forces: list[Force]) -> CatalogCost:
    """One login-role connection binds each force as a request does and reads one row from
    each table the case page reads: first pass cold, second warm; and the backend's
    private memory before and after caching every force's relations."""
    engine = create_engine(s.services.app_url, poolclass=NullPool)
    with engine.connect() as conn:
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
        conn.commit()
        before = _rss_mb(int(pid or 0))
        passes = []
        for _ in range(2):
            times = []
            for force in forces:
                start = time.perf_counter()
                with conn.begin():
                    binding.apply_binding(conn, force)
                    for table in _PAGE_TABLES:
                        conn.exec_driver_sql(f'SELECT * FROM "{table}" LIMIT 1')  # noqa: S608
                times.append((time.perf_counter() - start) * 1000)
            passes.append(statistics.median(times))
        after = _rss_mb(int(pid or 0))
    engine.dispose()
    return CatalogCost(len(forces), passes[0], passes[1], before, after)


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return next(int(ln.split()[1]) for ln in status if ln.startswith("RssAnon:")) / 1024


def registry_reload_ms() -> float:
    """One registry reload (every web process does one each REGISTRY_TTL_SECONDS)."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        registry.load_all(db.engine)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def seed_forces(s: harness.Stack, count: int) -> tuple[list[Target], list[Target], list[Force]]:
    """(spread targets: one victim on each of count forces; one-force targets: count
    victims on a single force; the spread forces)."""
    slugs = [f"bench-s{i:04d}" for i in range(count)]
    forces = seed.provision([*slugs, "bench-one"], say)
    spread = []
    for number, force in enumerate(forces[:-1], start=1):
        [v] = seed.victims(s.app, force, 1)
        spread.append(Target("GET", seed.host(v.slug), f"/cases/{v.case_id}", v.cookie))
        if number % 250 == 0:
            say(f"seeded {number}/{count} forces")
    one = [
        Target("GET", seed.host(v.slug), f"/cases/{v.case_id}", v.cookie)
        for v in seed.victims(s.app, forces[-1], count)
    ]
    random.Random(7).shuffle(spread)  # noqa: S311 - an order, not a secret
    return spread, one, forces[:-1]


def run(quick: bool, write: bool, forces: int | None, max_requests: int | None) -> list[Row]:
    plan, load = Plan.of(quick, forces), os.getloadavg()[0]
    if max_requests == 0 and not quick:
        # Workers that are never recycled keep their backends: give every backend time
        # to meet every force before measuring (~8 backends x N forces first touches).
        plan = dataclasses.replace(plan, warmup=max(plan.warmup, 180))
    with harness.stack() as s:
        spread_t, one_t, spread_forces = seed_forces(s, plan.forces)
        reload_ms = registry_reload_ms()
        catalog = catalog_cost(s, spread_forces)
        say(f"catalogue: cold {catalog.cold_ms:.1f} ms, warm {catalog.warm_ms:.1f} ms, "
            f"{catalog.per_force_kb:.0f} KB per force")  # fmt: skip
        spread_f = harness.write_targets(spread_t, s.instance / "spread.txt")
        one_f = harness.write_targets(one_t, s.instance / "one.txt")
        env = {} if max_requests is None else {"GUNICORN_MAX_REQUESTS": str(max_requests)}
        memory: dict[str, Memory] = {}
        with harness.gunicorn(s, **env) as app:
            for targets in (spread_t[0], one_t[0]):
                status, body = harness.fetch(app, targets)
                if status != 200 or "BEN-0000000" not in body:
                    raise RuntimeError(f"{targets.host}{targets.path}: {status}")
            for path in (one_f, spread_f):
                harness.wrk(app, path, plan.warmup, plan.connections)
            spread, one = Series(f"{plan.forces} forces"), Series("one force")
            meter = harness.CpuMeter(s, {"web": app.process.pid})

            def side(series: Series, path: Path) -> harness.Run:
                result = harness.metered(
                    meter, lambda: harness.wrk(app, path, plan.seconds, plan.connections)
                )
                memory[series.name] = backend_memory(
                    s.services.superuser_url, s.services.login_role
                )
                return result

            harness.alternate(
                plan.rounds,
                [(spread, lambda: side(spread, spread_f)), (one, lambda: side(one, one_f))],
                say,
            )
        host = harness.machine(load)
    rows = figures(plan, spread, one, memory, reload_ms, max_requests) + catalog_rows(catalog)
    print(harness.table(rows))
    if write:
        write_report(plan, quick, host, rows, max_requests)
    return [rows[0]]


def figures(
    plan: Plan,
    spread: Series,
    one: Series,
    memory: dict[str, Memory],
    reload_ms: float,
    max_requests: int | None,
) -> list[Row]:
    rps = harness.ratios(spread, one)
    p95 = harness.ratios(one, spread, "p95_ms")
    cpu = harness.cpu_ratios(one, spread)
    ok = (
        statistics.median(rps) >= TARGET
        and spread.unexplained_errors == one.unexplained_errors == 0
    )
    life = (
        "production settings, workers recycled every ~20,000 requests"
        if max_requests is None
        else f"GUNICORN_MAX_REQUESTS={max_requests}"
    )
    return [
        (
            f"P2 spread: {plan.forces} forces ÷ one force, req/s ({life})",
            harness.spread_text(rps),
            f"≥ {TARGET}, no errors (†): {harness.verdict(ok)}",
        ),
        ("P2 same, p95 latency (one force ÷ spread)", harness.spread_text(p95), "reported"),
        (
            "P2 same, CPU per request (one force ÷ spread), rounds without a recycle",
            harness.spread_text(cpu),
            "reported",
        ),
        ("CPU per request, spread", spread.cpu(), ""),
        ("CPU per request, one force", one.cpu(), ""),
        (f"Case page spread over {plan.forces} forces", spread.cell(), f"load {spread.loads()}"),
        (f"Case page, {plan.forces} victims on one force", one.cell(), f"load {one.loads()}"),
        ("Login role's backends after the spread side", memory[spread.name].text(), "reported"),
        ("Login role's backends after the one-force side", memory[one.name].text(), "reported"),
        (
            f"Registry reload with {plan.forces + 1} forces (each process, every 2 s)",
            f"{reload_ms:.1f} ms",
            "reported",
        ),
    ]


def catalog_rows(c: CatalogCost) -> list[Row]:
    return [
        (
            "First request for a force on a backend (bind + one row from each of the "
            f"{len(_PAGE_TABLES)} tables the page reads), median over {c.forces} forces",
            f"cold {c.cold_ms:.1f} ms, warm {c.warm_ms:.1f} ms "
            f"(+{c.cold_ms - c.warm_ms:.1f} ms the first time)",
            "reported",
        ),
        (
            f"Backend private memory after caching {c.forces} forces' relations",
            f"{c.rss_before_mb:.0f} MB → {c.rss_after_mb:.0f} MB, "
            f"≈ {c.per_force_kb:.0f} KB per force",
            "reported",
        ),
    ]


def write_report(
    plan: Plan, quick: bool, host: str, rows: list[Row], max_requests: int | None
) -> None:
    note = " QUICK MODE: figures are indicative only." if quick else ""
    flag = "" if max_requests is None else f" --max-requests {max_requests}"
    write_section(
        SECTION + ("" if max_requests is None else f" max_requests={max_requests}"),
        f"""## P2: one victim page, spread over {plan.forces} forces (`bench/spread.py{flag}`)

{host}
- Method: {plan.forces} forces with one signed-in victim each, and one more force with
  {plan.forces} victims; one gunicorn server serves both. wrk (1 thread,
  {plan.connections} connections, closed loop) goes round the spread targets (every
  force in turn, shuffled) or the one-force targets; {plan.rounds} rounds of
  {plan.seconds:g} s per side, alternating, after {plan.warmup:g} s of warm-up on each.
  Backend memory is the RssAnon of the login role's PostgreSQL backends after each side.{note}

{harness.table(rows)}

{harness.RESET_NOTE}

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.spread --forces {plan.forces}{flag}
""",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run, figures indicative")
    parser.add_argument("--forces", type=int, default=None)
    parser.add_argument("--max-requests", type=int, default=None, help="gunicorn's; 0: never")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=None)
    args = parser.parse_args(argv)
    write = (not args.quick) if args.write is None else args.write
    run(args.quick, write, args.forces, args.max_requests)


if __name__ == "__main__":
    main()
