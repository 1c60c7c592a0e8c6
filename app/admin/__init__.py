"""Force administration (at <force>.<BASE_DOMAIN>/admin/, for officers whose role is
"admin"): settings, the support directory, the audit trail, subject access, retention
and disposal, management information."""

from __future__ import annotations

from flask import Flask

from app.admin import (  # noqa: F401 - their routes register on the blueprints
    brand_views,
    management_views,
    retention_views,
    service_views,
    settings_views,
    subject_access_views,
    support_views,
    views,
)
from app.admin.blueprint import bp, brand
from app.admin.brand_views import logo_url
from app.extensions import login_manager

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(brand)
    # Administrators are officers: a signed-out visitor is sent to the officers' sign-in.
    login_manager.blueprint_login_views["admin"] = "officers.sign_in_page"
    app.jinja_env.globals["force_logo_url"] = logo_url
