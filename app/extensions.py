"""Extension objects, created unbound; create_app() binds them to the app."""

from flask import Flask, Response, request
from flask_babel import Babel
from flask_limiter import Limiter, RateLimitExceeded
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from tenants.binding import db
from tenants.extension import current_scope, tenancy
from tenants.keys import rate_limit_key

# Exit this page must work for someone in danger however many requests came first (and
# behind a proxy without PROXY_HOPS every victim shares one address). Flask-Limiter
# itself never limits static files.
NEVER_LIMITED = frozenset({"core.exit_page"})  # and the health probes (tenancy().host_free)


class SessionOnlyLoginManager(LoginManager):
    """Flask-Login without remember-me: victims share devices with the people they fear.

    The remember cookie is signed with the app's key alone, not per force, so one minted
    on force A would sign its holder in on force B. We never set one, and ignore (and
    clear) any a browser presents. These override Flask-Login internals: the tests in
    tests/integration/test_remember_me.py fail if an upgrade changes them.
    """

    def _load_user_from_remember_cookie(self, cookie: str) -> None:
        return None

    def _set_cookie(self, response: Response) -> None:
        self._clear_cookie(response)


babel = Babel()
csrf = CSRFProtect()
login_manager = SessionOnlyLoginManager()

__all__ = ["babel", "csrf", "db", "init_limiter", "login_manager"]


def rate_limit_identity() -> str:
    """Rate-limit key: the force (or central) and the client's address."""
    return rate_limit_key(current_scope().key, request.remote_addr or "unknown")


def _never_limited() -> bool:
    return request.endpoint in tenancy().host_free or request.endpoint in NEVER_LIMITED


def retry_after(error: Exception) -> dict[str, str]:
    """Retry-After for a rate-limit breach: the breached limit's whole window.

    Flask-Limiter only sends Retry-After with its X-RateLimit-* headers, and those cost
    one more Redis round trip on every request (the window's state) for headers no
    browser reads; they are off (app/__init__.py) and the error handlers add this one.
    """
    if isinstance(error, RateLimitExceeded):
        return {"Retry-After": str(error.limit.limit.get_expiry())}
    return {}


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
