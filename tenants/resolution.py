"""Host header -> the force (or the central site). Nothing else names the force.

The registry is cached in each process and reloaded when older than a few seconds, so a
suspension made by any process reaches every web process within that time.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from sqlalchemy import Engine, select

from tenants.db import ForceBinding
from tenants.models import Domain, Tenant, TenantStatus

_MAX_HOST = 253
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class ForceInfo:
    """A force as the request needs it: read-only, safe to share between threads."""

    slug: str
    name: str
    status: TenantStatus
    schema_name: str
    db_role: str
    welsh_enabled: bool
    branding: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def binding(self) -> ForceBinding:
        """What the database needs to act as this force."""
        return ForceBinding(self.slug, self.schema_name, self.db_role)


ScopeKind = Literal["central", "force", "suspended", "unknown"]


@dataclass(frozen=True)
class Scope:
    """Where a request is: the central site, an active or suspended force, or nowhere."""

    kind: ScopeKind
    force: ForceInfo | None = None

    @property
    def key(self) -> str:
        """A stable name for keys and logs: the force slug, or 'central'."""
        return self.force.slug if self.force else self.kind


CENTRAL = Scope("central")
UNKNOWN = Scope("unknown")


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


class Registry:
    """Cached view of public.tenant and public.domain, reloaded after ttl seconds."""

    def __init__(
        self,
        load: Callable[[], tuple[dict[str, ForceInfo], dict[str, str]]],
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load, self._ttl, self._clock = load, ttl, clock
        self._lock = threading.Lock()
        self._loaded_at = float("-inf")
        self._by_slug: dict[str, ForceInfo] = {}
        self._by_domain: dict[str, str] = {}

    def _fresh(self) -> None:
        with self._lock:
            if self._clock() - self._loaded_at >= self._ttl:
                self._by_slug, self._by_domain = self._load()
                self._loaded_at = self._clock()

    def invalidate(self) -> None:
        """Forget the cache (this process only; others catch up within ttl)."""
        self._loaded_at = float("-inf")

    def by_slug(self, slug: str) -> ForceInfo | None:
        """The force with this slug (any status), or None."""
        self._fresh()
        return self._by_slug.get(slug)

    def by_domain(self, hostname: str) -> ForceInfo | None:
        """The force with this custom hostname (any status), or None."""
        self._fresh()
        slug = self._by_domain.get(hostname)
        return self._by_slug.get(slug) if slug else None


def load_registry(engine: Engine) -> tuple[dict[str, ForceInfo], dict[str, str]]:
    """Read every force and custom domain in two small queries."""
    with engine.connect() as conn:
        t = Tenant.__table__.c
        columns = (t.slug, t.name, t.status, t.schema_name, t.db_role, t.welsh_enabled, t.branding)
        forces = {row.slug: _info(row) for row in conn.execute(select(*columns))}
        domains = conn.execute(select(Domain.hostname, Tenant.slug).join(Tenant)).all()
    return forces, {hostname: slug for hostname, slug in domains}


def _info(row: Any) -> ForceInfo:
    return ForceInfo(
        slug=row.slug,
        name=row.name,
        status=TenantStatus(row.status),
        schema_name=row.schema_name,
        db_role=row.db_role,
        welsh_enabled=row.welsh_enabled,
        branding=MappingProxyType(dict(row.branding or {})),
    )


def resolve(raw_host: str | None, base_domain: str, registry: Registry) -> Scope:
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
        return Scope("force", force)
    if force.status is TenantStatus.SUSPENDED:
        return Scope("suspended", force)
    return UNKNOWN
