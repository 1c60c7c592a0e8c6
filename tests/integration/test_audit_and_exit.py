"""Audit rows are written with the action, in the force's own trail; Exit this page."""

import time

import pytest
from flask import Response
from sqlalchemy import text

from app.audit import record
from app.unit_of_work import commit_at_edge
from tenants.audit import ForceTag, TenancyTag
from tests.support.officers import as_officer
from tests.support.scope import enter_scope


class ProbeTag(ForceTag):
    CASE_VIEWED = "probe:case-viewed"


def _tags(admin_engine, schema):
    with admin_engine.connect() as conn:
        return conn.execute(text(f'SELECT tag FROM "{schema}".audit_event')).scalars().all()


def test_exit_ends_the_session_and_leaves_for_a_neutral_site(client, force_b, admin_engine):
    client.get("/language/cy", headers={"Host": force_b.host})
    assert client.get_cookie("tmc_session", domain=force_b.host) is not None
    response = client.get("/exit", headers={"Host": force_b.host})
    assert response.status_code == 302
    assert response.headers["Location"] == "https://www.bbc.co.uk/weather"
    assert '"cookies"' in response.headers["Clear-Site-Data"]
    assert client.get_cookie("tmc_session", domain=force_b.host) is None
    assert _tags(admin_engine, "t_dyfed_powys") == [], "nobody was signed in"


def test_anonymous_exits_write_no_audit_rows(client, force_a, admin_engine):
    """Otherwise anyone could fill a force's audit trail with GET /exit."""
    for _ in range(5):
        assert client.get("/exit", headers={"Host": force_a.host}).status_code == 302
    assert _tags(admin_engine, "t_kent") == []


@pytest.fixture
def signed_in(app, client, force_b):
    """The client signed in on force_b as an officer."""
    return as_officer(app, client, force_b.slug)


def test_a_signed_in_exit_is_audited_in_its_own_force(client, force_b, signed_in, admin_engine):
    response = client.get("/exit", headers={"Host": force_b.host})
    assert response.status_code == 302
    assert client.get_cookie("tmc_session", domain=force_b.host) is None
    with admin_engine.connect() as conn:
        rows = conn.execute(text("SELECT tag, actor_type, actor_id FROM t_dyfed_powys.audit_event"))
        assert [tuple(row) for row in rows] == [("session:exited", "officer", str(signed_in.id))]
        ended = conn.execute(text("SELECT end_reason FROM t_dyfed_powys.signed_in_session"))
        assert [row.end_reason for row in ended] == ["exited"], "the server-side session ends too"
    assert _tags(admin_engine, "t_kent") == []


def test_audit_rows_roll_back_with_a_failed_request(app, admin_engine):
    with app.test_request_context("/", headers={"Host": "kent.localhost"}):
        enter_scope()
        record(ProbeTag.CASE_VIEWED, record_type="case", record_id="00000000-0000-0000-0000-0")
        commit_at_edge(Response(status=500))
    assert _tags(admin_engine, "t_kent") == []
    with app.test_request_context("/", headers={"Host": "kent.localhost"}):
        enter_scope()
        record(ProbeTag.CASE_VIEWED, record_type="case", record_id="1234", purpose="testing")
        commit_at_edge(Response(status=200))
    assert _tags(admin_engine, "t_kent") == ["probe:case-viewed"]


def test_central_actions_go_to_the_platform_trail(app, admin_engine):
    with app.test_request_context("/", headers={"Host": "localhost"}):
        enter_scope()
        record(TenancyTag.FORCE_SUSPENDED, force="kent")
        commit_at_edge(Response(status=200))
    with admin_engine.connect() as conn:
        row = conn.execute(
            text("SELECT tag, force_slug, actor_type FROM public.platform_audit_event")
        ).one()
    assert tuple(row) == ("force:suspended", "kent", "anonymous")


def test_exit_still_works_on_a_suspended_force(client, force_b, admin_engine):
    client.get("/language/cy", headers={"Host": force_b.host})
    with admin_engine.begin() as conn:
        conn.execute(
            text("UPDATE public.tenant SET status = 'suspended' WHERE slug = :s"),
            {"s": force_b.slug},
        )
    deadline, page = time.monotonic() + 5, None
    while time.monotonic() < deadline:
        page = client.get("/", headers={"Host": force_b.host})
        if page.status_code == 503:
            break
        time.sleep(0.1)
    assert page.status_code == 503
    assert "govuk-exit-this-page" in page.get_data(as_text=True)
    response = client.get("/exit", headers={"Host": force_b.host})
    assert response.status_code == 302
    assert client.get_cookie("tmc_session", domain=force_b.host) is None
