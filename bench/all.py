"""Every benchmark of issue 15 in one run, then one summary table (`make bench`).

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.all [--quick] [--only p1,p2,...]

Full runs write their sections of docs/benchmarks.md (each its own, via
bench.report.write_section); --quick runs small versions, prints, and writes nothing.
Each benchmark makes and drops its own database, roles, Redis and servers, one after
another: they never run at once, so none measures another's load.
"""

from __future__ import annotations

import argparse
import datetime
import os
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from app import create_app
from bench import big_force, capacity, provisioning, spread, tenancy_overhead
from bench.harness import table
from bench.report import write_section
from config import TestSettings
from tenants import migrate
from tenants.binding import db
from tenants.extension import tenancy
from tests.support.services import test_services

Row = tuple[str, str, str]


P3_FORCES = 5000  # issue 15: provisioning with 5,000 forces present; --p3-forces changes it


def p3(quick: bool, write: bool, present: int = P3_FORCES) -> list[Row]:
    """Provisioning with `present` forces vs none (bench/provisioning.py's own run)."""
    forces, spare = (12, 3) if quick else (present, 100)
    load = os.getloadavg()[0]
    with test_services() as services, tempfile.TemporaryDirectory() as instance:
        app = create_app(
            TestSettings(
                database_url=services.app_url,
                admin_database_url=services.admin_url,
                redis_url=services.redis_url,
                base_domain="localhost",
                db_role_prefix=services.role_prefix,
                instance_path=Path(instance),
            )
        )
        with app.app_context():
            admin = tenancy().admin_engine
            migrate.upgrade_public(admin)
            results = provisioning.run(admin, forces, spare, lambda line: print(line, flush=True))
            host = provisioning.machine(db.engine, load)
            db.engine.dispose()
            admin.dispose()
    rows = provisioning.figures(results)
    print(provisioning.table(rows))
    if write:
        provisioning.write_report(results, host)
    return [(f"P3 {a}", b, c) for a, b, c in rows[1:3]]


BENCHMARKS: dict[str, Callable[[bool, bool], list[Row]]] = {
    "p1": lambda quick, write: tenancy_overhead.run(quick, write),
    "p2": lambda quick, write: spread.run(quick, write, None, None),
    "p5": lambda quick, write: big_force.run(quick, write, None),
    "p6": lambda quick, write: capacity.run(quick, write, None),
    "p3": p3,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small runs, print only")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="e.g. p1,p5")
    parser.add_argument(
        "--p3-forces", type=int, default=P3_FORCES, help="forces present for P3 (≈ 0.3 s each)"
    )
    args = parser.parse_args(argv)
    runners = {**BENCHMARKS, "p3": lambda quick, write: p3(quick, write, args.p3_forces)}
    invocation = f"--only {args.only} --p3-forces {args.p3_forces}"
    summary: list[Row] = []
    started = time.monotonic()
    for name in args.only.split(","):
        print(f"== {name} ==", flush=True)
        begun = time.monotonic()
        try:
            summary += runners[name](args.quick, not args.quick)
        except Exception as error:  # one failing benchmark must not hide the others
            traceback.print_exc()
            summary.append((f"{name.upper()} did not finish", type(error).__name__, "FAIL"))
        print(f"== {name}: {time.monotonic() - begun:.0f} s ==", flush=True)
        if not args.quick:  # after each one: a run cut short still leaves what it measured
            write_summary(summary, invocation, time.monotonic() - started)
    print(f"\nSummary ({'quick' if args.quick else 'full'}, "
          f"{time.monotonic() - started:.0f} s, load now {os.getloadavg()[0]:.1f}):\n")  # fmt: skip
    print(table(summary))


def write_summary(summary: list[Row], only: str, seconds: float) -> None:
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    write_section(
        "bench/all.py",
        f"""## Summary of the last `make bench` (`bench/all.py {only}`)

- Date: {today}; {seconds / 60:.0f} minutes; 1-minute load average at the end
  {os.getloadavg()[0]:.1f} on {len(os.sched_getaffinity(0))} CPUs shared with other agents

{table(summary)}

The sections below give each benchmark's method, every round, the machine and the load.
""",
    )


if __name__ == "__main__":
    main()
