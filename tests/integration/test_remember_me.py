"""Remember-me is off: no remember cookie is ever set, and a forged one signs nobody in.

Flask-Login's remember cookie is signed with the app's secret key only (not per force),
so one minted on force A would name the same user on force B; victims share devices.
"""

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_login import UserMixin, current_user, login_user
from flask_login.utils import encode_cookie

from app.auth.users import register_loader
from tests.support.scope import enter_scope

KIND = "remembertest"


class ThrowawayUser(UserMixin):
    kind = KIND

    def __init__(self, user_id: str) -> None:
        self.id = user_id

    def get_id(self) -> str:
        return f"{KIND}:{self.id}"


@pytest.fixture
def loader(app: Flask) -> Iterator[list[str]]:
    """A loader for KIND that finds anyone; yields the ids it was asked for."""
    asked: list[str] = []

    def load(user_id: str) -> ThrowawayUser:
        asked.append(user_id)
        return ThrowawayUser(user_id)

    register_loader(app, KIND, load)
    yield asked
    app.extensions["user_loaders"].pop(KIND)


@pytest.mark.parametrize("host", ["kent.localhost", "dyfed-powys.localhost", "localhost"])
def test_a_forged_remember_cookie_signs_nobody_in(app, loader, host):
    with app.test_request_context("/"):
        forged = encode_cookie(f"{KIND}:1")  # exactly as Flask-Login mints one
    name = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    headers = {"Host": host, "Cookie": f"{name}={forged}"}
    with app.test_request_context("/", headers=headers):
        enter_scope()
        assert not current_user.is_authenticated
    assert loader == [], "the cookie reached the user loader"


def test_signing_in_with_remember_sets_no_remember_cookie(app, loader):
    with app.test_request_context("/", headers={"Host": "kent.localhost"}):
        enter_scope()
        login_user(ThrowawayUser("1"), remember=True)
        response = app.process_response(app.make_response("ok"))
    name = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    remember = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    # Only ever a deletion (empty value, expired), never a cookie that signs someone in.
    assert all(c.startswith(f"{name}=;") for c in remember), remember
