"""The request side of tenancy: resolve the Host once, bind the force, commit at the edge.

Every request (but the health probes) is resolved before any other work. An unknown
host gets 404, a suspended force a 503 page. A force request's session is bound to the
force before its first query; the one commit happens after the view, and only for a
successful response.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, g, render_template, request
from sqlalchemy import text
from werkzeug.local import LocalProxy

from tenants import db as tenant_db
from tenants.db import db
from tenants.keys import rate_limit_key
from tenants.resolution import ForceInfo, Scope, resolve
from tenants.runtime import tenancy

_ENVIRON_KEY = "tmc.scope"
# An unknown host gets this and nothing else: no templates, no URL building, no lookups.
UNKNOWN_HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Page not found</title></head>
<body><h1>Page not found</h1><p>Check the web address is correct.</p>
<h2 lang="cy">Heb ddod o hyd i'r dudalen</h2>
<p lang="cy">Gwiriwch fod y cyfeiriad gwe yn gywir.</p></body></html>
"""
HOST_FREE_ENDPOINTS = frozenset({"core.healthz", "core.readyz"})
# A paused force still serves its assets and a way out: Exit this page must always work.
OPEN_WHEN_SUSPENDED = frozenset({"static", "core.exit_page"})


def current_scope() -> Scope:
    """The request's scope, resolved from the Host header the first time it is asked."""
    scope = request.environ.get(_ENVIRON_KEY)
    if scope is None:
        t = tenancy()
        scope = resolve(request.environ.get("HTTP_HOST"), t.base_domain, t.registry)
        request.environ[_ENVIRON_KEY] = scope
    assert isinstance(scope, Scope)
    return scope


def _current_force() -> ForceInfo | None:
    return current_scope().force if current_scope().kind == "force" else None


current_force: Any = LocalProxy(_current_force)


def branded_force() -> ForceInfo | None:
    """The force whose name and colours the page wears (active or suspended)."""
    return current_scope().force


def rate_limit_identity() -> str:
    """Rate-limit key: the force (or central) and the client's address."""
    return rate_limit_key(current_scope().key, request.remote_addr or "unknown")


def enter_scope() -> Response | None:
    """before_request: refuse unknown hosts, pause suspended forces, bind active ones."""
    if request.endpoint in HOST_FREE_ENDPOINTS:
        return None
    scope = current_scope()
    g.scope = scope
    if scope.kind == "unknown":
        return Response(UNKNOWN_HOST_PAGE, status=404, mimetype="text/html")
    if scope.kind == "suspended":
        if request.endpoint in OPEN_WHEN_SUSPENDED:
            return None
        body = render_template("errors/suspended.html", force=scope.force)
        return Response(body, status=503, headers={"Retry-After": "3600"})
    if scope.kind == "force":
        assert scope.force is not None
        tenant_db.bind(db.session(), scope.force.binding)
    return None


def commit_at_edge(response: Response) -> Response:
    """after_request: the request's one commit, only when it succeeded."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def database_ready() -> bool:
    """True when PostgreSQL answers (used by /readyz; touches no force data)."""
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT 1")).scalar() == 1


def require_force() -> None:
    """Blueprint guard: this blueprint serves force hosts only."""
    if current_scope().kind != "force":
        abort(404)


def require_central() -> None:
    """Blueprint guard: this blueprint serves the central site only."""
    if current_scope().kind != "central":
        abort(404)


def init_app(app: Flask) -> None:
    app.before_request(enter_scope)
    app.after_request(commit_at_edge)
    app.jinja_env.globals.update(current_force=current_force, branded_force=branded_force)
