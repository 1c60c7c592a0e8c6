"""Which site a blueprint serves, with the guard that enforces it built in.

Every blueprint is made by one of these three functions (tests/architecture checks), so
a journey cannot forget to say whether it belongs on a force's site or the central one.
"""

from __future__ import annotations

import enum
from typing import Any

from flask import Blueprint, abort

from tenants.extension import current_scope
from tenants.resolution import ScopeKind

SITE_ATTRIBUTE = "site"


class Site(enum.StrEnum):
    FORCE = "force"  # <slug>.<BASE_DOMAIN> of an active force
    CENTRAL = "central"  # the bare BASE_DOMAIN
    ANY = "any"  # pages every site has (home, Exit this page, health probes)


def _make(site: Site, name: str, import_name: str, **options: Any) -> Blueprint:
    blueprint = Blueprint(name, import_name, **options)
    setattr(blueprint, SITE_ATTRIBUTE, site)
    if site is not Site.ANY:
        wanted = ScopeKind.FORCE if site is Site.FORCE else ScopeKind.CENTRAL

        @blueprint.before_request
        def _on_its_own_site() -> None:
            if current_scope().kind is not wanted:
                abort(404)

    return blueprint


def force_blueprint(name: str, import_name: str, **options: Any) -> Blueprint:
    """A blueprint whose every route 404s anywhere but an active force's site."""
    return _make(Site.FORCE, name, import_name, **options)


def central_blueprint(name: str, import_name: str, **options: Any) -> Blueprint:
    """A blueprint whose every route 404s anywhere but the central site."""
    return _make(Site.CENTRAL, name, import_name, **options)


def any_site_blueprint(name: str, import_name: str, **options: Any) -> Blueprint:
    """A blueprint served on every site (its views decide per scope)."""
    return _make(Site.ANY, name, import_name, **options)
