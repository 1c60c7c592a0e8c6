"""Every log line is one JSON object naming its force and request; none carries victim data.

Views log ids and events only. The request id comes from the ingress (X-Request-Id) if
it is well formed, else we make one, and it is echoed back for support calls. Each
request ends with one line giving its route pattern (never the path or query string,
which can carry what a victim typed), status and duration. Exceptions are written by
describe_error(): type, SQLSTATE and frames, never the message.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from rq import get_current_job

from tenants.extension import tenancy
from tenants.redaction import describe_error

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# Loggers we own the output of: the app's, and RQ's in the workers (RQ adds its own
# coloured handler only when it finds none).
_LOGGERS = ("app", "rq")
# Fields a record may carry through `extra=` that the JSON line keeps, in this order.
_REQUEST_FIELDS = ("method", "route", "endpoint", "status", "duration_ms")


class ContextFilter(logging.Filter):
    """Adds the force slug and request id (or, in a worker, the job's force and id)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.force, record.request_id = _context()
        return True


def _context() -> tuple[str, str]:
    if has_request_context():
        scope = g.get("scope")
        return (scope.key if scope else "-"), g.get("request_id", "-")
    job = get_current_job()
    if job is not None:
        return str(job.meta.get("force", "-")), job.id
    return "-", "-"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, force, request id, message, fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "force": getattr(record, "force", "-"),
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        line.update({k: getattr(record, k) for k in _REQUEST_FIELDS if hasattr(record, k)})
        if record.exc_info and record.exc_info[1] is not None:
            # Never formatException(): the message can quote the values that failed.
            line["error"] = describe_error(record.exc_info[1])
        return json.dumps(line, default=str)


def assign_request_id() -> None:
    g.request_started = time.perf_counter()
    supplied = request.headers.get("X-Request-Id", "")
    g.request_id = supplied if _REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex


def echo_request_id(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    return response


def log_request(response: Response) -> Response:
    """after_request (runs last): one line per request, by route pattern, never by path."""
    started = g.get("request_started", time.perf_counter())
    rule = request.url_rule
    fields = {
        "method": request.method,
        "route": rule.rule if rule else "-",
        "endpoint": request.endpoint or "-",
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    # gunicorn's access log (config/gunicorn.py) reads these: a pattern, never the path.
    request.environ["tmc.route"] = fields["route"]
    request.environ["tmc.force"] = _context()[0]
    # Kubelet probes every few seconds: only their failures are worth a line.
    quiet = request.endpoint in tenancy().host_free and response.status_code < 400
    logging.getLogger("app").log(logging.DEBUG if quiet else logging.INFO, "request", extra=fields)
    return response


def json_handler() -> logging.Handler:
    """A stderr handler writing JSON lines with the force and request on each."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    return handler


def init_app(app: Flask, level: str) -> None:
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [json_handler()]
        logger.setLevel(level)
        logger.propagate = False
    app.before_request(assign_request_id)
    app.after_request(log_request)  # registered first, so Flask runs it last
    app.after_request(echo_request_id)
