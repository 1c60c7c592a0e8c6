"""Helpers for the central site's tests: forms with their CSRF token, the applicant's
answers, links from the central outbox, operator sign-in through the demo provider."""

from __future__ import annotations

import urllib.parse
from typing import Any

from sqlalchemy import Engine, text

from app.demo_idp import DEMO_OPERATOR_EMAIL, demo_client_id, demo_client_secret, demo_password
from tests.support.officers import csrf_token, provider_sign_in
from tests.support.operators import CENTRAL_HOST

APPLICANT_EMAIL = "applicant@north-yorkshire.police.example"
ADMIN_EMAIL = "admin@north-yorkshire.police.example"


def post_form(
    client: Any, path: str, data: dict[str, str], host: dict[str, str] = CENTRAL_HOST
) -> Any:
    """GET path for its CSRF token, then POST data to it (no redirects followed)."""
    page = client.get(path, headers=host)
    assert page.status_code == 200, (path, page.status_code)
    return client.post(path, headers=host, data={"csrf_token": csrf_token(page.text), **data})


def answer(client: Any, page: str, data: dict[str, str]) -> Any:
    """Answer one question page; the response (a redirect when the answer was taken)."""
    return post_form(client, f"/apply/{page}", data)


def answers(
    slug: str, name: str, issuer: str, issuer_slug: str
) -> list[tuple[str, dict[str, str]]]:
    """Every question page and a good answer for it, in order."""
    return [
        ("force-name", {"force_name": name}),
        ("web-address", {"slug": slug}),
        ("your-name", {"contact_name": "Sam Applicant"}),
        ("your-email", {"contact_email": APPLICANT_EMAIL}),
        ("colour", {"colour": "#1d5c3a"}),
        (
            "identity-provider",
            {
                "issuer": issuer,
                "client_id": demo_client_id(issuer_slug),
                "client_secret": demo_client_secret(issuer_slug),
                "submit": "Continue",
            },
        ),
        ("administrator", {"admin_email": ADMIN_EMAIL}),
        ("welsh", {"welsh": "no"}),
        ("agreement", {"accept": "y"}),
    ]


def answer_everything(client: Any, slug: str, name: str, issuer: str, issuer_slug: str) -> None:
    for page, data in answers(slug, name, issuer, issuer_slug):
        response = answer(client, page, data)
        assert response.status_code == 302, (page, response.text[:3000])


def newest_link(admin_engine: Engine) -> str:
    """The link path of the newest central mail (the applicant's confirmation link)."""
    with admin_engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT link_path FROM public.central_outbox_message ORDER BY created_at DESC "
                "LIMIT 1"
            )
        ).scalar()
    assert found, "no central mail was written"
    return str(found)


def use_link(client: Any, path: str) -> Any:
    """Open an emailed link and press its button, as the applicant would."""
    return post_form(client, path, {})


def count(admin_engine: Engine, table: str, where: str = "true") -> int:
    with admin_engine.connect() as conn:
        return int(
            conn.execute(text(f"SELECT count(*) FROM public.{table} WHERE {where}")).scalar_one()
        )


def operator_sign_in(client: Any, username: str = "operator") -> Any:
    """The operator's whole sign-in through the demo provider; the app's last answer."""
    start = client.get("/console/sign-in/start", headers=CENTRAL_HOST)
    assert start.status_code == 302, start.text[:2000]
    callback = provider_sign_in(
        start.headers["Location"], username, demo_password("central", username)
    )
    parts = urllib.parse.urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}", headers=CENTRAL_HOST)


def create_operator(app: Any, email: str = DEMO_OPERATOR_EMAIL) -> Any:
    result = app.test_cli_runner().invoke(args=["operators", "create", email])
    assert result.exit_code == 0, result.output
    return result
