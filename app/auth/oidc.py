"""The relying party: sign a person in with an OpenID provider (authorization code + PKCE).

Each force has its own provider, so there is no process-wide client registry (Authlib's
caches a client per name for ever): a client is built per sign-in from the settings the
registry holds now, so an edited setting takes effect within the registry's refresh
time. What is worth caching is the provider's discovery document and keys, by issuer;
keys are fetched again when a token names a key id we do not hold (rotation).

`begin` returns the URL to send the browser to and what to keep in the (force-bound)
session; `complete` checks the callback against it and returns the verified ID token's
claims, or raises SignInFailed with a reason code for the audit trail.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError as OAuthError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jws, jwt
from joserfc.errors import (
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from app.auth.idp import IdpError, IdpSettings, check_issuer

SCOPES = "openid profile email"
PENDING_LIFETIME = 600  # seconds from leaving for the provider to coming back
HTTP_TIMEOUT = 10.0
METADATA_TTL = 3600.0
# A key id we do not hold is looked for (the keys fetched again) at most once in this
# many seconds, and at most KEY_LOOKUPS different ones in that time, per issuer.
KEY_REFETCH_INTERVAL = 30.0
KEY_LOOKUPS = 10


class SignInFailed(Exception):
    """The callback is not a valid sign-in; reason is a short code for the audit trail."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Provider:
    metadata: dict[str, Any]
    keys: KeySet
    fetched_at: float
    # Key ids we fetched the keys again for, and when. Throttled per key id, not per
    # issuer: a throttle per issuer refused a key rotated in within the interval of
    # the last fetch (every sign-in failed until it ran out).
    looked_for: dict[str, float] = field(default_factory=dict)


class ProviderCache:
    """Discovery documents and signing keys by issuer, shared by the process's threads."""

    def __init__(self, allow_insecure: bool) -> None:
        self._allow_insecure = allow_insecure
        self._providers: dict[str, _Provider] = {}
        self._lock = threading.Lock()

    def metadata(self, issuer: str) -> dict[str, Any]:
        return self._provider(issuer).metadata

    def cached_metadata(self, issuer: str) -> dict[str, Any] | None:
        """The discovery document we hold for issuer, however old; never fetches."""
        with self._lock:
            found = self._providers.get(issuer)
        return found.metadata if found is not None else None

    def keys(self, issuer: str, missing_kid: str | None = None) -> KeySet:
        """The issuer's keys, fetched again for missing_kid (a key id we do not hold)
        unless it was looked for lately."""
        provider = self._provider(issuer)
        if missing_kid is not None and self._may_look_for(provider, missing_kid):
            provider.keys = _fetch_keys(provider.metadata["jwks_uri"])
        return provider.keys

    def _may_look_for(self, provider: _Provider, kid: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = {
                k: at for k, at in provider.looked_for.items() if now - at < KEY_REFETCH_INTERVAL
            }
            allowed = kid not in recent and len(recent) < KEY_LOOKUPS
            if allowed:
                recent[kid] = now
            provider.looked_for = recent
        return allowed

    def forget(self, issuer: str) -> None:
        with self._lock:
            self._providers.pop(issuer, None)

    def _provider(self, issuer: str) -> _Provider:
        with self._lock:
            found = self._providers.get(issuer)
            if found and time.monotonic() - found.fetched_at < METADATA_TTL:
                return found
        metadata = check_issuer(issuer, allow_insecure=self._allow_insecure)
        now = time.monotonic()
        provider = _Provider(metadata, _fetch_keys(metadata["jwks_uri"]), now)
        with self._lock:
            self._providers[issuer] = provider
        return provider


def _fetch_keys(jwks_uri: str) -> KeySet:
    try:
        response = requests.get(jwks_uri, timeout=HTTP_TIMEOUT, allow_redirects=False)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (requests.RequestException, ValueError, JoseError):
        raise IdpError("the provider's signing keys could not be fetched") from None


def _client(idp: IdpSettings, client_secret: str, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        idp.client_id,
        client_secret,
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 - a method name
        scope=SCOPES,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        default_timeout=HTTP_TIMEOUT,
    )


def begin(
    idp: IdpSettings, client_secret: str, redirect_uri: str, cache: ProviderCache
) -> tuple[str, dict[str, Any]]:
    """The provider URL to redirect to, and the pending sign-in to keep in the session."""
    pending = {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": generate_token(64),
        "issuer": idp.issuer,
        "client_id": idp.client_id,
        "started": time.time(),
    }
    client = _client(idp, client_secret, redirect_uri)
    url, _ = client.create_authorization_url(
        cache.metadata(idp.issuer)["authorization_endpoint"],
        state=pending["state"],
        nonce=pending["nonce"],
        code_verifier=pending["verifier"],
    )
    return url, pending


def complete(
    idp: IdpSettings,
    client_secret: str,
    redirect_uri: str,
    cache: ProviderCache,
    pending: Mapping[str, Any] | None,
    args: Mapping[str, str],
) -> tuple[dict[str, Any], str]:
    """Check the callback, exchange the code and verify the ID token: (claims, id_token)."""
    _check_pending(idp, pending, args)
    assert pending is not None
    if args.get("error") or not args.get("code"):
        raise SignInFailed("provider_refused")
    client = _client(idp, client_secret, redirect_uri)
    try:
        token = client.fetch_token(
            cache.metadata(idp.issuer)["token_endpoint"],
            grant_type="authorization_code",
            code=args["code"],
            code_verifier=pending["verifier"],
        )
    except (OAuthError, requests.RequestException, ValueError):
        raise SignInFailed("code_exchange_failed") from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SignInFailed("no_id_token")
    return verify_id_token(idp, cache, id_token, pending["nonce"]), id_token


def _check_pending(
    idp: IdpSettings, pending: Mapping[str, Any] | None, args: Mapping[str, str]
) -> None:
    if not pending or not isinstance(pending.get("state"), str):
        raise SignInFailed("state_missing")
    if not hmac.compare_digest(pending["state"], args.get("state", "")):
        raise SignInFailed("state_mismatch")
    if time.time() - float(pending.get("started", 0)) > PENDING_LIFETIME:
        raise SignInFailed("sign_in_too_slow")
    if (pending.get("issuer"), pending.get("client_id")) != (idp.issuer, idp.client_id):
        raise SignInFailed("provider_changed")


def verify_id_token(
    idp: IdpSettings, cache: ProviderCache, id_token: str, nonce: str
) -> dict[str, Any]:
    """The claims of an ID token this force's provider signed for us, for this sign-in."""
    try:
        decoded = _decode(id_token, cache.keys(idp.issuer))
    except InvalidKeyIdError:
        # The provider may have rotated its keys since we fetched them: look once more.
        try:
            decoded = _decode(id_token, cache.keys(idp.issuer, missing_kid=_key_id(id_token)))
        except JoseError:
            raise SignInFailed("bad_signature") from None
    except JoseError:
        raise SignInFailed("bad_signature") from None
    claims: dict[str, Any] = dict(decoded.claims)
    rules = jwt.JWTClaimsRegistry(
        leeway=60,
        iss={"essential": True, "value": idp.issuer},
        aud={"essential": True, "value": idp.client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        rules.validate(claims)
    except ExpiredTokenError:
        raise SignInFailed("expired") from None
    except (InvalidClaimError, MissingClaimError) as error:
        raise SignInFailed(f"bad_claim_{getattr(error, 'claim', 'unknown')}") from None
    except JoseError:
        raise SignInFailed("bad_claims") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != idp.client_id:
        raise SignInFailed("bad_claim_azp")
    return claims


def _key_id(id_token: str) -> str:
    """The kid in the token's header ("" when it names none)."""
    try:
        kid = jws.extract_compact(id_token.encode()).headers().get("kid")
    except (JoseError, ValueError):
        return ""
    return kid if isinstance(kid, str) else ""


def _decode(id_token: str, keys: KeySet) -> jwt.Token:
    return jwt.decode(id_token, keys, algorithms=["RS256", "PS256", "ES256"])


def logout_url(
    idp: IdpSettings, cache: ProviderCache, id_token: str | None, after: str
) -> str | None:
    """The provider's RP-initiated logout URL, if it offers one."""
    try:
        endpoint = cache.metadata(idp.issuer).get("end_session_endpoint")
    except IdpError:
        return None
    if not isinstance(endpoint, str):
        return None
    params = {"post_logout_redirect_uri": after, "client_id": idp.client_id}
    if id_token:
        params["id_token_hint"] = id_token
    return str(requests.Request("GET", endpoint, params=params).prepare().url)
