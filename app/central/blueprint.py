"""The central site's two blueprints and its audit tags (one place, so modules share them).

`central` serves the public pages on the bare domain (find your force, apply to join);
`console` serves operators under /console. Both 404 on every force's site.
"""

from __future__ import annotations

from app.site import central_blueprint
from tenants.audit import PlatformTag

central = central_blueprint("central", __name__, template_folder="templates")
console = central_blueprint("console", __name__, url_prefix="/console", template_folder="templates")


class CentralTag(PlatformTag):
    """What the central site records in the platform trail (ids and codes, no values)."""

    OPERATOR_CREATED = "operator:created"
    OPERATOR_DEACTIVATED = "operator:deactivated"
    OPERATOR_SIGNED_IN = "operator:signed-in"
    OPERATOR_SIGNED_OUT = "operator:signed-out"
    OPERATOR_SIGN_IN_REFUSED = "operator:sign-in-refused"
    APPLICATION_LINK_SENT = "application:link-sent"
    APPLICATION_EMAIL_CONFIRMED = "application:email-confirmed"
    APPLICATION_SUBMITTED = "application:submitted"
    APPLICATION_APPROVED = "application:approved"
    APPLICATION_REJECTED = "application:rejected"
    PROVISIONING_RETRIED = "provisioning:retried"
    PROVISIONING_SUCCEEDED = "provisioning:succeeded"
    PROVISIONING_FAILED = "provisioning:failed"
    JOBS_RETRIED = "jobs:retried"
    FORCES_MIGRATION_REQUESTED = "forces:migration-requested"
    FORCES_MIGRATED = "forces:migrated"
    DECOMMISSION_REQUESTED = "decommission:requested"
    DECOMMISSION_CANCELLED = "decommission:cancelled"
    DECOMMISSION_EXPORT_READY = "decommission:export-ready"
    DECOMMISSION_EXPORT_FAILED = "decommission:export-failed"
    DECOMMISSION_PASSWORD_SHOWN = "decommission:password-shown"  # noqa: S105 - a tag
    DECOMMISSION_EXPORT_DOWNLOADED = "decommission:export-downloaded"
    DECOMMISSION_REMOVAL_REQUESTED = "decommission:removal-requested"
    FORCE_REMOVED = "force:removed"
