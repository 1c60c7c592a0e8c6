"""Handing outbox rows to RQ: after the transaction that wrote them commits, never before.

A row is enqueued from the session's after_commit event, so a worker never looks for a
row that is not there yet, and a rolled-back request enqueues nothing. If Redis is
down the failure is logged (the outbox id only) and swallowed: the request has already
committed, and the sweep enqueues the row when Redis is back. Jobs carry the force's
slug and the outbox id, nothing else.

Force rows run through tenants.jobs.run_for_force like every force job. Central rows
(the public outbox) have no force: run_central runs them with nothing bound, so any
tenant table they touched would raise TenantNotBound.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from flask import current_app
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry
from rq.job import Job
from sqlalchemy.orm import Session

from tenants import jobs
from tenants.binding import db
from tenants.jobs import queue, run_for_force
from tenants.names import validate_slug
from tenants.redaction import RedactedError, describe_error

log = logging.getLogger(__name__)
QUEUE = "notifications"
_REDIS = "tmc.notifications.redis"
CENTRAL = None  # the slug of central-site rows: no force


def after_commit(session: Session, force_slug: str | None, outbox_id: str) -> None:
    """Enqueue delivery of outbox_id once session's transaction commits."""
    jobs.after_commit(session, lambda: hand_over(force_slug, outbox_id))


def hand_over(force_slug: str | None, outbox_id: str) -> bool:
    """Enqueue the delivery job; False (logged, swallowed) if Redis cannot take it."""
    from app.notifications import delivery  # the job functions import this module

    try:
        if force_slug is CENTRAL:
            enqueue_central(delivery.deliver_central, outbox_id)
        else:
            enqueue_force(force_slug, delivery.deliver, outbox_id)
    except (RedisError, OSError) as error:
        log.warning(
            "outbox %s not handed to RQ (%s); the sweep will retry",
            outbox_id,
            type(error).__name__,
        )
        return False
    return True


def enqueue_force(force_slug: str, func: Callable[..., Any], *ids: str) -> Job:
    """tenants.jobs.enqueue on the notifications queue, over a fail-fast connection."""
    validate_slug(force_slug)
    return queue(QUEUE, fail_fast_redis()).enqueue(
        run_for_force, force_slug, _target(func), *ids, meta={"force": force_slug}
    )


def enqueue_central(func: Callable[..., Any], *ids: str) -> Job:
    """A central-site job: run_central, with no force."""
    return queue(QUEUE, fail_fast_redis()).enqueue(
        run_central, _target(func), *ids, meta={"force": None}
    )


def run_central(target: str, *ids: str) -> Any:
    """What a central job runs in the worker: call with nothing bound, commit."""
    module_name, _, name = target.rpartition(".")
    if not module_name.startswith("app.notifications."):
        raise RuntimeError("run_central runs app.notifications' own jobs only")
    func = getattr(importlib.import_module(module_name), name)
    session = db.session()
    try:
        result = func(*ids)
        session.commit()
        return result
    except Exception as error:
        session.rollback()
        raise RedactedError(describe_error(error)) from None
    finally:
        session.close()


def fail_fast_redis() -> Redis:
    """The app's Redis with no retries and short timeouts: a request whose commit is
    already done must not wait seconds on a Redis that is down."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    client = app.extensions.get(_REDIS)
    if client is None:
        client = Redis.from_url(
            app.extensions["settings"].redis_url or "",
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=2,
            socket_timeout=5,
        )
        app.extensions[_REDIS] = client
    return client


def _target(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"
