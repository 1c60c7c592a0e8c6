"""Every log line is JSON naming its force and request, and none carries victim data."""

import io
import json
import logging
from collections.abc import Iterator

import pytest

from app import logs

VICTIM_NAME = "Philippa Quarrendon"
VICTIM_EMAIL = "philippa.quarrendon@example.org"
VICTIM_MESSAGE = "He followed me home from Ashford station again"


def collected(buffer: io.StringIO) -> list[dict]:
    """Every line written, parsed: each must be one JSON object."""
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def _restore_logging(app) -> None:
    for name in logs._LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [logs.json_handler()]
        logger.setLevel(app.extensions["settings"].log_level)
        logger.propagate = False
        logger.disabled = False


@pytest.fixture
def captured(app) -> Iterator[io.StringIO]:
    """The raw text the app's real log handler writes during the test.

    Other tests build throwaway apps, which configure the same named loggers: put the
    session app's configuration back first.
    """
    _restore_logging(app)
    handler = logging.getLogger("app").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def test_request_line_is_json_with_force_request_route_status_and_duration(
    client, force_a, captured
):
    client.get("/", headers={"Host": force_a.host, "X-Request-Id": "req-12345678"})
    (line,) = [entry for entry in collected(captured) if entry["message"] == "request"]
    assert line["force"] == "kent"
    assert line["request_id"] == "req-12345678"
    assert line["route"] == "/"
    assert line["endpoint"] == "core.home"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_lines_logged_inside_a_request_carry_its_force_and_id(app, force_a, captured):
    with app.test_request_context(
        "/", headers={"Host": force_a.host, "X-Request-Id": "req-87654321"}
    ):
        app.preprocess_request()
        app.logger.warning("something happened")
    (line,) = collected(captured)
    assert (line["force"], line["request_id"]) == ("kent", "req-87654321")
    assert line["message"] == "something happened"
    assert line["level"] == "WARNING"


def test_central_and_unknown_hosts_are_named_as_such(client, central, captured):
    client.get("/", headers={"Host": central.host})
    client.get("/", headers={"Host": "nowhere.example.net"})
    forces = [(entry["force"], entry["status"]) for entry in collected(captured)]
    assert forces == [("central", 200), ("unknown", 404)]


def test_paths_query_strings_and_forms_never_reach_the_log(client, force_a, captured):
    secret = {"name": VICTIM_NAME, "email": VICTIM_EMAIL, "message": VICTIM_MESSAGE}
    client.get("/language/cy", query_string={"next": "/", **secret}, headers={"Host": force_a.host})
    client.post("/exit", data=secret, query_string=secret, headers={"Host": force_a.host})
    client.get(f"/{VICTIM_NAME}", headers={"Host": force_a.host})
    text = captured.getvalue()
    routes = [entry["route"] for entry in collected(captured)]
    assert routes == ["/language/<code>", "/exit", "-"]
    for value in (VICTIM_NAME, VICTIM_EMAIL, VICTIM_MESSAGE, "Philippa", "Quarrendon"):
        assert value not in text


def test_logged_exceptions_keep_type_and_frames_but_never_the_message(app, force_a, captured):
    with app.test_request_context("/", headers={"Host": force_a.host}):
        try:
            raise ValueError(f"could not send to {VICTIM_EMAIL}")
        except ValueError:
            app.logger.exception("sending failed")
    (line,) = collected(captured)
    assert line["error"].startswith("unhandled ValueError\n")
    assert "test_logging.py" in line["error"]
    assert VICTIM_EMAIL not in captured.getvalue()


def test_health_probes_are_quiet_unless_they_fail(client, captured):
    client.get("/healthz", headers={"Host": "10.1.2.3"})
    assert collected(captured) == []


def test_request_id_is_echoed_and_malformed_ones_replaced(client, force_a):
    good = client.get("/", headers={"Host": force_a.host, "X-Request-Id": "abcdef12-3456"})
    assert good.headers["X-Request-Id"] == "abcdef12-3456"
    bad = client.get(
        "/", headers={"Host": force_a.host, "X-Request-Id": "<script>alert(1)</script>"}
    )
    assert bad.headers["X-Request-Id"] != "<script>alert(1)</script>"
    assert len(bad.headers["X-Request-Id"]) == 32


def test_database_errors_never_carry_the_values_into_logs(app, caplog):
    _restore_logging(app)
    """A failed statement is logged by type, SQLSTATE and frames: never the data."""
    from sqlalchemy.exc import IntegrityError

    from app.errors import render_unexpected
    from app.models import Case
    from tenants.binding import force_scope
    from tenants.forces import Force

    prefix = app.extensions["settings"].db_role_prefix
    kent = Force("kent", "t_kent", f"{prefix}_kent")
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
