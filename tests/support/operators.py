"""Operators in tests: a quick way into the console, and emptying the central tables.

`as_operator` writes an operator and a live central session row, then puts their ids in
the central site's cookie, as the real sign-in through the central identity provider
does (tests/integration/central/test_operator_sign_in.py goes through the provider).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login.utils import _create_identifier
from sqlalchemy import Engine

from app.models.central import Operator
from tests.factories import CentralSignedInSessionFactory, OperatorFactory

CENTRAL_HOST = {"Host": "localhost"}
# Children first: application_link refers to force_application, which refers to operator
# (as force_decommission does).
CENTRAL_TABLES = (
    "force_decommission",
    "application_link",
    "force_admin_grant",
    "force_application",
    "central_signed_in_session",
    "operator",
    "central_outbox_message",
)


def as_operator(app: Flask, client: Any, operator: Operator | None = None) -> Operator:
    """Sign client in on the central site as operator (a new active one if None)."""
    with app.app_context():
        operator = operator or OperatorFactory()
        row = CentralSignedInSessionFactory(user_kind="operator", user_id=operator.id)
    # Flask-Login's "strong" protection ties the session to the client's address and
    # user agent: compute the identifier as the test client's own requests will.
    with app.test_request_context(headers=CENTRAL_HOST, environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction(headers=CENTRAL_HOST) as session:
        session["_user_id"] = f"operator:{operator.id}"
        session["_fresh"] = True
        session["_id"] = identifier
        session["sid"] = str(row.id)
    return operator


def empty_central_tables(admin_engine: Engine) -> None:
    """Delete every row of the central site's tables (the root reset leaves them)."""
    with admin_engine.begin() as conn:
        for table in CENTRAL_TABLES:
            conn.exec_driver_sql(f"DELETE FROM public.{table}")
