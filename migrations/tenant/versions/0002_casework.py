"""The case model and what hangs off it: officers, victims, events, Victims' Code duties,
messages, property, invites and accounts, server-side sessions, the outbox, API clients,
rights requests, feedback, force administration; the audit trail made append-only.

Expand only: new tables, nullable columns, and NOT NULL columns with server defaults so
existing rows (and the previous release, during a deploy) stay valid.

Revision ID: t0002
Revises: t0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "t0002"
down_revision = "t0001"
branch_labels = None
depends_on = None

APPEND_ONLY_FUNCTION = """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
  IF current_setting('is_superuser') = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$body$"""


def upgrade() -> None:
    op.create_table(
        "api_client",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_client")),
        sa.UniqueConstraint("client_id", name=op.f("uq_api_client_client_id")),
    )
    op.create_index(
        op.f("ix_tenant_api_client_created_at"), "api_client", ["created_at"], unique=False
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("milestone", sa.String(length=20), nullable=False),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=False),
        sa.Column("saved_call", sa.String(length=20), nullable=False),
        sa.Column("improvement", sa.Text(), nullable=True),
        sa.Column("given_in", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index("ix_feedback_month", "feedback", ["given_in"], unique=False)
    op.create_table(
        "offence_category",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_cy", sa.String(length=120), nullable=False),
        sa.Column("offered", sa.Boolean(), nullable=False),
        sa.Column("automatic_contact_default", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_offence_category")),
    )
    op.create_table(
        "officer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("collar_number", sa.String(length=20), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("team", sa.String(length=60), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer")),
        sa.UniqueConstraint("issuer", "subject", name="uq_officer_issuer_subject"),
    )
    op.create_index(
        op.f("ix_tenant_officer_collar_number"), "officer", ["collar_number"], unique=False
    )
    op.create_index(op.f("ix_tenant_officer_created_at"), "officer", ["created_at"], unique=False)
    op.create_index(op.f("ix_tenant_officer_team"), "officer", ["team"], unique=False)
    op.create_table(
        "outbox_message",
        sa.Column("recipient_kind", sa.String(length=10), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("link_path", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_message_dedupe_key")),
    )
    op.create_index(
        "ix_outbox_message_status_due", "outbox_message", ["status", "due_at"], unique=False
    )
    op.create_index(
        op.f("ix_tenant_outbox_message_case_id"), "outbox_message", ["case_id"], unique=False
    )
    op.create_table(
        "signed_in_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signed_in_session")),
    )
    op.create_index(
        op.f("ix_tenant_signed_in_session_user_id"), "signed_in_session", ["user_id"], unique=False
    )
    op.create_table(
        "update_template",
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_cy", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_type", name=op.f("pk_update_template")),
    )
    op.create_table(
        "victim",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("mobile", sa.String(length=30), nullable=True),
        sa.Column("preferred_language", sa.String(length=2), nullable=False),
        sa.Column("contact_channel", sa.String(length=10), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=False),
        sa.Column("safe_from", sa.Time(), nullable=True),
        sa.Column("safe_until", sa.Time(), nullable=True),
        sa.Column("safety_flags", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("account_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("totp_secret_sealed", sa.String(length=300), nullable=True),
        sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim")),
    )
    op.create_index(op.f("ix_tenant_victim_created_at"), "victim", ["created_at"], unique=False)
    op.create_index(op.f("ix_tenant_victim_email"), "victim", ["email"], unique=False)
    op.create_index(
        "uq_victim_account_email",
        "victim",
        ["email"],
        unique=True,
        postgresql_where=sa.text("password_hash IS NOT NULL"),
    )
    op.create_table(
        "brand_asset",
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["officer.id"], name=op.f("fk_brand_asset_uploaded_by_officer")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_brand_asset")),
    )
    op.create_index(
        op.f("ix_tenant_brand_asset_uploaded_at"), "brand_asset", ["uploaded_at"], unique=False
    )
    op.create_table(
        "idempotency_key",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.JSON(), nullable=True),
        sa.Column("response_location", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["api_client.id"], name=op.f("fk_idempotency_key_client_id_api_client")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_key")),
        sa.UniqueConstraint("client_id", "key", name="uq_idempotency_key_client_key"),
    )
    op.create_index(
        op.f("ix_tenant_idempotency_key_client_id"), "idempotency_key", ["client_id"], unique=False
    )
    op.create_index(
        op.f("ix_tenant_idempotency_key_created_at"),
        "idempotency_key",
        ["created_at"],
        unique=False,
    )
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_password_reset_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_hash")),
    )
    op.create_index(
        op.f("ix_tenant_password_reset_created_at"), "password_reset", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_tenant_password_reset_victim_id"), "password_reset", ["victim_id"], unique=False
    )
    op.create_table(
        "subject_access_export",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("downloaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_sealed", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["officer.id"],
            name=op.f("fk_subject_access_export_requested_by_officer"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_subject_access_export_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_access_export")),
    )
    op.create_index(
        op.f("ix_tenant_subject_access_export_requested_at"),
        "subject_access_export",
        ["requested_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_tenant_subject_access_export_requested_by"),
        "subject_access_export",
        ["requested_by"],
        unique=False,
    )
    op.create_index(
        op.f("ix_tenant_subject_access_export_victim_id"),
        "subject_access_export",
        ["victim_id"],
        unique=False,
    )
    op.create_table(
        "case_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_by", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("victim_text", sa.Text(), nullable=True),
        sa.Column("victim_text_cy", sa.Text(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_case_event_case_id_case")),
        sa.ForeignKeyConstraint(
            ["posted_by"], ["officer.id"], name=op.f("fk_case_event_posted_by_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    op.create_index(
        "ix_case_event_case_occurred", "case_event", ["case_id", "occurred_at"], unique=False
    )
    op.create_table(
        "case_representative",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by"], ["officer.id"], name=op.f("fk_case_representative_added_by_officer")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_representative_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["victim.id"], name=op.f("fk_case_representative_person_id_victim")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_case_representative_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_representative")),
    )
    op.create_index(
        "ix_case_representative_case", "case_representative", ["case_id", "victim_id"], unique=False
    )
    op.create_index(
        op.f("ix_tenant_case_representative_added_at"),
        "case_representative",
        ["added_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_tenant_case_representative_person_id"),
        "case_representative",
        ["person_id"],
        unique=False,
    )
    op.create_table(
        "case_victim",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_case_victim_case_id_case")),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_case_victim_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("case_id", "victim_id", name=op.f("pk_case_victim")),
    )
    op.create_index(
        op.f("ix_tenant_case_victim_victim_id"), "case_victim", ["victim_id"], unique=False
    )
    op.create_table(
        "feedback_prompt",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("milestone", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_feedback_prompt_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_feedback_prompt_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint(
            "victim_id", "case_id", "milestone", name=op.f("pk_feedback_prompt")
        ),
    )
    op.create_table(
        "invite",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_invite_case_id_case")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["officer.id"], name=op.f("fk_invite_created_by_officer")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_invite_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invite_token_hash")),
    )
    op.create_index(op.f("ix_tenant_invite_created_at"), "invite", ["created_at"], unique=False)
    op.create_index(op.f("ix_tenant_invite_victim_id"), "invite", ["victim_id"], unique=False)
    op.create_table(
        "message",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=True),
        sa.Column("officer_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("in_reply_to", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_by_officer_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_by_victim_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_message_case_id_case")),
        sa.ForeignKeyConstraint(
            ["in_reply_to"], ["message.id"], name=op.f("fk_message_in_reply_to_message")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_message_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_message_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    op.create_index("ix_message_case_created", "message", ["case_id", "created_at"], unique=False)
    op.create_index(
        "ix_message_unanswered",
        "message",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("officer_id IS NULL AND answered_at IS NULL"),
    )
    op.create_index(op.f("ix_tenant_message_created_at"), "message", ["created_at"], unique=False)
    op.create_table(
        "property_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("make", sa.String(length=80), nullable=True),
        sa.Column("model", sa.String(length=80), nullable=True),
        sa.Column("serial_number", sa.String(length=80), nullable=True),
        sa.Column("value_pence", sa.Integer(), nullable=True),
        sa.Column("marks", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_property_item_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_property_item_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_property_item")),
    )
    op.create_index(
        op.f("ix_tenant_property_item_case_id"), "property_item", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_tenant_property_item_created_at"), "property_item", ["created_at"], unique=False
    )
    op.create_table(
        "duty",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("duty", sa.String(length=40), nullable=False),
        sa.Column("ruleset", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("met_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("met_by_event_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_duty_case_id_case")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["case_event.id"], name=op.f("fk_duty_event_id_case_event")
        ),
        sa.ForeignKeyConstraint(
            ["met_by_event_id"], ["case_event.id"], name=op.f("fk_duty_met_by_event_id_case_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty")),
    )
    op.create_index(
        "ix_duty_open_due",
        "duty",
        ["due_on"],
        unique=False,
        postgresql_where=sa.text("met_at IS NULL"),
    )
    op.create_index(op.f("ix_tenant_duty_case_id"), "duty", ["case_id"], unique=False)
    op.create_index(op.f("ix_tenant_duty_created_at"), "duty", ["created_at"], unique=False)
    op.create_table(
        "complaint",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("wanted", sa.Text(), nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("routed_to", sa.String(length=30), nullable=False),
        sa.Column("acknowledge_duty_id", sa.Uuid(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Uuid(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.Uuid(), nullable=True),
        sa.Column("answer_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledge_duty_id"], ["duty.id"], name=op.f("fk_complaint_acknowledge_duty_id_duty")
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"], ["officer.id"], name=op.f("fk_complaint_acknowledged_by_officer")
        ),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["officer.id"], name=op.f("fk_complaint_answered_by_officer")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_complaint_case_id_case")),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_complaint_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    )
    op.create_index("ix_complaint_case", "complaint", ["case_id", "made_at"], unique=False)
    op.create_index(
        "ix_complaint_open",
        "complaint",
        ["made_at"],
        unique=False,
        postgresql_where=sa.text("answered_at IS NULL"),
    )
    op.create_index(op.f("ix_tenant_complaint_made_at"), "complaint", ["made_at"], unique=False)
    op.create_index(op.f("ix_tenant_complaint_victim_id"), "complaint", ["victim_id"], unique=False)
    op.create_table(
        "personal_statement_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("delivery", sa.String(length=20), nullable=False),
        sa.Column("contact_note", sa.Text(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duty_id", sa.Uuid(), nullable=True),
        sa.Column("taken_on", sa.Date(), nullable=True),
        sa.Column("taken_recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("taken_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_personal_statement_request_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["duty_id"], ["duty.id"], name=op.f("fk_personal_statement_request_duty_id_duty")
        ),
        sa.ForeignKeyConstraint(
            ["taken_by"],
            ["officer.id"],
            name=op.f("fk_personal_statement_request_taken_by_officer"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"],
            ["victim.id"],
            name=op.f("fk_personal_statement_request_victim_id_victim"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_statement_request")),
    )
    op.create_index(
        "ix_personal_statement_case",
        "personal_statement_request",
        ["case_id", "requested_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_tenant_personal_statement_request_requested_at"),
        "personal_statement_request",
        ["requested_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_tenant_personal_statement_request_victim_id"),
        "personal_statement_request",
        ["victim_id"],
        unique=False,
    )
    op.create_table(
        "review_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("told_on", sa.Date(), nullable=False),
        sa.Column("window_closes_on", sa.Date(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("late_reason", sa.Text(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledge_duty_id", sa.Uuid(), nullable=True),
        sa.Column("decide_duty_id", sa.Uuid(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("outcome_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledge_duty_id"],
            ["duty.id"],
            name=op.f("fk_review_request_acknowledge_duty_id_duty"),
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"],
            ["officer.id"],
            name=op.f("fk_review_request_acknowledged_by_officer"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_review_request_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["decide_duty_id"], ["duty.id"], name=op.f("fk_review_request_decide_duty_id_duty")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["officer.id"], name=op.f("fk_review_request_decided_by_officer")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_review_request_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_request")),
    )
    op.create_index(
        "ix_review_request_case", "review_request", ["case_id", "requested_at"], unique=False
    )
    op.create_index(
        op.f("ix_tenant_review_request_requested_at"),
        "review_request",
        ["requested_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_tenant_review_request_victim_id"), "review_request", ["victim_id"], unique=False
    )
    op.create_index(
        "ix_audit_event_actor", "audit_event", ["actor_id", "occurred_at"], unique=False
    )
    op.add_column("case", sa.Column("reported_on", sa.Date(), nullable=True))
    op.add_column("case", sa.Column("outcome", sa.String(length=40), nullable=True))
    op.add_column("case", sa.Column("oic_id", sa.Uuid(), nullable=True))
    op.add_column("case", sa.Column("team", sa.String(length=60), nullable=True))
    op.add_column(
        "case",
        sa.Column("enhanced_rights", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column(
        "case",
        sa.Column("enhanced_reasons", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    )
    op.add_column(
        "case",
        sa.Column(
            "automatic_contact", sa.Boolean(), server_default=sa.text("true"), nullable=False
        ),
    )
    op.add_column("case", sa.Column("next_due_on", sa.Date(), nullable=True))
    op.add_column("case", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("case", sa.Column("retention_review_on", sa.Date(), nullable=True))
    op.add_column(
        "case",
        sa.Column("legal_hold", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column(
        "case",
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index(
        "ix_case_oic_due", "case", ["oic_id", "status", "next_due_on", "id"], unique=False
    )
    op.create_index(
        "ix_case_team_due", "case", ["team", "status", "next_due_on", "id"], unique=False
    )
    op.create_index(op.f("ix_tenant_case_updated_at"), "case", ["updated_at"], unique=False)
    op.create_foreign_key(op.f("fk_case_oic_id_officer"), "case", "officer", ["oic_id"], ["id"])
    op.add_column("support_service", sa.Column("description", sa.String(length=500), nullable=True))
    op.add_column("support_service", sa.Column("area", sa.String(length=120), nullable=True))
    op.add_column("support_service", sa.Column("name_cy", sa.String(length=120), nullable=True))
    op.add_column(
        "support_service", sa.Column("description_cy", sa.String(length=500), nullable=True)
    )
    op.add_column(
        "support_service", sa.Column("position", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "support_service",
        sa.Column("retired", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    # The audit trail is append-only for the application (DPA 2018 s.62): a trigger,
    # because the force role owns the table and could grant itself back any privilege.
    # A copy of app/models/audit.py's APPEND_ONLY_DDL as it stood at this revision.
    op.execute(APPEND_ONLY_FUNCTION)
    op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
    op.execute(
        "CREATE TRIGGER audit_event_append_only "
        "BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
    op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    op.drop_column("support_service", "retired")
    op.drop_column("support_service", "position")
    op.drop_column("support_service", "description_cy")
    op.drop_column("support_service", "name_cy")
    op.drop_column("support_service", "area")
    op.drop_column("support_service", "description")
    op.drop_constraint(op.f("fk_case_oic_id_officer"), "case", type_="foreignkey")
    op.drop_index(op.f("ix_tenant_case_updated_at"), table_name="case")
    op.drop_index("ix_case_team_due", table_name="case")
    op.drop_index("ix_case_oic_due", table_name="case")
    op.drop_column("case", "updated_at")
    op.drop_column("case", "legal_hold")
    op.drop_column("case", "retention_review_on")
    op.drop_column("case", "closed_at")
    op.drop_column("case", "next_due_on")
    op.drop_column("case", "automatic_contact")
    op.drop_column("case", "enhanced_reasons")
    op.drop_column("case", "enhanced_rights")
    op.drop_column("case", "team")
    op.drop_column("case", "oic_id")
    op.drop_column("case", "outcome")
    op.drop_column("case", "reported_on")
    op.drop_index("ix_audit_event_actor", table_name="audit_event")
    op.drop_index(op.f("ix_tenant_review_request_victim_id"), table_name="review_request")
    op.drop_index(op.f("ix_tenant_review_request_requested_at"), table_name="review_request")
    op.drop_index("ix_review_request_case", table_name="review_request")
    op.drop_table("review_request")
    op.drop_index(
        op.f("ix_tenant_personal_statement_request_victim_id"),
        table_name="personal_statement_request",
    )
    op.drop_index(
        op.f("ix_tenant_personal_statement_request_requested_at"),
        table_name="personal_statement_request",
    )
    op.drop_index("ix_personal_statement_case", table_name="personal_statement_request")
    op.drop_table("personal_statement_request")
    op.drop_index(op.f("ix_tenant_complaint_victim_id"), table_name="complaint")
    op.drop_index(op.f("ix_tenant_complaint_made_at"), table_name="complaint")
    op.drop_index(
        "ix_complaint_open", table_name="complaint", postgresql_where=sa.text("answered_at IS NULL")
    )
    op.drop_index("ix_complaint_case", table_name="complaint")
    op.drop_table("complaint")
    op.drop_index(op.f("ix_tenant_duty_created_at"), table_name="duty")
    op.drop_index(op.f("ix_tenant_duty_case_id"), table_name="duty")
    op.drop_index("ix_duty_open_due", table_name="duty", postgresql_where=sa.text("met_at IS NULL"))
    op.drop_table("duty")
    op.drop_index(op.f("ix_tenant_property_item_created_at"), table_name="property_item")
    op.drop_index(op.f("ix_tenant_property_item_case_id"), table_name="property_item")
    op.drop_table("property_item")
    op.drop_index(op.f("ix_tenant_message_created_at"), table_name="message")
    op.drop_index(
        "ix_message_unanswered",
        table_name="message",
        postgresql_where=sa.text("officer_id IS NULL AND answered_at IS NULL"),
    )
    op.drop_index("ix_message_case_created", table_name="message")
    op.drop_table("message")
    op.drop_index(op.f("ix_tenant_invite_victim_id"), table_name="invite")
    op.drop_index(op.f("ix_tenant_invite_created_at"), table_name="invite")
    op.drop_table("invite")
    op.drop_table("feedback_prompt")
    op.drop_index(op.f("ix_tenant_case_victim_victim_id"), table_name="case_victim")
    op.drop_table("case_victim")
    op.drop_index(op.f("ix_tenant_case_representative_person_id"), table_name="case_representative")
    op.drop_index(op.f("ix_tenant_case_representative_added_at"), table_name="case_representative")
    op.drop_index("ix_case_representative_case", table_name="case_representative")
    op.drop_table("case_representative")
    op.drop_index("ix_case_event_case_occurred", table_name="case_event")
    op.drop_table("case_event")
    op.drop_index(
        op.f("ix_tenant_subject_access_export_victim_id"), table_name="subject_access_export"
    )
    op.drop_index(
        op.f("ix_tenant_subject_access_export_requested_by"), table_name="subject_access_export"
    )
    op.drop_index(
        op.f("ix_tenant_subject_access_export_requested_at"), table_name="subject_access_export"
    )
    op.drop_table("subject_access_export")
    op.drop_index(op.f("ix_tenant_password_reset_victim_id"), table_name="password_reset")
    op.drop_index(op.f("ix_tenant_password_reset_created_at"), table_name="password_reset")
    op.drop_table("password_reset")
    op.drop_index(op.f("ix_tenant_idempotency_key_created_at"), table_name="idempotency_key")
    op.drop_index(op.f("ix_tenant_idempotency_key_client_id"), table_name="idempotency_key")
    op.drop_table("idempotency_key")
    op.drop_index(op.f("ix_tenant_brand_asset_uploaded_at"), table_name="brand_asset")
    op.drop_table("brand_asset")
    op.drop_index(
        "uq_victim_account_email",
        table_name="victim",
        postgresql_where=sa.text("password_hash IS NOT NULL"),
    )
    op.drop_index(op.f("ix_tenant_victim_email"), table_name="victim")
    op.drop_index(op.f("ix_tenant_victim_created_at"), table_name="victim")
    op.drop_table("victim")
    op.drop_table("update_template")
    op.drop_index(op.f("ix_tenant_signed_in_session_user_id"), table_name="signed_in_session")
    op.drop_table("signed_in_session")
    op.drop_index(op.f("ix_tenant_outbox_message_case_id"), table_name="outbox_message")
    op.drop_index("ix_outbox_message_status_due", table_name="outbox_message")
    op.drop_table("outbox_message")
    op.drop_index(op.f("ix_tenant_officer_team"), table_name="officer")
    op.drop_index(op.f("ix_tenant_officer_created_at"), table_name="officer")
    op.drop_index(op.f("ix_tenant_officer_collar_number"), table_name="officer")
    op.drop_table("officer")
    op.drop_table("offence_category")
    op.drop_index("ix_feedback_month", table_name="feedback")
    op.drop_table("feedback")
    op.drop_index(op.f("ix_tenant_api_client_created_at"), table_name="api_client")
    op.drop_table("api_client")
