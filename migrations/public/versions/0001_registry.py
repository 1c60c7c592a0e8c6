"""The force registry, custom domains and the platform audit trail.

Revision ID: p0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "p0001"
down_revision = None
branch_labels = None
depends_on = None

S = "public"


def upgrade() -> None:
    op.create_table(
        "tenant",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(40), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "active",
                "suspended",
                "decommissioned",
                name="tenantstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("schema_name", sa.String(63), nullable=False),
        sa.Column("db_role", sa.String(63), nullable=False),
        sa.Column("branding", sa.JSON(), nullable=False),
        sa.Column("idp_settings", sa.JSON(), nullable=False),
        sa.Column("welsh_enabled", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.String(64), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tenant"),
        sa.UniqueConstraint("slug", name="uq_tenant_slug"),
        sa.UniqueConstraint("schema_name", name="uq_tenant_schema_name"),
        sa.UniqueConstraint("db_role", name="uq_tenant_db_role"),
        schema=S,
    )
    op.create_table(
        "domain",
        sa.Column("hostname", sa.String(253), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], [f"{S}.tenant.id"], name="fk_domain_tenant_id_tenant"
        ),
        sa.PrimaryKeyConstraint("hostname", name="pk_domain"),
        schema=S,
    )
    op.create_table(
        "platform_audit_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tag", sa.String(64), nullable=False),
        sa.Column("actor_type", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("force_slug", sa.String(40), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_platform_audit_event"),
        schema=S,
    )
    for column in ("occurred_at", "tag", "force_slug"):
        op.create_index(
            f"ix_public_platform_audit_event_{column}", "platform_audit_event", [column], schema=S
        )


def downgrade() -> None:
    op.drop_table("platform_audit_event", schema=S)
    op.drop_table("domain", schema=S)
    op.drop_table("tenant", schema=S)
