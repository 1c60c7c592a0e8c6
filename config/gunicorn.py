"""gunicorn settings, from the environment: `gunicorn -c config/gunicorn.py wsgi:app`.

Logs are JSON lines like the app's (app/logs.py). The access log names the request by
method, route pattern, force, status, size, duration and request id, and never by path
or query string: both can carry what a victim typed. This file imports only the
standard library and gunicorn (config/ sits below app/ and tenants/).
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from datetime import UTC, datetime
from typing import Any

from gunicorn import glogging
from gunicorn.http import wsgi as gunicorn_wsgi


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# gthread: a few processes with threads each. Requests wait on PostgreSQL and Redis,
# so threads overlap the waits; processes spread the Python work over CPUs.
bind = f"0.0.0.0:{_int('PORT', 8000)}"
worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
# Kubernetes sends SIGTERM, then SIGKILL after terminationGracePeriodSeconds: finish
# in-flight requests well inside it (the chart sets the grace period above this).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so slow leaks never build up; jitter avoids all at once.
# Rarely: a worker's pool goes with it, and new PostgreSQL backends meet every force's
# tables cold (≈ 4 ms and ≈ 200 KB each; docs/scaling.md, P2). At 2,000 requests that
# was a quarter of the work with requests spread over 1,000 forces.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 2000)
# Heartbeat files on tmpfs: the root filesystem is read-only and /tmp may be disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - tmpfs
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
accesslog = "-"
errorlog = "-"
_PROBES = frozenset({"/healthz", "/readyz"})


def _strip_query(value: object) -> object:
    return value.split("?", 1)[0] if isinstance(value, str) else value


class _JsonLines(logging.Formatter):
    """gunicorn's own messages as JSON; exceptions by type and frames, never message."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = "".join(traceback.format_tb(error.__traceback__))
            line["error"] = f"unhandled {type(error).__name__}\n{frames}"
        return json.dumps(line, default=str)


class JsonLogger(glogging.Logger):
    """JSON error and access logs; the access line leaves out the path and query."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(_JsonLines())
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter("%(message)s"))  # access() writes JSON

    def exception(self, msg: str, *args: object, **kwargs: Any) -> None:
        # "Error handling request %s" passes the URI, query string and all.
        super().exception(msg, *(_strip_query(arg) for arg in args), **kwargs)

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        status = getattr(resp, "status_code", None)
        if environ.get("PATH_INFO") in _PROBES and status is not None and status < 400:
            return  # kubelet probes every few seconds; only failures are worth a line
        headers = {name.lower(): value for name, value in resp.headers}
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "force": environ.get("tmc.force", "-"),
            "request_id": headers.get("x-request-id", "-"),
            "message": "access",
            "method": req.method,
            # The route pattern the app matched (app/logs.py leaves it here), not the path.
            "route": environ.get("tmc.route", "-"),
            "status": status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
        }
        self.access_log.info(json.dumps(line, default=str))


logger_class = JsonLogger


class _NoServerHeader(gunicorn_wsgi.Response):
    def default_headers(self) -> list[str]:
        return [h for h in super().default_headers() if not h.lower().startswith("server:")]


def post_worker_init(worker: Any) -> None:
    """Stop each worker sending `Server: gunicorn` (gunicorn has no setting for it).

    gunicorn.http.wsgi.create() builds each response from the module's Response class;
    ours drops only the Server line from the status-and-default-headers block.
    """
    gunicorn_wsgi.Response = _NoServerHeader
