"""Every log line names its force and request."""

import logging

import pytest
from flask import current_app


def test_log_lines_carry_force_and_request_id(app, client, force_a):
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Collect()
    handler.setFormatter(app.logger.handlers[0].formatter)
    for existing in app.logger.handlers[0].filters:
        handler.addFilter(existing)
    app.logger.addHandler(handler)
    try:
        with app.test_request_context(
            "/", headers={"Host": force_a.host, "X-Request-Id": "req-12345678"}
        ):
            app.preprocess_request()
            current_app.logger.warning("something happened")
    finally:
        app.logger.removeHandler(handler)
    assert records == [records[0]]
    assert "[kent req-12345678]" in records[0]


def test_request_id_is_echoed_and_malformed_ones_replaced(client, force_a):
    good = client.get("/", headers={"Host": force_a.host, "X-Request-Id": "abcdef12-3456"})
    assert good.headers["X-Request-Id"] == "abcdef12-3456"
    bad = client.get(
        "/", headers={"Host": force_a.host, "X-Request-Id": "<script>alert(1)</script>"}
    )
    assert bad.headers["X-Request-Id"] != "<script>alert(1)</script>"
    assert len(bad.headers["X-Request-Id"]) == 32


def test_database_errors_never_carry_the_values_into_logs(app, caplog):
    """A failed statement is logged by type, SQLSTATE and frames: never the data."""
    from sqlalchemy.exc import IntegrityError

    from app.errors import render_unexpected
    from app.models import Case
    from tenants.db import ForceBinding, force_scope

    prefix = app.extensions["settings"].db_role_prefix
    kent = ForceBinding("kent", "t_kent", f"{prefix}_kent")
    with app.app_context():
        with force_scope(kent) as session:
            session.add(Case(crime_reference="SECRET-REF-1", offence_category="theft"))
        with pytest.raises(IntegrityError) as raised, force_scope(kent) as session:
            session.add(Case(crime_reference="SECRET-REF-1", offence_category="theft"))
    assert "hidden due to hide_parameters" in str(raised.value)
    with app.test_request_context("/", headers={"Host": "kent.localhost"}):
        app.logger.addHandler(caplog.handler)
        try:
            body, status = render_unexpected(raised.value)
        finally:
            app.logger.removeHandler(caplog.handler)
    assert status == 500
    assert "unhandled IntegrityError (SQLSTATE 23505)" in caplog.text
    assert "SECRET-REF-1" not in caplog.text
    assert "SECRET-REF-1" not in body
