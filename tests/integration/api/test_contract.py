"""The contract: the served OpenAPI document is valid OpenAPI 3.1, documents every
/api/v1 route in the URL map, and the developers' page lists them; rate limits."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from app.api.blueprint import PREFIX
from tests.integration.api.conftest import DYFED, KENT, assert_problem, fetch_token, host

_CONVERTER = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def spec(client, slug: str = KENT) -> dict:
    response = client.get(f"{PREFIX}/openapi.json", headers=host(slug))
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def test_the_document_is_valid_openapi_3_1(client):
    document = spec(client)
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_document_lists_every_api_route_in_the_url_map(app, client):
    routes = {
        (_CONVERTER.sub(r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(PREFIX + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in spec(client)["paths"].items() for method in item}
    assert routes == documented
    assert len(routes) == 9


def test_every_error_is_a_documented_problem(client):
    document = spec(client)
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]
            assert operation["summary"]
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    for name in ("NewCase", "NewVictim", "NewEvent", "CaseOut", "EventOut", "TokenResponse"):
        assert document["components"]["schemas"][name]["examples"], name


def test_writes_document_their_idempotency_key_and_scopes(client):
    paths = spec(client)["paths"]
    create = paths["/api/v1/cases"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    assert create["security"] == [{"oauth2": ["cases:write"]}]
    assert paths["/api/v1/cases"]["get"]["security"] == [{"oauth2": ["cases:read"]}]
    token = paths["/api/v1/token"]["post"]
    assert list(token["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]


def test_no_schema_offers_an_internal_note_back(client):
    schemas = spec(client)["components"]["schemas"]
    for name, schema in schemas.items():
        if not name.startswith("New"):
            assert "internal_note" not in schema.get("properties", {}), name


def test_each_force_gets_its_own_servers_and_token_url(client):
    kent, dyfed = spec(client, KENT), spec(client, DYFED)
    assert kent["servers"][0]["url"] == "http://kent.localhost"
    flows = dyfed["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "http://dyfed-powys.localhost/api/v1/token"


def test_the_docs_page_lists_every_operation(client):
    page = client.get(f"{PREFIX}/docs", headers=host(KENT))  # ValidatingClient checks the HTML
    assert page.status_code == 200
    document = spec(client)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert f"{method.upper()} {path}" in page.text
            assert f'id="op-{operation["operationId"]}"' in page.text
    assert 'id="problem-validation-failed"' in page.text
    # Self-hosted assets only: every script and stylesheet comes from this site.
    assert not re.search(r'(src|href)="(https?:)?//', page.text)


def test_per_client_rate_limit_answers_429_with_retry_after(app, client, kent_api):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [kent_api.get("/cases").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = kent_api.get("/cases")
        assert_problem(response, 429, "rate-limited")
        assert int(response.headers["Retry-After"]) > 0
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"


def test_token_endpoint_rate_limit_is_per_claimed_client(app, client, kent_creds):
    app.config["API_TOKEN_RATE_LIMIT"] = "2 per minute"
    try:
        assert [fetch_token(client, kent_creds).status_code for _ in range(3)] == [200, 200, 429]
    finally:
        app.config["API_TOKEN_RATE_LIMIT"] = "30 per minute"
