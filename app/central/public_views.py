"""The central site's own pages: what the service is, and finding your force's site."""

from __future__ import annotations

import re

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue

from app.auth.access import public
from app.central.blueprint import central
from app.notifications.content import site_url
from tenants import registry
from tenants.binding import db
from tenants.forces import Force, TenantStatus

SEARCH_LIMIT = 100  # characters of a search that are looked at
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def live_forces() -> list[Force]:
    """Forces whose sites are open, by name."""
    forces = registry.all_forces(db.engine)
    return sorted((f for f in forces if f.status is TenantStatus.ACTIVE), key=lambda f: f.name)


def matching(forces: list[Force], search: str) -> list[Force]:
    """Forces whose name or web address contains every word searched for."""
    words = search.casefold().split()
    return [f for f in forces if all(w in f"{f.name} {f.slug}".casefold() for w in words)]


def force_site(force: Force) -> str:
    return site_url(f"{force.slug}.{current_app.extensions['settings'].base_domain}")


def home() -> ResponseReturnValue:
    """The central home page (core's "/" renders it on the central site)."""
    return render_template("central/home.html", forces=live_forces(), force_site=force_site)


@central.get("/find-your-police-force")
@public
def find_force() -> ResponseReturnValue:
    search = _CONTROL.sub("", request.args.get("search", "")[:SEARCH_LIMIT]).strip()
    found = matching(live_forces(), search) if search else live_forces()
    return render_template(
        "central/find_force.html", forces=found, search=search, force_site=force_site
    )
