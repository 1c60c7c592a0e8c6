"""A small HTTP client on the standard library, for driving OpenID providers in tests.

It keeps cookies, never follows a redirect by itself (a test wants to see each hop,
and the last one goes to the relying party, which may not be listening), never uses a
proxy (loopback only) and returns error statuses instead of raising.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit
from urllib.request import (
    HTTPCookieProcessor,
    HTTPRedirectHandler,
    ProxyHandler,
    Request,
    build_opener,
)


@dataclass(frozen=True)
class HttpResponse:
    status: int
    url: str
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def location(self) -> str | None:
        """The redirect target, made absolute."""
        found = self.headers.get("Location")
        return urljoin(self.url, found) if found else None

    def forms(self) -> list[Form]:
        parser = _FormParser(self.url)
        parser.feed(self.text)
        return parser.forms


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str]


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class HttpClient:
    """One user agent: one cookie jar."""

    def __init__(self, timeout: float = 10) -> None:
        self.cookies = CookieJar()
        self.timeout = timeout
        self._opener = build_opener(
            ProxyHandler({}), HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def get(self, url: str, headers: dict[str, str] | None = None) -> HttpResponse:
        return self._send("GET", url, None, headers or {})

    def post(
        self, url: str, data: dict[str, str], headers: dict[str, str] | None = None
    ) -> HttpResponse:
        body = urlencode(data).encode()
        all_headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self._send("POST", url, body, all_headers)

    def submit(self, form: Form, **values: str) -> HttpResponse:
        data = {**form.fields, **values}
        if form.method == "get":
            return self.get(f"{form.action}?{urlencode(data)}")
        return self.post(form.action, data)

    def _send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> HttpResponse:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) URL: {url}")
        request = Request(url, data=body, headers=headers, method=method)  # noqa: S310 - checked
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return HttpResponse(answer.status, request.full_url, answer.headers, answer.read())
        except HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            with error:
                return HttpResponse(error.code, request.full_url, error.headers, error.read())


def basic_auth(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def query_of(url: str) -> dict[str, str]:
    """A URL's query parameters (single-valued)."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


class _FormParser(HTMLParser):
    """Every <form> with its action (absolute), method and named inputs' values."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = urljoin(self.base_url, found.get("action") or self.base_url)
            self.forms.append(Form(action, found.get("method", "get").lower(), {}))
        elif tag == "input" and self.forms and found.get("name") and _is_field(found):
            self.forms[-1].fields[found["name"]] = found.get("value", "")


def _is_field(attributes: dict[str, str]) -> bool:
    """An input whose value a form sends whatever the user presses (not a button)."""
    return attributes.get("type") not in ("submit", "button", "image")
