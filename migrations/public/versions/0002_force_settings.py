"""A force's own settings beside its branding and identity provider.

Revision ID: p0002
Revises: p0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "p0002"
down_revision = "p0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Expand only: a server default so rows written by the previous release stay valid.
    op.add_column(
        "tenant",
        sa.Column("settings", sa.JSON(), nullable=False, server_default=sa.text("'{}'")),
        schema="public",
    )


def downgrade() -> None:
    op.drop_column("tenant", "settings", schema="public")
