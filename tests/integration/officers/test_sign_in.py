"""Officer sign-in through a real OpenID provider (the demo one, over real HTTP)."""

from __future__ import annotations

from sqlalchemy import select

from app.models import AuditEvent, Officer
from tenants.binding import force_scope
from tests.factories import registered_force
from tests.support.officers import host, oidc_sign_in


def _officers(app, slug):
    """(role, issuer, team) of every officer of slug."""
    with app.app_context(), force_scope(registered_force(slug)) as session:
        return [(o.role, o.issuer, o.team) for o in session.scalars(select(Officer))]


def _tags(app, slug):
    with app.app_context(), force_scope(registered_force(slug)) as session:
        return [
            row.tag for row in session.scalars(select(AuditEvent).order_by(AuditEvent.occurred_at))
        ]


def test_officer_signs_in_and_lands_on_their_caseload(app, client, idp):
    response = oidc_sign_in(client, "kent", "officer")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/officer/")
    caseload = client.get("/officer/", headers=host("kent"))
    assert caseload.status_code == 200
    assert "My cases" in caseload.text
    [(role, issuer, _)] = _officers(app, "kent")
    assert (role, issuer) == ("officer", idp.issuer("kent"))
    assert "officer:signed-in" in _tags(app, "kent")


def test_supervisor_role_comes_from_the_claims(app, client, idp):
    oidc_sign_in(client, "kent", "supervisor")
    assert client.get("/officer/team", headers=host("kent")).status_code == 200
    [(role, _, _)] = _officers(app, "kent")
    assert role == "supervisor"
