"""The API's blueprint, its audit tags, and what every call passes through first:
a body-size cap, JSON-only bodies, and problem+json for every error."""

from __future__ import annotations

from flask import current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from app.api.problems import Problem, from_http_error
from app.site import force_blueprint
from tenants.audit import ForceTag
from tenants.redaction import describe_error

PREFIX = "/api/v1"
MAX_BODY_BYTES = 64 * 1024
TOKEN_ENDPOINT = "api.issue_token"  # noqa: S105 - an endpoint name

bp = force_blueprint("api", __name__, url_prefix=PREFIX, template_folder="templates")


class ApiTag(ForceTag):
    CLIENT_CREATED = "api:client-created"
    CLIENT_REVOKED = "api:client-revoked"
    TOKEN_ISSUED = "api:token-issued"  # noqa: S105 - an audit tag
    CASE_READ = "api:case-read"
    CASES_LISTED = "api:cases-listed"
    DUTIES_READ = "api:duties-read"
    REPLAYED = "api:idempotent-replay"


@bp.before_request
def _limit_body() -> None:
    """A records system sends small JSON: refuse more than 64 KiB before reading it."""
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        raise Problem("payload-too-large", f"Send at most {MAX_BODY_BYTES} bytes.")
    request.max_content_length = MAX_BODY_BYTES


@bp.before_request
def _json_only() -> None:
    """POST bodies are JSON (the token endpoint's, a form); anything else is 415, and JSON
    that does not parse is 400, before any validation or work."""
    if request.method != "POST" or request.endpoint == TOKEN_ENDPOINT:
        return
    if not request.is_json:
        raise Problem("unsupported-media-type", "Send the body as application/json.")
    if request.get_json(silent=True) is None:
        raise Problem("bad-request", "The body is not valid JSON.")


@bp.errorhandler(Problem)
def _problem(problem: Problem) -> ResponseReturnValue:
    return problem.response()


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    return from_http_error(error)


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> ResponseReturnValue:
    current_app.logger.error(describe_error(error))
    return Problem("server-error", "Something went wrong on our side. Try again later.").response()
