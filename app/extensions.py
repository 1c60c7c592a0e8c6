"""Extension objects, created unbound; create_app() binds them to the app."""

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from app.tenancy import HOST_FREE_ENDPOINTS, rate_limit_identity
from tenants.db import db

# Exit this page must work for someone in danger however many requests came first (and
# behind a proxy without PROXY_HOPS every victim shares one address). Flask-Limiter
# itself never limits static files.
NEVER_LIMITED = HOST_FREE_ENDPOINTS | {"core.exit_page"}


babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()

__all__ = ["babel", "csrf", "db", "init_limiter", "login_manager"]


def _never_limited() -> bool:
    return request.endpoint in NEVER_LIMITED


def init_limiter(app: Flask) -> Limiter:
    """One limiter per app (Flask-Limiter keeps its storage on the limiter object).

    DEFAULT_RATE_LIMIT is one application-wide budget per force and client address,
    shared by every route: one force's traffic never spends another's, and moving
    between pages does not earn a fresh budget per page. Exit this page and health
    probes are never limited. Journeys add route limits through
    app.extensions["limiter"].
    """
    budget = app.extensions["settings"].default_rate_limit
    limiter = Limiter(key_func=rate_limit_identity, application_limits=[budget])
    limiter.request_filter(_never_limited)
    limiter.init_app(app)
    return limiter
