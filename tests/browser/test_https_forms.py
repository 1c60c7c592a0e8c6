"""A form posted over real TLS in Chromium: the CSRF check passes and nothing leaks.

Flask-WTF checks the Referer of every form POST made over HTTPS (WTF_CSRF_SSL_STRICT).
With `Referrer-Policy: no-referrer` Chromium sends none, so every form on the
production site failed with 400. This serves a second app over HTTPS (a self-signed
certificate made here) and posts a form with its CSRF token to /exit, as a victim's
browser would, then checks the neutral site was told nothing about where they came from.
"""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Blueprint, Flask, render_template_string
from werkzeug.serving import make_server

from app import create_app
from app.auth.access import public
from config import TestSettings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Route

EXIT_URL = "https://www.bbc.co.uk/weather"  # config.Settings.exit_page_url's default
FORM_PAGE = """{% extends "layouts/force.html" %}
{% block title %}Form{% endblock %}
{% block content %}
  <form method="post" action="{{ url_for('core.exit_page') }}">
    <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
    <button class="govuk-button" type="submit">Leave by form</button>
  </form>
{% endblock %}
"""


def _self_signed(directory: Path) -> ssl.SSLContext:
    """A server TLS context for localhost and *.localhost, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.DNSName("*.localhost")]
    names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


def _form_app(settings: TestSettings) -> Flask:
    """A second app on the run's database and Redis with secure cookies and a form page."""
    form_app = create_app(dataclasses.replace(settings, secure_cookies=True))
    bp = Blueprint("test_forms", __name__)

    @bp.get("/test-form")
    @public
    def form() -> str:
        return render_template_string(FORM_PAGE)

    form_app.register_blueprint(bp)
    return form_app


@pytest.fixture
def https_origin(app: Flask, settings: TestSettings, tmp_path: Path) -> Iterator[str]:
    """https://kent.localhost:PORT served over TLS by its own threaded server.

    Depends on `app` so the demo forces exist and `_isolate` resets state afterwards.
    """
    server = make_server(
        "127.0.0.1", 0, _form_app(settings), threaded=True, ssl_context=_self_signed(tmp_path)
    )
    thread = threading.Thread(target=server.serve_forever, name="tls-server", daemon=True)
    thread.start()
    try:
        yield f"https://kent.localhost:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def tls_context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context that accepts the test's self-signed certificate."""
    ctx = browser.new_context(ignore_https_errors=True, locale="en-GB")
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


def test_a_form_posts_over_https_and_the_neutral_site_gets_no_referer(
    tls_context: BrowserContext, https_origin: str
) -> None:
    from playwright.sync_api import expect

    referers: list[str | None] = []

    def neutral(route: Route) -> None:
        referers.append(route.request.headers.get("referer"))
        route.fulfill(status=200, content_type="text/html", body="<h1>Weather</h1>")

    tls_context.route("https://www.bbc.co.uk/**", neutral)
    page = tls_context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    posts: list[tuple[int, str | None]] = []
    page.on(
        "response",
        lambda r: (
            posts.append((r.status, r.request.header_value("referer")))
            if r.request.method == "POST"
            else None
        ),
    )
    page.goto(f"{https_origin}/test-form", wait_until="load")
    assert page.evaluate("location.protocol") == "https:"
    assert any(c["name"] == "__Host-tmc" for c in tls_context.cookies(https_origin))
    page.get_by_role("button", name="Leave by form").click()
    expect(page, f"not on the neutral site; posts {posts}, errors {errors}").to_have_url(EXIT_URL)
    assert posts and posts[0][0] == 302, f"POST /exit over HTTPS answered {posts}"
    assert posts[0][1] == f"{https_origin}/test-form", "same-origin Referer for our own form"
    assert referers and set(referers) == {None}, f"the neutral site was sent {referers}"
