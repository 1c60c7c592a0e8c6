"""Who may use which officer rights route, by every kind of visitor: the table of
tests/integration/officers/test_roles.py (anonymous, an officer, a supervisor and an
admin of the case's team, none its officer in charge, and an officer of another team)
for the routes app/officers/rights_views.py adds. COVERED names them, so that table can
leave them to this one."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import (
    CaseFactory,
    CaseVictimFactory,
    ComplaintFactory,
    OfficerFactory,
    PersonalStatementRequestFactory,
    RepresentativeFactory,
    ReviewRequestFactory,
    VictimFactory,
)
from tests.integration.officers.test_roles import (
    ANON_TO_SIGN_IN,
    SIGN_IN,
    TEAM_A,
    VISITORS,
    Row,
    of_the_case,
    visit_as,
)
from tests.support.officers import host

# Supervisors and administrators only (officer_required("supervisor", "admin")).
MANAGERS = {"anonymous": 302, "officer": 403, "supervisor": 200, "admin": 200, "other_team": 403}


def managers(status: int) -> dict[str, int]:
    return {**MANAGERS, "supervisor": status, "admin": status}


@dataclass(frozen=True)
class Objects:
    case: Any
    review: Any
    complaint: Any
    statement: Any
    representative: Any

    @property
    def case_path(self) -> str:
        return f"/officer/cases/{self.case.id}"


def review_page(o: Objects) -> str:
    return f"{o.case_path}/reviews/{o.review.id}"


def complaint_page(o: Objects) -> str:
    return f"{o.case_path}/complaints/{o.complaint.id}"


def case_page(o: Objects) -> str:
    return o.case_path


ROWS = [
    Row("officers.review_request", "GET", review_page, of_the_case(200), where=ANON_TO_SIGN_IN),
    Row("officers.acknowledge_review", "POST", lambda o: f"{review_page(o)}/acknowledge",
        of_the_case(302), where={"anonymous": SIGN_IN, "*": review_page}),
    Row("officers.decide_review", "GET", lambda o: f"{review_page(o)}/decision",
        of_the_case(200), where=ANON_TO_SIGN_IN),
    Row("officers.complaints_list", "GET", lambda o: "/officer/complaints", MANAGERS,
        where=ANON_TO_SIGN_IN),
    Row("officers.complaint", "GET", complaint_page, MANAGERS, where=ANON_TO_SIGN_IN),
    Row("officers.acknowledge_complaint", "POST", lambda o: f"{complaint_page(o)}/acknowledge",
        managers(302), where={"anonymous": SIGN_IN, "*": complaint_page}),
    Row("officers.answer_complaint", "GET", lambda o: f"{complaint_page(o)}/answer", MANAGERS,
        where=ANON_TO_SIGN_IN),
    Row("officers.personal_statement", "GET",
        lambda o: f"{o.case_path}/personal-statements/{o.statement.id}", of_the_case(200),
        where=ANON_TO_SIGN_IN),
    Row("officers.feedback_figures", "GET", lambda o: "/officer/feedback", MANAGERS,
        where=ANON_TO_SIGN_IN),
    Row("officers.add_representative", "GET", lambda o: f"{o.case_path}/representatives/new",
        of_the_case(200), where=ANON_TO_SIGN_IN),
    Row("officers.end_representative", "POST",
        lambda o: f"{o.case_path}/representatives/{o.representative.id}/end", of_the_case(302),
        where={"anonymous": SIGN_IN, "*": case_page}),
]  # fmt: skip
COVERED = frozenset(row.endpoint for row in ROWS)


def test_every_rights_route_has_a_row(app):
    routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("officers.")
        and app.view_functions[rule.endpoint].__module__ == "app.officers.rights_views"
    }
    assert routes == COVERED


def make_objects(app: Any) -> Objects:
    with app.app_context():
        oic = OfficerFactory(force="kent", team=TEAM_A)
        case = CaseFactory(force="kent", team=TEAM_A, oic_id=oic.id)
        victim = VictimFactory(force="kent")
        person = VictimFactory(force="kent")
        CaseVictimFactory(force="kent", case_id=case.id, victim_id=victim.id)
        CaseVictimFactory(force="kent", case_id=case.id, victim_id=person.id, role="advocate")
        mine = {"force": "kent", "case_id": case.id, "victim_id": victim.id}
        return Objects(
            case=case,
            review=ReviewRequestFactory(**mine),
            complaint=ComplaintFactory(**mine),
            statement=PersonalStatementRequestFactory(**mine),
            representative=RepresentativeFactory(**mine, person_id=person.id, role="advocate"),
        )


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.endpoint.removeprefix("officers."))
def test_rights_route_by_visitor(app, client, idp, row, visitor):
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
