"""Host header -> the force (or the central site). Nothing else names the force.

The registry is cached in each process and reloaded when older than a few seconds, so a
suspension made by any process reaches every web process within that time.
"""

from __future__ import annotations

import enum
import ipaddress
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tenants.forces import Force, TenantStatus

_MAX_HOST = 253
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class ScopeKind(enum.StrEnum):
    """Where a request is."""

    CENTRAL = "central"
    FORCE = "force"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Scope:
    """Where a request is: the central site, an active or suspended force, or nowhere."""

    kind: ScopeKind
    force: Force | None = None

    @property
    def key(self) -> str:
        """A stable name for keys and logs: the force slug, or 'central'."""
        return self.force.slug if self.force else self.kind.value


CENTRAL = Scope(ScopeKind.CENTRAL)
UNKNOWN = Scope(ScopeKind.UNKNOWN)


def normalise_host(raw: str | None) -> str | None:
    """Lower-case hostname without port or trailing dot; None if it is not a DNS name."""
    if not raw or len(raw) > _MAX_HOST + 6:
        return None
    host = raw.strip().lower()
    if host.startswith("["):  # IPv6 literal, with or without a port
        return None
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    host = host[:-1] if host.endswith(".") else host
    if not host or len(host) > _MAX_HOST or _is_ip(host):
        return None
    if not all(_LABEL.fullmatch(label) for label in host.split(".")):
        return None
    return host


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class RegistryCache:
    """Cached view of public.tenant and public.domain, reloaded after ttl seconds."""

    def __init__(
        self,
        load: Callable[[], tuple[dict[str, Force], dict[str, str]]],
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load, self._ttl, self._clock = load, ttl, clock
        self._lock = threading.Lock()
        self._loaded_at = float("-inf")
        self._by_slug: dict[str, Force] = {}
        self._by_domain: dict[str, str] = {}

    def _fresh(self) -> None:
        with self._lock:
            if self._clock() - self._loaded_at >= self._ttl:
                self._by_slug, self._by_domain = self._load()
                self._loaded_at = self._clock()

    def invalidate(self) -> None:
        """Forget the cache (this process only; others catch up within ttl)."""
        self._loaded_at = float("-inf")

    def by_slug(self, slug: str) -> Force | None:
        """The force with this slug (any status), or None."""
        self._fresh()
        return self._by_slug.get(slug)

    def by_domain(self, hostname: str) -> Force | None:
        """The force with this custom hostname (any status), or None."""
        self._fresh()
        slug = self._by_domain.get(hostname)
        return self._by_slug.get(slug) if slug else None


def resolve(raw_host: str | None, base_domain: str, registry: RegistryCache) -> Scope:
    """The scope a Host header names. Unknown, pending or closed forces are UNKNOWN."""
    host = normalise_host(raw_host)
    if host is None:
        return UNKNOWN
    if host == base_domain:
        return CENTRAL
    if host.endswith("." + base_domain):
        label = host[: -len(base_domain) - 1]
        force = None if "." in label else registry.by_slug(label)
    else:
        force = registry.by_domain(host)
    if force is None:
        return UNKNOWN
    if force.status is TenantStatus.ACTIVE:
        return Scope(ScopeKind.FORCE, force)
    if force.status is TenantStatus.SUSPENDED:
        return Scope(ScopeKind.SUSPENDED, force)
    return UNKNOWN
