"""HTML validity for every page the tests fetch."""

from __future__ import annotations

import html5lib
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def assert_valid_html(text: str) -> None:
    """Fail on any WHATWG parse error (unclosed tags, stray end tags, bad nesting…),
    on duplicate ids, and on a page without a language or a title."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(text)
    except html5lib.html5parser.ParseError as error:
        line, col = parser.errors[0][0] if parser.errors else ("?", "?")
        snippet = text.splitlines()[line - 1].strip()[:160] if isinstance(line, int) else ""
        raise AssertionError(f"invalid HTML at {line}:{col}: {error} | {snippet}") from None
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert document.get("lang"), "<html> has no lang attribute"
    title = document.find("head/title")
    assert title is not None and (title.text or "").strip(), "the page has no <title>"


class ValidatingClient(FlaskClient):
    """A test client that checks every HTML response it receives is valid HTML."""

    def open(self, *args, **kwargs) -> TestResponse:  # type: ignore[override]
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code != 304:
            assert_valid_html(response.get_data(as_text=True))
        return response
