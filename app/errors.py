"""Error pages that reveal nothing: no ids, no stack traces, no victim data."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.extensions import retry_after
from tenants.redaction import describe_error

_PAGES = {
    400: (_l("Sorry, there is a problem with the request"), _l("Go back and try again.")),
    401: (_l("You need to sign in"), _l("Sign in to see this page.")),
    403: (_l("You cannot see this page"), _l("Your account does not allow this.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    405: (_l("Sorry, there is a problem with the request"), _l("Go back and try again.")),
    413: (_l("That was too large"), _l("Go back and send less.")),
    429: (_l("Too many attempts"), _l("Wait a few minutes, then try again.")),
    500: (_l("Sorry, there is a problem with the service"), _l("Try again later.")),
}


def render_error(error: HTTPException) -> tuple[str, int, dict[str, str]]:
    code = error.code or 500
    heading, message = _PAGES.get(code, _PAGES[500])
    page = render_template("errors/error.html", heading=heading, message=message)
    return page, code, retry_after(error)


def render_unexpected(error: Exception) -> tuple[str, int]:
    current_app.logger.error(describe_error(error))
    heading, message = _PAGES[500]
    return render_template("errors/error.html", heading=heading, message=message), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_unexpected)
