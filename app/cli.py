"""flask demo setup|run and flask worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from rq import Worker
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
    env = {**os.environ, "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"], env=env)
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
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker for every queue, with the app's context for the jobs."""
    engine = db.engine
    # The work horse is a fork: it must not share the parent's pooled connections.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    connection = tenancy().redis
    Worker(list(QUEUES), connection=connection).work(burst=burst, with_scheduler=not burst)
