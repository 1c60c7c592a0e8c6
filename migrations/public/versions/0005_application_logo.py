"""A force application's optional logo: its content type and the checked bytes
(app.logos), copied into the new force's schema when it is provisioned.

The login role's rights on force_application are table-wide, so the new columns need
no grant of their own.

Revision ID: p0005
Revises: p0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "p0005"
down_revision = "p0004"
branch_labels = None
depends_on = None

S = "public"


def upgrade() -> None:
    op.add_column(
        "force_application", sa.Column("logo_content_type", sa.String(32), nullable=True), schema=S
    )
    op.add_column(
        "force_application", sa.Column("logo_data", sa.LargeBinary(), nullable=True), schema=S
    )


def downgrade() -> None:
    op.drop_column("force_application", "logo_data", schema=S)
    op.drop_column("force_application", "logo_content_type", schema=S)
