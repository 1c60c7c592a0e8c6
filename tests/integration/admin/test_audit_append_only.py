"""The audit trail is append-only for the application, enforced by the database.

The force role owns its tables, so grants alone cannot stop it: a trigger refuses
UPDATE, DELETE and TRUNCATE on audit_event. These tests act as the application does:
the login role, bound to a force (SET LOCAL ROLE), through the app's own session.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.models import AuditEvent
from tenants.binding import force_scope
from tenants.extension import tenancy
from tenants.forces import NewForce
from tests.factories import AuditEventFactory, registered_force
from tests.support.forces import TEST_SLUGS


def _refused(slug: str, change) -> None:
    """change(session), as the application bound to slug, is refused by the database."""
    with pytest.raises(DBAPIError, match="append-only"), force_scope(registered_force(slug)) as s:
        change(s)


def _count(slug: str) -> int:
    with force_scope(registered_force(slug)) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_the_application_can_insert_and_read_audit_rows(app_context):
    row = AuditEventFactory(force="kent", tag="case:viewed", record_id="r-1")
    with force_scope(registered_force("kent")) as session:
        assert session.scalar(select(AuditEvent.record_id).where(AuditEvent.id == row.id)) == "r-1"
        assert session.scalar(text("SELECT current_user")).startswith(
            tenancy().settings.db_role_prefix
        )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET tag = 'tampered'",
        "UPDATE audit_event SET detail = '{}' WHERE id = :id",
        "DELETE FROM audit_event",
        "DELETE FROM audit_event WHERE id = :id",
        "TRUNCATE audit_event",
    ],
)
def test_the_application_cannot_change_or_remove_audit_rows(app_context, statement):
    row = AuditEventFactory(force="kent", tag="case:viewed")
    _refused("kent", lambda session: session.execute(text(statement), {"id": row.id}))
    assert _count("kent") == 1
    with force_scope(registered_force("kent")) as session:
        assert session.scalar(select(AuditEvent.tag)) == "case:viewed"


def test_the_orm_cannot_change_a_row_either(app_context):
    row = AuditEventFactory(force="kent", tag="case:viewed")

    def tamper(session):
        session.get(AuditEvent, row.id).tag = "tampered"
        session.flush()

    _refused("kent", tamper)
    _refused(
        "kent", lambda session: (session.delete(session.get(AuditEvent, row.id)), session.flush())
    )
    assert _count("kent") == 1


def test_every_force_has_the_trigger_enabled(app_context):
    """The trigger is there in every test force, enabled, on all three statements."""
    with tenancy().admin_engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT n.nspname, t.tgenabled FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relname = 'audit_event' AND t.tgname = 'audit_event_append_only'"
            )
        ).all()
    schemas = {f"t_{slug.replace('-', '_')}": "O" for slug in TEST_SLUGS}
    assert {row.nspname: row.tgenabled for row in found} == schemas


def test_a_newly_provisioned_force_is_append_only_from_the_start(app_context):
    slug = f"essex-{uuid.uuid4().hex[:6]}"
    tenancy().provision(NewForce(slug, "Essex Test Police"))
    AuditEventFactory(force=slug, tag="case:viewed")
    _refused(slug, lambda session: session.execute(text("DELETE FROM audit_event")))
    assert _count(slug) == 1
