"""Idempotency-Key replay, conflict and concurrency; hostile and malformed input on every
endpoint answers 4xx problem+json and writes nothing."""

from __future__ import annotations

import json
import threading

import pytest

from tests.integration.api.conftest import (
    KENT,
    Api,
    assert_problem,
    count,
    counts,
    host,
    new_case,
)
from tests.integration.api.test_resources import REF, arrested, victim

KEY = {"Idempotency-Key": "6c1f0d2e-1111-4a5b-9c3d-000000000001"}


# --- Idempotency-Key ---------------------------------------------------------------------


def test_same_key_and_body_replays_and_creates_nothing_twice(kent_api, oic, admin_engine):
    first = kent_api.post("/cases", json=new_case(), headers=KEY)
    assert first.status_code == 201, first.text
    after_first = counts(admin_engine)
    # Key order and spacing do not make it another body.
    reordered = json.dumps(dict(reversed(list(new_case().items()))), indent=2)
    again = kent_api.post("/cases", data=reordered, content_type="application/json", headers=KEY)
    assert again.status_code == 201, again.text
    assert again.json == first.json and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert counts(admin_engine) == after_first
    assert count(admin_engine, '"case"') == 1


def test_same_key_other_body_is_422_and_writes_nothing(kent_api, oic, admin_engine):
    assert kent_api.post("/cases", json=new_case(), headers=KEY).status_code == 201
    before = counts(admin_engine)
    other = kent_api.post("/cases", json=new_case(crime_reference="46/55555/26"), headers=KEY)
    assert_problem(other, 422, "idempotency-key-reused")
    assert counts(admin_engine) == before


def test_same_key_on_another_path_is_another_request(kent_api, oic):
    assert kent_api.post("/cases", json=new_case(), headers=KEY).status_code == 201
    response = kent_api.post(f"/cases/{REF}/victims", json=victim(), headers=KEY)
    assert_problem(response, 422, "idempotency-key-reused")


def test_victims_and_events_replay_too(kent_api, oic, admin_engine):
    kent_api.post("/cases", json=new_case())
    for path, body in ((f"/cases/{REF}/victims", victim()), (f"/cases/{REF}/events", arrested())):
        key = {"Idempotency-Key": f"key-{path}"}
        first = kent_api.post(path, json=body, headers=key)
        assert first.status_code == 201, first.text
        before = counts(admin_engine)
        again = kent_api.post(path, json=body, headers=key)
        assert (again.status_code, again.json) == (201, first.json)
        assert counts(admin_engine) == before
    assert count(admin_engine, "invite") == 1 and count(admin_engine, "case_event") == 1


def test_a_failed_call_does_not_use_up_its_key(kent_api, oic):
    failed = kent_api.post("/cases", json=new_case(oic="C9999"), headers=KEY)
    assert_problem(failed, 422, "validation-failed")
    assert kent_api.post("/cases", json=new_case(), headers=KEY).status_code == 201


def test_keys_are_per_client(app, client, kent_api, oic):
    from tests.integration.api.conftest import create_client, fetch_token

    assert kent_api.post("/cases", json=new_case(), headers=KEY).status_code == 201
    other = create_client(app, KENT, name="Second RMS")
    api = Api(client, KENT, fetch_token(client, other).json["access_token"])
    assert_problem(api.post("/cases", json=new_case(), headers=KEY), 409, "conflict")


@pytest.mark.parametrize("key", ["", "x" * 256, "key with spaces", "clé"])
def test_malformed_keys(kent_api, oic, admin_engine, key):
    response = kent_api.post("/cases", json=new_case(), headers={"Idempotency-Key": key})
    assert_problem(response, 400, "bad-request")
    assert count(admin_engine, '"case"') == 0


def test_two_concurrent_identical_requests_create_one_case(app, kent_api, oic, admin_engine):
    """Two threads, two test clients, one key: both answer 201 with the same case."""
    answers: list = []
    barrier = threading.Barrier(2)

    def call() -> None:
        api = Api(app.test_client(), KENT, kent_api.token)
        barrier.wait()
        response = api.post("/cases", json=new_case(), headers=KEY)
        answers.append((response.status_code, response.json))

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [status for status, _ in answers] == [201, 201], answers
    assert answers[0][1] == answers[1][1]
    assert count(admin_engine, '"case"') == 1 and count(admin_engine, "idempotency_key") == 1


def test_two_concurrent_requests_for_one_reference_without_keys(app, kent_api, oic, admin_engine):
    answers: list = []
    barrier = threading.Barrier(2)

    def call() -> None:
        api = Api(app.test_client(), KENT, kent_api.token)
        barrier.wait()
        answers.append(api.post("/cases", json=new_case()).status_code)

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [201, 409]
    assert count(admin_engine, '"case"') == 1


# --- hostile and malformed input ----------------------------------------------------------

WRITES = [
    ("/cases", new_case),
    (f"/cases/{REF}/victims", victim),
    (f"/cases/{REF}/events", arrested),
]
HOSTILE_FIELDS = {
    "/cases": {
        "crime_reference": ["<script>alert(1)</script>", "X" * 41, 12345, None, "46/1/2"],
        "offence_category": ["nonsense", "", ["burglary"], "<b>x</b>"],
        "reported_on": ["yesterday", "2999-01-01", 20260101, "2026-02-30"],
        "oic": ["C9999", "", "x" * 300, {"collar": "C1234"}],
        "team": ["x" * 61, 5, "a\x00b"],
        "enhanced_reasons": ["bereaved", ["made_up"], [1]],
        "automatic_contact": ["yes please", [True]],
    },
    f"/cases/{REF}/victims": {
        "name": ["", "x" * 121, None, "\x07bell"],
        "date_of_birth": ["2999-01-01", "27/03/1985", None],
        "email": ["not-an-email", "a" * 250 + "@x.co", 7],
        "mobile": ["call me", "1" * 30],
        "preferred_language": ["fr", ""],
        "contact_channel": ["pigeon"],
        "safe_from": ["25:00", "noon"],
        "role": ["boss"],
        "send_invite": ["maybe"],
    },
    f"/cases/{REF}/events": {
        "event_type": ["exploded", "", None],
        "occurred_at": ["2999-01-01T00:00:00Z", "2026-01-01T10:00:00", "soon"],
        "victim_text": ["x" * 4001, 9],
        "internal_note": ["x" * 4001],
        "details": ["x" * 2001],
        "publish": ["sure"],
    },
}


def _cases():
    for path, fields in HOSTILE_FIELDS.items():
        for name, values in fields.items():
            for value in values:
                yield pytest.param(
                    path, name, value, id=f"{path.split('/')[-1]}-{name}-{value!r:.20}"
                )


@pytest.fixture
def with_case(kent_api, oic):
    assert kent_api.post("/cases", json=new_case(crime_reference=REF)).status_code == 201
    return kent_api


@pytest.mark.parametrize(("path", "name", "value"), list(_cases()))
def test_hostile_fields_are_422_and_write_nothing(with_case, admin_engine, path, name, value):
    body = dict(WRITES_BY_PATH[path]())
    if path == "/cases":
        body["crime_reference"] = "46/22222/26"
    body[name] = value
    before = counts(admin_engine)
    response = with_case.post(path, json=body)
    problem = assert_problem(response, 422, "validation-failed")
    assert problem["errors"] and all(e["location"].startswith("body.") for e in problem["errors"])
    assert counts(admin_engine) == before
    if isinstance(value, str) and len(value) < 100:
        assert value not in response.get_data(as_text=True) or value in ("", "fr", "yes please")


WRITES_BY_PATH = dict(WRITES)


@pytest.mark.parametrize(("path", "make"), WRITES)
def test_missing_and_unknown_fields(with_case, admin_engine, path, make):
    before = counts(admin_engine)
    for body in ({}, {**make(), "surprise": 1}, [make()], "text", 42):
        assert_problem(with_case.post(path, json=body), 422, "validation-failed")
    assert counts(admin_engine) == before


@pytest.mark.parametrize(("path", "make"), WRITES)
def test_invalid_json_and_wrong_content_types(with_case, admin_engine, path, make):
    before = counts(admin_engine)
    bad_json = with_case.post(path, data='{"crime_reference": ', content_type="application/json")
    assert_problem(bad_json, 400, "bad-request")
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "text/html"):
        response = with_case.post(path, data="a=b", content_type=content_type)
        assert_problem(response, 415, "unsupported-media-type")
    assert_problem(with_case.post(path), 415)
    assert counts(admin_engine) == before


@pytest.mark.parametrize(("path", "make"), WRITES)
def test_huge_bodies_are_413(with_case, admin_engine, path, make):
    before = counts(admin_engine)
    body = {**make(), "padding": "x" * 70_000}
    assert_problem(with_case.post(path, json=body), 413, "payload-too-large")
    assert counts(admin_engine) == before


def test_a_duplicate_reference_is_409_and_writes_nothing(with_case, admin_engine):
    before = counts(admin_engine)
    assert_problem(with_case.post("/cases", json=new_case(crime_reference=" 46/12345/26")), 409)
    assert counts(admin_engine) == before


def test_html_is_stored_as_text_and_never_echoed(with_case, admin_engine):
    script = "<script>alert('x')</script>"
    response = with_case.post(
        f"/cases/{REF}/events", json=arrested(victim_text=script, internal_note=script)
    )
    assert response.status_code == 201 and script not in response.text


@pytest.mark.parametrize(
    "query",
    [{"limit": 0}, {"limit": 1000}, {"limit": "many"}, {"updated_since": "last week"},
     {"updated_since": "2026-01-01T00:00:00"}, {"cursor": "!!!"}, {"cursor": "bm9wZQ=="},
     {"surprise": "1"}],
)  # fmt: skip
def test_bad_list_queries(kent_api, query):
    assert_problem(kent_api.get("/cases", query_string=query), 422, "validation-failed")


def test_unknown_routes_and_methods_under_the_api_are_problems(client, kent_api):
    assert_problem(client.get("/api/v1/nothing-here", headers=host(KENT)), 404, "not-found")
    response = kent_api.call("DELETE", "/cases")
    assert_problem(response, 405, "method-not-allowed")
    assert "GET" in response.headers["Allow"]


def test_the_api_is_not_on_the_central_site(client):
    response = client.get("/api/v1/openapi.json", headers={"Host": "localhost"})
    assert_problem(response, 404)
