"""flask demo setup|run, flask worker and flask scheduler.

Production runs one `worker --queue …` Deployment per set of queues (only the
provisioning queue's worker gets ADMIN_DATABASE_URL) and exactly one `scheduler`
(helm/trackmycrime, docs/deployment.md). The demo runs one worker for every queue that
also does the scheduler's work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from rq import Worker
from rq.scheduler import RQScheduler
from werkzeug.serving import run_simple

from app.demo import DEMO_FORCES
from app.extensions import db
from tenants.extension import tenancy
from tenants.jobs import QUEUES

demo_cli = AppGroup("demo", help="Run the demonstration: three forces, web and worker.")


@demo_cli.command("setup")
def setup_command() -> None:
    """Bring the database to head and make sure the demo forces exist (idempotent)."""
    t = tenancy()
    t.upgrade_public()
    for force in DEMO_FORCES:
        t.provision(force)
    report = t.migrate_all()
    click.echo(f"Demo forces ready ({len(report.migrated)} migrated).")


@demo_cli.command("run")
@click.option("--port", default=5000, type=int)
@click.pass_context
def run_command(ctx: click.Context, port: int) -> None:
    """Set up, then serve the web app and run a worker until Ctrl+C."""
    ctx.invoke(setup_command)
    settings = current_app.extensions["settings"]
    # The worker inherits our environment and, like any other command, finds the
    # embedded servers through instance/services.json (all three URLs, admin included).
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--with-scheduler"]
    )
    click.echo("\nTrackMyCrime demo is running:")
    click.echo(f"  central site  http://{settings.base_domain}:{port}/")
    for force in DEMO_FORCES:
        click.echo(f"  {force.name:<34} http://{force.slug}.{settings.base_domain}:{port}/")
    click.echo("Press Ctrl+C to stop.\n")
    # Stop cleanly on SIGTERM too, so the embedded servers are shut down behind us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


@click.command("worker")
@click.option(
    "--queue",
    "queue_names",
    multiple=True,
    type=click.Choice(QUEUES),
    help="A queue to serve (repeatable). Default: every queue.",
)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option(
    "--with-scheduler",
    is_flag=True,
    help="Also move due scheduled jobs onto their queues (the demo; production runs "
    "one `flask scheduler` instead).",
)
@with_appcontext
def worker_command(queue_names: tuple[str, ...], burst: bool, with_scheduler: bool) -> None:
    """Run an RQ worker for the named queues, with the app's context for the jobs."""
    names = list(queue_names or QUEUES)
    settings = current_app.extensions["settings"]
    # Provisioning creates roles and schemas: only the admin role may. Fail at start
    # rather than on the first job (outside production the jobs fail visibly instead).
    if "provisioning" in names and not settings.admin_database_url and settings.env == "production":
        raise click.UsageError(
            "the provisioning queue needs ADMIN_DATABASE_URL (the admin role); "
            "serve it from its own worker (docs/deployment.md)"
        )
    engine = db.engine
    # The work horse is a fork: it must not share the parent's pooled connections.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    Worker(names, connection=tenancy().redis).work(burst=burst, with_scheduler=with_scheduler)


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Move jobs enqueued for later (enqueue_at, enqueue_in) onto their queues when due.

    Run exactly one per deployment. A second would find every queue's lock taken and
    idle (RQ locks each queue), but one is all the work needs. Stops on SIGTERM/SIGINT,
    releasing its locks so a replacement takes over at once.
    """
    RQScheduler(list(QUEUES), connection=tenancy().redis).work()
