"""Who may use which officer route: every officers.* endpoint by every kind of visitor.

The visitors are Kent's: nobody signed in, an officer, a supervisor and an admin of the
case's team (none of them its officer in charge), and an officer of another team. The
case, its victim, event, message and property item belong to Team A. A new officers.*
route fails test_every_officer_route_has_a_row until its row is added here.

An officer of force B asking for a force A object is the generic cross-force test's
(tests/architecture); this table is about roles and teams within one force.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    CaseVictimFactory,
    MessageFactory,
    OfficerFactory,
    PropertyItemFactory,
    VictimFactory,
)
from tests.integration.officers.support import page_token
from tests.support.officers import as_officer, host

VISITORS = ("anonymous", "officer", "supervisor", "admin", "other_team")
TEAM_A, TEAM_B = "Team A", "Team B"
SIGN_IN = "/officer/sign-in"


@dataclass(frozen=True)
class Objects:
    case: Any
    victim: Any
    event: Any
    message: Any
    item: Any

    @property
    def case_path(self) -> str:
        return f"/officer/cases/{self.case.id}"


@dataclass(frozen=True)
class Row:
    """One endpoint: the request that exercises it and the status each visitor gets.

    `where` names the path a 302 must go to, per visitor ("*" for any visitor not
    named); a callable gets the request's objects.
    """

    endpoint: str
    method: str
    path: Callable[[Objects], str]
    expect: dict[str, int]
    data: dict[str, str] = field(default_factory=dict)
    where: dict[str, str | Callable[[Objects], str]] = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(VISITORS, status)


def signed_in(status: int, *, anonymous: int = 302, other_team: int | None = None) -> dict:
    """status for the case's team; anonymous sent to sign in; other_team as given."""
    expect = dict.fromkeys(VISITORS, status)
    expect["anonymous"] = anonymous
    expect["other_team"] = status if other_team is None else other_team
    return expect


def of_the_case(status: int) -> dict[str, int]:
    """A case's own pages: its team gets status, another team the 404 of a missing id."""
    return signed_in(status, other_team=404)


def back_to_case(objects: Objects) -> str:
    return objects.case_path


ANON_TO_SIGN_IN: dict[str, str | Callable[[Objects], str]] = {"anonymous": SIGN_IN}
CASE_ACTION = {"anonymous": SIGN_IN, "*": back_to_case}

ROWS = [
    Row("officers.sign_in_page", "GET", lambda o: SIGN_IN, signed_in(302, anonymous=200),
        where={"*": "/officer/"}),
    Row("officers.start_sign_in", "POST", lambda o: SIGN_IN, everyone(302)),
    Row("officers.callback", "GET", lambda o: "/officer/auth/callback", everyone(302),
        where={"*": "/officer/sign-in/problem"}),
    Row("officers.problem", "GET", lambda o: "/officer/sign-in/problem", everyone(200)),
    Row("officers.sign_out_view", "POST", lambda o: "/officer/sign-out", everyone(302),
        where=ANON_TO_SIGN_IN),
    Row("officers.signed_out", "GET", lambda o: "/officer/signed-out", everyone(200)),
    Row("officers.caseload", "GET", lambda o: "/officer/", signed_in(200), where=ANON_TO_SIGN_IN),
    Row("officers.inbox", "GET", lambda o: "/officer/inbox", signed_in(200),
        where=ANON_TO_SIGN_IN),
    Row("officers.new_case", "GET", lambda o: "/officer/cases/new", signed_in(200),
        where=ANON_TO_SIGN_IN),
    Row("officers.team", "GET", lambda o: "/officer/team",
        {"anonymous": 302, "officer": 403, "supervisor": 200, "admin": 200, "other_team": 403},
        where=ANON_TO_SIGN_IN),
    Row("officers.case_page", "GET", lambda o: o.case_path, of_the_case(200),
        where=ANON_TO_SIGN_IN),
    Row("officers.case_contact", "GET", lambda o: f"{o.case_path}/contact", of_the_case(200),
        where=ANON_TO_SIGN_IN),
    Row("officers.reassign", "GET", lambda o: f"{o.case_path}/reassign", of_the_case(200),
        where=ANON_TO_SIGN_IN),
    Row("officers.close", "GET", lambda o: f"{o.case_path}/close", of_the_case(200),
        where=ANON_TO_SIGN_IN),
    Row("officers.add_victim", "GET", lambda o: f"{o.case_path}/people/new", of_the_case(200),
        where=ANON_TO_SIGN_IN),
    Row("officers.send_invite", "POST", lambda o: f"{o.case_path}/people/{o.victim.id}/invite",
        of_the_case(302), where=CASE_ACTION),
    Row("officers.revoke_invite", "POST", lambda o: f"{o.case_path}/people/{o.victim.id}/revoke",
        of_the_case(302), where=CASE_ACTION),
    Row("officers.turn_off_two_step", "POST",
        lambda o: f"{o.case_path}/people/{o.victim.id}/two-step-off",
        {"anonymous": 302, "officer": 403, "supervisor": 302, "admin": 302, "other_team": 403},
        where=CASE_ACTION),
    Row("officers.new_update", "GET", lambda o: f"{o.case_path}/updates/new", of_the_case(200),
        where=ANON_TO_SIGN_IN),
    Row("officers.publish_update", "POST",
        lambda o: f"{o.case_path}/updates/{o.event.id}/publish", of_the_case(302),
        where=CASE_ACTION),
    Row("officers.reply", "GET", lambda o: f"{o.case_path}/messages/{o.message.id}/reply",
        of_the_case(200), where=ANON_TO_SIGN_IN),
    Row("officers.property_status", "POST", lambda o: f"{o.case_path}/property/{o.item.id}",
        of_the_case(302), data={"status": "recovered"}, where=CASE_ACTION),
]  # fmt: skip
BY_ENDPOINT = {row.endpoint: row for row in ROWS}


def test_every_officer_route_has_a_row(app):
    routes = {
        rule.endpoint: rule.methods - {"HEAD", "OPTIONS"}
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("officers.")
    }
    # The rights routes have their own table (tests/integration/rights/test_officer_roles.py).
    covered = {e for e in routes if app.view_functions[e].__module__.endswith("rights_views")}
    missing = sorted(set(routes) - set(BY_ENDPOINT) - covered)
    assert not missing, f"officer routes with no row in the roles table: {missing}"
    assert not sorted(set(BY_ENDPOINT) - set(routes)), "rows for routes that no longer exist"
    for endpoint, methods in routes.items():
        if endpoint not in covered:
            assert BY_ENDPOINT[endpoint].method in methods, (endpoint, methods)


def make_objects(app: Any) -> Objects:
    """A Team A case (its OIC someone else) with a victim, an event, a message, an item."""
    with app.app_context():
        oic = OfficerFactory(force="kent", team=TEAM_A)
        case = CaseFactory(force="kent", team=TEAM_A, oic_id=oic.id)
        victim = VictimFactory(force="kent")
        CaseVictimFactory(force="kent", case_id=case.id, victim_id=victim.id)
        return Objects(
            case=case,
            victim=victim,
            event=CaseEventFactory(force="kent", case_id=case.id),
            message=MessageFactory(force="kent", case_id=case.id, victim_id=victim.id),
            item=PropertyItemFactory(force="kent", case_id=case.id, victim_id=victim.id),
        )


def visit_as(app: Any, client: Any, visitor: str) -> str:
    """Sign client in as visitor; a CSRF token for its session."""
    if visitor == "anonymous":
        return page_token(client, "kent", SIGN_IN)
    role = "officer" if visitor == "other_team" else visitor
    as_officer(app, client, "kent", role=role, team=TEAM_B if visitor == "other_team" else TEAM_A)
    return page_token(client, "kent", "/officer/")


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.endpoint.removeprefix("officers."))
def test_route_by_visitor(app, client, idp, row, visitor):
    objects = make_objects(app)
    token = visit_as(app, client, visitor)

    if row.method == "GET":
        response = client.get(row.path(objects), headers=host("kent"))
    else:
        data = {"csrf_token": token, **row.data}
        response = client.post(row.path(objects), headers=host("kent"), data=data)

    assert response.status_code == row.expect[visitor], response.text[:500]
    where = row.where.get(visitor, row.where.get("*"))
    if response.status_code == 302 and where is not None:
        expected = where(objects) if callable(where) else where
        assert urllib.parse.urlsplit(response.headers["Location"]).path == expected


def test_an_officer_in_charge_from_another_team_still_sees_their_case(app, client):
    objects = make_objects(app)
    officer = as_officer(app, client, "kent", team=TEAM_B)
    with app.app_context():
        own = CaseFactory(force="kent", team=TEAM_A, oic_id=officer.id)

    assert client.get(f"/officer/cases/{own.id}", headers=host("kent")).status_code == 200
    assert client.get(objects.case_path, headers=host("kent")).status_code == 404


def test_an_officer_without_a_team_sees_only_their_own_cases(app, client):
    objects = make_objects(app)
    officer = as_officer(app, client, "kent", team=None)  # type: ignore[arg-type]
    with app.app_context():
        own = CaseFactory(force="kent", team=None, oic_id=officer.id)
        CaseFactory(force="kent", team=None)  # nobody's team: not a shared team of "None"

    assert client.get(f"/officer/cases/{own.id}", headers=host("kent")).status_code == 200
    assert client.get(objects.case_path, headers=host("kent")).status_code == 404
    team = client.get("/officer/?scope=team", headers=host("kent"))
    assert team.status_code == 200 and "No cases match." in team.text
