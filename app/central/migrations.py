"""Migrate every force from the console: one job at a time on the provisioning queue
(its worker alone holds the admin role), its progress kept in Redis for the console.

The job runs tenancy().migrate_all, which migrates each force in its own transaction
and reports each as it finishes; a failure stops no other force. What is kept is the
outcome per force and, for a failure, the error's type only (a message may quote data).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.central.blueprint import CentralTag
from tenants.audit import write_platform_event
from tenants.binding import db
from tenants.extension import tenancy
from tenants.jobs import queue

KEY = "tmc:central:migrate-all"
JOB_ID = "migrate-all-forces"
# A run that has said nothing for this long is taken to be dead: another may start.
STALE_AFTER = timedelta(hours=1)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def progress() -> dict[str, Any]:
    """The last run: its state, times, counts and each force's outcome."""
    raw = {k.decode(): v.decode() for k, v in tenancy().redis.hgetall(KEY).items()}
    forces = {k.removeprefix("force:"): v for k, v in raw.items() if k.startswith("force:")}
    summary = {k: v for k, v in raw.items() if not k.startswith("force:")}
    return {**summary, "forces": dict(sorted(forces.items()))}


def is_running(found: dict[str, Any]) -> bool:
    if found.get("state") not in ("queued", "running"):
        return False
    said = datetime.fromisoformat(found.get("updated_at") or found.get("requested_at") or _now())
    return datetime.now(UTC) - said < STALE_AFTER


def request(operator_id: str) -> bool:
    """Queue a run unless one is under way; True if queued."""
    if is_running(progress()):
        return False
    redis = tenancy().redis
    redis.delete(KEY)
    redis.hset(KEY, mapping={"state": "queued", "requested_at": _now(), "updated_at": _now()})
    queue("provisioning").enqueue(
        migrate_all_forces, operator_id, job_id=JOB_ID, meta={"force": None}
    )
    return True


def migrate_all_forces(operator_id: str) -> str:
    """Job: migrate every force not at head, recording each outcome as it finishes."""
    redis = tenancy().redis
    redis.hset(KEY, mapping={"state": "running", "started_at": _now(), "updated_at": _now()})

    def finished(slug: str, outcome: str) -> None:
        shown = outcome if outcome == "migrated" else "failed: " + outcome.split(":")[1].strip()
        redis.hset(KEY, mapping={f"force:{slug}": shown, "updated_at": _now()})

    try:
        report = tenancy().migrate_all(progress=finished)
    except Exception:
        redis.hset(KEY, mapping={"state": "failed", "finished_at": _now()})
        raise
    for slug in report.skipped:
        redis.hset(KEY, f"force:{slug}", "already at head")
    migrated, skipped, failed = len(report.migrated), len(report.skipped), len(report.failed)
    redis.hset(
        KEY,
        mapping={"state": "finished", "finished_at": _now(), "migrated": migrated,
                 "skipped": skipped, "failed": failed},
    )  # fmt: skip
    with db.engine.begin() as conn:
        write_platform_event(
            conn, CentralTag.FORCES_MIGRATED, ("operator", operator_id),
            migrated=migrated, skipped=skipped, failed=failed,
        )  # fmt: skip
    return f"{migrated} migrated, {skipped} at head, {failed} failed"
