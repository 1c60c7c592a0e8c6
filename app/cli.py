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
from rq.cron import CronScheduler
from rq.scheduler import RQScheduler
from sqlalchemy.orm import configure_mappers
from werkzeug.serving import run_simple

from app.admin.schedule import register_periodic as register_admin_periodic
from app.casework.digest import digest_all
from app.central.decommission import remove_due
from app.demo import DEMO_FORCES
from app.extensions import db
from app.notifications.schedule import register_periodic
from app.notifications.sink import start_dev_sink
from tenants.extension import tenancy
from tenants.forces import TenantStatus
from tenants.jobs import QUEUES
from tenants.provisioning import ForceDecommissioned

demo_cli = AppGroup("demo", help="Run the demonstration: three forces, web and worker.")


@demo_cli.command("setup")
def setup_command() -> None:
    """Bring the database to head and make sure the demo forces exist (idempotent)."""
    t = tenancy()
    t.upgrade_public()
    for force in DEMO_FORCES:
        try:
            t.provision(force)
        except ForceDecommissioned:
            click.echo(
                f"{force.name} was decommissioned in this demo (`make clean` starts afresh)."
            )
    report = t.migrate_all()
    click.echo(f"Demo forces ready ({len(report.migrated)} migrated).")


def _print_welcome(port: int, idp_port: int) -> None:
    from app.demo_data import (
        INVITEE_BIRTH_DATE,
        SPARE_FORCE,
        fresh_invite,
        invitee_reference,
        victim_email,
        victim_password,
    )
    from app.demo_idp import CENTRAL_ISSUER, demo_client_id, demo_client_secret, demo_password

    base = current_app.extensions["settings"].base_domain
    click.echo("\nTrackMyCrime demo is running:")
    click.echo(f"  central site   http://{base}:{port}/")
    click.echo(f"  sent messages  http://{base}:{port}/dev/sent-messages  (the demo's mail)")
    operator = demo_password(CENTRAL_ISSUER, "operator")
    click.echo(f"  operators      http://{base}:{port}/console/   operator  password {operator}")
    spare = SPARE_FORCE[0]
    click.echo(f"  apply to join  http://{base}:{port}/apply   (try {SPARE_FORCE[1]}: identity")
    click.echo(
        f"                 provider http://127.0.0.1:{idp_port}/{spare}, client "
        f"{demo_client_id(spare)}, secret {demo_client_secret(spare)})"
    )
    for force in DEMO_FORCES:
        registered = tenancy().registry.by_slug(force.slug)
        if registered is None or registered.status is TenantStatus.DECOMMISSIONED:
            continue
        site = f"http://{force.slug}.{base}:{port}"
        click.echo(f"\n  {force.name}")
        click.echo(f"    victims' site   {site}/sign-in")
        click.echo(
            f"      victim      {victim_email(force.slug)}  password {victim_password(force.slug)}"
        )
        invite = fresh_invite(registered)
        if invite:
            born = INVITEE_BIRTH_DATE
            click.echo(f"      invite      {site}{invite}")
            click.echo(
                f"                  crime reference {invitee_reference(force.slug)}, "
                f"date of birth {born.day} {born.month} {born.year}"
            )
        click.echo(f"    officer sign-in http://{force.slug}.{base}:{port}/officer/sign-in")
        for username in ("officer", "supervisor", "admin"):
            password = demo_password(force.slug, username)
            click.echo(f"      {username:<11} password {password}")
    click.echo("\nOfficers sign in through the demo identity provider (development only).")
    click.echo("Press Ctrl+C to stop.\n")


@demo_cli.command("run")
@click.option("--port", default=5000, type=int)
@click.option("--idp-port", default=5556, type=int, help="The demo identity provider's port.")
@click.pass_context
def run_command(ctx: click.Context, port: int, idp_port: int) -> None:
    """Set up, then serve the web app, the demo identity provider and a worker."""
    ctx.invoke(setup_command)
    # Development only, so imported here (production code never loads the demo provider).
    from app import demo_data

    base = current_app.extensions["settings"].base_domain
    provider = demo_data.start_provider(base, port, idp_port)
    # No SMTP_URL in development: mail goes to a local sink the Sent messages page reads.
    sink = start_dev_sink(current_app.extensions["settings"].instance_path)
    # The worker inherits our environment and, like any other command, finds the
    # embedded servers through instance/services.json (all three URLs, admin included).
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    worker = subprocess.Popen([*flask, "worker", "--with-scheduler"])  # noqa: S603 - our own command
    cron = subprocess.Popen([*flask, "cron"])  # noqa: S603 - our own command
    _print_welcome(port, idp_port)
    # Stop cleanly on SIGTERM too, so the embedded servers are shut down behind us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False)
    finally:
        for process in (worker, cron):
            process.terminate()
            process.wait(timeout=10)
        provider.stop()
        sink.stop()


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
    # Configure the mappers once here, not again in every forked work horse (it was the
    # largest cost of a small job).
    configure_mappers()
    engine = db.engine
    # The work horse is a fork: it must not share the parent's pooled connections.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    Worker(names, connection=tenancy().redis).work(burst=burst, with_scheduler=with_scheduler)


@click.command("cron")
@with_appcontext
def cron_command() -> None:
    """Run the periodic jobs (the outbox sweep every minute, ...): one per deployment.

    RQ's cron scheduler enqueues each job on its queue at its interval; workers run them.
    Stops on SIGTERM/SIGINT.
    """
    cron = CronScheduler(connection=tenancy().redis)
    register_periodic(cron)
    register_admin_periodic(cron)
    # Hourly; acts only in the 07:00 hour, London time (app.casework.digest).
    cron.register(digest_all, queue_name="maintenance", cron="0 * * * *")
    # Hourly: forces past their grace period with their export downloaded are removed.
    # On the provisioning queue: its worker alone holds the admin role removal needs.
    cron.register(remove_due, queue_name="provisioning", cron="20 * * * *")
    cron.start()


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Move jobs enqueued for later (enqueue_at, enqueue_in) onto their queues when due.

    Run exactly one per deployment. A second would find every queue's lock taken and
    idle (RQ locks each queue), but one is all the work needs. Stops on SIGTERM/SIGINT,
    releasing its locks so a replacement takes over at once.
    """
    RQScheduler(list(QUEUES), connection=tenancy().redis).work()
