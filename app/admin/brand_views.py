"""The force's logo, for every visitor of its site (checked when it was uploaded)."""

from __future__ import annotations

from flask import Response, abort, url_for
from flask.typing import ResponseReturnValue

from app.admin.blueprint import brand
from app.auth.access import public
from app.models import BrandAsset
from tenants.binding import db
from tenants.extension import branded_force

EXTENSIONS = {"image/png": "png", "image/svg+xml": "svg"}


@brand.get("/logo")
@public
def logo_image() -> ResponseReturnValue:
    asset = db.session.get(BrandAsset, "logo")
    if asset is None or asset.content_type not in EXTENSIONS:
        abort(404)
    name = f"logo.{EXTENSIONS[asset.content_type]}"
    return Response(
        asset.data,
        mimetype=asset.content_type,
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


def logo_url() -> str | None:
    """The force's logo address for templates (None without one): the registry names
    its digest, so pages need no query and a new logo is a new address."""
    force = branded_force()
    digest = force.settings.get("logo") if force else None
    if not isinstance(digest, str) or not digest:
        return None
    return url_for("brand.logo_image", v=digest[:16])
