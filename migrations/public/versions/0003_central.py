"""The central site: operators and their sessions, force applications and their emailed
links, pre-authorised force admins, and the central outbox (applicants' mail).

Revision ID: p0003
Revises: p0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "p0003"
down_revision = "p0002"
branch_labels = None
depends_on = None

S = "public"


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    _operators()
    _applications()
    _central_outbox()


def _operators() -> None:
    op.create_table(
        "operator",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(120), nullable=True),
        sa.Column("issuer", sa.String(300), nullable=True),
        sa.Column("subject", sa.String(255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _when("created_at", nullable=False),
        _when("last_signed_in_at"),
        sa.PrimaryKeyConstraint("id", name="pk_operator"),
        sa.UniqueConstraint("email", name="uq_operator_email"),
        sa.UniqueConstraint("issuer", "subject", name="uq_operator_issuer_subject"),
        schema=S,
    )
    op.create_table(
        "central_signed_in_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_kind", sa.String(10), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        _when("started_at", nullable=False),
        _when("last_seen_at", nullable=False),
        _when("ended_at"),
        sa.Column("end_reason", sa.String(20), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_central_signed_in_session"),
        schema=S,
    )
    op.create_index(
        "ix_public_central_signed_in_session_user_id",
        "central_signed_in_session",
        ["user_id"],
        schema=S,
    )


def _applications() -> None:
    op.create_table(
        "force_application",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("force_name", sa.String(120), nullable=True),
        sa.Column("slug", sa.String(40), nullable=True),
        sa.Column("contact_name", sa.String(120), nullable=True),
        sa.Column("contact_email", sa.String(254), nullable=True),
        _when("email_confirmed_at"),
        sa.Column("colour", sa.String(7), nullable=True),
        sa.Column("idp_issuer", sa.String(300), nullable=True),
        sa.Column("idp_client_id", sa.String(200), nullable=True),
        sa.Column("idp_client_secret_sealed", sa.Text(), nullable=True),
        _when("idp_checked_at"),
        sa.Column("admin_email", sa.String(254), nullable=True),
        sa.Column("welsh_enabled", sa.Boolean(), nullable=True),
        _when("agreement_accepted_at"),
        sa.Column("language", sa.String(2), nullable=False),
        _when("created_at", nullable=False),
        _when("updated_at", nullable=False),
        _when("submitted_at"),
        _when("decided_at"),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("rejection_reason", sa.String(1000), nullable=True),
        sa.Column("provisioning_state", sa.String(10), nullable=True),
        sa.Column("provisioning_attempts", sa.Integer(), nullable=False),
        _when("provisioning_lease_until"),
        sa.Column("provisioning_error", sa.String(60), nullable=True),
        _when("provisioned_at"),
        sa.ForeignKeyConstraint(
            ["decided_by"], [f"{S}.operator.id"], name="fk_force_application_decided_by_operator"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_force_application"),
        schema=S,
    )
    op.create_index("ix_public_force_application_status", "force_application", ["status"], schema=S)
    op.create_index(
        "uq_force_application_held_slug",
        "force_application",
        ["slug"],
        unique=True,
        schema=S,
        postgresql_where=sa.text("status IN ('submitted', 'approved', 'live')"),
    )
    op.create_table(
        "application_link",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        _when("created_at", nullable=False),
        _when("expires_at", nullable=False),
        _when("used_at"),
        sa.ForeignKeyConstraint(
            ["application_id"],
            [f"{S}.force_application.id"],
            name="fk_application_link_application_id_force_application",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_application_link"),
        sa.UniqueConstraint("token_hash", name="uq_application_link_token_hash"),
        schema=S,
    )
    op.create_index(
        "ix_public_application_link_application_id",
        "application_link",
        ["application_id"],
        schema=S,
    )
    op.create_table(
        "force_admin_grant",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force_slug", sa.String(40), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=True),
        _when("created_at", nullable=False),
        _when("first_used_at"),
        sa.PrimaryKeyConstraint("id", name="pk_force_admin_grant"),
        sa.UniqueConstraint("force_slug", "email", name="uq_force_admin_grant_force_slug"),
        schema=S,
    )


def _central_outbox() -> None:
    """app.models.outbox.CentralOutboxMessage (the notifications work had no migration)."""
    op.create_table(
        "central_outbox_message",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address", sa.String(320), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("link_path", sa.String(300), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reason", sa.String(40), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("due_at", nullable=False),
        _when("enqueued_at"),
        _when("lease_until"),
        _when("created_at", nullable=False),
        _when("sent_at"),
        sa.PrimaryKeyConstraint("id", name="pk_central_outbox_message"),
        sa.UniqueConstraint("dedupe_key", name="uq_central_outbox_message_dedupe_key"),
        schema=S,
    )
    op.create_index(
        "ix_central_outbox_message_status_due",
        "central_outbox_message",
        ["status", "due_at"],
        schema=S,
    )


def downgrade() -> None:
    op.drop_table("central_outbox_message", schema=S)
    op.drop_table("force_admin_grant", schema=S)
    op.drop_table("application_link", schema=S)
    op.drop_table("force_application", schema=S)
    op.drop_table("central_signed_in_session", schema=S)
    op.drop_table("operator", schema=S)
