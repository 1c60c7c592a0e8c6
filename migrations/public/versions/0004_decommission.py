"""Decommissioning a force: the grace period, its export and the removal, one row each.

The login role gets its rights on the new table from the admin role's default
privileges (tenants.bootstrap), as for every public table.

Revision ID: p0004
Revises: p0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "p0004"
down_revision = "p0003"
branch_labels = None
depends_on = None

S = "public"


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "force_decommission",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force_slug", sa.String(40), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        _when("requested_at", nullable=False),
        _when("remove_after", nullable=False),
        sa.Column("export_state", sa.String(12), nullable=False),
        sa.Column("export_file", sa.String(100), nullable=True),
        sa.Column("export_error", sa.String(60), nullable=True),
        _when("export_ready_at"),
        sa.Column("password_sealed", sa.Text(), nullable=True),
        _when("password_shown_at"),
        sa.Column("download_token_hash", sa.String(64), nullable=True),
        _when("download_expires_at"),
        _when("downloaded_at"),
        _when("cancelled_at"),
        _when("removed_at"),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            [f"{S}.operator.id"],
            name="fk_force_decommission_requested_by_operator",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_force_decommission"),
        sa.UniqueConstraint(
            "download_token_hash", name="uq_force_decommission_download_token_hash"
        ),
        schema=S,
    )
    op.create_index(
        "uq_force_decommission_open_slug",
        "force_decommission",
        ["force_slug"],
        unique=True,
        schema=S,
        postgresql_where=sa.text("cancelled_at IS NULL AND removed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("force_decommission", schema=S)
