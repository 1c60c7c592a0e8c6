"""flask tenants create|list|migrate|suspend|resume|upgrade-public|new-migration."""

from __future__ import annotations

import getpass

import click
from alembic import command
from flask.cli import AppGroup
from sqlalchemy import select, update

from tenants import migrate
from tenants.branding import InvalidBranding
from tenants.db import db
from tenants.models import Actor, PlatformTag, Tenant, TenantStatus, record_platform_event
from tenants.names import InvalidSlug
from tenants.provisioning import NewForce, SlugTaken, create_force
from tenants.runtime import tenancy

tenants_cli = AppGroup("tenants", help="Create, list, migrate, suspend and resume forces.")
_tenant = Tenant.__table__


@tenants_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The force's full name.")
@click.option("--welsh/--no-welsh", default=False, help="Offer the site in Welsh.")
@click.option("--colour", default=None, help="Brand colour, #rrggbb (contrast >= 4.5:1).")
def create_command(slug: str, name: str, welsh: bool, colour: str | None) -> None:
    """Provision a new force: role, schema, tables, seed, registry row."""
    branding = {"colour": colour} if colour else {}
    t = tenancy()
    try:
        binding = create_force(
            db.engine,
            NewForce(slug, name, welsh, branding),
            t.role_prefix,
            t.seeders,
            _cli_actor(),
        )
    except (InvalidSlug, SlugTaken, InvalidBranding, ValueError) as error:
        raise click.ClickException(str(error)) from None
    t.registry.invalidate()
    click.echo(f"Created {slug} (schema {binding.schema_name}, role {binding.db_role}).")


@tenants_cli.command("list")
def list_command() -> None:
    """One line per force: slug, status, revision, name."""
    query = select(_tenant.c.slug, _tenant.c.status, _tenant.c.revision, _tenant.c.name)
    with db.engine.connect() as conn:
        for row in conn.execute(query.order_by(_tenant.c.slug)):
            click.echo(f"{row.slug:<40} {row.status:<15} {row.revision or '-':<8} {row.name}")


@tenants_cli.command("migrate")
@click.argument("slug", required=False)
@click.option("--all", "all_forces", is_flag=True, help="Migrate every force.")
@click.option("--parallel", default=1, type=click.IntRange(1, 16), help="Forces at once.")
@click.option("--lock-timeout", default="5s", help="Give up on a force after waiting this long.")
def migrate_command(slug: str | None, all_forces: bool, parallel: int, lock_timeout: str) -> None:
    """Bring one force (SLUG) or all (--all) to the tenant head."""
    if bool(slug) == all_forces:
        raise click.UsageError("Name one force or pass --all.")
    slugs = None if all_forces else [slug or ""]
    if slugs and not migrate.forces_to_migrate(db.engine, slugs):
        raise click.ClickException(f"No provisioned force called '{slug}'.")

    def progress(force: str, outcome: str) -> None:
        click.echo(f"  {force}: {outcome}")

    report = migrate.migrate_all(db.engine, parallel, lock_timeout, progress, slugs)
    click.echo(
        f"{len(report.migrated)} migrated, {len(report.skipped)} already at head, "
        f"{len(report.failed)} failed."
    )
    for force, error in sorted(report.failed.items()):
        click.echo(f"FAILED {force}: {error}", err=True)
    if report.failed:
        raise SystemExit(1)


def _cli_actor() -> Actor:
    """Who ran the command, for the platform audit trail."""
    return ("cli", getpass.getuser())


def _set_status(
    slug: str, status: TenantStatus, allowed_from: TenantStatus, tag: PlatformTag
) -> None:
    with db.engine.begin() as conn:
        changed = conn.execute(
            update(_tenant)
            .where(_tenant.c.slug == slug, _tenant.c.status == allowed_from)
            .values(status=status)
        ).rowcount
        if changed:
            record_platform_event(conn, tag, *_cli_actor(), force_slug=slug)
    if not changed:
        raise click.ClickException(f"No {allowed_from.value} force called '{slug}'.")
    tenancy().registry.invalidate()
    click.echo(f"{slug} is now {status.value}.")


@tenants_cli.command("suspend")
@click.argument("slug")
def suspend_command(slug: str) -> None:
    """Pause a force: its site shows a 'service paused' page and its jobs stop."""
    _set_status(slug, TenantStatus.SUSPENDED, TenantStatus.ACTIVE, PlatformTag.FORCE_SUSPENDED)


@tenants_cli.command("resume")
@click.argument("slug")
def resume_command(slug: str) -> None:
    """Reopen a suspended force."""
    _set_status(slug, TenantStatus.ACTIVE, TenantStatus.SUSPENDED, PlatformTag.FORCE_RESUMED)


@tenants_cli.command("upgrade-public")
def upgrade_public_command() -> None:
    """Bring the public schema (registry, central tables) to head."""
    migrate.upgrade_public(db.engine)
    click.echo("Public schema at head.")


@tenants_cli.command("new-migration")
@click.argument("message")
@click.option("--track", type=click.Choice(["tenant", "public"]), default="tenant")
def new_migration_command(message: str, track: str) -> None:
    """Write an empty migration script for a track, to fill in by hand."""
    command.revision(migrate.alembic_config(track), message=message)
