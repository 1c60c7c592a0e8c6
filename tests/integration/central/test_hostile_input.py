"""Hostile and mistaken answers on every application field: each gets a clear GOV.UK
message (in the error summary and by the field), is shown back escaped, and changes
nothing: no application is made by a bad first answer, no later answer is stored.

Identity-provider URLs that point at our own network (loopback, private, link-local,
cloud metadata, IPv6 loopback, internal names) are refused before any connection is
made: a listener on loopback proves nothing ever knocked.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.central import connection
from tests.integration.central.support import answer, count, post_form
from tests.support.operators import CENTRAL_HOST, as_operator

TEN_KB = "x" * 10 * 1024
SCRIPT = "<script>alert(1)</script>"


def _column(admin_engine, column):
    with admin_engine.connect() as conn:
        return conn.execute(text(f"SELECT {column} FROM public.force_application")).scalar()


def _refused(response, message):
    assert response.status_code == 200, response.status_code
    body = response.text
    assert 'class="govuk-error-summary' in body and message in body, body[:4000]
    assert "<script>alert(1)" not in body  # whatever was typed is escaped when shown back


FORCE_NAMES = [
    ("", "Enter your police force's name"),
    ("   ", "Enter your police force's name"),
    ("<b>Kent</b>", "Force name must only include letters"),
    (SCRIPT, "Force name must only include letters"),
    (TEN_KB, "Force name must be 2 to 120 characters"),
    ("Kent\x00Police", "Remove the special characters"),
    ("Kent\x1b[31mPolice", "Remove the special characters"),
    ("javascript:alert(1)", "Force name must only include letters"),
    ("K", "Force name must be 2 to 120 characters"),
    ("Kent_Police", "Force name must only include letters"),
]


@pytest.mark.parametrize(("value", "message"), FORCE_NAMES)
def test_a_bad_first_answer_makes_no_application(client, admin_engine, value, message):
    _refused(answer(client, "force-name", {"force_name": value}), message)
    assert count(admin_engine, "force_application") == 0


@pytest.fixture
def draft(client):
    assert answer(client, "force-name", {"force_name": "Test Police"}).status_code == 302


CYRILLIC_E = "k\u0435nt-police"  # U+0435 is Cyrillic: it looks like "kent-police"
SLUGS = [
    ("", "Enter the first part of your site's web address"),
    (CYRILLIC_E, "Web address must only include lower-case letters a to z"),
    ("\uff4b\uff45\uff4e\uff54", "Web address must only include lower-case letters a to z"),
    ("\u212aent-police", "Web address must only include lower-case letters a to z"),  # Kelvin K
    ("kent\u200bpolice", "Web address must only include lower-case letters a to z"),  # ZWSP
    ("caf\u00e9-police", "Web address must only include lower-case letters a to z"),
    ("<b>x</b>", "Web address must only include lower-case letters a to z"),
    (SCRIPT, "Web address must only include lower-case letters a to z"),
    (TEN_KB, "Web address must be 40 characters or fewer"),
    ("javascript:alert(1)", "Web address must only include lower-case letters a to z"),
    ("kent.police", "Web address must only include lower-case letters a to z"),
    ("kent\x00", "Remove the special characters"),
    ("www", "That web address is reserved"),
    ("central", "That web address is reserved"),
]


@pytest.mark.parametrize(("value", "message"), SLUGS)
def test_web_address(client, admin_engine, draft, value, message):
    _refused(answer(client, "web-address", {"slug": value}), message)
    assert _column(admin_engine, "slug") is None


NAMES = [
    ("", "Enter your name"),
    (SCRIPT, "Remove the &lt; and &gt; characters"),
    ("<img src=x onerror=alert(1)>", "Remove the &lt; and &gt; characters"),
    (TEN_KB, "Your name must be 120 characters or fewer"),
    ("Sam\x00", "Remove the special characters"),
    ("Sam\r\nBcc: x@y.z", "Remove the special characters"),
]


@pytest.mark.parametrize(("value", "message"), NAMES)
def test_contact_name(client, admin_engine, draft, value, message):
    _refused(answer(client, "your-name", {"contact_name": value}), message)
    assert _column(admin_engine, "contact_name") is None


EMAILS = [
    ("", "Enter your email address"),
    ("not-an-address", "Enter an email address in the correct format"),
    ("a@b", "Enter an email address in the correct format"),
    ("<script>@police.example", "Enter an email address in the correct format"),
    ("javascript:alert(1)@x.com", "Enter an email address in the correct format"),
    ("t\u00e9st@police.example", "Enter an email address in the correct format"),
    ("sam@police.example\r\nBcc: all@example.com", "Remove the special characters"),
    ("sam@police.example\nBcc: all@example.com", "Remove the special characters"),
    ("sam@police.example?cc=x@y.z", "Enter an email address in the correct format"),
    (TEN_KB + "@police.example", "Email address must be 254 characters or fewer"),
]


@pytest.mark.parametrize(("value", "message"), EMAILS)
def test_contact_email_sends_nothing(client, admin_engine, draft, value, message):
    _refused(answer(client, "your-email", {"contact_email": value}), message)
    assert _column(admin_engine, "contact_email") is None
    assert count(admin_engine, "central_outbox_message") == 0


@pytest.mark.parametrize(("value", "message"), EMAILS)
def test_administrator_email(client, admin_engine, draft, value, message):
    missing = "Enter your first force administrator's email address"
    expected = missing if message == "Enter your email address" else message
    _refused(answer(client, "administrator", {"admin_email": value}), expected)
    assert _column(admin_engine, "admin_email") is None


COLOURS = [
    ("", "Enter a colour, like #1d70b8"),
    ("red", "Enter a colour as # and 6 letters or numbers"),
    ("#fff", "Enter a colour as # and 6 letters or numbers"),
    ("#ffffff", "White text on #ffffff has a contrast ratio of 1.00:1"),
    ("#1d70b8;}body{display:none", "Enter a colour as # and 6 letters or numbers"),
    ("javascript:alert(1)", "Enter a colour as # and 6 letters or numbers"),
    (SCRIPT, "Enter a colour as # and 6 letters or numbers"),
    (TEN_KB, "Enter a colour as # and 6 letters or numbers"),
    ("#\uff11\uff12\uff13\uff14\uff15\uff16", "Enter a colour as # and 6 letters or numbers"),
]


@pytest.mark.parametrize(("value", "message"), COLOURS)
def test_colour(client, admin_engine, draft, value, message):
    _refused(answer(client, "colour", {"colour": value}), message)
    assert _column(admin_engine, "colour") is None


def _provider(issuer="https://login.example.com/tenant/v2.0", client_id="c", secret="s"):
    return {"issuer": issuer, "client_id": client_id, "client_secret": secret}


IDP_FIELDS = [
    (_provider(issuer=""), "Enter your identity provider's issuer URL"),
    (_provider(issuer="javascript:alert(1)"), "Issuer URL must start with https://"),
    (_provider(issuer="data:text/html,<script>alert(1)</script>"), "must start with https://"),
    (_provider(issuer="ftp://login.example.com/"), "Issuer URL must start with https://"),
    (_provider(issuer="http://login.example.com/"), "Issuer URL must start with https://"),
    (_provider(issuer="https://user:pw@login.example.com/"), "exactly as your provider gives"),
    (_provider(issuer="https://login.example.com/?x=1"), "exactly as your provider gives it"),
    (_provider(issuer="https://login.example.com/#x"), "exactly as your provider gives it"),
    (_provider(issuer="https://login example.com/"), "exactly as your provider gives it"),
    (_provider(issuer="https://" + TEN_KB), "Issuer URL must be 300 characters or fewer"),
    (_provider(client_id=""), "Enter the client ID"),
    (_provider(client_id=SCRIPT), "Client ID must only include letters, numbers and symbols"),
    (_provider(client_id="my client"), "Client ID must only include letters, numbers and"),
    (_provider(client_id=TEN_KB), "Client ID must be 200 characters or fewer"),
    (_provider(secret=""), "Enter the client secret"),
    (_provider(secret=TEN_KB), "Client secret must be 500 characters or fewer"),
    (_provider(secret="s\x00"), "Remove the special characters"),
]


@pytest.mark.parametrize(("data", "message"), IDP_FIELDS)
def test_identity_provider_fields(client, admin_engine, draft, data, message):
    _refused(answer(client, "identity-provider", data), message)
    assert _column(admin_engine, "idp_issuer") is None
    assert _column(admin_engine, "idp_client_secret_sealed") is None


@pytest.fixture
def knocks() -> Iterator[tuple[int, list[object]]]:
    """A listener on loopback: (its port, every connection it accepted)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept())
            except TimeoutError:
                continue

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join(timeout=2)
    server.close()


PRIVATE = "That address is on a private or internal network"
INTERNAL_ISSUERS = [
    ("https://127.0.0.1:{port}/", PRIVATE),
    ("https://localhost:{port}/", PRIVATE),
    ("https://localhost.:{port}/", "We could not find that host name"),
    ("https://2130706433:{port}/", PRIVATE),  # 127.0.0.1 as one number
    ("https://0x7f000001:{port}/", PRIVATE),
    ("https://127.1:{port}/", PRIVATE),
    ("https://[::1]:{port}/", PRIVATE),
    ("https://[::ffff:127.0.0.1]:{port}/", PRIVATE),
    ("https://169.254.169.254/latest/meta-data/", PRIVATE),  # cloud metadata
    ("https://[fd00:ec2::254]/", PRIVATE),  # AWS metadata over IPv6
    ("https://10.0.0.1/", PRIVATE),
    ("https://192.168.1.1/", PRIVATE),
    ("https://172.16.0.1/", PRIVATE),
    ("https://100.64.0.1/", PRIVATE),  # carrier-grade NAT
    ("https://0.0.0.0:{port}/", PRIVATE),
    ("https://metadata.google.internal/", "We could not find that host name"),
    ("https://db.internal.invalid/", "We could not find that host name"),
]


@pytest.mark.parametrize(("issuer", "message"), INTERNAL_ISSUERS)
def test_an_issuer_on_our_own_network_is_refused_without_a_connection(
    client, admin_engine, draft, knocks, issuer, message
):
    port, accepted = knocks
    url = issuer.format(port=port)
    for action in ("test", "submit"):  # Test connection and Continue alike
        data = {**_provider(issuer=url), action: "x"}
        _refused(answer(client, "identity-provider", data), message)
    assert accepted == [], "the application connected to an address on our own network"
    assert _column(admin_engine, "idp_issuer") is None


def test_welsh_answer_must_be_one_of_the_choices(client, admin_engine, draft):
    for value in ({}, {"welsh": "maybe"}, {"welsh": SCRIPT}, {"welsh": TEN_KB}):
        _refused(answer(client, "welsh", value), "Select yes if you want your site in Welsh")
    assert _column(admin_engine, "welsh_enabled") is None


def test_the_agreement_must_be_accepted(client, admin_engine, draft):
    _refused(answer(client, "agreement", {}), "Accept the data processing agreement to continue")
    assert _column(admin_engine, "agreement_accepted_at") is None


def test_a_missing_csrf_token_is_refused_and_makes_nothing(client, admin_engine):
    response = client.post("/apply/force-name", headers=CENTRAL_HOST, data={"force_name": "X X"})
    assert response.status_code == 400
    assert count(admin_engine, "force_application") == 0


def test_a_search_for_a_force_is_shown_back_escaped(client):
    for search in (SCRIPT, TEN_KB, "kent\x00\x1b", "\u212aent"):
        page = client.get(
            "/find-your-police-force", headers=CENTRAL_HOST, query_string={"search": search}
        )
        assert page.status_code == 200 and "<script>alert(1)" not in page.text


REASONS = [
    ("", "Enter the reason the application is rejected"),
    ("   ", "Enter the reason the application is rejected"),
    (TEN_KB, "The reason must be 1,000 characters or fewer"),
    ("No\x00", "Remove the special characters"),
]


@pytest.mark.parametrize(("value", "message"), REASONS)
def test_reject_reason(app, client, admin_engine, submitted_application, value, message):
    as_operator(app, client)
    path = f"/console/applications/{submitted_application}/reject"
    _refused(post_form(client, path, {"reason": value}), message)
    assert _column(admin_engine, "status") == "submitted"


GOOD_ENDPOINTS = {
    "authorization_endpoint": "https://93.184.215.14/authorize",
    "token_endpoint": "https://93.184.215.14/token",
    "jwks_uri": "https://93.184.215.14/keys",
}


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("jwks_uri", "https://169.254.169.254/latest/meta-data/"),
        ("token_endpoint", "https://127.0.0.1/token"),
        ("token_endpoint", "https://[::1]/token"),
        ("jwks_uri", "http://93.184.215.14/keys"),
        ("authorization_endpoint", "javascript:alert(1)"),
        ("jwks_uri", "https://10.1.2.3/keys"),
        ("jwks_uri", ""),
    ],
)
def test_a_discovery_document_may_not_point_at_our_own_network(app, name, url):
    """Officer sign-in fetches keys and tokens from these later: they are checked now."""
    with app.test_request_context("/", headers=CENTRAL_HOST):
        assert connection.endpoint_problem(GOOD_ENDPOINTS) is None
        problem = connection.endpoint_problem({**GOOD_ENDPOINTS, name: url})
    assert problem is not None and "public https address" in problem
