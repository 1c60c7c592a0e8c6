"""The OpenAPI 3.1 document, generated from the operations themselves.

SpecTree (with pydantic) validates each operation's query, body and response and
collects their JSON Schemas; `operation()` adds what SpecTree does not know about: the
problem responses each operation can give, the Idempotency-Key header, the OAuth 2.0
scopes. `document()` assembles the result for the host it is served on.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError
from spectree import Response, SpecTree

from app.api.blueprint import PREFIX
from app.api.problems import PROBLEM_MIMETYPE, TYPES, Problem
from app.api.schemas import FieldError
from app.api.schemas import Problem as ProblemSchema

log = logging.getLogger("app.api")

SCOPES = {
    "cases:read": "Read cases and their Victims' Code duties.",
    "cases:write": "Create cases, add victims, post events.",
}
DESCRIPTION = (
    "Per-force API for a police records system (Niche, Athena, Connect…): create cases, "
    "add victims (who are sent an invite), and post what happened so the victim is told "
    "and the Victims' Code duties are kept. Authenticate with OAuth 2.0 client "
    "credentials at /api/v1/token; every error is RFC 9457 application/problem+json."
)


def _before(req: Any, _resp: Any, error: Exception | None, _instance: Any, _adapter: Any) -> None:
    """SpecTree found the query or body invalid: answer 422 with a problem (no values)."""
    if isinstance(error, ValidationError):
        raise Problem(
            "validation-failed",
            "The request failed validation.",
            extra={"errors": field_errors(error, "query" if req.method == "GET" else "body")},
        )


def _after(_req: Any, _resp: Any, error: Exception | None, _instance: Any, _adapter: Any) -> None:
    """A response that breaks its own schema is our fault: log where, never the values."""
    if error is not None:
        where = [".".join(map(str, e["loc"])) for e in getattr(error, "errors", list)()]
        log.error("API response failed its schema", extra={"fields": where})
        raise Problem("server-error", "The response did not match the documented schema.")


def field_errors(error: ValidationError, location: str) -> list[dict[str, str]]:
    return [
        FieldError(
            location=".".join([location, *(str(part) for part in found["loc"])]),
            message=found["msg"],
        ).model_dump()
        for found in error.errors(include_url=False, include_input=False, include_context=False)
    ]


spec = SpecTree(
    "flask",
    mode="strict",
    title="TrackMyCrime records-system API",
    version="1.0.0",
    description=DESCRIPTION,
    annotations=True,
    before=_before,
    after=_after,
    validation_error_model=ProblemSchema,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)


@dataclass(frozen=True)
class Extras:
    errors: tuple[int, ...]
    idempotent: bool
    media_type: str | None


_EXTRAS: dict[str, Extras] = {}
PATH_PARAMETERS = {
    "crime_reference": "The case's crime reference as the force writes it (46/12345/26): "
    "its slashes may be sent as they are or as %2F."
}


def operation(
    operation_id: str,
    *,
    responses: dict[int, type[BaseModel] | None],
    errors: tuple[int, ...] = (),
    scopes: tuple[str, ...] | None = None,
    basic_auth: bool = False,
    idempotent: bool = False,
    media_type: str | None = None,
    tag: str = "Cases",
    **validate: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Validate and document one operation (query=/json=/form= models pass to SpecTree)."""
    _EXTRAS[operation_id] = Extras(tuple(sorted(errors)), idempotent, media_type)
    security: Any = [{"clientBasic": []}] if basic_auth else []
    if scopes is not None:
        security = [{"oauth2": list(scopes)}]
    validate.setdefault("path_parameter_descriptions", PATH_PARAMETERS)
    return spec.validate(
        resp=Response(**{f"HTTP_{code}": model for code, model in responses.items()}),
        tags=[tag],
        security=security,
        operation_id=operation_id,
        **validate,
    )


def _problem_response(status: int) -> dict[str, Any]:
    titles = sorted({t.title for t in TYPES.values() if t.status == status})
    found: dict[str, Any] = {
        "description": " / ".join(titles) or "Error",
        "content": {PROBLEM_MIMETYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status == 429:
        found["headers"] = {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
        }
    if status == 401:
        found["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    return found


IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string (a UUID is ideal), up to 255 printable ASCII "
    "characters. Repeating the call with the same key and body returns the first "
    "answer and changes nothing; the same key with another body is a 422.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}


def _responses(found: dict[str, Any], extras: Extras) -> None:
    responses = found["responses"]
    for status in [s for s in responses if int(s) >= 400]:
        responses.pop(status)
    for status in extras.errors:
        responses[str(status)] = _problem_response(status)
    if extras.media_type:  # a document or a page, not a model
        schema = {"type": "object"} if "json" in extras.media_type else {"type": "string"}
        responses["200"]["content"] = {extras.media_type: {"schema": schema}}


def _finish_operation(found: dict[str, Any]) -> None:
    extras = _EXTRAS.get(found["operationId"])
    if extras is None:
        return
    _responses(found, extras)
    content = found.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:  # forms here are OAuth's, urlencoded only
        content["application/x-www-form-urlencoded"] = content.pop("multipart/form-data")
    if extras.idempotent:
        found["parameters"].append(IDEMPOTENCY_HEADER)
    if not found["description"]:
        found.pop("description")


def document() -> dict[str, Any]:
    """The OpenAPI document as served on this request's host."""
    found = copy.deepcopy(spec.spec)
    root = request.url_root.rstrip("/")
    found["servers"] = [{"url": root, "description": "This force's site"}]
    found["components"]["securitySchemes"] = {
        "oauth2": {
            "type": "oauth2",
            "description": "Client credentials, per force (`flask api-clients create`).",
            "flows": {"clientCredentials": {"tokenUrl": f"{root}{PREFIX}/token", "scopes": SCOPES}},
        },
        "clientBasic": {"type": "http", "scheme": "basic", "description": "client_id:secret"},
    }
    found["components"]["schemas"].setdefault("Problem", ProblemSchema.model_json_schema())
    for path in found["paths"].values():
        for method_doc in path.values():
            _finish_operation(method_doc)
    return found
