"""Schemathesis over the served OpenAPI document: no 5xx, and every response matches
its documented status, content type and schema, for calls with a valid token and
without one. Kept small (a few dozen examples an operation) to fit the suite."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import OfficerFactory
from tests.integration.api.conftest import KENT, create_client, fetch_token, host

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(app, client):
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    app.config["API_TOKEN_RATE_LIMIT"] = "100000 per minute"
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=host(KENT))
    app.config["API_RATE_LIMIT"] = "600 per minute"
    app.config["API_TOKEN_RATE_LIMIT"] = "30 per minute"


@pytest.fixture
def token(app, client):
    with app.app_context():
        OfficerFactory(force=KENT, collar_number="C1234")
    creds = create_client(app, KENT)
    return fetch_token(client, creds).json["access_token"]


FUZZ = settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def fuzz(api_schema, headers: dict[str, str]) -> int:
    """Run every operation's generated cases; how many operations ran."""
    ran = 0
    for found in api_schema.get_all_operations():
        operation = found.ok()

        @FUZZ
        @given(case=operation.as_strategy())
        def run(case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
        ran += 1
    return ran


# Schemathesis leaves out the operation that serves the document it was loaded from.
OPERATIONS = 8


def test_authenticated_calls_keep_the_contract(api_schema, token):
    assert fuzz(api_schema, {**host(KENT), "Authorization": f"Bearer {token}"}) == OPERATIONS


def test_unauthenticated_calls_keep_the_contract(api_schema):
    assert fuzz(api_schema, host(KENT)) == OPERATIONS
