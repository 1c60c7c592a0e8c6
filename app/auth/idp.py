"""A force's identity provider: the settings we keep and the checks before we keep them.

The CLI (`tenants idp`), onboarding and the force admin screens all go through
`IdpSettings.build` and `check_issuer`, so a provider that does not answer, or answers
as another issuer, is refused the same way everywhere.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from tenants.secrets import SecretBox

# Our roles, strongest first: a person whose claims map to several gets the strongest.
ROLES = ("admin", "supervisor", "officer")
DISCOVERY_TIMEOUT = 5.0
_MAX_DOCUMENT = 256 * 1024


class IdpError(ValueError):
    """The provider's settings or its answer are not usable; the message says why."""


@dataclass(frozen=True)
class IdpSettings:
    """What a force's site needs to sign its officers in (the secret stays sealed)."""

    issuer: str
    client_id: str
    client_secret_sealed: str
    role_claim: str = "roles"
    # our role -> the claim values that grant it
    role_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Claims that together identify a person: ("sub",), or ("tid", "oid") for Entra ID.
    subject_claims: tuple[str, ...] = ("sub",)
    collar_claim: str = "collar_number"
    team_claim: str = "team"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> IdpSettings | None:
        """The settings stored in the registry, or None when the force has none."""
        if not values.get("issuer") or not values.get("client_id"):
            return None
        return cls(
            issuer=values["issuer"],
            client_id=values["client_id"],
            client_secret_sealed=values.get("client_secret_sealed", ""),
            role_claim=values.get("role_claim", "roles"),
            role_values={k: tuple(v) for k, v in values.get("role_values", {}).items()},
            subject_claims=tuple(values.get("subject_claims", ("sub",))),
            collar_claim=values.get("collar_claim", "collar_number"),
            team_claim=values.get("team_claim", "team"),
        )

    def to_mapping(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "client_id": self.client_id,
            "client_secret_sealed": self.client_secret_sealed,
            "role_claim": self.role_claim,
            "role_values": {k: list(v) for k, v in self.role_values.items()},
            "subject_claims": list(self.subject_claims),
            "collar_claim": self.collar_claim,
            "team_claim": self.team_claim,
        }

    def role_for(self, claims: Mapping[str, Any]) -> str | None:
        """The strongest of our roles the claims grant, or None (no access)."""
        granted = claims.get(self.role_claim)
        values = {granted} if isinstance(granted, str) else set(granted or ())
        for role in ROLES:
            if values & set(self.role_values.get(role, ())):
                return role
        return None

    def subject_of(self, claims: Mapping[str, Any]) -> str | None:
        """The person's stable id at this issuer, from the subject claims."""
        parts = [claims.get(name) for name in self.subject_claims]
        if not all(isinstance(part, str) and part for part in parts):
            return None
        return ":".join(str(part) for part in parts)


def build(
    *,
    issuer: str,
    client_id: str,
    client_secret: str,
    role_claim: str,
    role_values: Mapping[str, tuple[str, ...]],
    box: SecretBox,
    subject_claims: tuple[str, ...] = ("sub",),
) -> IdpSettings:
    """Validated settings with the client secret sealed."""
    unknown = set(role_values) - set(ROLES)
    if unknown:
        raise IdpError(f"unknown role(s) {', '.join(sorted(unknown))}: use {', '.join(ROLES)}")
    if not any(role_values.values()):
        raise IdpError("map at least one claim value to a role, or nobody can sign in")
    if not client_id.strip() or not client_secret:
        raise IdpError("the client id and client secret are required")
    return IdpSettings(
        issuer=issuer.strip(),
        client_id=client_id.strip(),
        client_secret_sealed=box.seal(client_secret),
        role_claim=role_claim,
        role_values={role: tuple(values) for role, values in role_values.items() if values},
        subject_claims=subject_claims,
    )


def check_issuer(issuer: str, *, allow_insecure: bool) -> dict[str, Any]:
    """Fetch the provider's discovery document and check it names this issuer.

    https only, and no loopback, private or link-local address, unless allow_insecure
    (development and tests): an administrator's URL must not let us probe our network.
    """
    _check_issuer_url(issuer, allow_insecure)
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=DISCOVERY_TIMEOUT, allow_redirects=False)
    except requests.RequestException as error:
        raise IdpError(f"the provider did not answer at {url} ({type(error).__name__})") from None
    if response.status_code != 200 or len(response.content) > _MAX_DOCUMENT:
        raise IdpError(f"the provider answered {response.status_code} at {url}")
    try:
        document = response.json()
    except ValueError:
        raise IdpError(f"the provider's answer at {url} is not JSON") from None
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise IdpError("the provider says it is a different issuer: check the URL exactly")
    for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(needed), str):
            raise IdpError(f"the provider's discovery document has no {needed}")
    return document


def _check_issuer_url(issuer: str, allow_insecure: bool) -> None:
    parts = urlsplit(issuer)
    if parts.scheme != "https" and not (allow_insecure and parts.scheme == "http"):
        raise IdpError("the issuer URL must start with https://")
    if not parts.hostname:
        raise IdpError("the issuer URL has no host name")
    if not allow_insecure:
        _refuse_internal_address(parts.hostname, parts.port or 443)


def _refuse_internal_address(host: str, port: int) -> None:
    """Refuse a host that resolves to loopback, private, link-local or reserved space."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError:
        raise IdpError(f"the host name {host} does not resolve") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise IdpError(f"{host} resolves to a private or reserved address")
