"""Hostile and mistaken input on every administration form and search: NUL and other
control characters, markup, 100 KB answers, replacement characters from invalid UTF-8.
Each is refused with a GOV.UK error (never a 500), typed markup comes back escaped, and
nothing is written: not the registry, not any force table (only the trail's own rows)."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from sqlalchemy import text

from tests.factories import CaseFactory, SupportServiceFactory
from tests.integration.admin.support import as_admin, get
from tests.support.officers import csrf_token, host

HOSTILE = {
    "nul": "Kent\x00Police",
    "bell": "Kent\x07Police",
    "markup": "<script>alert('x')</script>",
    "huge": "K" * 100_000,
    "replacement": "Kent \ufffd\ufffd Police",
}
FORMS = [
    "/admin/settings/branding",
    "/admin/settings/contact",
    "/admin/settings/language",
    "/admin/settings/casework",
    "/admin/settings/notifications",
    "/admin/settings/sign-in",
    "/admin/retention",
    "/admin/support-directory/new",
    "/admin/support-directory/{service}",
    "/admin/cases/{case}/legal-hold",
]
SEARCHES = [
    "/admin/audit?person={v}&record={v}",
    "/admin/cases?q={v}",
    "/admin/subject-access?q={v}",
]
_FIELD = re.compile(r'<(?:input|textarea)[^>]*\bname="([^"]+)"[^>]*>', re.S)


def state(admin_engine) -> str:
    """The registry rows and every Kent table but the audit trail, as one string."""
    with admin_engine.connect() as conn:
        names = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 't_kent' "
                "AND tablename <> 'audit_event' ORDER BY 1"
            )
        ).scalars()
        parts = [
            str(
                conn.execute(
                    text(f'SELECT array_agg(t::text ORDER BY t::text) FROM t_kent."{n}" t')
                ).scalar()
            )
            for n in list(names)
        ]
        parts.append(
            str(
                conn.execute(
                    text("SELECT array_agg(t::text ORDER BY slug) FROM public.tenant t")
                ).scalar()
            )
        )
    return "|".join(parts)


@pytest.fixture
def objects(app):
    with app.app_context():
        return {
            "service": SupportServiceFactory(force="kent").id,
            "case": CaseFactory(force="kent", crime_reference="46/1/26").id,
        }


def text_fields(html: str) -> list[str]:
    types = dict(re.findall(r'name="([^"]+)"[^>]*type="([^"]+)"', html))
    types.update(
        {name: kind for kind, name in re.findall(r'type="([^"]+)"[^>]*name="([^"]+)"', html)}
    )
    return sorted(
        {
            name
            for name in _FIELD.findall(html)
            if name != "csrf_token"
            and types.get(name) not in ("radio", "checkbox", "file", "submit")
        }
    )


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("path", FORMS)
def test_hostile_answers_are_refused_and_nothing_is_written(
    app, client, admin_engine, objects, path, value
):
    as_admin(app, client)
    url = path.format(**objects)
    page = get(client, url).text
    fields = text_fields(page)
    before = state(admin_engine)
    data = {name: value for name in fields}
    response = client.post(url, headers=host("kent"), data={"csrf_token": csrf_token(page), **data})
    assert response.status_code in (200, 400), (url, response.status_code)
    if fields:
        assert 'class="govuk-error-summary' in response.text or response.status_code == 400
    assert "<script>alert" not in response.text
    assert "\x00" not in response.text
    assert state(admin_engine) == before


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("search", SEARCHES)
def test_hostile_searches_are_answered_without_a_500(app, client, search, value):
    as_admin(app, client)
    url = search.format(v=urllib.parse.quote(value[:3000]))
    response = client.get(url, headers=host("kent"))
    assert response.status_code == 200, (url, response.status_code)
    assert "<script>alert" not in response.text and "\x00" not in response.text


def test_a_radio_or_checkbox_answer_that_is_not_an_option_is_refused(app, client, objects):
    as_admin(app, client)
    cases = [
        ("/admin/settings/language", {"welsh": "maybe"}, "Select yes or no"),
        (
            "/admin/settings/notifications",
            {"provider": "carrier-pigeon"},
            "Select how email is sent",
        ),
        (f"/admin/cases/{objects['case']}/legal-hold", {"hold": "forever"}, "Select yes or no"),
        ("/admin/settings/offences", {"offered": ["burglary", "arson'--"]}, "from the list"),
    ]
    for url, data, message in cases:
        page = get(client, url).text
        response = client.post(
            url, headers=host("kent"), data={"csrf_token": csrf_token(page), **data}
        )
        assert response.status_code == 200 and message in response.text, url


def test_no_csrf_token_is_a_400_and_writes_nothing(app, client, admin_engine):
    as_admin(app, client)
    before = state(admin_engine)
    for url in ("/admin/settings/language", "/admin/retention/dispose", "/admin/settings/logo"):
        response = client.post(url, headers=host("kent"), data={"welsh": "yes"})
        assert response.status_code == 400, url
    assert state(admin_engine) == before
