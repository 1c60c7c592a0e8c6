"""Force administration's periodic work: the nightly retention sweep, with RQ's cron
scheduler (the `flask cron` process registers it beside app.notifications.schedule):

    from app.admin.schedule import register_periodic as register_admin_periodic
    register_admin_periodic(cron)

The cron enqueues sweep_all_forces on the maintenance queue at 02:30 (UTC); a worker
runs it, and it enqueues one dispose_due per active force (each bound to its force).
"""

from __future__ import annotations

from rq.cron import CronJob, CronScheduler

from app.admin.jobs import QUEUE, sweep_all_forces

NIGHTLY = "30 2 * * *"
SWEEP_TIMEOUT_SECONDS = 3600


def register_periodic(cron: CronScheduler) -> list[CronJob]:
    """Add the administration's periodic jobs to cron."""
    return [
        cron.register(
            sweep_all_forces,
            queue_name=QUEUE,
            cron=NIGHTLY,
            job_timeout=SWEEP_TIMEOUT_SECONDS,
            result_ttl=SWEEP_TIMEOUT_SECONDS * 24,
        )
    ]
