"""One issuer's RS256 signing keys: the newest signs, every kept key is published."""

from __future__ import annotations

from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

ALGORITHM = "RS256"


def new_key() -> RSAKey:
    """A fresh 2048-bit RSA key whose kid is its RFC 7638 thumbprint."""
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": ALGORITHM}, auto_kid=True)


class IssuerKeys:
    """Keys are never shared between issuers, so one force's token fails at another's."""

    def __init__(self) -> None:
        self._keys = [new_key()]

    @property
    def current(self) -> RSAKey:
        return self._keys[-1]

    def rotate(self) -> None:
        """Sign with a new key from now on; keep publishing the old ones."""
        self._keys.append(new_key())

    def drop_old(self) -> None:
        """Stop publishing every key but the current one."""
        self._keys = [self.current]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.as_dict(private=False) for key in self._keys]}

    def sign(self, claims: dict[str, Any], key: RSAKey | None = None) -> str:
        """A compact JWS of `claims`; `key` (default: current) names itself by kid."""
        key = key or self.current
        return jwt.encode({"alg": ALGORITHM, "kid": key.kid}, claims, key, [ALGORITHM])

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a token signed by any published key (signature only: callers
        check the claims). Raises joserfc's errors on anything else."""
        keys = KeySet(list(self._keys))
        return dict(jwt.decode(token, keys, [ALGORITHM]).claims)
