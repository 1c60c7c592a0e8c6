"""Background jobs that carry their force.

enqueue() stores the force's slug in the job; the worker runs run_for_force(), which
reads the force fresh from the registry, refuses an unknown or inactive one, binds it,
runs the function and commits. A job enqueued without a force has nothing bound and
every tenant query in it raises TenantNotBound, so it fails (and stays in RQ's failed
registry) rather than reading public. Jobs take ids, not objects, and are idempotent.
A failing job is re-raised as a RedactedError, so neither the worker's log nor the
traceback RQ stores in Redis carries the original message.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.job import Job
from sqlalchemy import event
from sqlalchemy.orm import Session

from tenants import registry
from tenants.binding import db, force_scope
from tenants.extension import tenancy
from tenants.forces import Force, TenantStatus
from tenants.names import validate_slug
from tenants.redaction import RedactedError, describe_error

log = logging.getLogger(__name__)
QUEUES = ("notifications", "provisioning", "maintenance")
_AFTER_COMMIT = "tmc_after_commit"


class JobForceError(RuntimeError):
    """The job's force is missing, unknown or not active."""


def queue(name: str, connection: Redis | None = None) -> Queue:
    """The named RQ queue, on the current app's Redis unless a connection is given."""
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=connection or tenancy().redis)


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


def after_commit(session: Session, hand_over: Callable[[], object]) -> None:
    """Call hand_over (enqueue a job, delete a file) once session's transaction commits,
    and never if it rolls back: a worker must not look for a row that is not there yet.

    By then the work has committed, so Redis (or a disk) being away must not fail the
    request: the error is logged (the callable's name and the error's type) and whatever
    sweeps that kind of job catches up (the console offers a retry where nothing sweeps).
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(hand_over)


@event.listens_for(Session, "after_commit")
def _hand_over_pending(session: Session) -> None:
    for hand_over in session.info.pop(_AFTER_COMMIT, []):
        try:
            hand_over()
        except (RedisError, OSError) as error:
            name = getattr(hand_over, "__name__", "job")
            log.warning("%s not queued (%s)", name, type(error).__name__)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def active_force(slug: str) -> Force:
    """The force if it is active, read fresh from the registry (not the cache)."""
    force = registry.fresh_force(db.engine, slug)
    if force is None:
        raise JobForceError(f"job names unknown force {slug!r}")
    if force.status is not TenantStatus.ACTIVE:
        raise JobForceError(f"force {slug!r} is {force.status.value}; its jobs do not run")
    return force


def run_for_force(force_slug: str | None, target: str, *ids: str) -> Any:
    """The function every force job runs in the worker: bind, call, commit."""
    if not force_slug:
        raise JobForceError("job has no force")
    force = active_force(force_slug)
    module_name, _, name = target.rpartition(".")
    func = getattr(importlib.import_module(module_name), name)
    try:
        with force_scope(force):
            return func(*ids)
    except Exception as error:
        raise RedactedError(describe_error(error)) from None
