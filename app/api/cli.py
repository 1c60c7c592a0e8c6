"""flask api-clients create|list|revoke SLUG …: a force's records-system clients.

Each command binds the force the way jobs do (tenants.binding.force_scope: its schema,
its role, one transaction) and writes its own force audit row naming who ran it.
"""

from __future__ import annotations

import getpass

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from app.api import clients
from app.api.blueprint import ApiTag
from app.models import AuditEvent
from app.models.api import API_SCOPES
from tenants import registry
from tenants.binding import db, force_scope
from tenants.forces import Force, TenantStatus

api_clients_cli = AppGroup(
    "api-clients", help="Create, list and revoke records-system API clients."
)


def _force(slug: str) -> Force:
    force = registry.fresh_force(db.engine, slug)
    if force is None or force.status is not TenantStatus.ACTIVE:
        raise click.ClickException(f"No active force called {slug!r}.")
    return force


def _audit(session: Session, tag: ApiTag, client_id: str) -> None:
    session.add(
        AuditEvent(
            tag=tag.value,
            actor_type="cli",
            actor_id=getpass.getuser(),
            record_type="api_client",
            record_id=client_id,
            detail={},
        )
    )


@api_clients_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="What the client is, e.g. 'Kent RMS'.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(API_SCOPES),
    help="Repeatable; both scopes if none is given.",
)
def create_command(slug: str, name: str, scopes: tuple[str, ...]) -> None:
    """Create a client for SLUG and print its id and secret (the secret only this once)."""
    name = name.strip()
    if not name or len(name) > 120:
        raise click.BadParameter("give a name of 1 to 120 characters", param_hint="--name")
    with force_scope(_force(slug)) as session:
        made = clients.create_client(session, name, scopes)
        _audit(session, ApiTag.CLIENT_CREATED, made.client.client_id)
        client_id, granted = made.client.client_id, " ".join(made.client.scopes)
    click.echo(f"client_id:     {client_id}")
    click.echo(f"client_secret: {made.secret}")
    click.echo(f"scopes:        {granted}")
    click.echo("Store the secret now: it is kept only as a hash and cannot be shown again.")


@api_clients_cli.command("list")
@click.argument("slug")
def list_command(slug: str) -> None:
    """One line per client of SLUG: id, status, created, scopes, name."""
    with force_scope(_force(slug)) as session:
        rows = [
            (c.client_id, "revoked" if c.revoked_at else "active", c.created_at, c.scopes, c.name)
            for c in clients.all_clients(session)
        ]
    for client_id, status, created, scopes, name in rows:
        click.echo(
            f"{client_id:<30} {status:<8} {created:%Y-%m-%d %H:%M} {' '.join(scopes):<24} {name}"
        )


@api_clients_cli.command("revoke")
@click.argument("slug")
@click.argument("client_id")
def revoke_command(slug: str, client_id: str) -> None:
    """Revoke CLIENT_ID of SLUG: its tokens stop working at once."""
    with force_scope(_force(slug)) as session:
        client = clients.revoke_client(session, client_id)
        if client is None:
            raise click.ClickException(f"{slug} has no client {client_id!r}.")
        _audit(session, ApiTag.CLIENT_REVOKED, client_id)
    click.echo(f"Revoked {client_id} on {slug}.")
