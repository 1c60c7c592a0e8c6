"""flask operators create|list|deactivate: pre-authorise the central operators.

An operator is an email address until their first sign-in through the central identity
provider binds it to that provider's subject (app.central.operators). Each change is a
platform audit event naming the person at the keyboard (their OS user).
"""

from __future__ import annotations

import getpass
import re

import click
from flask.cli import AppGroup

from app.central import operators
from app.central.blueprint import CentralTag
from tenants.audit import Actor, write_platform_event
from tenants.binding import db

operators_cli = AppGroup("operators", help="Central operators: who may run the console.")
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}")


def _actor() -> Actor:
    return ("cli", getpass.getuser()[:64])


def _record(tag: CentralTag, operator_id: object) -> None:
    write_platform_event(db.session.connection(), tag, _actor(), operator=str(operator_id))


@operators_cli.command("create")
@click.argument("email")
@click.option("--name", default=None, help="The operator's name (their provider's wins).")
def create_command(email: str, name: str | None) -> None:
    """Pre-authorise EMAIL as an operator (their first sign-in completes it)."""
    if not _EMAIL.fullmatch(email.strip()) or len(email.strip()) > 254:
        raise click.UsageError(f"{email!r} is not an email address")
    operator, made = operators.create(email, name)
    if made:
        _record(CentralTag.OPERATOR_CREATED, operator.id)
    elif not operator.active:
        operator.active = True
        _record(CentralTag.OPERATOR_CREATED, operator.id)
    db.session.commit()
    click.echo(f"{operator.email} {'may now sign in' if made else 'is an operator'}.")


@operators_cli.command("list")
def list_command() -> None:
    """Every operator, and whether they have signed in yet."""
    for operator in operators.all_operators():
        state = "active" if operator.active else "deactivated"
        seen = "signed in" if operator.subject else "not signed in yet"
        click.echo(f"{operator.email}  {state}, {seen}")


@operators_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Stop EMAIL signing in (their current session ends at its next request)."""
    operator = operators.by_email(email)
    if operator is None:
        raise click.UsageError(f"no operator {email!r}")
    operator.active = False
    _record(CentralTag.OPERATOR_DEACTIVATED, operator.id)
    db.session.commit()
    click.echo(f"{operator.email} can no longer sign in.")
