"""Every log line names its force and request; none carries victim data.

Views log ids and events only. The request id comes from the ingress (X-Request-Id) if
it is well formed, else we make one, and it is echoed back for support calls.
"""

from __future__ import annotations

import logging
import re
import traceback
import uuid

from flask import Flask, Response, g, has_request_context, request

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
FORMAT = "%(asctime)s %(levelname)s [%(force)s %(request_id)s] %(name)s: %(message)s"


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        scope = g.get("scope") if has_request_context() else None
        record.force = scope.key if scope else "-"
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def describe_error(error: BaseException) -> str:
    """An exception for the log without its message: messages can carry data (PostgreSQL's
    DETAIL line quotes the offending values), so only the type, the SQLSTATE and where
    it happened are written."""
    sqlstate = getattr(getattr(error, "orig", None), "pgcode", None)
    frames = "".join(traceback.format_tb(error.__traceback__))
    state = f" (SQLSTATE {sqlstate})" if sqlstate else ""
    return f"unhandled {type(error).__name__}{state}\n{frames}"


def assign_request_id() -> None:
    supplied = request.headers.get("X-Request-Id", "")
    g.request_id = supplied if _REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex


def echo_request_id(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    return response


def init_app(app: Flask, level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(ContextFilter())
    app.logger.handlers = [handler]
    app.logger.setLevel(level)
    app.logger.propagate = False
    app.before_request(assign_request_id)
    app.after_request(echo_request_id)
