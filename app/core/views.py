from __future__ import annotations

import re
from urllib.parse import unquote

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text

from app.audit import record
from app.auth.access import public
from app.auth.signin import sign_out
from app.i18n import LANGUAGES, welsh_available
from app.site import any_site_blueprint
from tenants.audit import ForceTag
from tenants.binding import db
from tenants.extension import current_scope, tenancy
from tenants.resolution import ScopeKind

bp = any_site_blueprint("core", __name__, template_folder="templates")


class CoreTag(ForceTag):
    SESSION_EXITED = "session:exited"


def database_ready() -> bool:
    """True when PostgreSQL answers (touches no force data)."""
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT 1")).scalar() == 1


@bp.get("/healthz")
@public
def healthz() -> Response:
    """The process is alive (answered on any host, touches nothing)."""
    return Response("ok\n", mimetype="text/plain")


@bp.get("/readyz")
@public
def readyz() -> Response:
    """PostgreSQL and Redis both answer."""
    try:
        ready = database_ready() and bool(tenancy().redis.ping())
    except Exception:
        current_app.logger.exception("readiness check failed")
        ready = False
    return Response(
        "ready\n" if ready else "not ready\n", status=200 if ready else 503, mimetype="text/plain"
    )


@bp.get("/")
@public
def home() -> ResponseReturnValue:
    if current_scope().kind is ScopeKind.CENTRAL:
        # The central journey owns the central home page when it is installed.
        view = current_app.extensions.get("central_home")
        return view() if view else render_template("core/central_home.html")
    return render_template("core/force_home.html")


@bp.route("/exit", methods=["GET", "POST"])
@public
def exit_page() -> ResponseReturnValue:
    """Exit this page: end the session at once and leave for a neutral site."""
    # Only a signed-in exit is worth a row: anonymous ones would let anyone fill a
    # force's audit trail for free.
    if current_scope().kind is ScopeKind.FORCE and current_user.is_authenticated:
        record(CoreTag.SESSION_EXITED)
    sign_out("exited")
    response = redirect(current_app.extensions["settings"].exit_page_url)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


# A path on this site: printable ASCII with no backslash, space or control character.
# Browsers read a backslash as a slash and drop tabs and newlines, so /<backslash>evil
# or /<tab>/evil would leave the site; CR/LF cannot go in a header at all (it was a 500).
_LOCAL_PATH = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]{0,500}")


def _safe_next(target: str | None) -> str:
    """Only a path on this site; anything else, however it is encoded, goes home."""
    if not target or not _LOCAL_PATH.fullmatch(target):
        return "/"
    decoded = unquote(target)
    if target.startswith("//") or decoded.startswith("//") or "\\" in decoded:
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in decoded):
        return "/"
    return target


@bp.get("/language/<code>")
@public
def switch_language(code: str) -> ResponseReturnValue:
    if code not in LANGUAGES or not welsh_available():
        abort(404)
    target = _safe_next(request.args.get("next"))  # before the session changes
    session["lang"] = code
    return redirect(target)
