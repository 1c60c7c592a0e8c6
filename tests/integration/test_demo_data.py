"""What `make demo` gives a new user: each force connected to the demo identity
provider, the printed officers signing in to a caseload with something to do, and the
printed victim signing in to a case with an update (never the officer's note)."""

from __future__ import annotations

import re

from app import demo_data
from app.demo_idp import demo_issuers
from tenants.extension import tenancy
from tests.support.forces import TEST_FORCES
from tests.support.officers import (
    callback_url,
    csrf_token,
    host,
    oidc_sign_in,
    signed_out_url,
)


def _seed(app, idp):
    issuers = demo_issuers(
        [(force.slug, force.name) for force in TEST_FORCES], callback_url, signed_out_url
    )
    with app.app_context():
        for issuer in issuers:
            demo_data.connect(idp.issuer(issuer.slug), issuer.slug)
            tenancy().registry.invalidate()
            force = tenancy().registry.by_slug(issuer.slug)
            demo_data.seed(force, issuer, idp.issuer(issuer.slug))
            demo_data.seed(force, issuer, idp.issuer(issuer.slug))  # idempotent


def test_the_printed_officer_finds_a_caseload_with_work_waiting(app, client, idp):
    _seed(app, idp)
    assert oidc_sign_in(client, "kent", "officer").status_code == 302
    caseload = client.get("/officer/", headers=host("kent"))
    assert len(set(re.findall(r"/officer/cases/([0-9a-f-]{36})", caseload.text))) == 3  # open ones
    assert "Overdue" in caseload.text
    inbox = client.get("/officer/inbox", headers=host("kent"))
    assert "working day" in inbox.text


def test_the_printed_victim_signs_in_and_reads_the_updates_but_not_the_notes(app, client, idp):
    _seed(app, idp)
    page = client.get("/sign-in", headers=host("dyfed-powys"))
    signed_in = client.post(
        "/sign-in",
        headers=host("dyfed-powys"),
        data={
            "csrf_token": csrf_token(page.text),
            "email": demo_data.victim_email("dyfed-powys"),
            "password": demo_data.victim_password("dyfed-powys"),
        },
    )
    assert signed_in.status_code == 302, signed_in.text
    cases = client.get("/cases/", headers=host("dyfed-powys"))
    pages = [
        client.get(f"/cases/{case_id}", headers=host("dyfed-powys")).text
        for case_id in set(re.findall(r'href="/cases/([0-9a-f-]{36})"', cases.text))
    ]
    assert len(pages) == 2
    assert any("doorbell" in page for page in pages)
    assert not any("collect Tuesday" in page for page in pages)
    assert any("review" in page for page in pages), "the closed case offers a review"


def test_the_printed_invite_takes_a_new_victim_to_an_account(app, client, idp):
    """Issue 9's demo: open the printed link, answer with the printed crime reference and
    date of birth, choose an email and password, and the bicycle theft is there."""
    _seed(app, idp)
    with app.app_context():
        force = tenancy().registry.by_slug("kent")
        link = demo_data.fresh_invite(force)
    assert link and link.startswith("/invite/")
    born = demo_data.INVITEE_BIRTH_DATE
    page = client.get(link, headers=host("kent"))
    answered = client.post(
        link,
        headers=host("kent"),
        data={
            "csrf_token": csrf_token(page.text),
            "crime_reference": demo_data.invitee_reference("kent"),
            "date_of_birth": [str(born.day), str(born.month), str(born.year)],
        },
    )
    assert answered.status_code == 302, answered.text
    assert answered.headers["Location"].endswith("/create-account")
