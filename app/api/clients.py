"""API clients: making, listing and revoking them, and checking who is calling.

`authenticate(scopes)` runs on every API call (through app.auth.access's
api_client_required): it reads the bearer token, loads its client from this force's
schema, refuses a revoked one, checks the scopes, and names the client as the actor of
every audit row the call writes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import g, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api import credentials
from app.api.problems import Problem
from app.models import ApiClient
from app.models.api import API_SCOPES
from app.models.base import utcnow
from tenants.binding import db
from tenants.extension import current_force

_BEARER_CHALLENGE = 'Bearer realm="api"'


def _unauthorized(detail: str, error: str = "invalid_token") -> Problem:
    return Problem(
        "unauthorized",
        detail,
        headers={"WWW-Authenticate": f'{_BEARER_CHALLENGE}, error="{error}"'},
    )


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise Problem(
            "unauthorized",
            "Send an access token: Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": _BEARER_CHALLENGE},
        )
    return token.strip()


def live_client(client_id: str) -> ApiClient | None:
    """This force's client with client_id, unless it was revoked."""
    return db.session.scalar(
        select(ApiClient).where(ApiClient.client_id == client_id, ApiClient.revoked_at.is_(None))
    )


def authenticate(scopes: tuple[str, ...]) -> ApiClient:
    """The calling client, or a 401/403 problem; also makes it the audit actor."""
    token = credentials.read_token(current_force().slug, _bearer_token())
    if token is None:
        raise _unauthorized("The access token is invalid, expired, or for another force.")
    client = live_client(token.client_id)
    if client is None:
        raise _unauthorized("The access token's client is unknown here or was revoked.")
    held = set(token.scopes) & set(client.scopes)
    if not set(scopes) <= held:
        raise Problem(
            "insufficient-scope",
            f"This operation needs the scope {' '.join(scopes)}.",
            headers={
                "WWW-Authenticate": f'{_BEARER_CHALLENGE}, error="insufficient_scope", '
                f'scope="{" ".join(scopes)}"'
            },
        )
    g.api_client = client
    g.audit_actor = ("api_client", client.client_id)
    return client


def calling_client() -> ApiClient:
    client: ApiClient = g.api_client
    return client


# --- the CLI's operations (run inside tenants.binding.force_scope) ----------------------


@dataclass(frozen=True)
class NewClient:
    client: ApiClient
    secret: str  # shown once, never stored


def create_client(session: Session, name: str, scopes: tuple[str, ...]) -> NewClient:
    unknown = set(scopes) - set(API_SCOPES)
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(sorted(unknown))}")
    secret = credentials.new_client_secret()
    client = ApiClient(
        id=uuid.uuid4(),
        client_id=credentials.new_client_id(),
        name=name,
        secret_hash=credentials.hash_secret(secret),
        scopes=sorted(scopes or API_SCOPES),
    )
    session.add(client)
    session.flush()
    return NewClient(client, secret)


def all_clients(session: Session) -> list[ApiClient]:
    return list(session.scalars(select(ApiClient).order_by(ApiClient.created_at)))


def revoke_client(session: Session, client_id: str) -> ApiClient | None:
    client = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    if client is not None and client.revoked_at is None:
        client.revoked_at = utcnow()
    return client
