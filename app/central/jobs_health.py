"""Queue health for operators: how many jobs wait, run and failed per queue, which
workers are alive, and retrying failed jobs. Counts and names only: a job's arguments
are ids, and even those are not shown."""

from __future__ import annotations

from dataclasses import dataclass

from rq import Worker
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.registry import FailedJobRegistry, StartedJobRegistry

from tenants.extension import tenancy
from tenants.jobs import QUEUES, queue


@dataclass(frozen=True)
class QueueHealth:
    name: str
    queued: int
    running: int
    failed: int


@dataclass(frozen=True)
class WorkerHealth:
    name: str
    queues: tuple[str, ...]
    state: str


def queues() -> list[QueueHealth]:
    found = []
    for name in QUEUES:
        q = queue(name)
        found.append(
            QueueHealth(
                name,
                q.count,
                StartedJobRegistry(queue=q).count,
                FailedJobRegistry(queue=q).count,
            )
        )
    return found


def workers() -> list[WorkerHealth]:
    """Workers that have sent a heartbeat lately (RQ forgets the others)."""
    return [
        WorkerHealth(worker.name, tuple(worker.queue_names()), str(worker.get_state()))
        for worker in Worker.all(connection=tenancy().redis)
    ]


def retry_failed(name: str) -> int:
    """Put every failed job of the named queue back on it; how many were."""
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    registry = FailedJobRegistry(queue=queue(name))
    count = 0
    for job_id in registry.get_job_ids():
        try:
            registry.requeue(job_id)
        except (NoSuchJobError, InvalidJobOperation):  # it expired or moved meanwhile
            continue
        count += 1
    return count
