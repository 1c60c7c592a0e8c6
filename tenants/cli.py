"""flask tenants create|list|migrate|suspend|resume|upgrade-public|new-migration."""

from __future__ import annotations

import getpass

import click
from flask.cli import AppGroup

from tenants import migrate, registry
from tenants.audit import Actor, TenancyTag
from tenants.binding import db
from tenants.branding import InvalidBranding
from tenants.extension import AdminRoleNotConfigured, tenancy
from tenants.forces import NewForce, TenantStatus
from tenants.names import InvalidSlug
from tenants.provisioning import InvalidName, ProvisioningError, SlugTaken

tenants_cli = AppGroup("tenants", help="Create, list, migrate, suspend and resume forces.")


def _cli_actor() -> Actor:
    """Who ran the command, for the platform audit trail."""
    return ("cli", getpass.getuser())


def _require_registry() -> None:
    if not registry.public_schema_ready(db.engine):
        raise click.ClickException(
            "The database has no force registry yet. Run `flask --app wsgi tenants "
            "upgrade-public` first."
        )


@tenants_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The force's full name.")
@click.option("--welsh/--no-welsh", default=False, help="Offer the site in Welsh.")
@click.option("--colour", default=None, help="Brand colour, #rrggbb (contrast >= 4.5:1).")
def create_command(slug: str, name: str, welsh: bool, colour: str | None) -> None:
    """Provision a new force: role, schema, tables, seed, registry row."""
    _require_registry()
    new = NewForce(slug, name, welsh, {"colour": colour} if colour else {})
    try:
        force = tenancy().provision(new, _cli_actor(), must_be_new=True)
    # Only the refusals we can explain; anything else is a fault and shows as one.
    except (InvalidSlug, InvalidName, SlugTaken, InvalidBranding) as error:
        raise click.ClickException(str(error)) from None
    except (ProvisioningError, AdminRoleNotConfigured) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {slug} (schema {force.schema_name}, role {force.db_role}).")


@tenants_cli.command("list")
def list_command() -> None:
    """One line per force: slug, status, revision, name."""
    _require_registry()
    revisions = registry.revisions(db.engine)
    for force in registry.all_forces(db.engine):
        revision = revisions.get(force.slug) or "-"
        click.echo(f"{force.slug:<40} {force.status.value:<15} {revision:<8} {force.name}")


@tenants_cli.command("migrate")
@click.argument("slug", required=False)
@click.option("--all", "all_forces", is_flag=True, help="Migrate every force.")
@click.option("--parallel", default=1, type=click.IntRange(1, 16), help="Forces at once.")
@click.option("--lock-timeout", default="5s", help="Give up on a force after waiting this long.")
def migrate_command(slug: str | None, all_forces: bool, parallel: int, lock_timeout: str) -> None:
    """Bring one force (SLUG) or all (--all) to the tenant head, showing each as it ends."""
    if bool(slug) == all_forces:
        raise click.UsageError("Name one force or pass --all.")
    _require_registry()
    slugs = None if all_forces else [slug or ""]
    if slugs and registry.fresh_force(db.engine, slugs[0]) is None:
        raise click.ClickException(f"No provisioned force called '{slug}'.")

    def progress(force: str, outcome: str) -> None:
        click.echo(f"  {force}: {outcome}")

    report = tenancy().migrate_all(parallel, lock_timeout, progress, slugs)
    click.echo(
        f"{len(report.migrated)} migrated, {len(report.skipped)} already at head, "
        f"{len(report.failed)} failed."
    )
    if report.failed:
        raise SystemExit(1)


def _set_status(slug: str, to: TenantStatus, allowed_from: TenantStatus, tag: TenancyTag) -> None:
    _require_registry()
    if not tenancy().change_status(slug, to, allowed_from, tag, _cli_actor()):
        raise click.ClickException(f"No {allowed_from.value} force called '{slug}'.")
    click.echo(f"{slug} is now {to.value}.")


@tenants_cli.command("suspend")
@click.argument("slug")
def suspend_command(slug: str) -> None:
    """Pause a force: its site shows a 'service paused' page and its jobs stop."""
    _set_status(slug, TenantStatus.SUSPENDED, TenantStatus.ACTIVE, TenancyTag.FORCE_SUSPENDED)


@tenants_cli.command("resume")
@click.argument("slug")
def resume_command(slug: str) -> None:
    """Reopen a suspended force."""
    _set_status(slug, TenantStatus.ACTIVE, TenantStatus.SUSPENDED, TenancyTag.FORCE_RESUMED)


@tenants_cli.command("upgrade-public")
def upgrade_public_command() -> None:
    """Bring the public schema (registry, central tables) to head."""
    tenancy().upgrade_public()
    click.echo("Public schema at head.")


@tenants_cli.command("new-migration")
@click.argument("message")
@click.option("--track", type=click.Choice(migrate.TRACKS), default="tenant")
@click.option("--autogenerate", is_flag=True, help="Write the models' difference to head.")
def new_migration_command(message: str, track: str, autogenerate: bool) -> None:
    """Write a migration script for a track (empty, or autogenerated from the models)."""
    migrate.new_migration(tenancy().admin_engine, track, message, autogenerate)


@tenants_cli.command("rotate-secrets")
def rotate_secrets_command() -> None:
    """Re-seal stored secrets under the first SECRETS_KEY (then drop the old key)."""
    _require_registry()
    count = tenancy().rotate_secrets(_cli_actor())
    click.echo(f"Re-sealed {count} secret(s) under the newest key.")
