"""TrackMyCrime: create_app() wires the parts together and does nothing else."""

from __future__ import annotations

import redis
from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from sqlalchemy import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app import errors, i18n, logs, security, tenancy
from app.auth import users
from app.cli import demo_cli, worker_command
from app.core import bp as core_bp
from app.extensions import csrf, db, init_limiter
from app.models.support import seed_support_services
from app.sessions import ForceBoundSessionInterface
from config import Settings
from tenants.cli import tenants_cli
from tenants.resolution import ForceInfo, Registry, load_registry
from tenants.runtime import Tenancy

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
        "RATELIMIT_HEADERS_ENABLED": True,
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


def _init_tenancy(app: Flask, settings: Settings) -> None:
    def load() -> tuple[dict[str, ForceInfo], dict[str, str]]:
        engine: Engine = db.engine
        return load_registry(engine)

    app.extensions["tenancy"] = Tenancy(
        base_domain=settings.base_domain,
        role_prefix=settings.db_role_prefix,
        registry=Registry(load, settings.registry_ttl_seconds),
        seeders=[seed_support_services],
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


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(core_bp)


def _register_cli(app: Flask) -> None:
    app.cli.add_command(tenants_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(worker_command)


def create_app(settings: Settings) -> Flask:
    app = Flask(__name__, instance_path=str(settings.instance_path))
    if settings.proxy_hops:
        hops = settings.proxy_hops
        proxied = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
        app.wsgi_app = proxied  # type: ignore[method-assign]
    app.config.from_mapping(_flask_config(settings))
    app.extensions["settings"] = settings
    app.extensions["redis"] = redis.Redis.from_url(settings.redis_url or "")
    app.session_interface = ForceBoundSessionInterface()
    logs.init_app(app, settings.log_level)
    db.init_app(app)
    _init_tenancy(app, settings)
    tenancy.init_app(app)  # first: an unknown host gets 404 before any other work
    init_limiter(app)
    csrf.init_app(app)
    users.init_app(app)
    i18n.init_app(app)
    security.init_app(app, settings)
    errors.init_app(app)
    _init_templates(app)
    _register_blueprints(app)
    _register_cli(app)
    return app
