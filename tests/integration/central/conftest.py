"""Central-site fixtures: the central tables emptied after each test, the demo identity
provider serving the operators' issuer (and an applicant force's), and helpers.

Isolation: the root reset (tests/conftest.py) knows the force tables, the registry, the
domains and the platform trail; the central site's own public tables are emptied here
after every test, so each test starts with no operators, applications or central mail.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.central import connection, operators
from app.demo_idp import (
    RunningProvider,
    demo_client_id,
    demo_client_secret,
    demo_issuers,
    demo_operator_issuer,
)
from app.demo_idp import run_in_thread as run_provider
from tests.support.officers import callback_url, signed_out_url
from tests.support.operators import empty_central_tables

# The fourth force the stories apply for: its identity provider is a demo issuer too.
NEW_SLUG = "north-yorkshire"
NEW_NAME = "Test North Yorkshire Police"


@pytest.fixture(autouse=True)
def _central_tables_emptied(app: Flask, admin_engine) -> Iterator[None]:
    yield
    empty_central_tables(admin_engine)


@pytest.fixture(scope="session")
def central_provider(app: Flask) -> Iterator[RunningProvider]:
    """The demo provider with the operators' issuer and NEW_SLUG's, for the whole run."""
    issuers = [
        demo_operator_issuer(
            "http://localhost/console/auth/callback", "http://localhost/console/signed-out"
        ),
        *demo_issuers([(NEW_SLUG, NEW_NAME)], callback_url, signed_out_url),
    ]
    provider = run_provider("127.0.0.1", 0, issuers)
    yield provider
    provider.stop()


@pytest.fixture
def central_idp(app: Flask, central_provider: RunningProvider) -> Iterator[RunningProvider]:
    """Operator sign-in pointed at the demo provider, as the demo command does."""
    operators.configure_idp(
        app,
        central_provider.issuer("central"),
        demo_client_id("central"),
        demo_client_secret("central"),
    )
    yield central_provider
    operators.configure_from_settings(app)


@pytest.fixture
def loopback_idp_allowed(app: Flask) -> Iterator[None]:
    """Applicants may name a plain-http loopback provider (as in development)."""
    connection.set_allow_insecure(app, True)
    yield
    connection.set_allow_insecure(app, None)


@pytest.fixture
def submitted_application(app: Flask):
    """The id of a submitted application waiting for a decision."""
    from tests.factories import ForceApplicationFactory

    with app.app_context():
        return ForceApplicationFactory().id
