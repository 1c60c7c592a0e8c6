"""The contract, served on every force's site: the OpenAPI document and a page for the
developers who connect a records system to it (server-rendered from the same
document, so it cannot drift; no third-party scripts, which the CSP forbids anyway)."""

from __future__ import annotations

from typing import Any

from flask import Response, json, render_template

from app.api.blueprint import bp
from app.api.openapi import document, operation
from app.api.problems import TYPES
from app.auth.access import public
from tenants.extension import current_force

_METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/openapi.json")
@public
@operation(
    "getOpenApiDocument",
    responses={200: None},
    errors=(404, 429),
    media_type="application/json",
    tag="Documentation",
    skip_validation=True,
)
def openapi_document() -> Any:
    """The OpenAPI 3.1 document"""
    return Response(json.dumps(document()), mimetype="application/json")


def _operations(found: dict[str, Any]) -> list[dict[str, Any]]:
    listed = []
    for path, item in found["paths"].items():
        for method in _METHODS:
            if method in item:
                op = item[method]
                scopes = [s for req in op.get("security", []) for s in req.get("oauth2", [])]
                listed.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "id": op["operationId"],
                        "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                        "scopes": scopes,
                        "statuses": sorted(op["responses"]),
                        "tag": (op.get("tags") or ["Other"])[0],
                    }
                )
    return sorted(listed, key=lambda op: (op["tag"], op["path"], op["method"]))


@bp.get("/docs")
@public
@operation(
    "getDocumentation",
    responses={200: None},
    errors=(404, 429),
    media_type="text/html",
    tag="Documentation",
    skip_validation=True,
)
def docs_page() -> Any:
    """This page: the operations, how to authenticate, and the problem types"""
    found = document()
    return render_template(
        "api/docs.html",
        operations=_operations(found),
        problems=sorted(TYPES.values(), key=lambda t: (t.status, t.slug)),
        server=found["servers"][0]["url"],
        force=current_force(),
    )
