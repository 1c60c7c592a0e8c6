"""Every key outside PostgreSQL carries its force: cache, rate limits, files, jobs."""

from __future__ import annotations

from tenants.names import validate_slug

CENTRAL = "central"


def _scope(slug: str) -> str:
    return slug if slug == CENTRAL else validate_slug(slug)


def cache_key(slug: str, *parts: str) -> str:
    """Redis cache key: tmc:<force>:cache:<parts…>."""
    return ":".join(("tmc", _scope(slug), "cache", *parts))


def rate_limit_key(slug: str, *parts: str) -> str:
    """Rate-limit key: tmc:<force>:rate:<parts…>."""
    return ":".join(("tmc", _scope(slug), "rate", *parts))


def force_key_pattern(slug: str) -> str:
    """SCAN pattern for every Redis key of one force (never the central ones)."""
    return ":".join(("tmc", validate_slug(slug), "*"))


def file_path(slug: str, *parts: str) -> str:
    """Relative storage path; parts are ids we generated, never user-supplied names."""
    for part in parts:
        if not part or "/" in part or part.startswith("."):
            raise ValueError("file path parts must be plain ids")
    return "/".join(("forces", _scope(slug), *parts))
