"""The victim site: accept an invite, sign in, follow a case, message the officer, list
property, find support and say how to be contacted, safely, in English and Welsh."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_limiter import Limiter

from app.auth.users import register_loader
from app.extensions import login_manager
from app.victims import (  # noqa: F401 - their routes register on bp
    account_views,
    case_views,
    rights_views,
    settings_views,
    two_step_views,
)
from app.victims.accounts import load_victim
from app.victims.blueprint import bp

__all__ = ["init_app"]

# Force-keyed (app.extensions.rate_limit_identity: force + client address), per route,
# on top of the application-wide budget: guessing passwords, invite answers or reset
# addresses from one address stays slow. Per-account limits live in app.victims.accounts.
GUESSING_LIMIT = "10 per minute;60 per hour"
GUARDED = ("victims.accept_invite", "victims.sign_in_page", "victims.reset_password",
           "victims.new_password", "victims.create_account", "victims.sign_in_code",
           "victims.set_up_two_step", "victims.turn_off_two_step")  # fmt: skip


def _limit_guessing(app: Flask) -> None:
    limiter: Limiter = next(iter(app.extensions["limiter"]))
    for endpoint in GUARDED:
        view: Any = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(GUESSING_LIMIT, methods=["POST"])(view)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    login_manager.blueprint_login_views["victims"] = "victims.sign_in_page"
    register_loader(app, "victim", load_victim)
    _limit_guessing(app)
