"""Audit trails: one in each force schema (victim data access), one central (platform).

Rows are written in the same transaction as the action they record, so a failed request
leaves neither. They name records by id and never copy personal data into the trail.

A force's trail is append-only for the application (Data Protection Act 2018 s.62 logs
must not be altered): the force role owns its tables, so a REVOKE alone would not hold
(an owner can grant itself the right back), and a trigger refuses UPDATE and DELETE
instead. Provisioning creates it with the table (the after_create DDL below); the
tenant migration runs APPEND_ONLY_DDL for forces made before it.
"""

from __future__ import annotations

from sqlalchemy import DDL, Index, String, Table, event
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ForceModel
from tenants.models import AuditColumns, PlatformAuditEvent

__all__ = ["APPEND_ONLY_DDL", "AuditEvent", "PlatformAuditEvent"]


class AuditEvent(AuditColumns, ForceModel):
    __tablename__ = "audit_event"
    __table_args__ = (
        # The audit search: everything one person did, newest first.
        Index("ix_audit_event_actor", "actor_id", "occurred_at"),
        ForceModel.__table_args__,
    )

    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    purpose: Mapped[str | None] = mapped_column(String(200))


# Unqualified names: provisioning and the tenant migrations both run with the force's
# schema first on search_path, so the function and trigger land beside the table.
# A superuser (a DBA's maintenance, the test suite's reset between tests) is let through:
# it could drop the trigger anyway, and the application never connects as one
# (Tenancy.refuse_unsafe_login_role). No DO blocks: tenants.binding refuses them.
APPEND_ONLY_DDL = (
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
  IF current_setting('is_superuser') = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$body$""",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    """CREATE TRIGGER audit_event_append_only
BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
)

_table = AuditEvent.__table__
assert isinstance(_table, Table)
for _statement in APPEND_ONLY_DDL:
    # DDL() %-formats its text (%(table)s...): a literal % is written %%.
    _ddl = DDL(_statement.replace("%", "%%")).execute_if(dialect="postgresql")
    event.listen(_table, "after_create", _ddl)
