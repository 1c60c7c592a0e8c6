"""Approval to live site: the provisioning job, on the "provisioning" RQ queue.

An approval (or a retry) marks the application "queued" and, once that commits, hands
its id to RQ. The job claims the application under a lease (a second job, a duplicate
enqueue or a retry that raced finds it claimed and does nothing), provisions the force
(tenants: role, schema, tables, stamp, seed and registry row in ONE transaction, safe
to run again), stores its identity provider and its logo (if the application has one),
pre-authorises the named administrator and marks the application live. Any failure
marks it "failed" with the error's type only; provisioning either committed whole or
not at all, so a retry simply runs again.
The job takes the application's id and nothing else, and runs with no force bound.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any, cast

from redis.exceptions import RedisError
from sqlalchemy import Connection, Table, select, update
from sqlalchemy.dialects.postgresql import insert

from app import logos
from app.auth.idp import IdpSettings
from app.central.blueprint import CentralTag
from app.models.base import utcnow
from app.models.central import ForceAdminGrant, ForceApplication
from tenants import jobs, registry
from tenants.audit import Actor, write_platform_event
from tenants.binding import db, force_scope
from tenants.extension import tenancy
from tenants.forces import Force, NewForce
from tenants.jobs import queue
from tenants.provisioning import SlugTaken
from tenants.redaction import RedactedError, describe_error
from tenants.registry import ForceChange

log = logging.getLogger(__name__)
QUEUE = "provisioning"
LEASE = timedelta(minutes=10)
# Until the force's own administrators map their claims, officers are told which values
# of the "roles" claim their provider must send (shown on the application's IdP page).
ROLE_CLAIM = "roles"
ROLE_VALUES = {
    "officer": ("tmc-officer",),
    "supervisor": ("tmc-supervisor",),
    "admin": ("tmc-admin",),
}
_TABLE = cast(Table, ForceApplication.__table__)


# --- handing over to RQ, after the approval commits --------------------------------------


def enqueue_after_commit(application_id: uuid.UUID, attempt: int) -> None:
    """Queue the job once the current transaction commits (never for a rolled-back one)."""
    jobs.after_commit(db.session(), lambda: hand_over(str(application_id), attempt))


def hand_over(application_id: str, attempt: int) -> bool:
    """Enqueue; False (logged) if Redis is away: the console then offers to retry."""
    try:
        queue(QUEUE).enqueue(
            provision_application,
            application_id,
            job_id=f"provision-{application_id}-{attempt}",
            meta={"force": None},
            failure_ttl=7 * 24 * 3600,
        )
    except (RedisError, OSError) as error:
        log.warning("provisioning of %s not queued (%s)", application_id, type(error).__name__)
        return False
    return True


def retry(application: ForceApplication) -> bool:
    """Queue a failed (or stalled, or never picked up) provisioning again."""
    if application.status != "approved" or not is_retryable(application):
        return False
    application.provisioning_state, application.provisioning_error = "queued", None
    application.provisioning_lease_until = None
    enqueue_after_commit(application.id, application.provisioning_attempts + 1)
    return True


def is_stalled(application: ForceApplication) -> bool:
    lease = application.provisioning_lease_until
    return application.provisioning_state == "running" and bool(lease and lease < utcnow())


def is_retryable(application: ForceApplication) -> bool:
    return application.provisioning_state in ("failed", "queued") or is_stalled(application)


# --- the job -----------------------------------------------------------------------------


def provision_application(application_id: str) -> str:
    """Job: make the approved application's force live. Idempotent: safe to run twice."""
    claimed = _claim(uuid.UUID(application_id))
    if claimed is None:
        return "nothing to do"
    try:
        _provision(claimed)
    except Exception as error:
        _fail(claimed, error)
        raise RedactedError(describe_error(error)) from None
    return "live"


def _claim(application_id: uuid.UUID) -> dict[str, Any] | None:
    """Mark the application running under a lease, in its own transaction."""
    now = utcnow()
    table = _TABLE
    with db.engine.begin() as conn:
        row = conn.execute(
            update(table)
            .where(
                table.c.id == application_id,
                table.c.status == "approved",
                (table.c.provisioning_state == "queued")
                | (
                    (table.c.provisioning_state == "running")
                    & (table.c.provisioning_lease_until < now)
                ),
            )
            .values(
                provisioning_state="running",
                provisioning_attempts=table.c.provisioning_attempts + 1,
                provisioning_lease_until=now + LEASE,
            )
            .returning(*table.c)
        ).first()
    return dict(row._mapping) if row is not None else None


def _actor(claimed: dict[str, Any]) -> Actor:
    decided_by = claimed["decided_by"]
    return ("operator", str(decided_by)) if decided_by else ("system", None)


def _provision(claimed: dict[str, Any]) -> None:
    t, slug = tenancy(), claimed["slug"]
    new = NewForce(
        slug, claimed["force_name"], bool(claimed["welsh_enabled"]), {"colour": claimed["colour"]}
    )
    # The first attempt must make a new force: an existing one of that name is someone
    # else's. A retry may find the force its own earlier attempt committed.
    logo = _checked_logo(claimed)  # before anything is made: a refusal leaves nothing
    force = t.provision(new, _actor(claimed), must_be_new=claimed["provisioning_attempts"] == 1)
    logo_digest = _store_logo(force, logo)
    idp = IdpSettings(
        issuer=claimed["idp_issuer"],
        client_id=claimed["idp_client_id"],
        client_secret_sealed=claimed["idp_client_secret_sealed"],
        role_claim=ROLE_CLAIM,
        role_values=ROLE_VALUES,
    )
    t.set_idp(slug, idp.to_mapping(), _actor(claimed))
    with db.engine.begin() as conn:
        if logo_digest is not None:  # the force's pages link to it by this digest
            registry.change_force(conn, slug, ForceChange(settings={"logo": logo_digest}))
        _grant_admin(conn, claimed)
        _mark(conn, claimed["id"], status="live", provisioning_state="done",
              provisioned_at=utcnow(), provisioning_error=None)  # fmt: skip
        write_platform_event(
            conn,
            CentralTag.PROVISIONING_SUCCEEDED,
            _actor(claimed),
            force_slug=slug,
            application=str(claimed["id"]),
        )
    t.registry.invalidate()


def _checked_logo(claimed: dict[str, Any]) -> logos.Logo | None:
    """The application's logo checked again (only what app.logos passes reaches a force's
    site, whatever was written into the table); None without one. LogoRefused if not."""
    data, content_type = claimed["logo_data"], claimed["logo_content_type"]
    if not data or not content_type:
        return None
    name = "logo.svg" if content_type == "image/svg+xml" else "logo.png"
    return logos.checked(bytes(data), name)


def _store_logo(force: Force, logo: logos.Logo | None) -> str | None:
    """Keep the logo in the new force's schema, as a force administrator's upload does;
    its digest for the force's settings. A retry stores it again in the same row."""
    if logo is None:
        return None
    with force_scope(force) as session:
        return logos.store(session, logo)


def _grant_admin(conn: Connection, claimed: dict[str, Any]) -> None:
    conn.execute(
        insert(ForceAdminGrant)
        .values(
            id=uuid.uuid4(),
            force_slug=claimed["slug"],
            email=claimed["admin_email"],
            application_id=claimed["id"],
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(constraint="uq_force_admin_grant_force_slug")
    )


def _mark(conn: Connection, application_id: uuid.UUID, **values: Any) -> None:
    table = _TABLE
    conn.execute(
        update(table)
        .where(table.c.id == application_id)
        .values(provisioning_lease_until=None, **values)
    )


def _fail(claimed: dict[str, Any], error: Exception) -> None:
    code = "slug_taken" if isinstance(error, SlugTaken) else type(error).__name__[:60]
    try:
        with db.engine.begin() as conn:
            _mark(conn, claimed["id"], provisioning_state="failed", provisioning_error=code)
            write_platform_event(
                conn,
                CentralTag.PROVISIONING_FAILED,
                _actor(claimed),
                force_slug=claimed["slug"],
                application=str(claimed["id"]),
                error=code,
            )
    except Exception as recording:  # the database may be what failed: the lease runs out
        log.warning("provisioning failure not recorded (%s)", type(recording).__name__)


def state_of(application_id: uuid.UUID) -> str | None:
    """The provisioning state read now (for tests and the console)."""
    return db.session.scalar(
        select(ForceApplication.provisioning_state).where(ForceApplication.id == application_id)
    )
