"""The small fixed set of access rules. Every route carries exactly one.

tests/architecture/test_routes.py (with checks.py) walks the URL map and fails if a view has none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import abort, current_app
from flask_login import current_user

from app.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])
ACCESS_ATTRIBUTE = "access_rule"


def _mark(view: F, rule: str) -> F:
    if hasattr(view, ACCESS_ATTRIBUTE):
        raise TypeError(
            f"{view.__name__} already has access rule {getattr(view, ACCESS_ATTRIBUTE)}"
        )
    setattr(view, ACCESS_ATTRIBUTE, rule)
    return view


def public(view: F) -> F:
    """Anyone may use this route; it shows nothing about any victim or case."""
    return _mark(view, "public")


def _requires(kind: str, roles: tuple[str, ...], view: F, wrong_role: int = 403) -> F:
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if getattr(current_user, "kind", None) != kind:
            abort(404)  # never confirm to the wrong kind of user that a page exists
        if roles and getattr(current_user, "role", None) not in roles:
            abort(wrong_role)
        return view(*args, **kwargs)

    label = f"{kind}:{'|'.join(roles)}" if roles else kind
    return _mark(cast(F, guarded), label)


def victim_required(view: F) -> F:
    """A signed-in victim of this force; objects must still be checked as theirs."""
    return _requires("victim", (), view)


def officer_required(*roles: str) -> Callable[[F], F]:
    """A signed-in officer of this force holding one of roles (any role if none given)."""
    return lambda view: _requires("officer", roles, view)


def admin_required(view: F) -> F:
    """A signed-in force administrator (an officer whose IdP role maps to "admin").

    Other officers get 404, not officer_required's 403: the administration pages (the
    audit trail, disposal, subject access) are not even confirmed to exist to them.
    """
    return _requires("officer", ("admin",), view, wrong_role=404)


def operator_required(view: F) -> F:
    """A signed-in central operator (central site only; never victims' details)."""
    return _requires("operator", (), view)


def api_client_required(*scopes: str) -> Callable[[F], F]:
    """A records-system client of this force with a live bearer token holding scopes.

    The check itself belongs to the API journey, which registers it as
    app.extensions["api_authenticator"]; without it every such route is a 404.
    """

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            authenticate = current_app.extensions.get("api_authenticator")
            if authenticate is None:
                abort(404)
            authenticate(scopes)
            return view(*args, **kwargs)

        return _mark(cast(F, guarded), f"api_client:{'|'.join(scopes)}")

    return decorate
