"""The central home page and "Find your police force": live forces only, each linking to
its own site, and a search over names and addresses."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tenants.extension import tenancy
from tests.support.operators import CENTRAL_HOST
from tests.support.scope import enter_scope

LIVE = ("Test Avon Constabulary", "Test Kent Police", "Heddlu Prawf Dyfed-Powys Test Police")


def test_find_your_police_force_lists_live_forces_with_links_to_their_sites(app, client):
    page = client.get("/find-your-police-force", headers=CENTRAL_HOST).text
    for name in LIVE:
        assert name in page
    assert 'href="http://kent.localhost:5000"' in page


def test_a_suspended_force_is_not_listed(app, client, admin_engine):
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE public.tenant SET status = 'suspended' WHERE slug = 'kent'"))
    with app.app_context():
        tenancy().registry.invalidate()
    assert (
        "Test Kent Police" not in client.get("/find-your-police-force", headers=CENTRAL_HOST).text
    )


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("kent", ["Test Kent Police"]),
        ("KENT police", ["Test Kent Police"]),
        ("dyfed", ["Heddlu Prawf Dyfed-Powys Test Police"]),
        ("avon-and-somerset", ["Test Avon Constabulary"]),
        ("test", list(LIVE)),
        ("atlantis", []),
    ],
)
def test_the_search_matches_every_word_of_names_and_addresses(client, search, found):
    page = client.get(
        "/find-your-police-force", headers=CENTRAL_HOST, query_string={"search": search}
    ).text
    assert [name for name in LIVE if name in page] == found
    if not found:
        assert "No force using TrackMyCrime matches your search" in page


def test_the_home_page_the_central_journey_gives_core(app):
    """core's "/" renders app.extensions["central_home"] on the central site."""
    with app.test_request_context("/", headers=CENTRAL_HOST):
        assert enter_scope() is None
        page = app.extensions["central_home"]()
    assert "Find your police force" in page and "Test Kent Police" in page
    assert 'href="/apply"' in page


def test_the_central_home_page_is_the_journeys(client):
    page = client.get("/", headers=CENTRAL_HOST).text
    assert "Find your police force" in page
    assert "Test Kent Police" in page
