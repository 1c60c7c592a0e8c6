"""The tenancy objects one Flask app holds (in app.extensions["tenancy"])."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Connection

from tenants.db import ForceBinding
from tenants.resolution import Registry

Seeder = Callable[[Connection, ForceBinding], None]


@dataclass
class Tenancy:
    """Settings and hooks the machinery needs, handed over by the app that wires it."""

    base_domain: str
    role_prefix: str
    registry: Registry
    seeders: list[Seeder] = field(default_factory=list)


def tenancy() -> Tenancy:
    """The current app's tenancy objects."""
    found: Tenancy = current_app.extensions["tenancy"]
    return found
