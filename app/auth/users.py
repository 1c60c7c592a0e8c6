"""One Flask-Login loader for every kind of user.

A session stores '<kind>:<id>'. Each journey registers the loader for its kind; the
loader runs inside the request's force binding, so it can only find users of this force.
Sign-in lasts as long as the force-bound session: remember-me is off (see
app.extensions.SessionOnlyLoginManager), because victims share devices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from app.auth.signin import session_is_live
from app.extensions import login_manager

UserLoader = Callable[[str], Any]


def register_loader(app: Flask, kind: str, loader: UserLoader) -> None:
    app.extensions.setdefault("user_loaders", {})[kind] = loader


def load_user(session_id: str) -> Any:
    """The signed-in user, if their kind's loader finds them and their session is live."""
    kind, _, user_id = session_id.partition(":")
    loader = current_app.extensions.get("user_loaders", {}).get(kind)
    user = loader(user_id) if loader and user_id else None
    if user is None or not session_is_live(kind, user.id):
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.session_protection = "strong"
    # No flashed English-only message, and no ?next= in the address bar (a shared
    # device's history should not show where someone was going).
    login_manager.login_message = None
    app.config["USE_SESSION_FOR_NEXT"] = True
