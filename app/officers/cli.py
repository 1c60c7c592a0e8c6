"""flask tenants idp SLUG ...: connect a force to its identity provider."""

from __future__ import annotations

import getpass
import os

import click
from flask import current_app
from flask.cli import with_appcontext

from app.auth.idp import ROLES, IdpError, build, check_issuer
from tenants import registry
from tenants.binding import db
from tenants.extension import tenancy


def _role_values(pairs: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    values: dict[str, list[str]] = {}
    for pair in pairs:
        role, sep, value = pair.partition("=")
        if not sep or not value or role not in ROLES:
            raise click.BadParameter(
                f"use ROLE=VALUE with ROLE one of {', '.join(ROLES)}", param_hint="--role"
            )
        values.setdefault(role, []).append(value)
    return {role: tuple(found) for role, found in values.items()}


@click.command("idp")
@click.argument("slug")
@click.option("--issuer", required=True, help="The provider's issuer URL (https).")
@click.option("--client-id", required=True)
@click.option(
    "--client-secret-env",
    required=True,
    metavar="VAR",
    help="Name of the environment variable holding the client secret (never on the command line).",
)
@click.option(
    "--role-claim", default="roles", show_default=True, help="Claim holding roles or groups."
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ROLE=VALUE",
    help="officer|supervisor|admin=claim value; repeatable.",
)
@click.option("--entra", is_flag=True, help="Identify people by tid + oid (Microsoft Entra ID).")
@with_appcontext
def idp_command(
    slug: str,
    issuer: str,
    client_id: str,
    client_secret_env: str,
    role_claim: str,
    roles: tuple[str, ...],
    entra: bool,
) -> None:
    """Connect SLUG's officer sign-in to its identity provider (checks discovery first)."""
    if registry.fresh_force(db.engine, slug) is None:
        raise click.ClickException(f"No force {slug!r} is registered.")
    secret = os.environ.get(client_secret_env)
    if not secret:
        raise click.ClickException(
            f"The environment variable {client_secret_env} is empty or unset."
        )
    settings = current_app.extensions["settings"]
    try:
        check_issuer(issuer, allow_insecure=settings.env != "production")
        idp = build(
            issuer=issuer,
            client_id=client_id,
            client_secret=secret,
            role_claim=role_claim,
            role_values=_role_values(roles),
            box=tenancy().secret_box(),
            subject_claims=("tid", "oid") if entra else ("sub",),
        )
    except IdpError as error:
        raise click.ClickException(str(error)) from None
    tenancy().set_idp(slug, idp.to_mapping(), ("cli", getpass.getuser()))
    host = f"{slug}.{settings.base_domain}"
    scheme = "https" if settings.env == "production" else "http"
    click.echo(f"{slug} now signs officers in with {issuer}.")
    click.echo(
        f"Register this redirect URI at the provider: {scheme}://{host}/officer/auth/callback"
    )
