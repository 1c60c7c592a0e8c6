"""Host header -> force, through real HTTP handling of the app."""

import dataclasses
import time

import pytest
from click.testing import Result
from sqlalchemy import create_engine, text

from app import create_app


@pytest.mark.parametrize(
    ("host", "status", "text"),
    [
        ("kent.localhost", 200, "Kent Police"),
        ("kent.localhost:5000", 200, "Kent Police"),
        ("KENT.LocalHost", 200, "Kent Police"),
        ("kent.localhost.", 200, "Kent Police"),
        ("localhost", 200, "Keep victims of crime informed"),
        ("localhost:5000", 200, "Keep victims of crime informed"),
        ("essex.localhost", 404, "Page not found"),
        ("www.localhost", 404, "Page not found"),
        ("x.kent.localhost", 404, "Page not found"),
        ("127.0.0.1", 404, "Page not found"),
        ("127.0.0.1:5000", 404, "Page not found"),
        ("[::1]:5000", 404, "Page not found"),
        ("kent.example.com", 404, "Page not found"),
        ("k" * 250 + ".localhost", 404, "Page not found"),
    ],
)
def test_host_decides_the_site(client, host, status, text):
    response = client.get("/", headers={"Host": host})
    assert response.status_code == status
    assert text in response.get_data(as_text=True)


def test_unknown_host_reveals_no_force(client):
    body = client.get("/", headers={"Host": "essex.localhost"}).get_data(as_text=True)
    for name in ("Kent", "Dyfed", "Avon"):
        assert name not in body


def test_no_other_source_names_the_force(client):
    """A header, query string or cookie never overrides the Host."""
    response = client.get(
        "/?tenant=kent&force=kent",
        headers={
            "Host": "dyfed-powys.localhost",
            "X-Tenant": "kent",
            "X-Forwarded-Host": "kent.localhost",
        },
    )
    body = response.get_data(as_text=True)
    assert "Dyfed-Powys" in body
    assert "Kent Police" not in body


def _cli(app, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=list(args))


def test_a_change_by_another_process_reaches_this_one_within_seconds(app, client):
    assert client.get("/", headers={"Host": "kent.localhost"}).status_code == 200
    # Another process (the CLI, the operator console) suspends kent: this process's
    # cache is not told, it must notice on its own within 5 seconds.
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        conn.execute(text("UPDATE public.tenant SET status = 'suspended' WHERE slug = 'kent'"))
    engine.dispose()
    deadline, status = time.monotonic() + 5, 200
    while status == 200 and time.monotonic() < deadline:
        time.sleep(0.1)
        status = client.get("/", headers={"Host": "kent.localhost"}).status_code
    assert status == 503
    response = client.get("/", headers={"Host": "kent.localhost"})
    assert "This service is paused" in response.get_data(as_text=True)
    assert response.headers["Retry-After"]


def test_suspend_and_resume_commands(app, client):
    result = _cli(app, "tenants", "suspend", "kent")
    assert result.exit_code == 0, result.output
    assert client.get("/", headers={"Host": "kent.localhost"}).status_code == 503
    assert client.get("/", headers={"Host": "dyfed-powys.localhost"}).status_code == 200
    assert _cli(app, "tenants", "suspend", "kent").exit_code != 0  # already suspended
    assert _cli(app, "tenants", "resume", "kent").exit_code == 0
    assert client.get("/", headers={"Host": "kent.localhost"}).status_code == 200


@pytest.mark.parametrize("host", ["kent.localhost", "localhost", "10.1.2.3:8000", "nowhere"])
def test_health_probes_answer_on_every_host(client, host):
    assert client.get("/healthz", headers={"Host": host}).status_code == 200
    ready = client.get("/readyz", headers={"Host": host})
    assert ready.status_code == 200
    assert ready.get_data(as_text=True) == "ready\n"


def test_a_custom_domain_serves_its_force(client, admin_engine):
    with admin_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO public.domain (hostname, tenant_id) "
                "SELECT 'victims.kent-police.example', id FROM public.tenant WHERE slug = 'kent'"
            )
        )
    deadline, status = time.monotonic() + 5, 404
    while status == 404 and time.monotonic() < deadline:
        time.sleep(0.1)
        status = client.get("/", headers={"Host": "victims.kent-police.example"}).status_code
    response = client.get("/", headers={"Host": "Victims.Kent-Police.example:443"})
    assert response.status_code == 200
    assert "Kent Police" in response.get_data(as_text=True)


def test_readyz_says_not_ready_when_redis_is_gone(settings):
    broken = create_app(dataclasses.replace(settings, redis_url="redis://127.0.0.1:1/0"))
    response = broken.test_client().get("/readyz", headers={"Host": "kent.localhost"})
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "not ready\n"
