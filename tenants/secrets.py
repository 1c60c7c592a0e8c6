"""Secrets we must keep in the database: encrypted at rest, decrypted only when used.

IdP client secrets and GOV.UK Notify API keys sit in the registry. A database dump or a
read-only replica must not hand them over, so they are Fernet tokens (AES-128-CBC with
an HMAC, from the `cryptography` package) under keys from the SECRETS_KEY environment
variable. MultiFernet takes several keys, newest first: the first encrypts, any of them
decrypts, and `rotate` re-encrypts under the newest, which is how keys are rotated
(docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretError(RuntimeError):
    """A stored secret cannot be decrypted with the configured keys."""


class SecretBox:
    """Encrypts and decrypts short secrets with the configured keys."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise SecretError("no SECRETS_KEY is configured")
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise SecretError(
                "a stored secret does not decrypt with SECRETS_KEY (was a key dropped "
                "before `tenants rotate-secrets` ran?)"
            ) from None

    def rotate(self, token: str) -> str:
        """The same secret under the newest key."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            raise SecretError("a stored secret does not decrypt with SECRETS_KEY") from None


SEALED_SUFFIX = "_sealed"


def reseal(values: dict[str, Any], rotate: Callable[[str], str]) -> tuple[dict[str, Any], int]:
    """values with every "*_sealed" entry (at any depth) passed through rotate."""
    count, out = 0, {}
    for key, value in values.items():
        if isinstance(value, dict):
            value, inner = reseal(value, rotate)
            count += inner
        elif key.endswith(SEALED_SUFFIX) and isinstance(value, str) and value:
            value, count = rotate(value), count + 1
        out[key] = value
    return out, count


def new_key() -> str:
    """A fresh key for SECRETS_KEY."""
    return Fernet.generate_key().decode()
