"""The journeys, one line each.

A journey is a package under app/ with `init_app(app)`, which registers its blueprint,
CLI commands, provisioning seeders and audit tags. Adding a journey is adding its
package and its line here; journeys never import each other (setup.cfg contract).
"""

from __future__ import annotations

import importlib

from flask import Flask

JOURNEYS = (
    "app.core",
    "app.officers",
    "app.victims",
    "app.api",
    "app.central",
    "app.admin",
    # Only the development "Sent messages" page: app.notifications itself is shared,
    # like app.casework, so every journey may call notify().
    "app.notifications.sent",
)


def init_journeys(app: Flask) -> None:
    """Let every journey register itself with app."""
    for name in JOURNEYS:
        importlib.import_module(name).init_app(app)
