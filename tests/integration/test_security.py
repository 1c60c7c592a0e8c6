"""Security baseline on every response, cookies bound to their site, CSRF."""

import re

import pytest
from flask import request
from flask.sessions import NullSession

from app import create_app
from config import ProductionSettings


def test_headers_on_a_force_page(client, force_a):
    response = client.get("/", headers={"Host": force_a.host})
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # same-origin, not no-referrer: Flask-WTF needs a Referer on HTTPS form posts
    # (tests/browser/test_https_forms.py); other sites still learn nothing.
    assert response.headers["Referrer-Policy"] == "same-origin"
    # A form posted to /exit is redirected to the neutral site: form-action must allow it.
    assert "form-action 'self' https://www.bbc.co.uk;" in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # development/test: no TLS


def test_every_inline_element_carries_this_requests_nonce(client, force_a):
    first = client.get("/", headers={"Host": force_a.host})
    second = client.get("/", headers={"Host": force_a.host})
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    other = re.search(r"'nonce-([^']+)'", second.headers["Content-Security-Policy"]).group(1)
    assert nonce != other
    body = first.get_data(as_text=True)
    inline = re.findall(r"<(script|style)\b([^>]*)>", body)
    assert inline, "the page has its brand style and bootstrap script"
    for _tag, attributes in inline:
        assert f'nonce="{nonce}"' in attributes


def test_session_cookie_is_host_only_httponly_lax(client, central):
    response = client.get("/language/cy?next=/", headers={"Host": central.host})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def _session_cookie(client, host):
    client.get("/language/cy?next=/", headers={"Host": host})
    cookie = client.get_cookie("tmc_session", domain=host)
    assert cookie is not None
    return cookie.value


@pytest.mark.parametrize("other_host", ["kent.localhost", "localhost"])
def test_a_session_from_one_force_is_rejected_on_another(app, client, other_host):
    value = _session_cookie(client, "dyfed-powys.localhost")
    for host, expected in (("dyfed-powys.localhost", {"lang": "cy"}), (other_host, {})):
        with app.test_request_context(
            "/", headers={"Host": host, "Cookie": f"tmc_session={value}"}
        ):
            session = app.session_interface.open_session(app, request)
            assert {k: v for k, v in session.items() if not k.startswith("_")} == expected


def test_post_without_csrf_token_is_refused(client, force_a):
    response = client.post("/exit", headers={"Host": force_a.host})
    assert response.status_code == 400


def test_language_switch_refuses_unknown_languages_and_offsite_redirects(client, force_b, force_a):
    assert client.get("/language/fr", headers={"Host": force_b.host}).status_code == 404
    assert client.get("/language/cy", headers={"Host": force_a.host}).status_code == 404
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", "\\\\evil"):
        response = client.get(
            "/language/en", query_string={"next": target}, headers={"Host": force_b.host}
        )
        assert response.headers["Location"] == "/"


def test_production_adds_hsts_and_secure_host_prefixed_cookies(settings, services):
    production = ProductionSettings(
        secret_key="p" * 40,
        secrets_key="Q7xXn3o1Yk8m2Jb5r0sVtW4cZ6dEf9gH1iJ2kL3mN4o=",
        smtp_url="smtp://127.0.0.1:1",
        database_url=services.app_url,
        redis_url="redis://127.0.0.1:1/0",
        base_domain="localhost",
        db_role_prefix=settings.db_role_prefix,
    )
    app = create_app(production)
    client = app.test_client()
    response = client.get("/language/cy", headers={"Host": "localhost"})
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-tmc=") and "Secure" in cookie and "Domain" not in cookie


def test_error_responses_are_never_cached_static_404_included(client, force_a):
    missing = client.get("/static/css/missing.css", headers={"Host": force_a.host})
    assert missing.status_code == 404
    assert missing.headers["Cache-Control"] == "no-store"
    found = client.get("/static/css/app.css", headers={"Host": force_a.host})
    assert found.status_code == 200
    assert found.headers.get("Cache-Control") != "no-store", "assets stay cacheable"
    found.close()


HOSTILE_NEXT = [
    "/\r\nSet-Cookie: x=1",
    "/\n",
    "/\t/evil.example",
    "/\\evil.example",
    "/\\\\evil.example",
    "\\\\evil",
    "//evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5C%5Cevil.example",
    "/%0d%0aSet-Cookie:%20x=1",
    "/%09/evil.example",
    "/\x00",
    "/\x7f",
    " /",
    "/ /evil.example",
    "/\u00e9",
    "/" + "a" * 2000,
    "https://evil.example/",
    "javascript:alert(1)",
    "",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_malformed_next_goes_home_and_never_500s(client, force_b, target):
    response = client.get(
        "/language/cy", query_string={"next": target}, headers={"Host": force_b.host}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_next_on_this_site_is_kept(client, force_b):
    target = "/case/3f1c/messages?page=2"
    response = client.get(
        "/language/cy", query_string={"next": target}, headers={"Host": force_b.host}
    )
    assert response.headers["Location"] == target


def test_an_unknown_host_never_opens_the_session(app, client):
    value = _session_cookie(client, "dyfed-powys.localhost")
    headers = {"Host": "evil.example", "Cookie": f"tmc_session={value}"}
    with app.test_request_context("/", headers=headers):
        assert isinstance(app.session_interface.open_session(app, request), NullSession)
    response = client.get("/", headers=headers)
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers
