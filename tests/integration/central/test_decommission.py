"""Decommissioning a force: only a paused one, confirmed by typing its short name; an
encrypted export of every force table whose password an operator sees once; a
single-use download link for the force; removal of its schema and role only after the
grace period and the download, safe to run twice; cancel in the grace period."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import pyzipper
from sqlalchemy import text

from app.central import decommission
from app.models.base import utcnow
from app.models.central import ForceAdminGrant
from tenants.audit import SYSTEM, TenancyTag
from tenants.binding import tenant_tables
from tenants.decommission import RemovalRefused, remove_force
from tenants.extension import tenancy
from tenants.forces import NewForce, TenantStatus
from tenants.jobs import queue
from tenants.provisioning import ForceDecommissioned
from tenants.redaction import RedactedError
from tests.factories import (
    CaseFactory,
    ForceApplicationFactory,
    OfficerFactory,
    PublicModelFactory,
)
from tests.integration.central.support import count, post_form
from tests.support.officers import csrf_token, host
from tests.support.operators import CENTRAL_HOST, as_operator
from tests.support.processes import ROOT, run_flask

SLUG = "north-yorkshire"
NAME = "Test North Yorkshire Police"
ADMIN = "first.admin@northyorks.police.example"
OFFICER_ADMIN = "chief.admin@northyorks.police.example"


class GrantFactory(PublicModelFactory):
    class Meta:
        model = ForceAdminGrant


@pytest.fixture
def paused(app):
    """A new force (seeded tables, officers, a case), with a pre-authorised administrator
    and an administrator officer, suspended."""
    with app.app_context():
        t = tenancy()
        force = t.provision(NewForce(SLUG, NAME))
        GrantFactory(id=uuid.uuid4(), force_slug=SLUG, email=ADMIN, created_at=utcnow())
        OfficerFactory(force=SLUG, role="admin", email=OFFICER_ADMIN)
        OfficerFactory(force=SLUG, role="officer")  # not an administrator: not told
        CaseFactory(force=SLUG)
        t.change_status(SLUG, TenantStatus.SUSPENDED, TenantStatus.ACTIVE,
                        TenancyTag.FORCE_SUSPENDED, SYSTEM)  # fmt: skip
    return force


def _row(admin_engine):
    with admin_engine.connect() as conn:
        return (
            conn.execute(
                text("SELECT * FROM public.force_decommission WHERE force_slug = :s"), {"s": SLUG}
            )
            .mappings()
            .one()
        )


def _set(admin_engine, **values):
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    with admin_engine.begin() as conn:
        conn.execute(
            text(f"UPDATE public.force_decommission SET {assignments} WHERE force_slug = :slug"),
            {**values, "slug": SLUG},
        )


def _tags(admin_engine):
    with admin_engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT tag FROM public.platform_audit_event WHERE force_slug = :s "
                "ORDER BY occurred_at"
            ),
            {"s": SLUG},
        ).scalars().all()  # fmt: skip


def _press(client, path):
    page = client.get(path, headers=CENTRAL_HOST)
    assert page.status_code == 200, (path, page.status_code)
    return client.post(path, headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)})


def _decommissioned(app, client, admin_engine):
    """Decommission SLUG through the console and run its export job; the row."""
    sent = post_form(client, f"/console/forces/{SLUG}/decommission", {"slug": SLUG})
    assert sent.status_code == 302
    assert (
        "Decommissioning the force"
        in client.get(sent.headers["Location"], headers=CENTRAL_HOST).text
    )
    row = _row(admin_engine)
    with app.app_context():
        assert decommission.export_force(str(row["id"])) == "ready"
    return _row(admin_engine)


def _export_link(admin_engine):
    with admin_engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT address, link_path FROM public.central_outbox_message "
                "WHERE kind = 'force_export_ready'"
            )
        ).all()
    assert sorted(address for address, _ in found) == sorted([ADMIN, OFFICER_ADMIN])
    assert len({link for _, link in found}) == 1
    return found[0][1]


def _show_password(client):
    shown = _press(client, f"/console/forces/{SLUG}/decommission/password")
    assert shown.status_code == 200
    start = shown.text.index('id="export-password">') + len('id="export-password">')
    return shown.text[start : shown.text.index("</code>", start)]


# --- asking ------------------------------------------------------------------------------


def test_only_a_paused_force_can_be_decommissioned(app, client, admin_engine):
    as_operator(app, client)
    forces = client.get("/console/forces", headers=CENTRAL_HOST).text
    assert "/console/forces/kent/decommission" not in forces  # kent is live
    page = client.get("/console/forces/kent/decommission", headers=CENTRAL_HOST)
    assert page.status_code == 302
    token = csrf_token(client.get("/console/forces", headers=CENTRAL_HOST).text)
    client.post("/console/forces/kent/decommission", headers=CENTRAL_HOST,
                data={"csrf_token": token, "slug": "kent"})  # fmt: skip
    assert count(admin_engine, "force_decommission") == 0


@pytest.mark.parametrize("slug", ["no-such-force", "x" * 10_000, "<script>alert(1)</script>"])
def test_an_unknown_or_hostile_slug_is_a_404(app, client, slug):
    as_operator(app, client)
    for path in ("decommission", "decommission/password", "decommission/cancel",
                 "decommission/remove"):  # fmt: skip
        answer = client.get(f"/console/forces/{slug}/{path}", headers=CENTRAL_HOST)
        assert answer.status_code == 404, path


@pytest.mark.parametrize(
    "typed", ["kent", "North-Yorkshire", "x" * 10_000, "<b>north-yorkshire</b>", "", "   "]
)
def test_typing_the_wrong_short_name_creates_nothing(app, client, admin_engine, paused, typed):
    as_operator(app, client)
    answer = post_form(client, f"/console/forces/{SLUG}/decommission", {"slug": typed})
    assert answer.status_code == 200
    assert "There is a problem" in answer.text
    assert ("does not match" in answer.text) or ("Type the force" in answer.text)
    assert "<b>north-yorkshire</b>" not in answer.text
    assert count(admin_engine, "force_decommission") == 0


def test_a_post_without_csrf_creates_nothing(app, client, admin_engine, paused):
    as_operator(app, client)
    answer = client.post(f"/console/forces/{SLUG}/decommission", headers=CENTRAL_HOST,
                         data={"slug": SLUG})  # fmt: skip
    assert answer.status_code in (200, 400)
    assert count(admin_engine, "force_decommission") == 0


def test_decommissioning_queues_an_export_job_that_takes_the_id_only(
    app, client, admin_engine, paused
):
    as_operator(app, client)
    forces = client.get("/console/forces", headers=CENTRAL_HOST).text
    assert f"/console/forces/{SLUG}/decommission" in forces
    page = client.get(f"/console/forces/{SLUG}/decommission", headers=CENTRAL_HOST).text
    assert "cannot be brought back" in page and "30 days" in page

    sent = post_form(client, f"/console/forces/{SLUG}/decommission", {"slug": SLUG})

    assert sent.status_code == 302
    row = _row(admin_engine)
    assert row["export_state"] == "queued"
    grace = row["remove_after"] - row["requested_at"]
    assert grace == timedelta(days=30)
    with app.app_context():
        jobs = [j for j in queue("maintenance").jobs if j.func_name.endswith("export_force")]
    assert [job.args for job in jobs] == [(str(row["id"]),)]
    assert "decommission:requested" in _tags(admin_engine)
    forces = client.get("/console/forces", headers=CENTRAL_HOST).text
    assert "Being decommissioned" in forces and "waiting for a worker" in forces
    # It stays paused, and cannot be resumed while it is being decommissioned.
    assert app.test_client().get("/", headers=host(SLUG)).status_code == 503
    resume = f"/console/forces/{SLUG}/resume"
    assert client.get(resume, headers=CENTRAL_HOST).status_code == 302
    token = csrf_token(client.get("/console/forces", headers=CENTRAL_HOST).text)
    client.post(resume, headers=CENTRAL_HOST, data={"csrf_token": token})
    with app.app_context():
        assert tenancy().registry.by_slug(SLUG).status is TenantStatus.SUSPENDED
    # A second decommission of the same force is refused.
    again = client.get(f"/console/forces/{SLUG}/decommission", headers=CENTRAL_HOST)
    assert again.status_code == 302 and count(admin_engine, "force_decommission") == 1


# --- the export --------------------------------------------------------------------------


def _table_counts(admin_engine, schema):
    with admin_engine.connect() as conn:
        return {
            t.name: conn.execute(text(f'SELECT count(*) FROM "{schema}"."{t.name}"')).scalar()
            for t in tenant_tables()
        }


def test_the_export_opens_with_the_password_shown_once_and_holds_every_table(
    app, client, admin_engine, paused
):
    as_operator(app, client)
    row = _decommissioned(app, client, admin_engine)
    assert row["export_state"] == "ready" and row["password_sealed"]
    with app.app_context():
        path = Path(app.extensions["settings"].exports_path) / row["export_file"]
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700

    password = _show_password(client)

    assert _row(admin_engine)["password_sealed"] is None  # gone once shown
    with pyzipper.AESZipFile(path) as archive:
        with pytest.raises(RuntimeError):
            archive.read("manifest.json")  # no password: no content
        archive.setpassword(password.encode())
        manifest = json.loads(archive.read("manifest.json"))
        files = {f["name"]: f for f in manifest["files"]}
        contents = {name: archive.read(name) for name in files}
    assert manifest["force"] == SLUG and manifest["revision"] and manifest["exported_at"]
    expected = _table_counts(admin_engine, paused.schema_name)
    assert set(files) == {f"{name}.csv" for name in expected}
    assert sum(expected.values()) > 0
    for name, rows in expected.items():
        content = contents[f"{name}.csv"]
        assert files[f"{name}.csv"]["rows"] == rows, name
        assert files[f"{name}.csv"]["sha256"] == hashlib.sha256(content).hexdigest()
        assert len(list(csv.reader(io.StringIO(content.decode())))) == rows + 1  # header
    # The password cannot be shown twice.
    again = _press(client, f"/console/forces/{SLUG}/decommission/password")
    assert again.status_code == 302 and 'id="export-password"' not in again.text
    tags = _tags(admin_engine)
    assert "decommission:export-ready" in tags and "decommission:password-shown" in tags
    # Nothing of the password or the link's token is in the trail.
    with admin_engine.connect() as conn:
        details = conn.execute(text("SELECT detail::text FROM public.platform_audit_event")).all()
    token = _export_link(admin_engine).rsplit("/", 1)[1]
    assert not any(password in d or token in d for (d,) in details)


def test_the_export_job_runs_once(app, client, admin_engine, paused):
    as_operator(app, client)
    row = _decommissioned(app, client, admin_engine)
    with app.app_context():
        assert decommission.export_force(str(row["id"])) == "nothing to do"
    # One mail per address (the pre-authorised administrator and the officer administrator).
    assert count(admin_engine, "central_outbox_message", "kind = 'force_export_ready'") == 2


def test_a_cancel_while_the_export_is_made_sends_nothing_and_keeps_no_file(
    app, client, admin_engine, paused, monkeypatch
):
    as_operator(app, client)
    post_form(client, f"/console/forces/{SLUG}/decommission", {"slug": SLUG})
    made = decommission.write_export

    def cancelled_meanwhile(*args):
        manifest = made(*args)
        _set(admin_engine, cancelled_at=utcnow())
        return manifest

    monkeypatch.setattr(decommission, "write_export", cancelled_meanwhile)
    with app.app_context():
        assert decommission.export_force(str(_row(admin_engine)["id"])) == "cancelled"
        exports = Path(app.extensions["settings"].exports_path)
    assert count(admin_engine, "central_outbox_message", "kind = 'force_export_ready'") == 0
    assert _row(admin_engine)["password_sealed"] is None
    assert not list(exports.glob(f"{_row(admin_engine)['id']}*"))


def test_an_export_of_a_force_resumed_in_between_fails_and_says_so(
    app, client, admin_engine, paused
):
    as_operator(app, client)
    post_form(client, f"/console/forces/{SLUG}/decommission", {"slug": SLUG})
    with admin_engine.begin() as conn:
        conn.execute(
            text("UPDATE public.tenant SET status = 'active' WHERE slug = :s"), {"s": SLUG}
        )
    with app.app_context(), pytest.raises(RedactedError):
        decommission.export_force(str(_row(admin_engine)["id"]))
    row = _row(admin_engine)
    assert (row["export_state"], row["export_error"]) == ("failed", "force_not_suspended")
    assert "decommission:export-failed" in _tags(admin_engine)


# --- the download link -------------------------------------------------------------------


def test_the_download_link_works_once(app, client, admin_engine, paused):
    as_operator(app, client)
    row = _decommissioned(app, client, admin_engine)
    link = _export_link(admin_engine)
    force_side = app.test_client()

    page = force_side.get(link, headers=CENTRAL_HOST)
    assert page.status_code == 200 and "Download the export" in page.text
    download = force_side.post(link, headers=CENTRAL_HOST,
                               data={"csrf_token": csrf_token(page.text)})  # fmt: skip

    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/zip"
    with app.app_context():
        path = Path(app.extensions["settings"].exports_path) / row["export_file"]
    assert download.data == path.read_bytes()
    download.close()
    assert _row(admin_engine)["export_state"] == "downloaded"
    assert "decommission:export-downloaded" in _tags(admin_engine)
    used = force_side.get(link, headers=CENTRAL_HOST)
    assert used.status_code == 410 and "already been used" in used.text
    reused = force_side.post(link, headers=CENTRAL_HOST,
                             data={"csrf_token": csrf_token(page.text)})  # fmt: skip
    assert reused.status_code == 410 and "already been used" in reused.text


def test_an_expired_or_unknown_download_link_says_so(app, client, admin_engine, paused):
    as_operator(app, client)
    _decommissioned(app, client, admin_engine)
    link = _export_link(admin_engine)
    _set(admin_engine, download_expires_at=utcnow() - timedelta(minutes=1))

    expired = app.test_client().get(link, headers=CENTRAL_HOST)
    assert expired.status_code == 410 and "has expired" in expired.text
    for token in ("x" * 43, "x" * 10_000, "%3Cscript%3E"):
        unknown = app.test_client().get(f"/force-export/{token}", headers=CENTRAL_HOST)
        assert unknown.status_code == 404 and "not valid" in unknown.text
    assert _row(admin_engine)["downloaded_at"] is None


# --- removal -----------------------------------------------------------------------------


def _exists(admin_engine, force):
    with admin_engine.connect() as conn:
        return (
            bool(conn.execute(text("SELECT count(*) FROM pg_namespace WHERE nspname = :n"),
                              {"n": force.schema_name}).scalar()),
            bool(conn.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = :n"),
                              {"n": force.db_role}).scalar()),
        )  # fmt: skip


def _download(app, admin_engine):
    link = _export_link(admin_engine)
    force_side = app.test_client()
    page = force_side.get(link, headers=CENTRAL_HOST)
    answer = force_side.post(link, headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)})
    assert answer.status_code == 200
    answer.close()


def test_removal_waits_for_the_grace_period_and_the_download(app, client, admin_engine, paused):
    as_operator(app, client)
    row = _decommissioned(app, client, admin_engine)
    remove_page = f"/console/forces/{SLUG}/decommission/remove"

    with app.app_context():
        assert decommission.remove(row["id"]) is False  # neither downloaded nor past grace
    _set(admin_engine, remove_after=utcnow() - timedelta(minutes=1))
    with app.app_context():
        assert decommission.remove(row["id"]) is False  # past grace, not downloaded
        assert decommission.remove_due() == 0
    assert client.get(remove_page, headers=CENTRAL_HOST).status_code == 302
    assert remove_page not in client.get("/console/forces", headers=CENTRAL_HOST).text
    _set(admin_engine, remove_after=utcnow() + timedelta(days=1))
    _download(app, admin_engine)
    with app.app_context():
        assert decommission.remove(row["id"]) is False  # downloaded, still in grace
    assert client.get(remove_page, headers=CENTRAL_HOST).status_code == 302
    assert _exists(admin_engine, paused) == (True, True)


def test_remove_now_removes_schema_role_and_everything_once(app, client, admin_engine, paused):
    as_operator(app, client)
    row = _decommissioned(app, client, admin_engine)
    _download(app, admin_engine)
    _set(admin_engine, remove_after=utcnow() - timedelta(minutes=1))
    with app.app_context():
        tenancy().redis.set(f"tmc:{SLUG}:cache:probe", "1")
        tenancy().redis.set("tmc:kent:cache:probe", "1")
        ForceApplicationFactory(slug=SLUG, status="live")  # the application that made it
    assert (
        f"/console/forces/{SLUG}/decommission/remove"
        in client.get("/console/forces", headers=CENTRAL_HOST).text
    )

    pressed = _press(client, f"/console/forces/{SLUG}/decommission/remove")

    assert pressed.status_code == 302
    with app.app_context():
        jobs = [j for j in queue("provisioning").jobs if j.func_name.endswith("remove_job")]
        assert [job.args for job in jobs] == [(str(row["id"]),)]
        assert decommission.remove_job(str(row["id"])) is True
        assert decommission.remove_job(str(row["id"])) is False  # twice is safe
        assert tenancy().redis.get(f"tmc:{SLUG}:cache:probe") is None
        assert tenancy().redis.get("tmc:kent:cache:probe") == b"1"
        tenancy().redis.delete("tmc:kent:cache:probe")
        path = Path(app.extensions["settings"].exports_path) / row["export_file"]
    assert _exists(admin_engine, paused) == (False, False)
    assert not path.exists()
    with admin_engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM public.tenant WHERE slug = :s"),
                              {"s": SLUG}).scalar()  # fmt: skip
    assert status == "decommissioned"
    assert count(admin_engine, "force_admin_grant", f"force_slug = '{SLUG}'") == 0
    assert count(admin_engine, "force_application", f"slug = '{SLUG}' AND status = 'closed'") == 1
    assert _row(admin_engine)["removed_at"] is not None
    assert app.test_client().get("/", headers=host(SLUG)).status_code == 404
    assert f'id="force-{SLUG}"' not in client.get("/console/forces", headers=CENTRAL_HOST).text
    tags = _tags(admin_engine)
    for tag in ("decommission:requested", "decommission:export-ready",
                "decommission:export-downloaded", "decommission:removal-requested",
                "force:removed"):  # fmt: skip
        assert tag in tags, tag
    assert tags.count("force:removed") == 1
    audit = client.get(f"/console/audit?force={SLUG}", headers=CENTRAL_HOST).text
    assert "force:removed" in audit
    # Provisioning it again (the demo's setup runs at every start) brings nothing back.
    with app.app_context(), pytest.raises(ForceDecommissioned):
        tenancy().provision(NewForce(SLUG, NAME))
    assert _exists(admin_engine, paused) == (False, False)


def test_the_database_part_refuses_a_live_force(app, admin_engine):
    with app.app_context(), tenancy().admin_engine.begin() as conn:
        with pytest.raises(RemovalRefused, match="only a suspended one"):
            remove_force(conn, "kent")
        with pytest.raises(RemovalRefused, match="no force"):
            remove_force(conn, "no-such-force")
    with admin_engine.connect() as conn:
        assert conn.execute(
            text("SELECT count(*) FROM pg_namespace WHERE nspname = 't_kent'")
        ).scalar()


def test_the_periodic_job_removes_what_is_due(app, client, admin_engine, paused):
    as_operator(app, client)
    _decommissioned(app, client, admin_engine)
    _download(app, admin_engine)
    _set(admin_engine, remove_after=utcnow() - timedelta(minutes=1))
    with app.app_context():
        assert decommission.remove_due() == 1
        assert decommission.remove_due() == 0
    assert _exists(admin_engine, paused) == (False, False)


def test_cancel_in_the_grace_period_keeps_the_force_paused(app, client, admin_engine, paused):
    as_operator(app, client)
    row = _decommissioned(app, client, admin_engine)
    with app.app_context():
        path = Path(app.extensions["settings"].exports_path) / row["export_file"]
    assert path.exists()

    assert _press(client, f"/console/forces/{SLUG}/decommission/cancel").status_code == 302

    row = _row(admin_engine)
    assert row["cancelled_at"] is not None and row["password_sealed"] is None
    assert not path.exists()
    assert app.test_client().get("/", headers=host(SLUG)).status_code == 503
    assert _exists(admin_engine, paused) == (True, True)
    assert "decommission:cancelled" in _tags(admin_engine)
    link = _export_link(admin_engine)
    assert app.test_client().get(link, headers=CENTRAL_HOST).status_code == 404
    with app.app_context():
        assert decommission.remove(row["id"]) is False
    # ...and it can be resumed, or decommissioned again.
    forces = client.get("/console/forces", headers=CENTRAL_HOST).text
    assert f"/console/forces/{SLUG}/resume" in forces
    assert f"/console/forces/{SLUG}/decommission" in forces


# --- the whole story with real workers -----------------------------------------------------


def _worker_env(services, settings, admin: bool) -> dict[str, str]:
    """A worker's environment; only the provisioning queue's worker has the admin role."""
    env = {
        **os.environ,
        "TMC_ENV": "test",
        "DATABASE_URL": services.app_url,
        "REDIS_URL": services.redis_url,
        "DB_ROLE_PREFIX": settings.db_role_prefix,
        "EXPORT_DIR": str(settings.exports_path),
        "PYTHONPATH": str(ROOT),
    }
    if admin:
        env["ADMIN_DATABASE_URL"] = services.admin_url
    return env


def test_real_workers_export_and_remove_the_force(
    app, client, admin_engine, paused, services, settings
):
    as_operator(app, client)
    assert (
        post_form(client, f"/console/forces/{SLUG}/decommission", {"slug": SLUG}).status_code == 302
    )

    # The export, by a worker on the maintenance queue (no admin role).
    done = run_flask(_worker_env(services, settings, admin=False), "worker", "--queue",
                     "maintenance", "--burst")  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert _row(admin_engine)["export_state"] == "ready"
    password = _show_password(client)
    _download(app, admin_engine)
    with pyzipper.AESZipFile(settings.exports_path / _row(admin_engine)["export_file"]) as archive:
        archive.setpassword(password.encode())
        assert json.loads(archive.read("manifest.json"))["force"] == SLUG
    _set(admin_engine, remove_after=utcnow() - timedelta(minutes=1))

    # "Remove now", run by the provisioning queue's worker, which holds the admin role.
    assert _press(client, f"/console/forces/{SLUG}/decommission/remove").status_code == 302
    done = run_flask(_worker_env(services, settings, admin=True), "worker", "--queue",
                     "provisioning", "--burst")  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert _exists(admin_engine, paused) == (False, False)
    assert _row(admin_engine)["removed_at"] is not None
