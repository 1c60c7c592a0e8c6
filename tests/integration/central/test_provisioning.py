"""The provisioning job: an approved application becomes a live, branded force with its
identity provider and its pre-authorised administrator; it runs once however often it is
queued; a failure (or a worker killed half-way) leaves nothing half-made and a retry
finishes the job."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.central import grants
from app.central.provisioning import provision_application
from tenants.extension import tenancy
from tenants.forces import TenantStatus
from tenants.redaction import RedactedError
from tests.factories import ForceApplicationFactory, OperatorFactory
from tests.support.officers import host

SLUG = "north-yorkshire"


@pytest.fixture
def approved(app):
    """An approved application for SLUG, its provisioning queued (as approval leaves it)."""
    with app.app_context():
        operator = OperatorFactory()
        sealed = tenancy().secret_box().seal("the-client-secret")
        return ForceApplicationFactory(
            status="approved",
            slug=SLUG,
            force_name="Test North Yorkshire Police",
            colour="#1d5c3a",
            welsh_enabled=True,
            admin_email="first.admin@northyorks.police.example",
            idp_client_secret_sealed=sealed,
            provisioning_state="queued",
            decided_by=operator.id,
        )


def _row(admin_engine, application_id):
    with admin_engine.connect() as conn:
        return (
            conn.execute(
                text("SELECT * FROM public.force_application WHERE id = :i"), {"i": application_id}
            )
            .mappings()
            .one()
        )


def _exists(admin_engine, what, name):
    queries = {
        "schema": "SELECT count(*) FROM pg_namespace WHERE nspname = :n",
        "tenant": "SELECT count(*) FROM public.tenant WHERE slug = :n",
    }
    with admin_engine.connect() as conn:
        return bool(conn.execute(text(queries[what]), {"n": name}).scalar())


def test_an_approved_application_becomes_a_live_branded_force(app, admin_engine, approved):
    with app.app_context():
        assert provision_application(str(approved.id)) == "live"
        tenancy().registry.invalidate()
        force = tenancy().registry.by_slug(SLUG)

    assert force is not None and force.status is TenantStatus.ACTIVE
    assert (force.name, force.welsh_enabled, force.branding["colour"]) == (
        "Test North Yorkshire Police", True, "#1d5c3a"
    )  # fmt: skip
    assert force.idp["issuer"] == approved.idp_issuer
    assert force.idp["client_secret_sealed"] == approved.idp_client_secret_sealed
    row = _row(admin_engine, approved.id)
    assert (row["status"], row["provisioning_state"], row["provisioning_attempts"]) == (
        "live", "done", 1
    )  # fmt: skip
    site = app.test_client().get("/", headers=host(SLUG))
    assert site.status_code == 200
    assert "Test North Yorkshire Police" in site.text and "--tmc-brand:#1d5c3a" in site.text
    with admin_engine.connect() as conn:
        events = conn.execute(
            text(
                "SELECT tag, actor_type, actor_id FROM public.platform_audit_event "
                "WHERE force_slug = :s ORDER BY occurred_at"
            ),
            {"s": SLUG},
        ).all()
    actor = ("operator", str(approved.decided_by))
    assert events == [
        ("force:created", *actor),
        ("force:idp-configured", *actor),
        ("provisioning:succeeded", *actor),
    ]


def test_running_the_job_again_does_nothing(app, admin_engine, approved):
    with app.app_context():
        provision_application(str(approved.id))
        assert provision_application(str(approved.id)) == "nothing to do"
    assert _row(admin_engine, approved.id)["provisioning_attempts"] == 1


def test_the_named_administrator_is_pre_authorised_for_that_force_only(app, approved):
    with app.app_context():
        provision_application(str(approved.id))
        granted = app.extensions[grants.HOOK]
        assert granted(SLUG, "First.Admin@NorthYorks.police.example") is True
        assert granted(SLUG, "someone.else@northyorks.police.example") is False
        assert granted("kent", "first.admin@northyorks.police.example") is False


def test_an_address_a_force_already_has_fails_and_touches_that_force_not(
    app, admin_engine, approved
):
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE public.force_application SET slug = 'kent'"))
    with app.app_context(), pytest.raises(RedactedError):
        provision_application(str(approved.id))

    row = _row(admin_engine, approved.id)
    assert (row["status"], row["provisioning_state"], row["provisioning_error"]) == (
        "approved", "failed", "slug_taken"
    )  # fmt: skip
    with app.app_context():
        assert tenancy().registry.by_slug("kent").idp.get("issuer") != approved.idp_issuer
    with admin_engine.connect() as conn:
        failed = conn.execute(
            text("SELECT detail FROM public.platform_audit_event WHERE tag = 'provisioning:failed'")
        ).scalar_one()
    assert failed == {"application": str(approved.id), "error": "slug_taken"}


def test_killed_half_way_nothing_is_left_and_a_retry_finishes(app, admin_engine, approved):
    """A failure inside provisioning (a seeder here; a killed worker alike) rolls back its
    one transaction: no role, schema or registry row. Queued again, it completes."""

    def dies(conn, force):
        raise OSError("the worker was killed")

    with app.app_context():
        tenancy().add_seeder(dies)
        try:
            with pytest.raises(RedactedError):
                provision_application(str(approved.id))
        finally:
            tenancy().seeders.remove(dies)

    assert not _exists(admin_engine, "schema", "t_north_yorkshire")
    assert not _exists(admin_engine, "tenant", SLUG)
    assert _row(admin_engine, approved.id)["provisioning_error"] == "OSError"
    with admin_engine.begin() as conn:  # the console's retry
        conn.execute(text("UPDATE public.force_application SET provisioning_state = 'queued'"))
    with app.app_context():
        assert provision_application(str(approved.id)) == "live"
    assert _exists(admin_engine, "schema", "t_north_yorkshire")
    assert _row(admin_engine, approved.id)["provisioning_attempts"] == 2


def test_a_stalled_job_is_claimed_again_once_its_lease_runs_out(app, admin_engine, approved):
    with admin_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE public.force_application SET provisioning_state = 'running', "
                "provisioning_lease_until = now() + interval '5 minutes', provisioning_attempts = 1"
            )
        )
    with app.app_context():
        assert provision_application(str(approved.id)) == "nothing to do"  # still leased
    with admin_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE public.force_application "
                "SET provisioning_lease_until = now() - interval '1 second'"
            )
        )
    with app.app_context():
        assert provision_application(str(approved.id)) == "live"


def test_a_rejected_or_submitted_application_is_never_provisioned(app, admin_engine):
    with app.app_context():
        for status in ("submitted", "rejected"):
            application = ForceApplicationFactory(status=status, provisioning_state="queued")
            assert provision_application(str(application.id)) == "nothing to do"
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM public.tenant")).scalar() == 3
