"""Officers in tests: the demo identity provider for real sign-ins, and a quick way in.

`demo_provider` (session fixture, registered in tests/conftest.py) runs app.demo_idp on
loopback with one issuer per test force and connects each force to it, exactly as the
demo does. `oidc_sign_in` walks the real flow: the app's sign-in button, the provider's
form over real HTTP, the app's callback (which exchanges the code over real HTTP).

`as_officer` skips the provider for tests about what a signed-in officer can do: it
writes the officer and a live server-side session, then puts their ids in the
force-bound cookie, as a real sign-in would.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app import demo_data
from app.demo_idp import (
    RunningProvider,
    demo_issuers,
    demo_password,
)
from app.demo_idp import run_in_thread as run_provider
from app.models import Officer
from tenants.extension import tenancy
from tests.factories import OfficerFactory, registered_force
from tests.support.forces import TEST_FORCES
from tests.support.sessions import put_in_session

ROLE_VALUES = demo_data.ROLE_VALUES  # the demo's claim mapping: tmc-officer, ...


def callback_url(slug: str) -> str:
    return f"http://{slug}.localhost/officer/auth/callback"


def signed_out_url(slug: str) -> str:
    return f"http://{slug}.localhost/officer/signed-out"


def connect_force(slug: str, issuer: str) -> None:
    """Point slug's officer sign-in at issuer (the demo client), as the demo does."""
    demo_data.connect(issuer, slug)


@pytest.fixture(scope="session")
def demo_provider(app: Flask) -> Iterator[RunningProvider]:
    forces = [(force.slug, force.name) for force in TEST_FORCES]
    provider = run_provider("127.0.0.1", 0, demo_issuers(forces, callback_url, signed_out_url))
    yield provider
    provider.stop()


@pytest.fixture
def idp(app: Flask, demo_provider: RunningProvider) -> RunningProvider:
    """Every test force connected to the demo provider (restored if a test changed it)."""
    with app.app_context():
        for force in TEST_FORCES:
            current = registered_force(force.slug).idp.get("issuer")
            if current != demo_provider.issuer(force.slug):
                connect_force(force.slug, demo_provider.issuer(force.slug))
        tenancy().registry.invalidate()
    return demo_provider


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def host(slug: str) -> dict[str, str]:
    return {"Host": f"{slug}.localhost"}


def start_sign_in(client: Any, slug: str) -> str:
    """Press 'Continue to sign in'; the provider URL the app redirects to."""
    page = client.get("/officer/sign-in", headers=host(slug))
    response = client.post(
        "/officer/sign-in", headers=host(slug), data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302, response.text
    return str(response.headers["Location"])


def provider_sign_in(authorize_url: str, username: str, password: str) -> str:
    """Fill in the demo provider's form; the URL it sends the browser back to."""
    with _no_redirects().open(authorize_url, timeout=10) as page:
        html = page.read().decode()
    request_id = re.search(r'name="request_id" value="([^"]+)"', html)
    assert request_id, html
    form = urllib.parse.urlencode(
        {"request_id": request_id.group(1), "username": username, "password": password}
    ).encode()
    action = authorize_url.split("?", 1)[0]
    assert action.startswith("http://127.0.0.1:"), "only the loopback demo provider"
    try:
        _no_redirects().open(urllib.request.Request(action, data=form), timeout=10)  # noqa: S310
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"] if redirect.code in (302, 303) else None
    else:
        location = None
    if not location:
        raise AssertionError("the provider did not redirect back")
    return str(location)


def finish(client: Any, slug: str, callback: str) -> Any:
    """Open the provider's redirect on the app (the test client, with the force's host)."""
    parts = urllib.parse.urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}", headers=host(slug))


def oidc_sign_in(client: Any, slug: str, username: str = "officer") -> Any:
    """The whole sign-in as a browser would do it; the app's response to the callback."""
    authorize = start_sign_in(client, slug)
    callback = provider_sign_in(authorize, username, demo_password(slug, username))
    return finish(client, slug, callback)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _no_redirects() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


def as_officer(
    app: Flask, client: Any, slug: str = "kent", role: str = "officer", team: str = "Team A"
) -> Officer:
    """Sign client in on slug as a new officer with role, without the provider."""
    with app.app_context():
        officer = OfficerFactory(force=slug, role=role, team=team)
    put_in_session(app, client, slug, "officer", officer.id)
    return officer
