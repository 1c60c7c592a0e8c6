"""P6, node capacity: the highest mixed rate one node serves with p99 < 250 ms, no errors.

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.capacity [--quick] [--rates 25,50,...]

43 forces (England and Wales; 10 with --quick), each with signed-in victims on cases
of their own and signed-in officers. One gunicorn server (`wsgi:app`, production
settings) and one RQ worker (`flask worker --queue notifications --queue
maintenance`, delivering to an SMTP sink on loopback) run on this machine. At each
offered rate R, three wrk processes run at once, each pacing its connections to its
share of R (exponential pauses):

- 70 %: victim pages (the case page and the messages page, in turn),
- 20 %: officer pages (the caseload and an officer's case page, in turn),
- 10 %: victims posting a message (POST with the CSRF token; 302 expected), each of
  which writes the message, an audit row and an outbox row the worker then delivers.

A rate passes when every class's p99 < 250 ms (so the mix's p99 is too) and nothing
failed. The rates climb until one fails; the answer is the highest achieved rate that
passed.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from redis import Redis

from app.notifications.sink import read_mail, run_sink
from bench import harness, seed
from bench.harness import Load, Run, Target, say
from bench.report import write_section

SECTION = "bench/capacity.py"
P99_TARGET_MS, RATE_TARGET = 250.0, 200.0
SHARES = (("victim pages", 0.7, 200), ("officer pages", 0.2, 200), ("message posts", 0.1, 302))
Row = tuple[str, str, str]


@dataclass(frozen=True)
class Plan:
    forces: int
    victims: int  # per force
    officers: int  # per force
    rates: tuple[int, ...]
    seconds: float
    warmup: float

    @classmethod
    def of(cls, quick: bool, rates: tuple[int, ...] | None) -> Plan:
        if quick:
            return cls(10, 2, 1, rates or (10,), seconds=4, warmup=2)
        return cls(43, 20, 3, rates or (20, 40, 60, 80, 100, 130, 160, 200, 250), 20, 10)


@dataclass(frozen=True)
class Step:
    offered: int
    runs: list[Run]  # one per class, in SHARES order
    queued: int  # notification jobs waiting when the step ended
    cpu_s: dict[str, float]  # CPU seconds our processes used in the step, by part

    @property
    def achieved(self) -> float:
        return sum(r.rps for r in self.runs)

    @property
    def p99(self) -> float:
        return max(r.p99_ms for r in self.runs)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)

    @property
    def cpu_ms_per_request(self) -> float:
        requests = sum(r.requests for r in self.runs)
        return sum(self.cpu_s.values()) * 1000 / requests if requests else 0.0

    @property
    def passed(self) -> bool:
        return self.p99 < P99_TARGET_MS and self.errors == 0


def targets(s: harness.Stack, plan: Plan) -> tuple[list[Target], list[Target], list[Target]]:
    slugs = [f"bench-f{i:02d}" for i in range(plan.forces)]
    victim_t, officer_t, post_t = [], [], []
    for force in seed.provision(slugs):
        h = seed.host(force.slug)
        oics = [seed.add_officer(force, n=n) for n in range(plan.officers)]
        officers = [seed.sign_in(s.app, force, "officer", oic.id) for oic in oics]
        officer_t += [Target("GET", h, "/officer/", o.cookie) for o in officers]
        for n in range(plan.victims):
            [v] = seed.victims(s.app, force, 1, oic=oics[n % len(oics)], first=n)
            victim_t.append(Target("GET", h, f"/cases/{v.case_id}", v.cookie))
            victim_t.append(Target("GET", h, f"/cases/{v.case_id}/messages", v.cookie))
            body = f"csrf_token={quote(v.csrf_token)}&body=" + quote("Any news on my case?")
            post_t.append(Target("POST", h, f"/cases/{v.case_id}/messages", v.cookie, body))
            cookie = officers[n % len(officers)].cookie  # the case's officer in charge
            officer_t.append(Target("GET", h, f"/officer/cases/{v.case_id}", cookie))
    return victim_t, officer_t, post_t


def loads(files: list[Path], rate: float, latency_ms: list[float]) -> list[Load]:
    """Each class's wrk: connections cycling about every half second, each pausing for
    what is left of its cycle after the class's last median latency, so the offered
    rate is roughly met (the achieved one is what the report uses)."""
    out = []
    for path, (_, share, expected), latency in zip(files, SHARES, latency_ms, strict=True):
        r = max(rate * share, 0.5)
        connections = max(2, math.ceil(r * 0.5))
        pause = max(1.0, connections / r * 1000 - latency)
        out.append(Load(path, connections, expected, mean_delay_ms=pause, close=True))
    return out


def worker(s: harness.Stack, smtp_url: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "worker",
               "--queue", "notifications", "--queue", "maintenance"]  # fmt: skip
    log = (s.instance / "worker.log").open("wb")
    return subprocess.Popen(
        command, cwd=harness.ROOT, env=s.server_env(SMTP_URL=smtp_url),
        stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip


def run(quick: bool, write: bool, rates: tuple[int, ...] | None) -> list[Row]:
    plan, load_start = Plan.of(quick, rates), os.getloadavg()[0]
    steps: list[Step] = []
    with harness.stack() as s:
        victim_t, officer_t, post_t = targets(s, plan)
        files = [
            harness.write_targets(t, s.instance / f"{name}.txt")
            for t, name in ((victim_t, "victims"), (officer_t, "officers"), (post_t, "posts"))
        ]
        sink = run_sink("127.0.0.1", 0, s.instance / "mail")
        smtp_url = f"smtp://127.0.0.1:{sink.port}"
        rq = worker(s, smtp_url)
        queue = Redis.from_url(s.redis_url)
        try:
            with harness.gunicorn(s, SMTP_URL=smtp_url) as app:
                meter = harness.CpuMeter(s, {"web": app.process.pid, "worker": rq.pid})
                for t in (victim_t[0], victim_t[1], officer_t[0], officer_t[-1], post_t[0]):
                    status, _ = harness.fetch(app, t)
                    if status != (302 if t.method == "POST" else 200):
                        raise RuntimeError(f"{t.method} {t.host}{t.path}: {status}")
                warm = harness.wrk_together(app, loads(files, plan.rates[0], [50.0] * 3),
                                            plan.warmup)  # fmt: skip
                latency = [r.p50_ms for r in warm]
                for rate in plan.rates:
                    before = meter.snapshot()
                    runs = harness.wrk_together(app, loads(files, rate, latency), plan.seconds)
                    used = meter.used(before, meter.snapshot())
                    latency = [r.p50_ms for r in runs]
                    step = Step(rate, runs, int(queue.llen("rq:queue:notifications")), used)
                    steps.append(step)
                    say(
                        f"offered {rate}/s: achieved {step.achieved:.0f}/s, p99 {step.p99:.0f} ms, "
                        f"{step.errors} errors, {step.queued} jobs queued, load {runs[0].load:.1f}"
                    )
                    if not step.passed:
                        break
        finally:
            harness.stop(rq)
            sent = len(read_mail(s.instance / "mail"))
            sink.stop()
        host = harness.machine(load_start)
    rows = figures(steps, sent)
    print(harness.table(rows))
    if write:
        write_report(plan, quick, host, rows)
    return rows[:1]


def figures(steps: list[Step], sent: int) -> list[Row]:
    passed = [st for st in steps if st.passed]
    best = max(passed, key=lambda st: st.achieved, default=None)
    value = (
        f"{best.achieved:.0f} req/s (offered {best.offered}), p99 {best.p99:.0f} ms"
        if best
        else "no rate passed"
    )
    ok = best is not None and best.achieved >= RATE_TARGET
    rows = [
        (
            "P6 node capacity: highest mixed rate with p99 < 250 ms, no errors",
            value,
            f"≥ {RATE_TARGET:.0f} req/s: {harness.verdict(ok)}",
        )
    ]
    for st in steps:
        parts = "; ".join(
            f"{name} {r.rps:.0f}/s p50 {r.p50_ms:.0f} p95 {r.p95_ms:.0f} p99 {r.p99_ms:.0f} ms"
            f"{f' errors {r.errors} ({r.codes})' if r.errors else ''}"
            for (name, _, _), r in zip(SHARES, st.runs, strict=True)
        )
        rows.append(
            (
                f"offered {st.offered} req/s: achieved {st.achieved:.0f}",
                parts,
                f"{harness.verdict(st.passed)}; {st.queued} jobs queued; "
                f"load {st.runs[0].load:.1f}",
            )
        )
    rows.append(("Messages the worker delivered to the SMTP sink", str(sent), "reported"))
    if steps:
        rows.append(projection(steps))
    return rows


def projection(steps: list[Step]) -> Row:
    """What the mix costs in CPU per request, and so what two idle cores would carry.

    On a machine other agents load, the rate that passes depends on their load; the
    CPU our processes spend per request does not (much), so cores ÷ CPU per request is
    the capacity of this node with the machine to itself (an upper bound: it ignores
    queueing, which is what the p99 limit is about)."""
    clean = [st for st in steps if not st.runs[0].recycles] or steps  # see CpuMeter.used
    busiest = max(clean, key=lambda st: st.achieved)
    requests = sum(r.requests for r in busiest.runs)
    parts = ", ".join(f"{k} {v * 1000 / requests:.1f}" for k, v in busiest.cpu_s.items())
    per = busiest.cpu_ms_per_request
    cores = len(os.sched_getaffinity(0))
    ceiling = cores * 1000 / per if per else 0.0
    return (
        f"CPU per request in the mix (at {busiest.achieved:.0f} req/s)",
        f"{per:.1f} ms ({parts}): {cores} idle cores would serve about {ceiling:.0f} req/s",
        f"projection vs ≥ {RATE_TARGET:.0f}: {harness.verdict(ceiling >= RATE_TARGET)}",
    )


def write_report(plan: Plan, quick: bool, host: str, rows: list[Row]) -> None:
    note = " QUICK MODE: figures are indicative only." if quick else ""
    write_section(
        SECTION,
        f"""## P6: what one node carries (`bench/capacity.py`)

{host}
- Method: {plan.forces} forces, {plan.victims} signed-in victims and {plan.officers}
  officers each; one gunicorn server and one RQ worker (notifications to an SMTP sink on
  loopback) on this machine. At each offered rate, three wrk processes at once, each
  connection pacing itself with exponential pauses: 70 % victim pages (case page,
  messages page), 20 % officer pages (caseload, a case), 10 % message posts (302
  expected). {plan.seconds:g} s per rate after {plan.warmup:g} s of warm-up; rates climb
  until one fails. The mix's p99 is taken as the worst class's p99. Every request opens
  its own connection (Connection: close), as a proxy without upstream keep-alive would:
  with keep-alive, the moment gunicorn recycles a worker (max_requests) resets requests
  in flight on its idle connections, which a proxy retries for a GET but not a POST.{note}

{harness.table(rows)}

    XDG_RUNTIME_DIR=/tmp .venv/bin/python -m bench.capacity
""",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run, figures indicative")
    parser.add_argument("--rates", type=str, default=None, help="comma-separated req/s")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=None)
    args = parser.parse_args(argv)
    write = (not args.quick) if args.write is None else args.write
    rates = tuple(int(r) for r in args.rates.split(",")) if args.rates else None
    run(args.quick, write, rates)


if __name__ == "__main__":
    main()
