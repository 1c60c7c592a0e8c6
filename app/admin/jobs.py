"""Force administration's jobs, and handing them to RQ after the request commits.

Every job runs bound to its force (tenants.jobs.run_for_force) and takes ids only.
sweep_all_forces is the periodic entry point (no force bound): it queues one
dispose_due per active force. Scheduling, as app.notifications.schedule does it:

    cron.register(sweep_all_forces, queue_name="maintenance", cron="30 2 * * *")
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from app.admin import retention, subject_access
from app.admin.blueprint import AdminTag
from app.admin.trail import write
from app.models import SubjectAccessExport
from tenants import jobs, registry
from tenants.audit import SYSTEM, Actor
from tenants.binding import bound_force, db
from tenants.forces import TenantStatus
from tenants.jobs import enqueue

QUEUE = "maintenance"
BATCH = 200  # cases per disposal job: one transaction stays short
# Advisory lock keys are shared by the whole database: (this, hash of the slug) is per force.
DISPOSAL_LOCK = 0x746D6364


# --- after commit -----------------------------------------------------------------------------


def after_commit(force_slug: str, func: Callable[..., Any], *ids: str) -> None:
    """Enqueue func(*ids) for force_slug once the request's transaction commits, so the
    worker never looks for a row that is not there yet (and a rollback sends nothing)."""

    def hand_over() -> None:
        enqueue(force_slug, func, *ids, queue_name=QUEUE)

    hand_over.__name__ = func.__name__  # what the log names if Redis is away
    jobs.after_commit(db.session(), hand_over)


# --- the jobs ------------------------------------------------------------------------------------


def _actor(officer_id: str) -> Actor:
    return ("officer", str(uuid.UUID(officer_id))) if officer_id else SYSTEM


def dispose_due(requested_by: str = "") -> int:
    """Job (idempotent): dispose of the force's cases past retention, BATCH at a time
    (queueing itself again after commit while more are due); how many it disposed of."""
    force = bound_force(db.session())
    assert force is not None, "run through tenants.jobs"
    # One sweep at a time per force: a second one (the nightly run and an administrator's)
    # waits here, then finds the first one's cases gone instead of logging them twice.
    db.session.execute(select(func.pg_advisory_xact_lock(DISPOSAL_LOCK, func.hashtext(force.slug))))
    rules = retention.RetentionRules.from_settings(force.settings)
    due = retention.due_cases(rules, limit=BATCH + 1)
    if len(due) > BATCH:
        due = due[:BATCH]
        after_commit(force.slug, dispose_due, requested_by)
    plan = retention.plan(due)
    retention.dispose(plan, _actor(requested_by))
    expired = expire_exports()
    write(
        AdminTag.DISPOSAL_SWEPT,
        _actor(requested_by),
        purpose="retention",
        cases_erased=len(plan.cases),
        victims_erased=len(plan.erase_victims),
        exports_expired=expired,
    )
    return len(plan.cases)


def expire_exports() -> int:
    """Clear subject access exports past their time; how many."""
    ready = select(SubjectAccessExport).where(SubjectAccessExport.status == "ready")
    count = 0
    for export in db.session.scalars(ready):
        if subject_access.expire(export):
            write(
                AdminTag.SUBJECT_ACCESS_EXPIRED,
                record_type="subject_access_export",
                record_id=export.id,
            )
            count += 1
    return count


def produce_export(export_id: str) -> bool:
    """Job (idempotent): fill the queued subject access export export_id."""
    export = db.session.get(SubjectAccessExport, uuid.UUID(export_id))
    if export is None or not subject_access.produce(export):
        return False
    write(
        AdminTag.SUBJECT_ACCESS_PRODUCED,
        record_type="victim",
        record_id=export.victim_id,
        purpose="subject access request",
        export=str(export.id),
        requested_by=str(export.requested_by),
    )
    return True


def sweep_all_forces() -> int:
    """Periodic job (no force bound): queue dispose_due for every active force."""
    forces, _domains = registry.load_all(db.engine)
    active = [slug for slug, force in forces.items() if force.status is TenantStatus.ACTIVE]
    for slug in active:
        enqueue(slug, dispose_due, queue_name=QUEUE)
    return len(active)
