"""English and Welsh. A person's choice is kept in their session and used from then on.

Welsh is offered on forces with Welsh on (and on the central site); elsewhere every page
is English.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import get_locale

from app.extensions import babel
from tenants.extension import current_scope
from tenants.resolution import ScopeKind

LANGUAGES = ("en", "cy")


def welsh_available() -> bool:
    scope = current_scope()
    if scope.kind is ScopeKind.CENTRAL:
        return True
    return bool(scope.force and scope.force.welsh_enabled)


def select_locale() -> str:
    if not welsh_available():
        return "en"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "en"


def init_app(app: Flask) -> None:
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
    app.jinja_env.globals.update(welsh_available=welsh_available, get_locale=get_locale)
