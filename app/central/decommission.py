"""Decommissioning a force: grace period, export handed to the force, then removal.

An operator decommissions a suspended force: a force_decommission row records when it
may be removed (now + DECOMMISSION_GRACE_DAYS) and, once that commits, the export job
runs on the "maintenance" queue. The job binds the suspended force deliberately (jobs
for a force otherwise refuse one that is not active), writes every force table as CSV
plus a manifest into an AES-256 zip under a random password, keeps the password sealed
until an operator is shown it once (to read to the force by phone), and emails the
force's administrators a single-use download link through the central outbox. After the
grace period, and once the export was downloaded, removal (tenants.decommission, as the
admin role, so on the "provisioning" queue whose worker holds it) drops the force's
schema and role in one transaction. Every step is a platform audit event; jobs take
the decommission's id and nothing else.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import secrets
import tempfile
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pyzipper
from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import Table, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.central.blueprint import CentralTag
from app.models import Officer
from app.models.base import utcnow
from app.models.central import ForceAdminGrant, ForceApplication, ForceDecommission
from app.notifications import Kind, notify_central
from tenants import jobs, registry
from tenants.audit import SYSTEM, Actor, write_platform_event
from tenants.binding import db, force_scope, tenant_tables
from tenants.decommission import delete_force_keys, remove_force
from tenants.extension import tenancy
from tenants.forces import Force, TenantStatus
from tenants.jobs import queue
from tenants.redaction import RedactedError, describe_error

log = logging.getLogger(__name__)
EXPORT_QUEUE = "maintenance"
REMOVAL_QUEUE = "provisioning"  # its worker alone holds the admin role
LINK_LIFETIME = timedelta(days=7)
FORMAT = "trackmycrime-force-export/1"
# Unambiguous letters and digits (no 0/o, 1/l/i): read aloud over the phone.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_TABLE = cast(Table, ForceDecommission.__table__)


# --- reading ------------------------------------------------------------------------------


def _open() -> Any:
    return (ForceDecommission.cancelled_at.is_(None)) & (ForceDecommission.removed_at.is_(None))


def open_for(slug: str) -> ForceDecommission | None:
    """The force's decommission under way (not cancelled, not removed), if any."""
    return db.session.scalar(
        select(ForceDecommission).where(ForceDecommission.force_slug == slug, _open())
    )


def open_by_slug() -> dict[str, ForceDecommission]:
    """Every decommission under way, by force (for the forces page)."""
    rows = db.session.scalars(select(ForceDecommission).where(_open()))
    return {row.force_slug: row for row in rows}


def grace_days() -> int:
    """Days a decommissioned force waits, suspended, before it may be removed."""
    return int(current_app.extensions["settings"].decommission_grace_days)


def removable(row: ForceDecommission, now: datetime | None = None) -> bool:
    """Grace period over and the export downloaded: the force may be removed."""
    now = now or utcnow()
    return (
        row.cancelled_at is None
        and row.removed_at is None
        and row.export_state == "downloaded"
        and row.remove_after <= now
    )


# --- handing jobs to RQ after the request commits ----------------------------------------


def _after_commit(queue_name: str, func: Any, decommission_id: uuid.UUID, step: str) -> None:
    def hand_over() -> None:
        queue(queue_name).enqueue(
            func,
            str(decommission_id),
            job_id=f"decommission-{decommission_id}-{step}",
            meta={"force": None},
            failure_ttl=7 * 24 * 3600,
        )

    hand_over.__name__ = func.__name__  # what the log names if Redis is away
    jobs.after_commit(db.session(), hand_over)


# --- the operator's steps (in the request's transaction) ----------------------------------


def request(force: Force, operator_id: uuid.UUID) -> ForceDecommission | None:
    """Start decommissioning a suspended force and queue its export after commit; None if
    it is not suspended or is being decommissioned already (two operators at once)."""
    if force.status is not TenantStatus.SUSPENDED or open_for(force.slug) is not None:
        return None
    now = utcnow()
    grace = timedelta(days=grace_days())
    row = ForceDecommission(
        id=uuid.uuid4(),
        force_slug=force.slug,
        requested_by=operator_id,
        requested_at=now,
        remove_after=now + grace,
        export_state="queued",
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the partial unique index: another operator was first
        return None
    _after_commit(EXPORT_QUEUE, export_force, row.id, "export")
    return row


def cancel(row: ForceDecommission) -> bool:
    """Stop a decommission in its grace period (the force stays suspended); the export
    file goes once this commits."""
    db.session.refresh(row, with_for_update=True)  # the export job may be finishing
    if row.cancelled_at is not None or row.removed_at is not None:
        return False
    row.cancelled_at = utcnow()
    row.password_sealed, row.download_token_hash = None, None
    _delete_file_after_commit(row.export_file)
    return True


def take_password(row: ForceDecommission) -> str | None:
    """The export's password, cleared from the database as it is read (once only: the
    row is locked, so two operators pressing at once do not both see it)."""
    db.session.refresh(row, with_for_update=True)
    if not row.password_sealed or row.cancelled_at is not None:
        return None
    password = tenancy().secret_box().open(row.password_sealed)
    row.password_sealed, row.password_shown_at = None, utcnow()
    return password


def request_removal(row: ForceDecommission) -> bool:
    """Queue the removal job (after commit) if the force may be removed now."""
    if not removable(row):
        return False
    _after_commit(REMOVAL_QUEUE, remove_job, row.id, f"remove-{secrets.token_hex(4)}")
    return True


# --- files --------------------------------------------------------------------------------


def export_dir() -> Path:
    """The exports directory, made private (0700) if it is not there yet."""
    path = Path(current_app.extensions["settings"].exports_path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def export_path(row: ForceDecommission) -> Path | None:
    """The export file on disk, if there is one."""
    if not row.export_file:
        return None
    path = export_dir() / row.export_file
    return path if path.is_file() else None


def _delete_file(name: str | None) -> None:
    if name:
        for leftover in (name, Path(name).with_suffix(".partial").name):
            (export_dir() / leftover).unlink(missing_ok=True)


def _delete_file_after_commit(name: str | None) -> None:
    if name:
        jobs.after_commit(db.session(), lambda: _delete_file(name))


# --- the export job -----------------------------------------------------------------------


def new_password() -> str:
    """Six groups of four unambiguous characters (about 119 bits), easy to read aloud."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(6))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def table_csv(session: Session, table: Table, path: Path) -> dict[str, Any]:
    """Write every row of a force table to path as CSV, header row first, streaming from
    the database; its row count and SHA-256."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([column.name for column in table.columns])
        query = select(table).order_by(*table.primary_key.columns)
        for row in session.execute(query.execution_options(yield_per=1000)):
            writer.writerow([_cell(value) for value in row])
            count += 1
    digest = hashlib.sha256()
    with path.open("rb") as written:
        for chunk in iter(lambda: written.read(1 << 20), b""):
            digest.update(chunk)
    return {"rows": count, "sha256": digest.hexdigest()}


def write_export(force: Force, path: Path, password: str) -> dict[str, Any]:
    """Write the force's tables (bound deliberately: it is suspended) and a manifest into
    an AES-256 zip at path; the manifest. Each table goes through a file in a private
    scratch directory, so a large force is never held in memory."""
    files: list[dict[str, Any]] = []
    partial = path.with_suffix(".partial")
    with (
        tempfile.TemporaryDirectory(dir=path.parent) as scratch,
        force_scope(force) as session,
        pyzipper.AESZipFile(
            partial, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
        ) as archive,
    ):
        archive.setpassword(password.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for table in tenant_tables():
            name = f"{table.name}.csv"
            written = Path(scratch) / name
            files.append({"name": name, **table_csv(session, table, written)})
            archive.write(written, arcname=name)
            written.unlink()
        manifest = {
            "format": FORMAT,
            "force": force.slug,
            "revision": registry.revisions(db.engine).get(force.slug),
            "exported_at": utcnow().isoformat(),
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2).encode())
    partial.chmod(0o600)
    os.replace(partial, path)
    return manifest


def _claim(decommission_id: uuid.UUID) -> str | None:
    with db.engine.begin() as conn:
        return conn.scalar(
            update(_TABLE)
            .where(
                _TABLE.c.id == decommission_id,
                _TABLE.c.export_state == "queued",
                _TABLE.c.cancelled_at.is_(None),
                _TABLE.c.removed_at.is_(None),
            )
            .values(export_state="running")
            .returning(_TABLE.c.force_slug)
        )


def export_force(decommission_id: str) -> str:
    """Job (no force bound; idempotent): make the decommission's export and send its link."""
    row_id = uuid.UUID(decommission_id)
    slug = _claim(row_id)
    if slug is None:
        return "nothing to do"
    name = f"{row_id}.zip"
    try:
        force = registry.fresh_force(db.engine, slug)
        if force is None or force.status is not TenantStatus.SUSPENDED:
            raise RuntimeError("force_not_suspended")
        with force_scope(force) as session:
            admins = force_admins(session)
        password = new_password()
        manifest = write_export(force, export_dir() / name, password)
        ready = _ready(row_id, name, password, len(manifest["files"]), admins)
    except Exception as error:
        _fail(row_id, slug, name, error)
        raise RedactedError(describe_error(error)) from None
    return "ready" if ready else "cancelled"


def force_admins(session: Session) -> list[str]:
    """The email addresses of the bound force's active administrators (officers)."""
    found = session.scalars(
        select(Officer.email).where(Officer.role == "admin", Officer.active.is_(True))
    )
    return [address for address in found if address]


def recipients(slug: str, admins: list[str]) -> list[str]:
    """Where the force's download link goes: its administrators, those pre-authorised
    and the contact of the application that made it (lower case, each once)."""
    grants = db.session.scalars(
        select(ForceAdminGrant.email).where(ForceAdminGrant.force_slug == slug)
    )
    contacts = db.session.scalars(
        select(ForceApplication.contact_email).where(
            ForceApplication.slug == slug, ForceApplication.status == "live"
        )
    )
    return sorted({address.lower() for address in [*admins, *grants, *contacts] if address})


def _ready(row_id: uuid.UUID, name: str, password: str, tables: int, admins: list[str]) -> bool:
    """Record the export, seal its password and send its link; False (file deleted) if
    the decommission was cancelled while the export was being made."""
    row = db.session.get(ForceDecommission, row_id, with_for_update=True)
    assert row is not None
    if row.cancelled_at is not None:
        db.session.rollback()
        _delete_file(name)
        return False
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row.export_state, row.export_file, row.export_ready_at = "ready", name, now
    row.password_sealed = tenancy().secret_box().seal(password)
    row.download_token_hash = token_hash(token)
    row.download_expires_at = now + LINK_LIFETIME
    sent_to = recipients(row.force_slug, admins)
    for number, address in enumerate(sent_to):
        notify_central(Kind.FORCE_EXPORT_READY, address, f"/force-export/{token}",
                       dedupe_key=f"force_export:{row.id}:{number}")  # fmt: skip
    write_platform_event(db.session.connection(), CentralTag.DECOMMISSION_EXPORT_READY, SYSTEM,
                         force_slug=row.force_slug, decommission=str(row.id), tables=tables,
                         recipients=len(sent_to))  # fmt: skip
    db.session.commit()
    return True


def _fail(row_id: uuid.UUID, slug: str, name: str, error: Exception) -> None:
    db.session.rollback()
    code = str(error) if str(error) == "force_not_suspended" else type(error).__name__[:60]
    try:
        for leftover in (name, Path(name).with_suffix(".partial").name):
            (export_dir() / leftover).unlink(missing_ok=True)
        with db.engine.begin() as conn:
            conn.execute(
                update(_TABLE).where(_TABLE.c.id == row_id)
                .values(export_state="failed", export_error=code)
            )  # fmt: skip
            write_platform_event(conn, CentralTag.DECOMMISSION_EXPORT_FAILED, SYSTEM,
                                 force_slug=slug, decommission=str(row_id), error=code)  # fmt: skip
    except Exception as recording:
        log.warning("export failure not recorded (%s)", type(recording).__name__)


# --- the download link --------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_download(token: str) -> tuple[ForceDecommission | None, str | None]:
    """The decommission a download token names and, if it cannot be used, why
    ("unknown", "used" or "expired")."""
    if not token or len(token) > 100:
        return None, "unknown"
    row = db.session.scalar(
        select(ForceDecommission).where(ForceDecommission.download_token_hash == token_hash(token))
    )
    if row is None or row.cancelled_at is not None or row.removed_at is not None:
        return None, "unknown"
    if row.downloaded_at is not None:
        return row, "used"
    if row.download_expires_at is None or row.download_expires_at <= utcnow():
        return row, "expired"
    if export_path(row) is None:
        return None, "unknown"
    return row, None


def use_download(token: str) -> tuple[Path | None, ForceDecommission | None, str | None]:
    """Spend the link (row-locked: two clicks cannot both use it): the file to send."""
    row, problem = find_download(token)
    if row is None or problem is not None:
        return None, row, problem
    db.session.execute(
        select(ForceDecommission.id).where(ForceDecommission.id == row.id).with_for_update()
    )
    db.session.refresh(row)
    if row.downloaded_at is not None:
        return None, row, "used"
    row.downloaded_at, row.export_state = utcnow(), "downloaded"
    return export_path(row), row, None


# --- removal (the admin role: the provisioning worker, or the CLI) ------------------------


def remove(decommission_id: uuid.UUID, actor: Actor = SYSTEM) -> bool:
    """Drop the force's schema and role, its domains and administrator grants, mark it
    decommissioned, in ONE transaction; then its export file and Redis keys. False if it
    may not be removed yet, or was removed already (safe to run again)."""
    with tenancy().admin_engine.begin() as conn:
        row = conn.execute(
            select(_TABLE).where(_TABLE.c.id == decommission_id).with_for_update()
        ).first()
        if row is None or row.cancelled_at is not None:
            return False
        if row.removed_at is not None:
            _clean_up(row.force_slug, row.export_file)
            return False
        if row.export_state != "downloaded" or row.remove_after > utcnow():
            return False
        remove_force(conn, row.force_slug)
        conn.execute(delete(ForceAdminGrant).where(ForceAdminGrant.force_slug == row.force_slug))
        conn.execute(  # the applicant's status page says so
            update(ForceApplication)
            .where(ForceApplication.slug == row.force_slug, ForceApplication.status == "live")
            .values(status="closed")
        )
        conn.execute(
            update(_TABLE).where(_TABLE.c.id == row.id)
            .values(removed_at=utcnow(), password_sealed=None, download_token_hash=None)
        )  # fmt: skip
        write_platform_event(conn, CentralTag.FORCE_REMOVED, actor, force_slug=row.force_slug,
                             decommission=str(row.id))  # fmt: skip
    _clean_up(row.force_slug, row.export_file)
    return True


def _clean_up(slug: str, export_file: str | None) -> None:
    tenancy().registry.invalidate()
    _delete_file(export_file)
    try:
        delete_force_keys(tenancy().redis, slug)
    except (RedisError, OSError) as error:  # nothing there can be read without the force
        log.warning("keys of a removed force not deleted (%s)", type(error).__name__)


def remove_job(decommission_id: str) -> bool:
    """Job (admin role; idempotent): remove the decommissioned force an operator asked."""
    try:
        return remove(uuid.UUID(decommission_id))
    except Exception as error:
        raise RedactedError(describe_error(error)) from None


def remove_due() -> int:
    """Periodic job (admin role; idempotent): remove every force whose grace period is
    over and whose export was downloaded; how many were."""
    due = db.session.scalars(
        select(ForceDecommission.id).where(
            _open(),
            ForceDecommission.export_state == "downloaded",
            ForceDecommission.remove_after <= utcnow(),
        )
    ).all()
    db.session.rollback()
    return sum(1 for row_id in due if remove(row_id))
