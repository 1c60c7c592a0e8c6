"""The central site on the bare domain: find your force, apply to join, and the
operators' console (applications, provisioning, forces, jobs, the platform trail)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_limiter import Limiter

from app.auth.oidc import ProviderCache
from app.auth.users import register_loader
from app.central import (  # noqa: F401 - their routes register on the blueprints
    apply_views,
    console_views,
    decommission_views,
    grants,
    logo_views,
    operators,
    public_views,
    signin,
    submit_views,
)
from app.central.blueprint import central, console
from app.central.cli import operators_cli
from app.extensions import login_manager

__all__ = ["init_app"]

# On top of the application-wide budget: asking for emails from one address stays slow.
MAIL_LIMIT = "5 per minute;20 per hour"
MAIL_SENDING = ("central.return_to_application", "central.send_link_again", "central.your_email")


def _limit_mail(app: Flask) -> None:
    limiter: Limiter = next(iter(app.extensions["limiter"]))
    for endpoint in MAIL_SENDING:
        view: Any = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(MAIL_LIMIT, methods=["POST"])(view)


def init_app(app: Flask) -> None:
    app.register_blueprint(central)
    app.register_blueprint(console)
    login_manager.blueprint_login_views["console"] = "console.sign_in_page"
    register_loader(app, "operator", operators.load_operator)
    settings = app.extensions["settings"]
    app.extensions["central_oidc_providers"] = ProviderCache(
        allow_insecure=settings.env != "production"
    )
    operators.configure_from_settings(app)
    # Hooks for journeys this one may not import: core's "/" on the central site, and
    # the officer sign-in's pre-authorised force administrator.
    app.extensions["central_home"] = public_views.home
    app.extensions[grants.HOOK] = grants.admin_granted
    app.cli.add_command(operators_cli)
    _limit_mail(app)
