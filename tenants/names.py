"""Force slugs and the database names made from them.

Every name is validated here before it reaches DDL, and always used quoted.
"""

from __future__ import annotations

import re

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "app",
        "assets",
        "auth",
        "central",
        "cdn",
        "dev",
        "ftp",
        "help",
        "imap",
        "login",
        "mail",
        "ns1",
        "ns2",
        "operator",
        "operators",
        "pop",
        "public",
        "smtp",
        "staging",
        "static",
        "status",
        "support",
        "tenant",
        "test",
        "www",
    }
)
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class InvalidSlug(ValueError):
    """The slug cannot name a force; the message says why in plain words."""


def validate_slug(slug: str) -> str:
    """Return slug unchanged if it can name a force, else raise InvalidSlug."""
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        raise InvalidSlug(
            "A force's short name must be 3 to 40 characters of lower-case letters, numbers "
            "and hyphens, start with a letter and not end with a hyphen."
        )
    if "--" in slug:
        raise InvalidSlug("A force's short name cannot contain two hyphens together.")
    if slug in RESERVED_SLUGS:
        raise InvalidSlug(f"'{slug}' is reserved and cannot name a force.")
    return slug


def schema_name(slug: str) -> str:
    """The force's schema: t_<slug with underscores>."""
    return checked_identifier("t_" + validate_slug(slug).replace("-", "_"))


def role_name(slug: str, prefix: str) -> str:
    """The force's database role: <prefix>_<slug with underscores>."""
    return checked_identifier(f"{prefix}_" + validate_slug(slug).replace("-", "_"))


def checked_identifier(name: str) -> str:
    """Return name if it is a safe lower-case SQL identifier, else raise ValueError."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{name!r} is not a safe identifier")
    return name


def quoted(name: str) -> str:
    """The identifier, validated and double-quoted for DDL."""
    return f'"{checked_identifier(name)}"'
