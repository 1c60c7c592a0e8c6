"""Migrating every force from the console: one run at a time on the provisioning queue,
each force's outcome shown as it finishes, the request and the result in the trail."""

from __future__ import annotations

from sqlalchemy import text

from app.central import migrations
from tenants.extension import tenancy
from tenants.jobs import queue
from tests.support.officers import csrf_token
from tests.support.operators import CENTRAL_HOST, as_operator

PATH = "/console/forces/migrations"


def _press(client):
    page = client.get(PATH, headers=CENTRAL_HOST)
    return client.post(PATH, headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)})


def test_migrating_every_force_from_the_console(app, client, admin_engine):
    operator = as_operator(app, client)
    assert "Migrate every force" in client.get("/console/forces", headers=CENTRAL_HOST).text

    assert _press(client).headers["Location"] == PATH
    with app.app_context():
        (job,) = queue("provisioning").jobs
    assert (job.id, job.args) == (migrations.JOB_ID, (str(operator.id),))
    waiting = client.get(PATH, headers=CENTRAL_HOST).text
    assert 'data-state="queued"' in waiting and "Check progress" in waiting
    _press(client)
    assert "already under way" in client.get(PATH, headers=CENTRAL_HOST).text

    with app.app_context():  # what the provisioning worker runs
        assert migrations.migrate_all_forces(str(operator.id)) == "0 migrated, 3 at head, 0 failed"

    done = client.get(PATH, headers=CENTRAL_HOST).text
    assert 'data-state="finished"' in done and done.count("Up to date") == 3
    assert "0 migrated, 3 already up to date, 0 failed." in done
    with admin_engine.connect() as conn:
        events = conn.execute(
            text(
                "SELECT tag, actor_id, detail FROM public.platform_audit_event "
                "WHERE tag LIKE 'forces:%' ORDER BY occurred_at"
            )
        ).all()
    assert [(tag, actor) for tag, actor, _ in events] == [
        ("forces:migration-requested", str(operator.id)),
        ("forces:migrated", str(operator.id)),
    ]
    assert events[1].detail == {"migrated": 0, "skipped": 3, "failed": 0}


def test_a_run_that_went_silent_long_ago_does_not_block_the_next(app, client):
    as_operator(app, client)
    with app.app_context():
        tenancy().redis.hset(
            migrations.KEY,
            mapping={"state": "running", "updated_at": "2020-01-01T00:00:00+00:00"},
        )
    page = client.get(PATH, headers=CENTRAL_HOST).text
    assert "Stopped" not in page and 'type="submit"' in page
    _press(client)
    with app.app_context():
        assert [job.id for job in queue("provisioning").jobs] == [migrations.JOB_ID]
