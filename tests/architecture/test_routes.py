"""Every route carries exactly one access rule; every object route has a cross-force test."""

from app.auth.access import ACCESS_ATTRIBUTE

# Routes that serve no view of ours.
NO_VIEW = {"static"}
# Force routes that take an object id (uuid converter) -> the test that proves force B,
# anonymous users and other victims get 404 for force A's object. Journeys add theirs.
CROSS_FORCE_TESTS: dict[str, str] = {}


def test_every_route_has_an_access_rule(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in NO_VIEW
        and not hasattr(app.view_functions[rule.endpoint], ACCESS_ATTRIBUTE)
    ]
    assert missing == [], f"routes with no access rule: {missing}"


def test_every_object_route_has_a_cross_force_test(app):
    object_routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if any(type(conv).__name__ == "UUIDConverter" for conv in rule._converters.values())
    }
    untested = object_routes - set(CROSS_FORCE_TESTS)
    assert untested == set(), f"object routes without a cross-force 404 test: {untested}"


def test_an_access_rule_cannot_be_applied_twice():
    import pytest

    from app.auth.access import public

    def view():
        return ""

    with pytest.raises(TypeError, match="already has access rule"):
        public(public(view))
