"""ID token claims, and the deliberate faults tests ask for to prove the relying party
rejects them."""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING, Any

from app.demo_idp.config import TOKEN_TTL, DemoIssuer, DemoUser
from app.demo_idp.keys import IssuerKeys, new_key

if TYPE_CHECKING:
    from app.demo_idp.provider import CodeGrant

# Each spoils one thing of the next id_token and leaves the rest correct.
MISBEHAVIOURS = frozenset(
    {"wrong_issuer", "wrong_audience", "expired", "bad_nonce", "bad_signature", "unknown_kid"}
)


def user_claims(issuer: DemoIssuer, user: DemoUser) -> dict[str, Any]:
    """What the provider says about a user, in the id_token and at /userinfo."""
    return {
        "sub": user.subject(issuer.slug),
        "name": user.name,
        "email": user.email,
        issuer.role_claim: list(user.roles),
        "collar_number": user.collar_number,
        "team": user.team,
    }


def id_token_claims(
    issuer: DemoIssuer, issuer_url: str, grant: CodeGrant, now: int
) -> dict[str, Any]:
    return {
        "iss": issuer_url,
        "aud": grant.request.client_id,
        "iat": now,
        "exp": now + TOKEN_TTL,
        "auth_time": grant.auth_time,
        "nonce": grant.request.nonce,
        **user_claims(issuer, grant.user),
    }


def sign_id_token(keys: IssuerKeys, claims: dict[str, Any], mode: str | None) -> str:
    """Sign `claims` with the issuer's current key, spoiled as `mode` says (None: not)."""
    if mode == "wrong_issuer":
        claims = {**claims, "iss": claims["iss"] + "-elsewhere"}
    elif mode == "wrong_audience":
        claims = {**claims, "aud": "another-client"}
    elif mode == "expired":
        claims = {**claims, "iat": claims["iat"] - 2 * TOKEN_TTL, "exp": claims["iat"] - 60}
    elif mode == "bad_nonce":
        claims = {**claims, "nonce": secrets.token_urlsafe(16)}
    elif mode == "unknown_kid":
        # A key that was never published: its kid is in no JWKS.
        return keys.sign(claims, new_key())
    token = keys.sign(claims)
    return _spoil_signature(token) if mode == "bad_signature" else token


def _spoil_signature(token: str) -> str:
    """Same header and claims, a signature of the right length that does not verify."""
    head, body, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[len(raw) // 2] ^= 0xFF
    return ".".join((head, body, base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()))
