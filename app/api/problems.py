"""RFC 9457 problem details: every error the API gives is application/problem+json.

A view raises Problem; the blueprint's handlers turn it, and every HTTP error Flask or
Werkzeug raises inside the API (404, 405, 413, 429…), into one JSON shape. Problem
texts are fixed strings: they never quote what the caller sent, so no personal data
reaches a response, a log line or an error report by this route.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Response, json
from werkzeug.exceptions import HTTPException

from app.extensions import retry_after

PROBLEM_MIMETYPE = "application/problem+json"
DOCS_PATH = "/api/v1/docs"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str
    status: int
    explanation: str

    @property
    def uri(self) -> str:
        """A relative URI reference to this problem's entry on the docs page."""
        return f"{DOCS_PATH}#problem-{self.slug}"


def _types(*found: ProblemType) -> dict[str, ProblemType]:
    return {t.slug: t for t in found}


TYPES = _types(
    ProblemType("bad-request", "Bad request", 400, "The request is malformed: not JSON, "
                "a bad cursor or Idempotency-Key, or an OAuth error at the token endpoint."),
    ProblemType("unauthorized", "Unauthorized", 401, "No bearer token, or one that is expired, "
                "malformed, for another force, or whose client was revoked."),
    ProblemType("invalid-client", "Client authentication failed", 401,
                "The token endpoint did not recognise the client id and secret."),
    ProblemType("insufficient-scope", "Insufficient scope", 403,
                "The token does not carry the scope this operation needs."),
    ProblemType("not-found", "Not found", 404, "No such resource on this force."),
    ProblemType("method-not-allowed", "Method not allowed", 405,
                "The resource exists but does not accept this method."),
    ProblemType("conflict", "Conflict", 409, "A case with this crime reference already exists."),
    ProblemType("payload-too-large", "Payload too large", 413, "The request body is too large."),
    ProblemType("unsupported-media-type", "Unsupported media type", 415,
                "Send application/json (application/x-www-form-urlencoded to the token endpoint)."),
    ProblemType("validation-failed", "Validation failed", 422, "The body or query failed "
                "validation; `errors` lists each field (unknown fields are errors too)."),
    ProblemType("idempotency-key-reused", "Idempotency-Key reused", 422,
                "This Idempotency-Key was used with a different request."),
    ProblemType("rate-limited", "Too many requests", 429,
                "Slow down: wait for the number of seconds in Retry-After."),
    ProblemType("server-error", "Server error", 500, "Something went wrong on our side."),
)  # fmt: skip

_BY_STATUS = {
    400: "bad-request",
    401: "unauthorized",
    403: "insufficient-scope",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    429: "rate-limited",
}


@dataclass
class Problem(Exception):
    """Raise to answer with a problem; `extra` holds extension members (errors, error)."""

    slug: str
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        kind = TYPES[self.slug]
        body = {
            "type": kind.uri,
            "title": kind.title,
            "status": kind.status,
            "detail": self.detail,
            **self.extra,
        }
        return problem_response(body, kind.status, self.headers)


def problem_response(body: dict[str, Any], status: int, headers: dict[str, str]) -> Response:
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    response.headers.update(headers)
    return response


def from_http_error(error: HTTPException) -> Response:
    """Any Werkzeug HTTP error raised inside the API, as a problem (its headers kept)."""
    code = error.code or 500
    slug = _BY_STATUS.get(code, "server-error" if code >= 500 else "bad-request")
    kind = TYPES[slug]
    body = {
        "type": kind.uri,
        "title": kind.title,
        "status": code,  # an unusual 4xx (410, 418…) keeps its own code
        "detail": kind.explanation,
    }
    kept = {
        name: value
        for name, value in error.get_headers()
        if name.lower() in ("allow", "retry-after", "www-authenticate")
    }
    return problem_response(body, code, kept | retry_after(error))
