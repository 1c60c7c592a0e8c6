"""The officer workspace: sign in with the force's identity provider, run the caseload,
keep every victim informed before the Victims' Code deadline."""

from __future__ import annotations

from flask import Flask

from app.auth.oidc import ProviderCache
from app.auth.users import register_loader
from app.casework.catalogue import seed_casework
from app.extensions import login_manager
from app.officers import rights_views, signin, views  # noqa: F401 - their routes register on bp
from app.officers.blueprint import bp
from app.officers.cli import idp_command
from tenants.cli import tenants_cli
from tenants.extension import tenancy

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    login_manager.blueprint_login_views["officers"] = "officers.sign_in_page"
    register_loader(app, "officer", signin.load_officer)
    settings = app.extensions["settings"]
    # Outside production an issuer may be plain http on loopback (the demo provider).
    app.extensions["oidc_providers"] = ProviderCache(allow_insecure=settings.env != "production")
    if "idp" not in tenants_cli.commands:
        tenants_cli.add_command(idp_command)
    with app.app_context():
        tenancy().add_seeder(seed_casework)
