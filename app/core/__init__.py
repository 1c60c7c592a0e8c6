"""Pages every site has: home, health probes, Exit this page, language switch."""

from __future__ import annotations

from flask import Flask

from app.core.views import bp
from app.models.support import seed_support_services
from tenants.extension import tenancy

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    with app.app_context():
        # Every force starts with the national support services (the support journey
        # will take this over when it lands).
        tenancy().add_seeder(seed_support_services)
