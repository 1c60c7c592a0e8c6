"""What a force is, as the machinery sees it: one type for a registered force, one for a
force still to be provisioned."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class TenantStatus(enum.StrEnum):
    """Pending (applied, not provisioned) -> active <-> suspended -> decommissioned."""

    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DECOMMISSIONED = "decommissioned"


@dataclass(frozen=True)
class Force:
    """A registered force: read-only, safe to share between threads and to bind."""

    slug: str
    schema_name: str
    db_role: str
    name: str = ""
    status: TenantStatus = TenantStatus.ACTIVE
    welsh_enabled: bool = False
    # Read-only in practice (the registry hands out MappingProxyType); a plain dict here
    # so a bare Force pickles into a migration worker process.
    branding: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # The identity provider (tenants.idp.IdpSettings.from_mapping reads it; the client
    # secret inside is sealed by tenants.secrets) and the force's own settings
    # (crime-reference pattern, invite expiry, notification channels...).
    idp: Mapping[str, Any] = field(default_factory=dict, compare=False)
    settings: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class NewForce:
    """What provisioning needs to know about a force that may not exist yet."""

    slug: str
    name: str
    welsh_enabled: bool = False
    branding: Mapping[str, Any] | None = None
