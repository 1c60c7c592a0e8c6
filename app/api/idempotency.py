"""Idempotency-Key: a retried POST returns the first answer and creates nothing twice.

The key's row is inserted first, in the request's own transaction. A concurrent twin's
insert waits on the unique (client, key) index until the first transaction ends: if it
committed, the twin replays its stored answer; if it rolled back, the twin goes ahead.
Failed calls (4xx) roll back with their key, so a corrected retry may reuse it. Keys
are remembered for 24 hours.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.api.blueprint import ApiTag
from app.api.clients import calling_client
from app.api.problems import Problem
from app.audit import record
from app.models import IdempotencyKey
from app.models.base import utcnow
from tenants.binding import db

KEY_HEADER = "Idempotency-Key"
REMEMBERED_FOR = timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@dataclass(frozen=True)
class Answer:
    body: dict[str, Any]
    status: int
    location: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def reply(self) -> tuple[dict[str, Any], int, dict[str, str]]:
        headers = dict(self.headers)
        if self.location:
            headers["Location"] = self.location
        return self.body, self.status, headers


def _request_hash() -> str:
    """The method, path and JSON body, canonically (key order and spacing do not count)."""
    body = json.dumps(request.get_json(silent=True), sort_keys=True, separators=(",", ":"))
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def run_once(action: Callable[[], Answer]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Run action, or replay what it answered for this Idempotency-Key before."""
    key = request.headers.get(KEY_HEADER)
    if key is None:
        return action().reply()
    if not _KEY.fullmatch(key):
        raise Problem("bad-request", "Idempotency-Key must be 1 to 255 printable ASCII characters.")
    client, request_hash = calling_client(), _request_hash()
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.client_id == client.id,
            IdempotencyKey.key == key,
            IdempotencyKey.created_at < utcnow() - REMEMBERED_FOR,
        )
    )
    row = IdempotencyKey(client_id=client.id, key=key, request_hash=request_hash)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return _replay(client.id, key, request_hash)
    answer = action()
    row.response_status, row.response_body = answer.status, answer.body
    row.response_location = answer.location
    return answer.reply()


def _replay(
    client_id: Any, key: str, request_hash: str
) -> tuple[dict[str, Any], int, dict[str, str]]:
    first = db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.client_id == client_id, IdempotencyKey.key == key
        )
    )
    if first is None or first.response_status is None or first.response_body is None:
        raise Problem("conflict", "A request with this Idempotency-Key is still in progress.")
    if first.request_hash != request_hash:
        raise Problem(
            "idempotency-key-reused",
            "This Idempotency-Key was already used with a different request.",
        )
    record(ApiTag.REPLAYED, record_type="idempotency_key", record_id=first.id)
    answer = Answer(
        dict(first.response_body),
        first.response_status,
        first.response_location,
        {"Idempotent-Replayed": "true"},
    )
    return answer.reply()
