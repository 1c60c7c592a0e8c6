"""Signing a test client in without a sign-in page, as the real sign-in would leave it.

`put_in_session` writes a live server-side session row for the user and puts its id and
the user's in the site's (force-bound) cookie; tests of signing in itself use the pages.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login.utils import _create_identifier

from tests.factories import SignedInSessionFactory


def put_in_session(app: Flask, client: Any, slug: str, kind: str, user_id: Any) -> None:
    """Sign client in on slug's site as the user (kind, user_id)."""
    with app.app_context():
        row = SignedInSessionFactory(force=slug, user_kind=kind, user_id=user_id)
    headers = {"Host": f"{slug}.localhost"}
    # Flask-Login's "strong" protection ties the session to the client's address and
    # user agent: compute the identifier as the test client's own requests will.
    with app.test_request_context(headers=headers, environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction(headers=headers) as session:
        session["_user_id"] = f"{kind}:{user_id}"
        session["_fresh"] = True
        session["_id"] = identifier
        session["sid"] = str(row.id)
