"""Extension objects, created unbound; create_app() binds them to the app."""

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from app.tenancy import HOST_FREE_ENDPOINTS, rate_limit_identity
from tenants.db import db

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()

__all__ = ["babel", "csrf", "db", "init_limiter", "login_manager"]


def _is_probe() -> bool:
    return request.endpoint in HOST_FREE_ENDPOINTS


def init_limiter(app: Flask) -> Limiter:
    """One limiter per app (Flask-Limiter keeps its storage on the limiter object).

    Limits count per force and client address: one force's traffic never spends
    another's. Health probes are never limited. Journeys add route limits through
    app.extensions["limiter"].
    """
    limiter = Limiter(key_func=rate_limit_identity, default_limits_exempt_when=_is_probe)
    limiter.init_app(app)
    return limiter
