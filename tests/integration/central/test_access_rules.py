"""Operators never reach a force's site; officers and victims never reach the console.

Walked from the URL map: every central and console route answers 404 on a force's host
(whoever asks), every console route turns away everyone but a signed-in operator, and
neither kind of session means anything on the other kind of site.
"""

from __future__ import annotations

import uuid

import pytest

from app.auth.access import ACCESS_ATTRIBUTE
from app.central import operators
from tenants.extension import tenancy
from tests.factories import OperatorFactory, SignedInSessionFactory
from tests.support.officers import as_officer, csrf_token, host
from tests.support.operators import CENTRAL_HOST, as_operator
from tests.support.victims import as_victim

COOKIE = "tmc_session"
_VALUES = {"token": "x" * 43, "slug": "kent", "action": "suspend", "queue_name": "maintenance"}


def _central_routes(app, blueprints=("central", "console")):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.partition(".")[0] in blueprints:
            values = {
                name: uuid.uuid4() if name.endswith("_id") else _VALUES[name]
                for name in rule.arguments
            }
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule, method, app.url_map.bind("localhost").build(rule.endpoint, values)


def _operator_routes(app):
    for rule, method, url in _central_routes(app, ("console",)):
        if getattr(app.view_functions[rule.endpoint], ACCESS_ATTRIBUTE) == "operator":
            yield rule, method, url


@pytest.mark.parametrize("who", ["anonymous", "officer", "victim"])
def test_every_central_route_is_a_404_on_a_forces_site(app, who):
    client = app.test_client()
    if who == "officer":
        as_officer(app, client, "kent", role="admin")
    elif who == "victim":
        as_victim(app, client, "kent")
    # A real CSRF token of this force's session, so posts reach the site check itself.
    token = csrf_token(client.get("/sign-in", headers=host("kent"), follow_redirects=True).text)
    answers = {
        f"{method} {url}": client.open(
            url, method=method, headers=host("kent"), data={"csrf_token": token}
        ).status_code
        for _, method, url in _central_routes(app)
    }
    assert answers and set(answers.values()) == {404}, answers


def test_the_console_turns_away_anyone_not_signed_in(app, client):
    answers = {
        f"{method} {url}": client.open(url, method=method, headers=CENTRAL_HOST)
        for _, method, url in _operator_routes(app)
    }
    assert len(answers) >= 10
    for name, response in answers.items():
        if name.startswith("GET"):
            assert response.status_code == 302, name
            assert response.headers["Location"].endswith("/console/sign-in"), name
        else:  # no CSRF token: refused before the access rule is even asked
            assert response.status_code in (302, 400), name


@pytest.mark.parametrize("kind", ["officer", "victim"])
def test_an_officers_or_victims_cookie_opens_nothing_on_the_console(app, client, kind):
    signed_in = as_officer if kind == "officer" else as_victim
    signed_in(app, client, "kent")
    assert client.get("/", headers=host("kent")).status_code == 200
    stolen = client.get_cookie(COOKIE, domain="kent.localhost").value

    elsewhere = app.test_client()
    elsewhere.set_cookie(COOKIE, stolen, domain="localhost")
    for _, method, url in _operator_routes(app):
        if method == "GET":
            answer = elsewhere.get(url, headers=CENTRAL_HOST)
            assert answer.status_code == 302, url


@pytest.mark.parametrize("kind", ["officer", "victim"])
def test_a_forged_central_session_naming_an_officer_or_victim_is_nobody(app, client, kind):
    """Even signed correctly for the central site, only an operator loads there."""
    with client.session_transaction(headers=CENTRAL_HOST) as session:
        session["_user_id"] = f"{kind}:{uuid.uuid4()}"
        session["sid"] = str(uuid.uuid4())
    assert client.get("/console/", headers=CENTRAL_HOST).status_code == 302


def test_an_operators_cookie_opens_nothing_on_a_forces_site(app, client):
    as_operator(app, client)
    assert client.get("/console/", headers=CENTRAL_HOST).status_code == 200
    stolen = client.get_cookie(COOKIE, domain="localhost").value

    elsewhere = app.test_client()
    elsewhere.set_cookie(COOKIE, stolen, domain="kent.localhost")
    assert elsewhere.get("/console/", headers=host("kent")).status_code == 404
    caseload = elsewhere.get("/officer/", headers=host("kent"))
    assert caseload.status_code == 302 and "/officer/sign-in" in caseload.headers["Location"]


def test_an_operator_session_forged_for_a_forces_site_is_nobody(app, client):
    """A force-bound cookie that names an operator (with a live row in the force's own
    session table) signs nobody in: operators load on the central site only."""
    with app.app_context():
        operator = OperatorFactory()
        row = SignedInSessionFactory(force="kent", user_kind="operator", user_id=operator.id)
    with client.session_transaction(headers=host("kent")) as session:
        session["_user_id"] = f"operator:{operator.id}"
        session["sid"] = str(row.id)
    caseload = client.get("/officer/", headers=host("kent"))
    assert caseload.status_code == 302 and "/officer/sign-in" in caseload.headers["Location"]
    with app.test_request_context("/", headers=host("kent")):
        assert operators.load_operator(str(operator.id)) is None


def test_exit_this_page_works_on_a_paused_forces_site_with_a_session(app, client, admin_engine):
    """app.auth.signin has no session table on a paused site (no force is bound there):
    Exit this page must still leave, not fail looking for the force's sessions."""
    as_officer(app, client, "kent")
    with admin_engine.begin() as conn:
        conn.exec_driver_sql("UPDATE public.tenant SET status = 'suspended' WHERE slug = 'kent'")
    with app.app_context():
        tenancy().registry.invalidate()
    assert client.get("/", headers=host("kent")).status_code == 503
    left = client.get("/exit", headers=host("kent"))
    assert left.status_code == 302 and left.headers["Location"].startswith("https://")
