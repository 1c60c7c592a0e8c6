"""A force's first tables: audit trail, cases, support directory.

Revision ID: t0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "t0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tag", sa.String(64), nullable=False),
        sa.Column("actor_type", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("record_type", sa.String(40), nullable=True),
        sa.Column("record_id", sa.String(64), nullable=True),
        sa.Column("purpose", sa.String(200), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_event"),
    )
    for column in ("occurred_at", "tag", "record_id"):
        op.create_index(f"ix_tenant_audit_event_{column}", "audit_event", [column])
    op.create_table(
        "case",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("crime_reference", sa.String(40), nullable=False),
        sa.Column("offence_category", sa.String(60), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case"),
        sa.UniqueConstraint("crime_reference", name="uq_case_crime_reference"),
    )
    op.create_index("ix_tenant_case_created_at", "case", ["created_at"])
    op.create_table(
        "support_service",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("phone", sa.String(30), nullable=True),
        sa.Column("url", sa.String(200), nullable=True),
        sa.Column("national", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_support_service"),
        sa.UniqueConstraint("key", name="uq_support_service_key"),
    )


def downgrade() -> None:
    op.drop_table("support_service")
    op.drop_table("case")
    op.drop_table("audit_event")
