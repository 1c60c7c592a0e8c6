"""Only force administrators reach /admin: officers and supervisors are told nothing is
there (404, as for a missing page), victims too; a signed-out visitor is sent to the
officers' sign-in. Driven from the URL map, so a new admin route is covered at once."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from werkzeug.routing import Rule

from app.auth.access import ACCESS_ATTRIBUTE
from tests.integration.admin.support import as_admin
from tests.support.officers import as_officer, csrf_token, host
from tests.support.victims import as_victim


def admin_rules(app: Any) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")),
        key=lambda rule: rule.rule,
    )


def _url(app: Any, rule: Rule) -> str:
    ids = {name: uuid.uuid4() for name in rule.arguments}
    return app.url_map.bind("kent.localhost").build(rule.endpoint, ids)


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def _ask(app: Any, client: Any, token: str | None) -> dict[str, int]:
    answers = {}
    for rule in admin_rules(app):
        for method in _methods(rule):
            data = {"csrf_token": token} if token and method == "POST" else None
            response = client.open(_url(app, rule), method=method, headers=host("kent"), data=data)
            answers[f"{method} {rule.rule}"] = response.status_code
    return answers


def test_every_admin_route_has_the_admin_rule(app):
    rules = admin_rules(app)
    assert len(rules) > 20
    labels = {getattr(app.view_functions[r.endpoint], ACCESS_ATTRIBUTE) for r in rules}
    assert labels == {"officer:admin"}


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_other_officers_are_told_nothing_is_there(app, client, role):
    as_officer(app, client, "kent", role=role)
    token = csrf_token(client.get("/officer/", headers=host("kent")).text)
    answers = _ask(app, client, token)
    assert set(answers.values()) == {404}, answers


def test_victims_are_told_nothing_is_there(app, client):
    as_victim(app, client, "kent")
    token = csrf_token(client.get("/contact-preferences", headers=host("kent")).text)
    answers = _ask(app, client, token)
    assert set(answers.values()) == {404}, answers


def test_signed_out_visitors_are_sent_to_the_officers_sign_in(app, client):
    for rule in admin_rules(app):
        if "GET" in _methods(rule):
            response = client.get(_url(app, rule), headers=host("kent"))
            assert response.status_code == 302, rule.rule
            assert "/officer/sign-in" in response.headers["Location"]


def test_an_administrator_reaches_every_page_without_an_id(app, client):
    as_admin(app, client)
    pages = [r for r in admin_rules(app) if "GET" in _methods(r) and not r.arguments]
    for rule in pages:
        response = client.get(rule.rule, headers=host("kent"))
        assert response.status_code == 200, (rule.rule, response.status_code)


def test_an_administrator_of_another_force_is_a_stranger_here(app, client):
    as_admin(app, client, "dyfed-powys")
    response = client.get("/admin/", headers=host("kent"))
    assert response.status_code == 302  # not signed in on Kent at all
    assert "/officer/sign-in" in response.headers["Location"]
