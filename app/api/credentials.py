"""Client secrets and access tokens: how they are made, kept and checked.

Client secrets are 256 random bits, so nobody guesses one and a slow password KDF
(scrypt, Argon2) buys nothing but a cheap way to tie up the token endpoint's CPU. We
keep HMAC-SHA256(server key, secret): a stolen database alone cannot even test a
candidate secret, and checking is one constant-time comparison.

Access tokens are JWTs (RFC 9068 shape: typ at+jwt) signed with HS256 under a key
derived per force, with the force as audience and a 15-minute life. A token of force
A therefore fails on force B twice over (signature and audience); revocation takes
effect at once because every call also loads the client and refuses a revoked one.

Both keys derive from SECRET_KEY: rotating it ends every token and every client secret
(create new clients after a rotation).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass

from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from joserfc.jwt import JWTClaimsRegistry

TOKEN_LIFETIME_SECONDS = 900
ISSUER = "trackmycrime"
_SCHEME = "hmac-sha256"
_ALGORITHM = "HS256"


def _derived_key(purpose: str) -> bytes:
    secret_key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret_key, f"trackmycrime:api:{purpose}".encode(), hashlib.sha256).digest()


def new_client_id() -> str:
    return "tmc_" + secrets.token_hex(12)


def new_client_secret() -> str:
    return "tmcs_" + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    digest = hmac.new(_derived_key("client-secret"), secret.encode(), hashlib.sha256)
    return f"{_SCHEME}${digest.hexdigest()}"


def secret_matches(secret: str, stored: str) -> bool:
    scheme, _, _ = stored.partition("$")
    return scheme == _SCHEME and hmac.compare_digest(hash_secret(secret), stored)


@dataclass(frozen=True)
class AccessToken:
    client_id: str
    scopes: tuple[str, ...]
    expires_at: int


def _token_key(force_slug: str) -> OctKey:
    return OctKey.import_key(_derived_key(f"access-token:{force_slug}"))


def _audience(force_slug: str) -> str:
    return f"force:{force_slug}"


def issue_token(force_slug: str, client_id: str, scopes: tuple[str, ...]) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": _audience(force_slug),
        "sub": client_id,
        "client_id": client_id,
        "scope": " ".join(scopes),
        "iat": now,
        "exp": now + TOKEN_LIFETIME_SECONDS,
        "jti": uuid.uuid4().hex,
    }
    header = {"alg": _ALGORITHM, "typ": "at+jwt"}
    return jwt.encode(header, claims, _token_key(force_slug), algorithms=[_ALGORITHM])


def read_token(force_slug: str, token: str) -> AccessToken | None:
    """The token's claims if it is well formed, signed for this force and unexpired."""
    if len(token) > 4096:
        return None
    try:
        decoded = jwt.decode(token, _token_key(force_slug), algorithms=[_ALGORITHM])
        JWTClaimsRegistry(
            iss={"essential": True, "value": ISSUER},
            aud={"essential": True, "value": _audience(force_slug)},
            exp={"essential": True},
            sub={"essential": True},
        ).validate(decoded.claims)
    except (JoseError, ValueError, TypeError):
        return None
    claims = decoded.claims
    scope, exp = claims.get("scope", ""), claims.get("exp")
    if decoded.header.get("typ") != "at+jwt" or not isinstance(scope, str):
        return None
    if not isinstance(exp, int):
        return None
    return AccessToken(str(claims["sub"]), tuple(scope.split()), exp)
