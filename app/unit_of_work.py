"""One commit per request, at the edge.

Views and queries never commit: a request that succeeds commits once after its view,
and one that fails (an error status or an exception) rolls everything back, audit rows
included. Flask-SQLAlchemy removes the session at the end of the request.
"""

from __future__ import annotations

from flask import Flask, Response

from tenants.binding import db


def commit_at_edge(response: Response) -> Response:
    """after_request: the request's one commit, only when it succeeded."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    app.after_request(commit_at_edge)
