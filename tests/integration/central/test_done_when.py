"""The central site's "Done when", as one story through real HTTP handlers, the demo
identity provider and a real RQ worker process:

a new user applies for a fourth force, confirms the email from the outbox, the demo
operator signs in through the demo provider and approves it, a burst worker provisions
it, the new force's branded site opens on its subdomain (and its officers sign in
through its own provider), the operator suspends it and sees the paused page, and
resumes it. Each step asserts what would break if that step broke.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from tenants.extension import tenancy
from tests.integration.central.conftest import NEW_NAME, NEW_SLUG
from tests.integration.central.support import (
    answer_everything,
    create_operator,
    newest_link,
    operator_sign_in,
    post_form,
    use_link,
)
from tests.support.officers import csrf_token, host, oidc_sign_in
from tests.support.operators import CENTRAL_HOST
from tests.support.processes import run_flask

ROOT = Path(__file__).resolve().parents[3]


def _worker_env(services, settings) -> dict[str, str]:
    """The provisioning worker's environment: it alone is given the admin role."""
    return {
        **os.environ,
        "TMC_ENV": "test",
        "DATABASE_URL": services.app_url,
        "ADMIN_DATABASE_URL": services.admin_url,
        "REDIS_URL": services.redis_url,
        "DB_ROLE_PREFIX": settings.db_role_prefix,
        "PYTHONPATH": str(ROOT),
    }


def _state(admin_engine):
    with admin_engine.connect() as conn:
        return conn.execute(
            text("SELECT id, status, provisioning_state FROM public.force_application")
        ).one()


def _press(client, path, button_page):
    """Press the form button on button_page that posts to path."""
    page = client.get(button_page, headers=CENTRAL_HOST)
    return client.post(path, headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)})


def test_a_force_applies_is_approved_goes_live_is_paused_and_resumed(
    app, client, central_idp, loopback_idp_allowed, admin_engine, services, settings
):
    began = datetime.now(UTC)
    # 1. A new user applies for a fourth force, page by page.
    issuer = central_idp.issuer(NEW_SLUG)
    answer_everything(client, NEW_SLUG, NEW_NAME, issuer, NEW_SLUG)

    # 2. ...confirms the email address from the central outbox, and submits.
    assert use_link(client, newest_link(admin_engine)).headers["Location"] == "/apply/check-answers"
    assert post_form(client, "/apply/check-answers", {}).headers["Location"] == "/apply/submitted"
    application_id, status, _ = _state(admin_engine)
    assert status == "submitted"

    # 3. The demo operator signs in through the demo identity provider.
    operator = app.test_client()
    create_operator(app)
    assert operator_sign_in(operator).headers["Location"] == "/console/"
    queue_page = operator.get("/console/applications", headers=CENTRAL_HOST).text
    assert NEW_NAME in queue_page and "Waiting for decision" in queue_page

    # 4. ...approves it: provisioning is queued, not yet done.
    detail = f"/console/applications/{application_id}"
    assert _press(operator, f"{detail}/approve", detail).status_code == 302
    assert _state(admin_engine)[1:] == ("approved", "queued")
    assert "Waiting for a worker to start" in operator.get(detail, headers=CENTRAL_HOST).text

    # 5. A real worker process, burst mode, on the provisioning queue.
    done = run_flask(
        _worker_env(services, settings), "worker", "--queue", "provisioning", "--burst"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert _state(admin_engine)[1:] == ("live", "done")
    assert "Done: the site is live." in operator.get(detail, headers=CENTRAL_HOST).text
    assert "Live" in client.get("/apply/status", headers=CENTRAL_HOST).text

    # 6. The new force's branded site opens on its subdomain...
    with app.app_context():
        tenancy().registry.invalidate()
    visitor = app.test_client()
    site = visitor.get("/", headers=host(NEW_SLUG))
    assert site.status_code == 200
    assert NEW_NAME in site.text and "--tmc-brand:#1d5c3a" in site.text
    # ...and its officers sign in through the provider the application named.
    officer = app.test_client()
    signed_in = oidc_sign_in(officer, NEW_SLUG, "supervisor")
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/officer/"
    assert officer.get("/officer/", headers=host(NEW_SLUG)).status_code == 200
    forces = operator.get("/console/forces", headers=CENTRAL_HOST).text
    assert f'id="force-{NEW_SLUG}"' in forces

    # 7. The operator suspends it: the site shows the paused page, nobody signs in.
    suspend = f"/console/forces/{NEW_SLUG}/suspend"
    assert _press(operator, suspend, suspend).headers["Location"] == "/console/forces"
    paused = visitor.get("/", headers=host(NEW_SLUG))
    assert paused.status_code == 503 and "This service is paused" in paused.text
    assert officer.get("/officer/", headers=host(NEW_SLUG)).status_code == 503

    # 8. ...and resumes it.
    resume = f"/console/forces/{NEW_SLUG}/resume"
    assert _press(operator, resume, resume).headers["Location"] == "/console/forces"
    assert visitor.get("/", headers=host(NEW_SLUG)).status_code == 200

    with admin_engine.connect() as conn:
        trail = (
            conn.execute(
                text(
                    "SELECT tag FROM public.platform_audit_event WHERE occurred_at >= :t "
                    "ORDER BY occurred_at"
                ),
                {"t": began},
            )
            .scalars()
            .all()
        )
    story = [
        "application:submitted", "operator:signed-in", "application:approved", "force:created",
        "force:idp-configured", "provisioning:succeeded", "force:suspended", "force:resumed",
    ]  # fmt: skip
    assert [tag for tag in trail if tag in story] == story  # each once, in this order
