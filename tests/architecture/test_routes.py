"""Every route carries one access rule, belongs to a blueprint that names its site, and
takes object ids only as uuids."""

import pytest
from flask import Blueprint

from app.auth.access import ACCESS_ATTRIBUTE, public
from app.site import force_blueprint
from tests.architecture.checks import NOT_OURS, id_argument_problems, site_problems


def test_every_route_has_an_access_rule(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in NOT_OURS
        and not hasattr(app.view_functions[rule.endpoint], ACCESS_ATTRIBUTE)
    ]
    assert missing == [], f"routes with no access rule: {missing}"


def test_an_access_rule_cannot_be_applied_twice():
    def view():
        return ""

    with pytest.raises(TypeError, match="already has access rule"):
        public(public(view))


def test_every_blueprint_says_which_site_it_serves(app):
    assert site_problems(app) == []


def test_a_blueprint_that_declares_no_site_is_caught(throwaway_app):
    stray = Blueprint("stray", __name__)
    stray.add_url_rule("/stray", "page", public(lambda: "stray"))
    problems = site_problems(throwaway_app(stray))
    assert len(problems) == 1 and "'stray' declares no site" in problems[0]


def test_a_view_on_no_blueprint_is_caught(throwaway_app):
    fresh = throwaway_app()
    fresh.add_url_rule("/loose", "loose", public(lambda: "loose"))
    assert site_problems(fresh) == [
        "view 'loose' (/loose) is on no blueprint, so serves every site"
    ]


def test_every_id_in_a_url_is_a_uuid(app):
    assert id_argument_problems(app) == []


def test_an_id_that_is_not_a_uuid_is_caught(throwaway_app):
    probe = force_blueprint("probe_ids", __name__)
    probe.add_url_rule("/a/<case_id>", "a", public(lambda case_id: ""))
    probe.add_url_rule("/b/<int:id>", "b", public(lambda id: ""))
    probe.add_url_rule("/c/<uuid:case_id>/<slug>", "c", public(lambda case_id, slug: ""))
    assert sorted(id_argument_problems(throwaway_app(probe))) == [
        "probe_ids.a (/a/<case_id>): <case_id> must be <uuid:case_id>",
        "probe_ids.b (/b/<int:id>): <id> must be <uuid:id>",
    ]
