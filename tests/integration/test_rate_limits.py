"""Rate limits: one budget per force and client, shared by every route; Exit is never limited."""

import dataclasses

import pytest

from app import create_app

KENT = {"Host": "kent.localhost"}
DYFED = {"Host": "dyfed-powys.localhost"}


@pytest.fixture
def strict_app(app, settings):
    """A second app on the same database and Redis, allowing 3 requests a minute."""
    strict = create_app(dataclasses.replace(settings, default_rate_limit="3 per minute"))
    yield strict
    with strict.app_context():
        strict.extensions["tenancy"].redis.flushdb()


def test_limits_are_kept_per_force(strict_app):
    client = strict_app.test_client()
    kent = [client.get("/", headers=KENT).status_code for _ in range(4)]
    assert kent == [200, 200, 200, 429]
    limited = client.get("/", headers=KENT)
    assert limited.headers["Retry-After"] == "60", "the window of the limit breached"
    assert "X-RateLimit-Remaining" not in limited.headers  # one Redis call per request
    assert client.get("/", headers=DYFED).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200
    keys = [key.decode() for key in strict_app.extensions["tenancy"].redis.keys("*")]
    assert any("tmc:kent:rate:" in key for key in keys)
    assert any("tmc:dyfed-powys:rate:" in key for key in keys)


def test_different_routes_share_one_budget(strict_app):
    """Moving between pages earns no fresh budget: the limit is per force and client."""
    client = strict_app.test_client()
    codes = [
        client.get("/", headers=DYFED).status_code,
        client.get("/language/cy", query_string={"next": "/"}, headers=DYFED).status_code,
        client.get("/", headers=DYFED).status_code,
        client.get("/language/en", query_string={"next": "/"}, headers=DYFED).status_code,
    ]
    assert codes == [200, 302, 200, 429]
    assert client.get("/", headers=KENT).status_code == 200, "another force's budget is its own"


def test_exit_is_never_limited(strict_app):
    client = strict_app.test_client()
    for _ in range(4):
        client.get("/", headers=KENT)
    limited = client.get("/", headers=KENT)
    assert limited.status_code == 429
    assert 'href="/exit"' in limited.get_data(as_text=True), "the 429 page offers Exit"
    for _ in range(5):
        response = client.get("/exit", headers=KENT)
        assert response.status_code == 302
        assert response.headers["Location"] == "https://www.bbc.co.uk/weather"
    assert client.get("/", headers=KENT).status_code == 429, "exit spent nothing, restored nothing"


def test_health_probes_are_never_limited(strict_app):
    client = strict_app.test_client()
    codes = {client.get("/healthz", headers=KENT).status_code for _ in range(5)}
    assert codes == {200}
