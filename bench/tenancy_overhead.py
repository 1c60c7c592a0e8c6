"""P1, tenancy overhead: a signed-in victim's case page with and without tenancy.

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.tenancy_overhead [--quick]

One force, VICTIMS signed-in victims each on a case of their own. Three gunicorn
servers run side by side with config/gunicorn.py and production settings: the app
(`wsgi:app`), the same app with tenancy bypassed (`bench.bypass:app`, see its
docstring) and a plain-Flask hello-world (`bench.hello:app`). wrk drives /cases/<id>
on the first two in alternating rounds, then the app's /healthz against the hello-world.
Ratio: app ÷ bypass req/s per round (target ≥ 0.95).
"""

from __future__ import annotations

import argparse
import os
import statistics
from dataclasses import dataclass
from pathlib import Path

from bench import harness, seed
from bench.harness import Series, Target, say
from bench.report import write_section

SECTION = "bench/tenancy_overhead.py"
TARGET = 0.95
QUICK_NOTE = " QUICK MODE: figures are indicative only."


@dataclass(frozen=True)
class Plan:
    victims: int
    rounds: int
    seconds: float
    warmup: float
    connections: int

    @classmethod
    def of(cls, quick: bool) -> Plan:
        if quick:
            return cls(victims=10, rounds=1, seconds=3, warmup=2, connections=16)
        return cls(victims=200, rounds=6, seconds=15, warmup=10, connections=16)


def case_targets(victims: list[seed.SignedIn]) -> list[Target]:
    return [Target("GET", seed.host(v.slug), f"/cases/{v.case_id}", v.cookie) for v in victims]


def check_page(server: harness.Server, target: Target, marker: str) -> None:
    """The page is the signed-in case page (wrk alone would count a redirect as served)."""
    status, body = harness.fetch(server, target)
    if status != 200 or marker not in body:
        errors = [ln for ln in server.log.read_text().splitlines() if '"ERROR"' in ln]
        raise RuntimeError(f"{server.url}{target.path}: {status}, not the case page: {errors}")


def run(quick: bool, write: bool) -> list[tuple[str, str, str]]:
    plan, load = Plan.of(quick), os.getloadavg()[0]
    with harness.stack() as s:
        [force] = seed.provision(["bench-p1"])
        victims = seed.victims(s.app, force, plan.victims)
        pages = harness.write_targets(case_targets(victims), s.instance / "pages.txt")
        health = harness.write_targets(
            [Target("GET", seed.host(force.slug), "/healthz")], s.instance / "health.txt"
        )
        hello_t = harness.write_targets([Target("GET", "127.0.0.1", "/")], s.instance / "hi.txt")
        with (
            harness.gunicorn(s) as app,
            harness.gunicorn(s, "bench.bypass:app", "bypass", BENCH_BYPASS_FORCE=force.slug) as bp,
            harness.gunicorn(s, "bench.hello:app", "hello") as hello,
        ):
            first = case_targets(victims)[0]
            for server in (app, bp):
                check_page(server, first, "BEN-0000000")
                harness.wrk(server, pages, plan.warmup, plan.connections)
            real, bypass = Series("app"), Series("bypass")
            m_app = harness.CpuMeter(s, {"web": app.process.pid})
            m_bp = harness.CpuMeter(s, {"web": bp.process.pid})
            harness.alternate(
                plan.rounds,
                [
                    (real, harness.metered_wrk(m_app, app, pages, plan.seconds, plan.connections)),
                    (bypass, harness.metered_wrk(m_bp, bp, pages, plan.seconds, plan.connections)),
                ],
                say,
            )
            healthz, hi = Series("/healthz"), Series("hello-world")
            short = max(2.0, plan.seconds / 2)
            harness.alternate(
                max(2, plan.rounds // 2),
                [
                    (healthz, lambda: harness.wrk(app, health, short, plan.connections)),
                    (hi, lambda: harness.wrk(hello, hello_t, short, plan.connections)),
                ],
                say,
            )
        host = harness.machine(load)
    rows = figures(real, bypass, healthz, hi)
    print(harness.table(rows))
    if write:
        write_report(plan, quick, host, rows)
    return [rows[0]]


Row = tuple[str, str, str]


def figures(real: Series, bypass: Series, healthz: Series, hi: Series) -> list[Row]:
    rps = harness.ratios(real, bypass)
    p50 = harness.ratios(bypass, real, "p50_ms")  # bypass ÷ app latency: ≥ 0.95 is good
    cpu = harness.cpu_ratios(bypass, real)
    clean = real.unexplained_errors == bypass.unexplained_errors == 0
    ok = statistics.median(rps) >= TARGET and clean
    return [
        (
            "P1 tenancy overhead: app ÷ bypass, req/s (median of rounds)",
            harness.spread_text(rps),
            f"≥ {TARGET}, no errors (†): {harness.verdict(ok)}",
        ),
        ("P1 same, p50 latency (bypass ÷ app)", harness.spread_text(p50), "reported"),
        (
            "P1 same, CPU per request (bypass ÷ app), rounds without a recycle",
            harness.spread_text(cpu),
            "reported",
        ),
        ("CPU per request, app (web processes, its database backends)", real.cpu(), ""),
        ("CPU per request, tenancy bypassed", bypass.cpu(), ""),
        ("Victim case page, app (`wsgi:app`)", real.cell(), f"load {real.loads()}"),
        ("Victim case page, tenancy bypassed", bypass.cell(), f"load {bypass.loads()}"),
        ("/healthz on the app (no tenancy, no database)", healthz.cell(), "ceiling, for scale"),
        ("Plain-Flask hello-world, same gunicorn settings", hi.cell(), "ceiling, for scale"),
    ]


def write_report(plan: Plan, quick: bool, host: str, rows: list[tuple[str, str, str]]) -> None:
    write_section(
        SECTION,
        f"""## P1: what tenancy costs a victim's page (`bench/tenancy_overhead.py`)

{host}
- Method: one force, {plan.victims} signed-in victims each on a case of their own (three
  published updates, an open duty); wrk (`bench/wrk.lua`, 1 thread, {plan.connections}
  connections, closed loop) rotates through their `/cases/<id>` pages;
  {plan.rounds} rounds of {plan.seconds:g} s per side after {plan.warmup:g} s of warm-up,
  sides alternating (ABBA) so the machine's changing load weighs on both.
  Any status but 200 counts as an error.{QUICK_NOTE if quick else ""}

{harness.table(rows)}

{harness.RESET_NOTE}

**The bypass** (`bench/bypass.py`) serves the same app, views, queries and templates
against the same force schema, minus what tenancy adds per request: Host resolution
(registry lookup), the per-transaction `SET LOCAL ROLE` + `SET LOCAL search_path`, the
`DISCARD ALL` on every pool check-in and the statement guard against role changes. Its
connections become the force's role once, when opened. It cannot be switched on in
production: it is a separate WSGI entry point under bench/ (left out of the image by
.dockerignore, imported by nothing in app/, tenants/ or wsgi.py, no setting names it), and
it refuses any database but a benchmark's throwaway `tmc_test_*` one.

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.tenancy_overhead
""",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run, figures indicative")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=None,
                        help="write docs/benchmarks.md (default: full runs only)")  # fmt: skip
    args = parser.parse_args(argv)
    write = (not args.quick) if args.write is None else args.write
    run(args.quick, write)
    if write:
        say(f"wrote {Path(harness.ROOT / 'docs' / 'benchmarks.md').relative_to(harness.ROOT)}")


if __name__ == "__main__":
    main()
