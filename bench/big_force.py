"""P5, a big force: officer pages with 1,000,000 cases in one force vs 1,000 in another.

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.big_force [--quick] [--cases 1000000]

Both forces hold the same benchmark team ("Team Bench": 10 officers and a supervisor,
1,000 cases, a fifth of them open, overdue duties and unanswered messages); the big force
adds CASES - 1,000 more in teams of their own (1,000 cases and 10 officers per team), so
the pages show the same rows and only the force's size differs. Rows are written with
INSERT … SELECT over generate_series as the superuser straight into each force's schema,
then ANALYZE. One gunicorn server (`wsgi:app`, production settings) serves both; wrk
(4 connections) alternates big and small for each page:

- caseload: /officer/ (my open cases, keyset-paginated), the team's officers in turn;
- search by crime reference: /officer/?scope=team&status=all&reference=REF-…;
- the supervisor's team view: /officer/team (overdue duties, unanswered messages,
  this month's compliance).

Target: p95 big ÷ small ≤ 2 for each page. The section in docs/benchmarks.md carries the
EXPLAIN (ANALYZE, BUFFERS) plans of each page's queries in the big force, captured from
the app's own query functions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event, text

from app.casework import deadlines, queries
from app.models import Case, CaseVictim, Duty, Message, Officer, Victim
from bench import harness, seed
from bench.harness import Series, Target, say
from bench.report import write_section
from tenants.binding import db, force_scope
from tenants.forces import Force

SECTION = "bench/big_force.py"
TARGET = 2.0
TEAM_CASES = 1000
OFFICERS_PER_TEAM = 10
Row = tuple[str, str, str]

# Case number g (1-based): its team is (g-1) / TEAM_CASES (team 0 is the benchmark's),
# its officer the team's (g % 10)th; a fifth of each officer's cases are open.
_TEAM = f"((g - 1) / {TEAM_CASES})"
_OFFICER = f"md5('officer' || ({_TEAM} * {OFFICERS_PER_TEAM} + g % {OFFICERS_PER_TEAM}))::uuid"
_OPEN = "((g / 10) % 5 = 0)"
_TEAM_NAME = f"CASE WHEN {_TEAM} = 0 THEN 'Team Bench' ELSE 'Team ' || {_TEAM} END"
_DUE = "(current_date + ((g::bigint * 7919) % 90 - 30)::int)"  # open cases: a third overdue

COLUMNS: dict[Table, dict[str, str]] = {
    Officer.__table__: {  # type: ignore[dict-item]
        "id": "md5('officer' || g)::uuid",
        "issuer": "'https://idp.bench.example/'",
        "subject": "'officer-' || g",
        "name": "'Officer ' || g",
        "email": "'officer' || g || '@police.example'",
        "collar_number": "'C' || g",
        "role": "'officer'",
        "team": f"CASE WHEN g / {OFFICERS_PER_TEAM} = 0 THEN 'Team Bench' "
        f"ELSE 'Team ' || (g / {OFFICERS_PER_TEAM}) END",
    },
    Case.__table__: {  # type: ignore[dict-item]
        "id": "md5('case' || g)::uuid",
        "crime_reference": "'REF-' || lpad(g::text, 7, '0')",
        "offence_category": "(ARRAY['burglary','theft','criminal-damage','assault'])[g % 4 + 1]",
        "reported_on": "current_date - (g % 400)",
        "status": f"CASE WHEN {_OPEN} THEN 'open' ELSE 'closed' END",
        "oic_id": _OFFICER,
        "team": _TEAM_NAME,
        "next_due_on": f"CASE WHEN {_OPEN} THEN {_DUE} END",
        "closed_at": f"CASE WHEN NOT {_OPEN} THEN now() - (g % 300) * interval '1 day' END",
    },
    Victim.__table__: {  # type: ignore[dict-item]
        "id": "md5('victim' || g)::uuid",
        "name": "'Victim ' || g",
        "email": "'victim' || g || '@example.com'",
    },
    CaseVictim.__table__: {  # type: ignore[dict-item]
        "case_id": "md5('case' || g)::uuid",
        "victim_id": "md5('victim' || g)::uuid",
    },
}
# Every case has a met duty; open cases have an open one due on next_due_on.
MET_DUTY = {
    "id": "md5('duty-met' || g)::uuid",
    "case_id": "md5('case' || g)::uuid",
    "duty": "'inform-arrest'",
    "ruleset": "'2020'",
    "due_on": "current_date - (g % 200)",
    "met_at": "(current_date - (g % 200) - (g % 3))::timestamptz",
}
OPEN_DUTY = {
    "id": "md5('duty-open' || g)::uuid",
    "case_id": "md5('case' || g)::uuid",
    "duty": "'update-cadence'",
    "ruleset": "'2020'",
    "due_on": _DUE,
}
# A victim's message on every fourth case; unanswered on an eighth of the open ones.
MESSAGE = {
    "id": "md5('message' || g)::uuid",
    "case_id": "md5('case' || g)::uuid",
    "victim_id": "md5('victim' || g)::uuid",
    "body": "'When will I hear back?'",
    "created_at": "now() - (g % 30) * interval '1 day'",
    "answered_at": f"CASE WHEN NOT ({_OPEN} AND g % 8 = 0) THEN now() END",
    "read_by_officer_at": f"CASE WHEN NOT ({_OPEN} AND g % 8 = 0) THEN now() END",
}


def _default_sql(column: Any) -> str:
    """SQL for a NOT NULL column the generator leaves to the model's default."""
    default = column.default
    if default is not None and default.is_scalar:
        value = default.arg
        return repr(value).lower() if isinstance(value, bool) else f"'{value}'"
    if column.name in ("created_at", "updated_at", "added_at", "posted_at"):
        return "now()"
    if column.name == "id":
        return "gen_random_uuid()"
    if str(column.type) == "JSON":
        return "'[]'::json"
    raise ValueError(f"no generator for {column.table.name}.{column.name}")


def insert_select(schema: str, table: Table, values: dict[str, str], where: str = "") -> str:
    """INSERT INTO schema.table … SELECT … FROM generate_series(:first, :last) AS g."""
    exprs = dict(values)
    for column in table.columns:
        if column.name not in exprs and not column.nullable and column.server_default is None:
            exprs[column.name] = _default_sql(column)
    names = ", ".join(f'"{name}"' for name in exprs)
    return (
        f'INSERT INTO "{schema}"."{table.name}" ({names}) '  # noqa: S608 - our own names
        f"SELECT {', '.join(exprs.values())} FROM generate_series(:first, :last) AS g "
        f"{('WHERE ' + where) if where else ''}"
    )


def generate(engine: Engine, force: Force, cases: int) -> float:
    """Write the force's officers, cases, victims, duties and messages; seconds taken."""
    schema, teams = force.schema_name, max(1, cases // TEAM_CASES)
    started = time.perf_counter()
    steps = [
        (COLUMNS[Officer.__table__], Officer.__table__, teams * OFFICERS_PER_TEAM - 1, ""),  # type: ignore[index]
        (COLUMNS[Case.__table__], Case.__table__, cases, ""),  # type: ignore[index]
        (COLUMNS[Victim.__table__], Victim.__table__, cases, ""),  # type: ignore[index]
        (COLUMNS[CaseVictim.__table__], CaseVictim.__table__, cases, ""),  # type: ignore[index]
        (MET_DUTY, Duty.__table__, cases, ""),
        (OPEN_DUTY, Duty.__table__, cases, _OPEN),
        (MESSAGE, Message.__table__, cases, "g % 4 = 0"),
    ]
    with engine.begin() as conn:
        for values, table, last, where in steps:
            first = 0 if table is Officer.__table__ else 1
            conn.execute(text(insert_select(schema, table, values, where)),  # type: ignore[arg-type]
                         {"first": first, "last": last})  # fmt: skip
            say(f"{force.slug}: {last - first + 1:,} rows through {table}")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        tables = ("case", "duty", "message", "victim", "case_victim", "officer")
        conn.execute(text("ANALYZE " + ", ".join(f'"{schema}"."{t}"' for t in tables)))
    return time.perf_counter() - started


def supervisor(force: Force) -> uuid.UUID:
    o = seed.add_officer(force, role="supervisor", team="Team Bench", n=99999)
    return o.id


def bench_officers(engine: Engine, force: Force) -> list[uuid.UUID]:
    with engine.connect() as conn:
        return list(
            conn.scalars(
                text(f'SELECT id FROM "{force.schema_name}".officer WHERE team = :t '  # noqa: S608
                     "AND role = 'officer' ORDER BY collar_number"), {"t": "Team Bench"}
            )
        )  # fmt: skip


@dataclass(frozen=True)
class Pages:
    caseload: list[Target]
    search: list[Target]
    team: list[Target]

    def items(self) -> list[tuple[str, list[Target]]]:
        return [("caseload", self.caseload), ("search", self.search), ("team", self.team)]


def pages_for(s: harness.Stack, engine: Engine, force: Force) -> Pages:
    h = seed.host(force.slug)
    officers = [seed.sign_in(s.app, force, "officer", i) for i in bench_officers(engine, force)]
    boss = seed.sign_in(s.app, force, "officer", supervisor(force))
    refs = [f"REF-{g:07d}" for g in range(1, TEAM_CASES + 1, 7)]
    return Pages(
        caseload=[Target("GET", h, "/officer/", o.cookie) for o in officers],
        search=[
            Target(
                "GET",
                h,
                f"/officer/?scope=team&status=all&reference={ref}",
                officers[n % len(officers)].cookie,
            )
            for n, ref in enumerate(refs)
        ],
        team=[Target("GET", h, "/officer/team", boss.cookie)],
    )


# --- plans ------------------------------------------------------------------------------


@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def keep(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def explain(s: harness.Stack, force: Force, officer_id: uuid.UUID) -> dict[str, list[str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of each page's queries, as the app builds them."""
    plans: dict[str, list[str]] = {}
    headers = {"Host": seed.host(force.slug)}
    calls = {
        "caseload": lambda o, today: queries.caseload(o, queries.CaseloadQuery(), today),
        "search": lambda o, today: queries.caseload(
            o, queries.CaseloadQuery(scope="team", status="all", reference="REF-0000701"), today
        ),
        "team": lambda o, today: queries.team_summary(o.team, today),
    }
    for name, call in calls.items():
        with s.app.test_request_context("/", headers=headers), force_scope(force) as session:
            officer = session.get(Officer, officer_id)
            today: date = deadlines.today()
            with captured(db.engine) as statements:
                call(officer, today)
            plans[name] = []
            conn = session.connection()
            for statement, params in statements:
                rows = conn.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, params
                )
                plans[name].append("\n".join(r[0] for r in rows))
    return plans


# --- the run ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    cases: int
    rounds: int
    seconds: float
    warmup: float
    connections: int

    @classmethod
    def of(cls, quick: bool, cases: int | None) -> Plan:
        if quick:
            return cls(cases or 10_000, rounds=1, seconds=2, warmup=1, connections=4)
        return cls(cases or 1_000_000, rounds=3, seconds=12, warmup=5, connections=4)


def measure(app: harness.Server, path: Path, plan: Plan) -> Callable[[], harness.Run]:
    return lambda: harness.wrk(app, path, plan.seconds, plan.connections)


def run(quick: bool, write: bool, cases: int | None) -> list[Row]:
    plan, load = Plan.of(quick, cases), os.getloadavg()[0]
    with harness.stack() as s:
        big, small = seed.provision(["bench-big", "bench-small"])
        su = create_engine(s.services.superuser_url)
        made = {f.slug: generate(su, f, n) for f, n in ((small, TEAM_CASES), (big, plan.cases))}
        pages = {f.slug: pages_for(s, su, f) for f in (big, small)}
        plans = explain(s, big, bench_officers(su, big)[0])
        su.dispose()
        series: dict[str, tuple[Series, Series]] = {}
        with harness.gunicorn(s) as app:
            for force in (big, small):
                for name, targets in pages[force.slug].items():
                    t = targets[0]
                    status, _ = harness.fetch(app, t)
                    if status != 200:
                        raise RuntimeError(f"{force.slug} {name}: {status}")
            for name, _ in pages[big.slug].items():
                files = {
                    f.slug: harness.write_targets(
                        dict(pages[f.slug].items())[name], s.instance / f"{f.slug}-{name}.txt"
                    )
                    for f in (big, small)
                }
                for path in files.values():
                    harness.wrk(app, path, plan.warmup, plan.connections)
                a, b = Series(f"{name} big"), Series(f"{name} small")
                sides = [(a, measure(app, files[big.slug], plan)),
                         (b, measure(app, files[small.slug], plan))]  # fmt: skip
                harness.alternate(plan.rounds, sides, say)
                series[name] = (a, b)
        host = harness.machine(load)
    rows = figures(plan, series, made)
    print(harness.table(rows))
    if write:
        write_report(plan, quick, host, rows, plans)
    return rows[:3]


LABELS = {
    "caseload": "caseload (my open cases)",
    "search": "search by crime reference",
    "team": "supervisor's team view (overdue duties)",
}


def figures(
    plan: Plan, series: dict[str, tuple[Series, Series]], made: dict[str, float]
) -> list[Row]:
    rows = []
    for name, (big, small) in series.items():
        p95 = harness.ratios(big, small, "p95_ms")
        ok = (
            statistics.median(p95) <= TARGET
            and big.unexplained_errors == small.unexplained_errors == 0
        )
        rows.append(
            (
                f"P5 {LABELS[name]}: p95 {plan.cases:,} cases ÷ {TEAM_CASES:,}",
                harness.spread_text(p95),
                f"≤ {TARGET:g}, no errors (†): {harness.verdict(ok)}",
            )
        )
    for name, (big, small) in series.items():
        rows.append((f"{LABELS[name]}, {plan.cases:,} cases", big.cell(), f"load {big.loads()}"))
        small_load = f"load {small.loads()}"
        rows.append((f"{LABELS[name]}, {TEAM_CASES:,} cases", small.cell(), small_load))
    rows.append(("Data generation (INSERT … SELECT, ANALYZE)",
                 ", ".join(f"{k}: {v:.0f} s" for k, v in made.items()), "reported"))  # fmt: skip
    return rows


def write_report(
    plan: Plan, quick: bool, host: str, rows: list[Row], plans: dict[str, list[str]]
) -> None:
    note = " QUICK MODE: figures are indicative only." if quick else ""
    explained = "\n\n".join(
        f"#### {LABELS[name]}\n\n" + "\n\n".join(_indent(p) for p in found)
        for name, found in plans.items()
    )
    write_section(
        SECTION,
        f"""## P5: a big force, {plan.cases:,} cases vs {TEAM_CASES:,} (`bench/big_force.py`)

{host}
- Method: two forces share the benchmark team's shape (10 officers and a supervisor,
  {TEAM_CASES:,} cases, a fifth open, a third of the open ones overdue, a message on every
  fourth case, an eighth of the open ones unanswered); the big one adds teams of
  {TEAM_CASES:,} cases up to {plan.cases:,} (plus a victim per case, a met duty per case,
  an open duty per open case). Written with INSERT … SELECT generate_series as the
  superuser into each schema, then ANALYZE. wrk, 1 thread, {plan.connections}
  connections, {plan.rounds} rounds of {plan.seconds:g} s per page and side, alternating.{note}

{harness.table(rows)}

{harness.RESET_NOTE}

### Query plans in the {plan.cases:,}-case force

Each page's SELECTs as the app's own query functions issue them (captured, then run
again under EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) as the force's role).

{explained}

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.big_force --cases {plan.cases}
""",
    )


def _indent(plan: str) -> str:
    return "\n".join("    " + line for line in plan.splitlines())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run, figures indicative")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=None)
    args = parser.parse_args(argv)
    write = (not args.quick) if args.write is None else args.write
    run(args.quick, write, args.cases)


if __name__ == "__main__":
    main()
