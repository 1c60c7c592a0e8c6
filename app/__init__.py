"""TrackMyCrime: create_app() wires the parts together and does nothing else."""

from __future__ import annotations

from flask import Flask, Response, render_template
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

import app.models  # noqa: F401 - every model, before anything provisions a force
from app import dates, errors, i18n, logs, security, unit_of_work
from app.auth import users
from app.cli import cron_command, demo_cli, scheduler_command, worker_command
from app.extensions import csrf, db, init_limiter
from app.journeys import init_journeys
from app.sessions import ForceBoundSessionInterface
from config import Settings
from tenants.cli import tenants_cli
from tenants.extension import Tenancy, branded_force, current_scope
from tenants.forces import Force

__all__ = ["create_app"]


def _flask_config(settings: Settings) -> dict[str, object]:
    if not settings.database_url or not settings.redis_url:
        raise RuntimeError(
            "create_app needs database and Redis URLs (wsgi.py starts embedded ones)"
        )
    return {
        "SECRET_KEY": settings.secret_key,
        "SQLALCHEMY_DATABASE_URI": settings.database_url,
        # hide_parameters: SQLAlchemy's error text would otherwise carry the statement's
        # values (a victim's email, say) into logs and error reports.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "pool_size": 10,
            "hide_parameters": True,
        },
        # Host-only cookies: never a Domain attribute, so no force's cookie reaches another.
        "SESSION_COOKIE_DOMAIN": False,
        "SESSION_COOKIE_NAME": "__Host-tmc" if settings.secure_cookies else "tmc_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.secure_cookies,
        "REMEMBER_COOKIE_SECURE": settings.secure_cookies,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": 3600 * 4,
        "PREFERRED_URL_SCHEME": "https" if settings.env == "production" else "http",
        "TESTING": settings.env == "test",
        "RATELIMIT_STORAGE_URI": _limits_storage(settings.redis_url),
        "RATELIMIT_DEFAULT": settings.default_rate_limit,
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_HEADERS_ENABLED": False,  # see app.extensions.retry_after
        # Redis down must not lock victims out of every page: limits fail open, logged.
        "RATELIMIT_SWALLOW_ERRORS": True,
    }


def _limits_storage(redis_url: str) -> str:
    """The limits library names unix-socket Redis differently from redis-py."""
    return (
        "redis+unix://" + redis_url.removeprefix("unix://")
        if redis_url.startswith("unix://")
        else redis_url
    )


def _suspended_page(force: Force) -> Response:
    body = render_template("errors/suspended.html", force=force)
    return Response(body, status=503, headers={"Retry-After": "3600"})


def _init_tenancy(app: Flask, settings: Settings) -> None:
    """First of the request hooks: an unknown host gets its 404 before any other work."""
    Tenancy(
        app,
        settings,
        suspended_view=_suspended_page,
        host_free=("core.healthz", "core.readyz"),
        # A paused force still serves its assets and a way out: Exit this page must work.
        open_when_suspended=("static", "core.exit_page"),
    )


def _init_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("app"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)


def _register_cli(app: Flask) -> None:
    app.cli.add_command(tenants_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(cron_command)


def create_app(settings: Settings) -> Flask:
    app = Flask(__name__, instance_path=str(settings.instance_path))
    if settings.proxy_hops:
        hops = settings.proxy_hops
        proxied = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
        app.wsgi_app = proxied  # type: ignore[method-assign]
    app.config.from_mapping(_flask_config(settings))
    app.extensions["settings"] = settings
    app.session_interface = ForceBoundSessionInterface()
    logs.init_app(app, settings.log_level)
    db.init_app(app)
    _init_tenancy(app, settings)
    unit_of_work.init_app(app)
    init_limiter(app)
    csrf.init_app(app)
    users.init_app(app)
    i18n.init_app(app)
    security.init_app(app, settings)
    errors.init_app(app)
    _init_templates(app)
    app.jinja_env.globals.update(
        branded_force=branded_force,
        current_scope=current_scope,
        show_date=dates.show_date,
        show_time=dates.show_time,
    )
    init_journeys(app)
    _register_cli(app)
    return app
