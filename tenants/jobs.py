"""Background jobs that carry their force.

enqueue() stores the force's slug in the job; the worker runs run_for_force(), which
looks the force up in the registry, refuses an unknown or inactive one, binds it, runs
the function and commits. A job enqueued without a force has nothing bound and every
tenant query in it raises TenantNotBound, so it fails (and stays in RQ's failed
registry) rather than reading public. Jobs take ids, not objects, and are idempotent.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from flask import current_app
from rq import Queue
from rq.job import Job
from sqlalchemy import select

from tenants.db import ForceBinding, db, force_scope
from tenants.models import Tenant, TenantStatus
from tenants.names import validate_slug

QUEUES = ("notifications", "provisioning", "maintenance")


class JobForceError(RuntimeError):
    """The job's force is missing, unknown or not active."""


def queue(name: str) -> Queue:
    """The named RQ queue on the app's Redis connection."""
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=current_app.extensions["redis"])


def enqueue(
    force_slug: str,
    func: Callable[..., Any],
    *ids: str,
    queue_name: str = "maintenance",
    job_id: str | None = None,
) -> Job:
    """Enqueue func(*ids) to run bound to force_slug. job_id, if given, is force-prefixed."""
    validate_slug(force_slug)
    target = f"{func.__module__}.{func.__qualname__}"
    return queue(queue_name).enqueue(
        run_for_force,
        force_slug,
        target,
        *ids,
        job_id=f"{force_slug}--{job_id}" if job_id else None,
        meta={"force": force_slug},
    )


def active_force(slug: str) -> ForceBinding:
    """The binding for an active force, read fresh from the registry (not the cache)."""
    table = Tenant.__table__
    with db.engine.connect() as conn:
        row = conn.execute(
            select(table.c.schema_name, table.c.db_role, table.c.status).where(table.c.slug == slug)
        ).first()
    if row is None:
        raise JobForceError(f"job names unknown force {slug!r}")
    if TenantStatus(row.status) is not TenantStatus.ACTIVE:
        raise JobForceError(f"force {slug!r} is {row.status}; its jobs do not run")
    return ForceBinding(slug, row.schema_name, row.db_role)


def run_for_force(force_slug: str | None, target: str, *ids: str) -> Any:
    """The function every force job runs in the worker: bind, call, commit."""
    if not force_slug:
        raise JobForceError("job has no force")
    force = active_force(force_slug)
    module_name, _, name = target.rpartition(".")
    func = getattr(importlib.import_module(module_name), name)
    with force_scope(force):
        return func(*ids)
