"""Periodic work: the outbox sweep every minute, with RQ's cron scheduler.

    from rq.cron import CronScheduler
    cron = CronScheduler(connection=tenancy().redis)
    register_periodic(cron)
    cron.start()          # blocks; stops on SIGTERM/SIGINT

The cron enqueues sweep_all on the notifications queue; a worker runs it, and it
enqueues one sweep per active force (each bound to its force like every force job).
"""

from __future__ import annotations

from rq.cron import CronJob, CronScheduler

from app.notifications.delivery import sweep_all

SWEEP_INTERVAL_SECONDS = 60


def register_periodic(cron: CronScheduler) -> list[CronJob]:
    """Add the notifications' periodic jobs to cron."""
    return [
        cron.register(
            sweep_all,
            queue_name="notifications",
            interval=SWEEP_INTERVAL_SECONDS,
            job_timeout=SWEEP_INTERVAL_SECONDS * 5,
            result_ttl=SWEEP_INTERVAL_SECONDS * 10,
        )
    ]
