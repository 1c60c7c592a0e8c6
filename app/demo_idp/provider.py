"""The provider's memory: per issuer, its keys, pending sign-ins, codes and tokens.

Everything lives in this process and is lost on restart (a sign-in in flight fails,
nothing else). One lock per issuer: the server answers requests on several threads.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from app.demo_idp.config import CODE_TTL, TOKEN_TTL, DemoIssuer, DemoUser
from app.demo_idp.keys import IssuerKeys
from app.demo_idp.tokens import MISBEHAVIOURS, id_token_claims, sign_id_token, user_claims


@dataclass(frozen=True)
class AuthRequest:
    """A checked /authorize request waiting for the user's password."""

    client_id: str
    redirect_uri: str
    scope: str
    state: str
    nonce: str
    code_challenge: str
    expires_at: float


@dataclass(frozen=True)
class CodeGrant:
    """What an authorization code stands for: the request and who signed in, when."""

    request: AuthRequest
    user: DemoUser
    auth_time: int
    expires_at: float


@dataclass(frozen=True)
class AccessGrant:
    user: DemoUser
    client_id: str
    expires_at: float


class IssuerState:
    """One force's issuer: configuration, keys and what it has handed out."""

    def __init__(self, config: DemoIssuer, url: str) -> None:
        self.config = config
        self.url = url
        self.keys = IssuerKeys()
        self.next_misbehaviour: str | None = None
        self._lock = threading.Lock()
        self._pending: dict[str, AuthRequest] = {}
        self._codes: dict[str, CodeGrant] = {}
        # Redeemed code -> the access token it bought, revoked if the code comes back.
        self._redeemed: dict[str, str] = {}
        self._tokens: dict[str, AccessGrant] = {}

    def start_sign_in(self, request: AuthRequest) -> str:
        """Remember a checked request; the returned id is the sign-in form's only key."""
        request_id = secrets.token_urlsafe(24)
        with self._lock:
            _forget_expired(self._pending)
            self._pending[request_id] = request
        return request_id

    def pending(self, request_id: str) -> AuthRequest | None:
        with self._lock:
            found = self._pending.get(request_id)
        return found if found and found.expires_at > time.time() else None

    def cancel(self, request_id: str) -> None:
        with self._lock:
            self._pending.pop(request_id, None)

    def issue_code(self, request_id: str, user: DemoUser) -> tuple[str, AuthRequest] | None:
        """A single-use code for a pending request (which is used up by it)."""
        with self._lock:
            request = self._pending.pop(request_id, None)
            if request is None or request.expires_at <= time.time():
                return None
            code = secrets.token_urlsafe(32)
            now = time.time()
            _forget_expired(self._codes)
            self._codes[code] = CodeGrant(request, user, int(now), now + CODE_TTL)
        return code, request

    def redeem_code(self, code: str) -> CodeGrant | None:
        """The grant behind an unused, unexpired code. A second use fails and revokes
        the access token the first use bought (RFC 6749 section 4.1.2)."""
        with self._lock:
            grant = self._codes.pop(code, None)
            if grant is None:
                self._tokens.pop(self._redeemed.pop(code, ""), None)
                return None
            self._redeemed[code] = ""
        return grant if grant.expires_at > time.time() else None

    def issue_tokens(self, code: str, grant: CodeGrant) -> dict[str, Any]:
        """The token response for a redeemed code; applies a queued misbehaviour."""
        access_token = secrets.token_urlsafe(32)
        now = int(time.time())
        claims = id_token_claims(self.config, self.url, grant, now)
        with self._lock:
            self._tokens[access_token] = AccessGrant(
                grant.user, grant.request.client_id, now + TOKEN_TTL
            )
            self._redeemed[code] = access_token
            mode, self.next_misbehaviour = self.next_misbehaviour, None
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_TTL,
            "scope": grant.request.scope,
            "id_token": sign_id_token(self.keys, claims, mode),
        }

    def userinfo(self, access_token: str) -> dict[str, Any] | None:
        with self._lock:
            grant = self._tokens.get(access_token)
        if grant is None or grant.expires_at <= time.time():
            return None
        return user_claims(self.config, grant.user)


def _forget_expired(entries: dict[str, Any]) -> None:
    """Bound memory: drop whatever has expired (each value has `expires_at`)."""
    now = time.time()
    for key in [k for k, v in entries.items() if v.expires_at <= now]:
        del entries[key]


class DemoProvider:
    """Every issuer of one server, and the test hooks (object API only, never HTTP)."""

    def __init__(self, base_url: str, issuers: list[DemoIssuer]) -> None:
        self.base_url = base_url.rstrip("/")
        self.issuers = {i.slug: IssuerState(i, f"{self.base_url}/{i.slug}") for i in issuers}
        if len(self.issuers) != len(issuers):
            raise ValueError("two demo issuers share a slug")

    def issuer(self, slug: str) -> str:
        """The issuer identifier of one force, e.g. http://127.0.0.1:5556/kent."""
        return self.issuers[slug].url

    def misbehave(self, slug: str, mode: str) -> None:
        """Spoil the NEXT id_token this issuer signs; see tokens.MISBEHAVIOURS."""
        if mode not in MISBEHAVIOURS:
            raise ValueError(f"unknown misbehaviour {mode!r}; one of {sorted(MISBEHAVIOURS)}")
        self.issuers[slug].next_misbehaviour = mode

    def rotate_keys(self, slug: str) -> None:
        """Sign with a new key; the old one stays in the JWKS until drop_old_keys."""
        self.issuers[slug].keys.rotate()

    def drop_old_keys(self, slug: str) -> None:
        self.issuers[slug].keys.drop_old()
