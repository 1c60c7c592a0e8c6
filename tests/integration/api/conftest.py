"""The API's tests: clients made with the real CLI, tokens from the real endpoint, every
call through the test client with the force's Host header."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text

from tenants.names import quoted, schema_name
from tests.factories import OfficerFactory

KENT, DYFED = "kent", "dyfed-powys"


@dataclass(frozen=True)
class Credentials:
    slug: str
    client_id: str
    secret: str


def host(slug: str) -> dict[str, str]:
    return {"Host": f"{slug}.localhost"}


def create_client(app, slug: str, *scopes: str, name: str = "Kent RMS") -> Credentials:
    args = ["api-clients", "create", slug, "--name", name]
    for scope in scopes:
        args += ["--scope", scope]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    client_id = re.search(r"client_id:\s+(\S+)", result.output)
    secret = re.search(r"client_secret:\s+(\S+)", result.output)
    assert client_id and secret, result.output
    return Credentials(slug, client_id.group(1), secret.group(1))


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def fetch_token(client, creds: Credentials, scope: str | None = None, on: str | None = None):
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    return client.post(
        "/api/v1/token",
        data=data,
        headers={**host(on or creds.slug), "Authorization": basic(creds.client_id, creds.secret)},
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Api:
    """Calls the API on one force as one client."""

    client: Any
    slug: str
    token: str

    def call(self, method: str, path: str, **kwargs: Any):
        headers = {**host(self.slug), **bearer(self.token), **kwargs.pop("headers", {})}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any):
        return self.call("POST", path, **kwargs)


@pytest.fixture
def kent_creds(app) -> Credentials:
    return create_client(app, KENT)


@pytest.fixture
def kent_api(app, client, kent_creds) -> Api:
    response = fetch_token(client, kent_creds)
    assert response.status_code == 200, response.get_data(as_text=True)
    return Api(client, KENT, response.json["access_token"])


@pytest.fixture
def oic(app_context):
    return OfficerFactory(force=KENT, collar_number="C1234", email="oic@kent.police.example")


def new_case(**changes: Any) -> dict[str, Any]:
    body = {
        "crime_reference": "46/12345/26",
        "offence_category": "burglary",
        "reported_on": "2026-01-05",
        "oic": "C1234",
        "team": "Canterbury CID",
        "enhanced_reasons": ["persistently_targeted"],
        "automatic_contact": True,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def count(admin_engine, table: str, slug: str = KENT) -> int:
    with admin_engine.connect() as conn:
        return int(
            conn.execute(
                text(f"SELECT count(*) FROM {quoted(schema_name(slug))}.{table}")
            ).scalar_one()
        )


WRITTEN_TABLES = ("\"case\"", "victim", "case_victim", "case_event", "duty", "invite",
                  "outbox_message", "idempotency_key")  # fmt: skip


def counts(admin_engine, slug: str = KENT) -> dict[str, int]:
    return {table: count(admin_engine, table, slug) for table in WRITTEN_TABLES}


def assert_problem(response, status: int, kind: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json", response.mimetype
    body = response.get_json(force=True)
    assert {"type", "title", "status", "detail"} <= set(body), body
    assert body["status"] == status
    if kind:
        assert body["type"].endswith(f"#problem-{kind}"), body
    return body
