"""Throwaway apps: the real create_app plus a blueprint a test brings, to prove a check
catches what it is for. They share the session's database, forces and Redis."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Blueprint, Flask

from app import create_app
from config import TestSettings
from tenants.binding import db
from tenants.extension import tenancy
from tests.support.html import ValidatingClient

MakeApp = Callable[..., Flask]


@pytest.fixture
def throwaway_app(app: Flask, settings: TestSettings) -> Iterator[MakeApp]:
    """make(*blueprints) -> a fresh app with them registered (app: forces provisioned,
    and the per-test reset runs afterwards)."""
    made: list[Flask] = []

    def make(*blueprints: Blueprint) -> Flask:
        fresh = create_app(settings)
        fresh.test_client_class = ValidatingClient
        for blueprint in blueprints:
            fresh.register_blueprint(blueprint)
        made.append(fresh)
        return fresh

    yield make
    for fresh in made:  # close what each app opened, so no connection outlives the test
        with fresh.app_context():
            db.engine.dispose()
            tenancy().redis.close()
            tenancy().admin_engine.dispose()
