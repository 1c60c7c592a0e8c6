"""Operator accounts: pre-authorised by email (`flask operators create`), signed in
through the central identity provider, and nothing else.

An operator row starts with an email and no (issuer, subject). The first sign-in whose
ID token carries that email binds the row to the token's issuer and subject; from then
on only that (issuer, subject) signs in as it, whatever email the provider later says.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select

from app.auth.idp import IdpSettings
from app.models.base import utcnow
from app.models.central import Operator
from tenants.binding import db
from tenants.extension import current_scope
from tenants.resolution import ScopeKind

_IDP_KEY = "central_idp"


@dataclass(frozen=True)
class CentralIdp:
    """The central identity provider operators sign in with (from the environment)."""

    issuer: str
    client_id: str
    client_secret: str

    def settings(self) -> IdpSettings:
        # The secret comes from the environment, not the database: nothing to unseal.
        return IdpSettings(self.issuer, self.client_id, client_secret_sealed="")


def configure_idp(app: Flask, issuer: str, client_id: str, client_secret: str) -> None:
    """Point operator sign-in at a provider (create_app from settings; the demo and the
    tests call it again once their provider is listening)."""
    found = issuer and client_id and client_secret
    app.extensions[_IDP_KEY] = CentralIdp(issuer, client_id, client_secret) if found else None


def configure_from_settings(app: Flask) -> None:
    settings = app.extensions["settings"]
    configure_idp(
        app,
        settings.central_idp_issuer,
        settings.central_idp_client_id,
        settings.central_idp_client_secret,
    )


def central_idp() -> CentralIdp | None:
    found: CentralIdp | None = current_app.extensions.get(_IDP_KEY)
    return found


def normal_email(value: str) -> str:
    return value.strip().lower()


def by_email(email: str) -> Operator | None:
    return db.session.scalar(select(Operator).where(Operator.email == normal_email(email)))


def create(email: str, name: str | None = None) -> tuple[Operator, bool]:
    """The operator with this email, made (active) if new: (operator, made)."""
    found = by_email(email)
    if found is not None:
        return found, False
    operator = Operator(id=uuid.uuid4(), email=normal_email(email), name=name, active=True)
    db.session.add(operator)
    db.session.flush()
    return operator, True


def all_operators() -> list[Operator]:
    return list(db.session.scalars(select(Operator).order_by(Operator.email)))


def load_operator(operator_id: str) -> Operator | None:
    """Flask-Login's loader for "operator:<id>": only ever on the central site."""
    if current_scope().kind is not ScopeKind.CENTRAL:
        return None
    try:
        found = db.session.get(Operator, uuid.UUID(operator_id))
    except ValueError:
        return None
    return found if found is not None and found.active else None


def for_claims(issuer: str, claims: Mapping[str, Any]) -> Operator | None:
    """The active operator these verified claims name, bound on first sign-in; or None."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        return None
    operator = db.session.scalar(
        select(Operator).where(Operator.issuer == issuer, Operator.subject == subject)
    )
    if operator is None:
        operator = _first_sign_in(issuer, subject, claims)
    if operator is None or not operator.active:
        return None
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        operator.name = name.strip()[:120]
    operator.last_signed_in_at = utcnow()
    return operator


def _first_sign_in(issuer: str, subject: str, claims: Mapping[str, Any]) -> Operator | None:
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is False:
        return None
    operator = db.session.scalar(
        select(Operator)
        .where(func.lower(Operator.email) == normal_email(email), Operator.subject.is_(None))
        .with_for_update()
    )
    if operator is not None:
        operator.issuer, operator.subject = issuer, subject
    return operator
