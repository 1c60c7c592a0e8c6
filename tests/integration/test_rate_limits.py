"""Rate limits count per force and client: one force's traffic never spends another's."""

import dataclasses

import pytest

from app import create_app


@pytest.fixture
def strict_app(app, settings):
    """A second app on the same database and Redis, allowing 3 requests a minute."""
    strict = create_app(dataclasses.replace(settings, default_rate_limit="3 per minute"))
    yield strict
    with strict.app_context():
        strict.extensions["redis"].flushdb()


def test_limits_are_kept_per_force(strict_app):
    client = strict_app.test_client()
    kent = [client.get("/", headers={"Host": "kent.localhost"}).status_code for _ in range(4)]
    assert kent == [200, 200, 200, 429]
    assert client.get("/", headers={"Host": "dyfed-powys.localhost"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200
    keys = [key.decode() for key in strict_app.extensions["redis"].keys("*")]
    assert any("tmc:kent:rate:" in key for key in keys)
    assert any("tmc:dyfed-powys:rate:" in key for key in keys)


def test_health_probes_are_never_limited(strict_app):
    client = strict_app.test_client()
    codes = {
        client.get("/healthz", headers={"Host": "kent.localhost"}).status_code for _ in range(5)
    }
    assert codes == {200}
