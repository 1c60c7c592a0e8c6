"""Operators sign in through the central identity provider, only once pre-authorised by
`flask operators create`; their sessions live in public.central_signed_in_session."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from app.demo_idp import DEMO_OPERATOR_EMAIL
from tests.integration.central.support import count, create_operator, operator_sign_in
from tests.support.officers import csrf_token
from tests.support.operators import CENTRAL_HOST

COOKIE = "tmc_session"


def _tags(admin_engine) -> list[str]:
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT tag FROM public.platform_audit_event WHERE tag LIKE 'operator:%' "
                "ORDER BY occurred_at"
            )
        )
        return [row.tag for row in rows]


def test_a_pre_authorised_operator_signs_in_and_reaches_the_console(
    app, client, central_idp, admin_engine
):
    create_operator(app)
    page = client.get("/console/sign-in", headers=CENTRAL_HOST)
    assert 'href="/console/sign-in/start"' in page.text

    done = operator_sign_in(client)

    assert (done.status_code, done.headers["Location"]) == (302, "/console/")
    console = client.get("/console/", headers=CENTRAL_HOST)
    assert console.status_code == 200 and "Applications" in console.text
    with admin_engine.connect() as conn:
        operator = conn.execute(
            text("SELECT issuer, subject FROM public.operator WHERE email = :e"),
            {"e": DEMO_OPERATOR_EMAIL},
        ).one()
        live = conn.execute(
            text("SELECT count(*) FROM public.central_signed_in_session WHERE ended_at IS NULL")
        ).scalar()
        in_kent = conn.execute(text("SELECT count(*) FROM t_kent.signed_in_session")).scalar()
    assert operator.issuer == central_idp.issuer("central") and operator.subject
    assert (live, in_kent) == (1, 0)
    assert _tags(admin_engine)[-1] == "operator:signed-in"


def test_someone_who_is_not_an_operator_is_refused(app, client, central_idp, admin_engine):
    done = operator_sign_in(client)

    assert done.headers["Location"] == "/console/sign-in/problem?reason=not_an_operator"
    assert (
        "You cannot use the console"
        in client.get(done.headers["Location"], headers=CENTRAL_HOST).text
    )
    assert client.get("/console/", headers=CENTRAL_HOST).status_code == 302
    assert count(admin_engine, "operator") == 0
    assert count(admin_engine, "central_signed_in_session") == 0
    assert _tags(admin_engine) == ["operator:sign-in-refused"]


def test_a_bad_token_from_the_provider_is_refused(app, client, central_idp, admin_engine):
    create_operator(app)
    central_idp.misbehave("central", "bad_signature")

    done = operator_sign_in(client)

    assert done.headers["Location"] == "/console/sign-in/problem?reason=failed"
    assert client.get("/console/", headers=CENTRAL_HOST).status_code == 302
    assert _tags(admin_engine)[-1] == "operator:sign-in-refused"


def test_the_page_asked_for_is_where_sign_in_ends(app, client, central_idp):
    create_operator(app)
    asked = client.get("/console/forces", headers=CENTRAL_HOST)
    assert asked.status_code == 302 and asked.headers["Location"].endswith("/console/sign-in")

    done = operator_sign_in(client)

    assert done.headers["Location"] == "/console/forces"


def test_signing_out_ends_the_session_and_a_copied_cookie_with_it(
    app, client, central_idp, admin_engine
):
    create_operator(app)
    operator_sign_in(client)
    copied = client.get_cookie(COOKIE, domain="localhost").value

    page = client.get("/console/", headers=CENTRAL_HOST)
    out = client.post(
        "/console/sign-out", headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)}
    )

    assert out.headers["Location"] == "/console/signed-out"
    other = app.test_client()
    other.set_cookie(COOKIE, copied, domain="localhost")
    assert other.get("/console/", headers=CENTRAL_HOST).status_code == 302
    assert count(admin_engine, "central_signed_in_session", "end_reason = 'signed_out'") == 1
    assert _tags(admin_engine)[-1] == "operator:signed-out"


def test_a_deactivated_operator_is_signed_out_and_cannot_sign_in(app, client, central_idp):
    create_operator(app)
    operator_sign_in(client)
    assert client.get("/console/", headers=CENTRAL_HOST).status_code == 200

    result = app.test_cli_runner().invoke(args=["operators", "deactivate", DEMO_OPERATOR_EMAIL])

    assert result.exit_code == 0, result.output
    assert client.get("/console/", headers=CENTRAL_HOST).status_code == 302
    assert "not_an_operator" in operator_sign_in(client).headers["Location"]


def test_an_idle_operator_session_times_out(app, client, central_idp, admin_engine):
    create_operator(app)
    operator_sign_in(client)
    with admin_engine.begin() as conn:
        conn.execute(
            text("UPDATE public.central_signed_in_session SET last_seen_at = last_seen_at - :d"),
            {"d": timedelta(minutes=31)},
        )
    assert client.get("/console/", headers=CENTRAL_HOST).status_code == 302
    assert count(admin_engine, "central_signed_in_session", "end_reason = 'idle_timeout'") == 1


def test_sign_in_says_so_when_no_central_provider_is_set_up(app, client):
    page = client.get("/console/sign-in", headers=CENTRAL_HOST)
    assert "Operator sign-in is not set up" in page.text
    start = client.get("/console/sign-in/start", headers=CENTRAL_HOST)
    assert start.headers["Location"] == "/console/sign-in/problem?reason=not_set_up"


def test_operators_cli(app, admin_engine):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["operators", "create", "Ops@Example.org", "--name", "Ops"])
    again = runner.invoke(args=["operators", "create", "ops@example.org"])
    bad = runner.invoke(args=["operators", "create", "<script>@x"])
    listed = runner.invoke(args=["operators", "list"])
    unknown = runner.invoke(args=["operators", "deactivate", "nobody@example.org"])

    assert made.exit_code == 0 and "ops@example.org may now sign in" in made.output
    assert again.exit_code == 0 and "is an operator" in again.output
    assert bad.exit_code == 2 and "not an email address" in bad.output
    assert "ops@example.org  active, not signed in yet" in listed.output
    assert unknown.exit_code == 2
    assert count(admin_engine, "operator") == 1
    assert _tags(admin_engine) == ["operator:created"]
