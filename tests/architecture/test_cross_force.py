"""Force B never learns whether force A has an object: driven from the URL map.

Every force-site (or any-site) route with a uuid argument is asked, on force B, for an
object made in force A and for a missing id, by the kind of user its access rule admits
and anonymously; the answers must match, and be a 404 for the admitted user. A route
whose argument has no factory in tests/support/objects.py fails (tests/architecture/
checks.py: cross_force_problems). The probe tests prove the check finds a leak.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Response, abort
from sqlalchemy.orm import Session

from app.auth.access import operator_required, public
from app.models import Case
from app.site import force_blueprint
from tenants import registry
from tenants.binding import bind, db, force_scope
from tests.architecture.checks import cross_force_problems, object_routes
from tests.factories import CaseFactory, registered_force
from tests.support.objects import OBJECT_FACTORIES


def test_no_force_route_tells_another_force_about_its_objects(app):
    assert cross_force_problems(app) == []


def _found(case_id: uuid.UUID) -> Response:
    return Response(f"case {case_id}", mimetype="text/plain")


def _probe_blueprint():
    """One correct route and two leaky ones, as a careless journey might write them."""
    probe = force_blueprint("probe", __name__)

    @probe.get("/case/<uuid:case_id>")
    @public
    def correct(case_id: uuid.UUID) -> Response:
        # The force-bound session: another force's case is simply not there.
        if db.session.get(Case, case_id) is None:
            abort(404)
        return _found(case_id)

    @probe.get("/probe/<uuid:case_id>")
    @public
    def leaky(case_id: uuid.UUID) -> Response:
        # Never looks: 200 for any id, so a missing case is not a 404.
        return _found(case_id)

    @probe.get("/probe-any-force/<uuid:case_id>")
    @public
    def leaky_any_force(case_id: uuid.UUID) -> Response:
        # Binds every force in turn, as a job helper might: the login role may act as
        # any force, so the database cannot stop it. 200 for a case in any force.
        for force in registry.all_forces(db.engine):
            with Session(db.engine) as session:
                bind(session, force)
                if session.get(Case, case_id) is not None:
                    return _found(case_id)
        abort(404)

    return probe


def test_the_check_flags_leaky_routes_and_passes_the_correct_one(throwaway_app):
    probed = throwaway_app(_probe_blueprint())
    assert {rule.rule for rule in object_routes(probed, "probe")} == {
        "/case/<uuid:case_id>",
        "/probe/<uuid:case_id>",
        "/probe-any-force/<uuid:case_id>",
    }
    problems = cross_force_problems(probed, blueprint="probe")
    assert problems == [
        "GET /probe/<uuid:case_id> as anonymous on dyfed-powys: a missing id answers 200, not 404",
        "GET /probe-any-force/<uuid:case_id> as anonymous on dyfed-powys: kent's object answers "
        "200, a missing id 404 (or the bodies differ)",
    ]


def test_the_correct_route_finds_its_own_forces_case(throwaway_app):
    """The correct probe is not passing by answering 404 to everything."""
    probed = throwaway_app(_probe_blueprint())
    with probed.app_context():
        case: Any = CaseFactory(force="dyfed-powys")
    response = probed.test_client().get(
        f"/case/{case.id}", headers={"Host": "dyfed-powys.localhost"}
    )
    assert (response.status_code, response.text) == (200, f"case {case.id}")


def test_a_uuid_argument_without_a_factory_fails_by_name(throwaway_app):
    probe = force_blueprint("probe_unknown", __name__)
    probe.add_url_rule("/widgets/<uuid:widget_id>", "widget", public(lambda widget_id: ""))
    assert cross_force_problems(throwaway_app(probe), blueprint="probe_unknown") == [
        "probe_unknown.widget (/widgets/<uuid:widget_id>): no factory for ['widget_id']: "
        "add one to OBJECT_FACTORIES in tests/support/objects.py"
    ]


def test_a_signed_in_route_asks_the_sign_in_hook_for_its_kind_of_user(throwaway_app):
    """Until users exist, the hook refuses loudly rather than letting a route pass."""
    probe = force_blueprint("probe_victim", __name__)
    probe.add_url_rule("/mine/<uuid:case_id>", "mine", operator_required(lambda case_id: ""))
    with pytest.raises(NotImplementedError, match="cannot yet sign in a 'operator' user"):
        cross_force_problems(throwaway_app(probe), blueprint="probe_victim")

    asked: list[tuple[str, str]] = []
    problems = cross_force_problems(
        throwaway_app(probe),
        sign_in=lambda client, rule, force: asked.append((rule, force)),
        blueprint="probe_victim",
    )
    assert asked and set(asked) == {("operator", "dyfed-powys")}
    # Nobody actually signed in, so both answers ask the user to sign in: alike, and the
    # "admitted" user's GET is flagged for not being a 404
    # (401 or a sign-in redirect, whichever the app does for the anonymous).
    assert len(problems) == 1
    assert problems[0].startswith("GET /mine/<uuid:case_id> as operator on dyfed-powys: a ")
    assert problems[0].endswith(", not 404")


@pytest.mark.parametrize("factory", sorted(set(OBJECT_FACTORIES.values()), key=str))
def test_each_object_factory_writes_in_the_force_it_is_given(app_context, factory):
    """The check's premise: the object exists in force A and nowhere else."""
    made = factory(force="dyfed-powys")
    model = type(made)
    with force_scope(registered_force("dyfed-powys")) as session:
        assert session.get(model, made.id) is not None
    with force_scope(registered_force("kent")) as session:
        assert session.get(model, made.id) is None
