"""How provisioning and tenant migrations scale with the number of forces.

Run from the repository root (about two minutes for 1,000 forces on two cores):

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.provisioning [--forces 1000]

It gets a database and login role of its own exactly as the tests do (embedded
PostgreSQL under instance/test, or TEST_DATABASE_URL), creates N forces, times a
no-op migrate_all and a pending three-operation migration, prints the figures, writes
docs/benchmarks.md, and drops everything it made.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from app import create_app
from bench.report import write_section
from config import TestSettings
from tenants import migrate
from tenants.binding import db
from tenants.extension import tenancy
from tenants.forces import NewForce
from tests.support.services import test_services

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
WINDOW = 50  # forces at each end of the run whose provisioning times are compared
PROVISION_TARGET_S, FLATNESS_TARGET, NOOP_TARGET_PER_1000_S = 0.2, 1.2, 10.0

EXTRA_REVISION = '''"""Benchmark only: three operations on every force."""

import sqlalchemy as sa
from alembic import op

revision = "bench0001"
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case", sa.Column("bench_note", sa.String(200), nullable=True))
    op.create_table(
        "bench_tag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(40), nullable=False),
    )
    op.create_index("ix_bench_tag_label", "bench_tag", ["label"])


def downgrade() -> None:
    op.drop_index("ix_bench_tag_label", "bench_tag")
    op.drop_table("bench_tag")
    op.drop_column("case", "bench_note")
'''


@dataclass(frozen=True)
class Spread:
    median: float
    p95: float

    @classmethod
    def of(cls, seconds: list[float]) -> Spread:
        p95 = statistics.quantiles(seconds, n=20, method="inclusive")[-1]
        return cls(statistics.median(seconds), p95)


@dataclass(frozen=True)
class MigrationRun:
    parallel: int
    forces: int
    seconds: float
    failed: int  # forces migrate_all reported as failed
    incomplete: int  # forces lacking one of the three changes afterwards
    stamped_incomplete: int  # of those, forces the registry records at head anyway

    @property
    def per_force(self) -> float:
        return self.seconds / self.forces

    @property
    def sound(self) -> bool:
        return self.failed == 0 and self.incomplete == 0


@dataclass(frozen=True)
class Results:
    forces: int
    window: int  # forces at each end compared (WINDOW, or fewer in a small run)
    first: Spread
    last: Spread
    noop_seconds: float
    migrations: list[MigrationRun]

    @property
    def flatness(self) -> float:
        return self.last.median / self.first.median


def slugs(prefix: str, count: int) -> list[str]:
    return [f"bench-{prefix}{i:04d}" for i in range(1, count + 1)]


def provision_all(engine: Engine, names: list[str]) -> list[float]:
    """Provision each force in turn; the seconds each one took."""
    t = tenancy()
    seconds = []
    for slug in names:
        start = time.perf_counter()
        t.provision(NewForce(slug, f"Bench force {slug}"))
        seconds.append(time.perf_counter() - start)
    return seconds


def timed_noop(engine: Engine, names: list[str]) -> float:
    """Seconds for migrate_all over names, all already at head."""
    start = time.perf_counter()
    report = migrate.migrate_all(engine, slugs=names)
    seconds = time.perf_counter() - start
    if len(report.skipped) != len(names):
        raise RuntimeError(f"expected every force at head, migrated {len(report.migrated)}")
    return seconds


# Per force: is the registry at head, and does the schema hold all three changes?
# The catalogue is readable by the login role without acting as any force.
_CHECK = text("""
SELECT t.revision = :head AS at_head,
       EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
               WHERE c.relnamespace = n.oid AND c.relname = 'case'
                 AND a.attname = 'bench_note' AND NOT a.attisdropped)
       AND (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid
            AND c.relname IN ('bench_tag', 'ix_bench_tag_label')) = 2 AS complete
FROM public.tenant t JOIN pg_namespace n ON n.nspname = t.schema_name
WHERE t.slug = ANY(:slugs)
""")


def timed_migrate(engine: Engine, names: list[str], parallel: int, head: str) -> MigrationRun:
    """Time migrate_all over names, then check each force's schema really changed."""
    start = time.perf_counter()
    report = migrate.migrate_all(engine, parallel=parallel, slugs=names)
    seconds = time.perf_counter() - start
    with engine.connect() as conn:
        rows = conn.execute(_CHECK, {"head": head, "slugs": names}).all()
    incomplete = [row for row in rows if not row.complete]
    stamped = sum(1 for row in incomplete if row.at_head)
    return MigrationRun(parallel, len(names), seconds, len(report.failed), len(incomplete), stamped)


@contextmanager
def pending_migration() -> Iterator[str]:
    """Point tenants.migrate at a copy of migrations/ with one more tenant revision."""
    original, down = migrate.MIGRATIONS, migrate.tenant_head()
    with tempfile.TemporaryDirectory(prefix="tmc-bench-") as tmp:
        copy = Path(tmp) / "migrations"
        shutil.copytree(original, copy, ignore=shutil.ignore_patterns("__pycache__"))
        versions = copy / "tenant" / "versions"
        (versions / "9999_bench.py").write_text(EXTRA_REVISION.format(down=down))
        migrate.MIGRATIONS = copy
        migrate.script_directory.cache_clear()
        try:
            yield migrate.tenant_head()
        finally:
            migrate.MIGRATIONS = original
            migrate.script_directory.cache_clear()


def run(engine: Engine, forces: int, parallel_forces: int, say: Callable[[str], None]) -> Results:
    main = slugs("f", forces)
    seconds = provision_all(engine, main)
    window = min(WINDOW, forces)
    first, last = Spread.of(seconds[:window]), Spread.of(seconds[-window:])
    say(f"provisioned {forces}: median {first.median:.3f} s first, {last.median:.3f} s last")
    noop = timed_noop(engine, main)
    say(f"no-op migrate_all over {forces}: {noop:.3f} s")
    spare = slugs("g", parallel_forces)
    provision_all(engine, spare)  # at the old head, for the parallel=4 run
    migrations = []
    with pending_migration() as head:
        say(f"pending revision {head}")
        for parallel, names in ((1, main), (4, spare)):
            if names:
                done = timed_migrate(engine, names, parallel, head)
                migrations.append(done)
                say(
                    f"parallel={parallel}: {done.forces} forces in {done.seconds:.1f} s, "
                    f"{done.failed} failed, {done.incomplete} incomplete"
                )
    return Results(forces, window, first, last, noop, migrations)


def machine(engine: Engine, load: float) -> dict[str, str]:
    with engine.connect() as conn:
        version = str(conn.scalar(text("SELECT version()")))
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    mem_kb = next(int(ln.split()[1]) for ln in meminfo if ln.startswith("MemTotal"))
    return {
        "CPUs (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU model": cpu,
        "RAM": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "PostgreSQL": version,
        "Load average (1 min), start / end": f"{load:.2f} / {os.getloadavg()[0]:.2f}",
    }


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def figures(r: Results) -> list[tuple[str, str, str]]:
    """(measure, value, target and verdict) rows for the report."""
    noop_target = NOOP_TARGET_PER_1000_S * r.forces / 1000
    rows = [
        (
            f"Provisioning, first {r.window} forces (≈ 0 existing)",
            f"median {r.first.median:.3f} s, p95 {r.first.p95:.3f} s",
            f"median < {PROVISION_TARGET_S} s: {verdict(r.first.median < PROVISION_TARGET_S)}",
        ),
        (
            f"Provisioning, last {r.window} forces (≈ {r.forces} existing)",
            f"median {r.last.median:.3f} s, p95 {r.last.p95:.3f} s",
            f"median < {PROVISION_TARGET_S} s: {verdict(r.last.median < PROVISION_TARGET_S)}",
        ),
        (
            "Flatness (last ÷ first median)",
            f"{r.flatness:.2f}",
            f"≤ {FLATNESS_TARGET}: {verdict(r.flatness <= FLATNESS_TARGET)}",
        ),
        (
            f"migrate_all, nothing pending, {r.forces} forces",
            f"{r.noop_seconds:.3f} s",
            f"< {noop_target:g} s: {verdict(r.noop_seconds < noop_target)}",
        ),
    ]
    return rows + [migration_row(m) for m in r.migrations]


def migration_row(m: MigrationRun) -> tuple[str, str, str]:
    outcome = (
        f"{m.failed} failed, {m.incomplete} without all three changes "
        f"({m.stamped_incomplete} of them recorded at head)"
    )
    return (
        f"3-operation migration, {m.forces} forces, parallel={m.parallel}",
        f"{m.seconds:.1f} s ({m.per_force * 1000:.1f} ms per force); {outcome}",
        f"every force migrated and verified: {verdict(m.sound)}",
    )


def table(rows: list[tuple[str, str, str]]) -> str:
    lines = ["| Measure | Result | Target |", "|---|---|---|"]
    return "\n".join(lines + [f"| {a} | {b} | {c} |" for a, b, c in rows])


def caution(r: Results) -> str:
    if all(m.sound for m in r.migrations):
        return ""
    return (
        "\n\nA FAIL on a migration row means migrate_all left forces without the change. Those "
        "recorded at head are the dangerous ones: the registry says migrated, the schema is "
        "not, and migrate_all will skip them from now on."
    )


def write_report(r: Results, host: dict[str, str]) -> None:
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine_lines = "\n".join(f"- {key}: {value}" for key, value in host.items())
    write_section(
        "bench/provisioning.py",
        f"""## Provisioning and migrations

Provisioning and tenant migrations at scale (`bench/provisioning.py`).

- Date: {today}
- Forces (N): {r.forces}

### Machine

{machine_lines}

### Results

{table(figures(r))}

Targets: provisioning median < {PROVISION_TARGET_S} s and flat (at N ÷ at 0 ≤ \
{FLATNESS_TARGET}); migrate_all with nothing pending < {NOOP_TARGET_PER_1000_S:g} s for \
1,000 forces (scaled to N when N differs); the three-operation migration (a nullable \
column on `case`, a small table, an index) is reported per force without a time target, \
but every force must end with all three changes, checked in the catalogue afterwards. \
The parallel=4 run migrates a second batch of forces provisioned at the old head.{caution(r)}

### Re-running

From the repository root (about two minutes for 1,000 forces on two cores; it uses its own
database and roles, as the tests do, and drops them at the end):

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.provisioning --forces 1000
""",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forces", type=int, default=1000)
    parser.add_argument(
        "--parallel-forces",
        type=int,
        default=None,
        help="forces migrated at parallel=4 (default: as many as --forces)",
    )
    args = parser.parse_args()
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")  # noqa: S108 - pgserver's platformdirs asks
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    load = os.getloadavg()[0]
    if args.forces < 2:
        parser.error("--forces must be at least 2")
    spare = args.forces if args.parallel_forces is None else args.parallel_forces
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
            results = run(admin, args.forces, spare, lambda line: print(line, flush=True))
            host = machine(db.engine, load)
            db.engine.dispose()
    print(table(figures(results)))
    write_report(results, host)
    print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
