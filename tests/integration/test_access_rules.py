"""The access decorators: anonymous users sign in, the wrong kind of user gets 404,
the wrong role 403, and a user loader only finds users of the request's own force."""

import uuid
from dataclasses import dataclass

import pytest
from flask import session
from flask_login import login_user
from werkzeug.exceptions import Forbidden, NotFound, Unauthorized

from app.auth.access import officer_required, operator_required, public, victim_required
from app.auth.users import load_user, register_loader
from tests.factories import SignedInSessionFactory
from tests.support.scope import enter_scope


@dataclass
class FakeUser:
    """Stands in for the journeys' user models, which do not exist yet."""

    id: object
    kind: str
    role: str | None = None
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return f"{self.kind}:{self.id}"


@victim_required
def victim_view():
    return "victim page"


@officer_required("supervisor", "force_admin")
def supervisor_view():
    return "supervisor page"


@operator_required
def operator_view():
    return "operator page"


def _call(app, view, user=None):
    with app.test_request_context("/", headers={"Host": "kent.localhost"}):
        enter_scope()
        if user:
            login_user(user)
        return view()


def test_anonymous_users_are_asked_to_sign_in(app):
    with pytest.raises(Unauthorized):
        _call(app, victim_view)


def test_the_right_user_gets_the_page(app):
    assert _call(app, victim_view, FakeUser("v1", "victim")) == "victim page"
    assert _call(app, supervisor_view, FakeUser("o1", "officer", "supervisor")) == "supervisor page"


@pytest.mark.parametrize(
    ("view", "user"),
    [
        (victim_view, FakeUser("o1", "officer", "officer")),
        (supervisor_view, FakeUser("v1", "victim")),
        (operator_view, FakeUser("v1", "victim")),
        (operator_view, FakeUser("o1", "officer", "force_admin")),
    ],
)
def test_the_wrong_kind_of_user_is_told_nothing_exists(app, view, user):
    with pytest.raises(NotFound):
        _call(app, view, user)


def test_the_wrong_role_is_forbidden(app):
    with pytest.raises(Forbidden):
        _call(app, supervisor_view, FakeUser("o2", "officer", "officer"))


def test_rules_are_labelled_for_the_route_walk():
    assert victim_view.access_rule == "victim"
    assert supervisor_view.access_rule == "officer:supervisor|force_admin"
    assert operator_view.access_rule == "operator"
    assert public(lambda: None).access_rule == "public"


def test_user_loaders_are_chosen_by_kind_and_need_a_live_session(app):
    user_id = uuid.uuid4()
    loaders = app.extensions["user_loaders"]
    real = loaders.get("victim")  # the victim site's own: put back afterwards
    register_loader(app, "victim", lambda found: FakeUser(uuid.UUID(found), "victim"))
    try:
        with app.app_context():
            live = SignedInSessionFactory(force="kent", user_kind="victim", user_id=user_id)
        with app.test_request_context("/", headers={"Host": "kent.localhost"}):
            enter_scope()
            assert load_user(f"victim:{user_id}") is None  # the cookie names no session
            session["sid"] = str(live.id)
            assert load_user(f"victim:{user_id}") == FakeUser(user_id, "victim")
            assert load_user(f"victim:{uuid.uuid4()}") is None  # not this session's user
            assert load_user(f"officer:{user_id}") is None  # a kind this session is not
            assert load_user("victim:") is None
            assert load_user("nonsense") is None
    finally:
        if real is None:
            loaders.pop("victim")
        else:
            loaders["victim"] = real


@pytest.mark.parametrize("host", ["localhost", "nowhere.localhost"])
def test_current_force_fails_closed_off_a_force_site(app, host):
    from tenants.extension import NoForce, current_force

    with app.test_request_context("/", headers={"Host": host}), pytest.raises(NoForce):
        current_force()
    with app.test_request_context("/", headers={"Host": "kent.localhost"}):
        assert current_force().slug == "kent"
