"""Force administration's blueprints and audit tags (one place, so modules share them)."""

from __future__ import annotations

from app.site import force_blueprint
from tenants.audit import ForceTag, PlatformTag

bp = force_blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
# The force's logo, for every visitor of its site (app.logos checked it on upload).
brand = force_blueprint("brand", __name__, url_prefix="/brand")


class AdminTag(ForceTag):
    # The audit trail itself (DPA 2018 s.62: consulting the log is a consultation too).
    AUDIT_SEARCHED = "audit:searched"
    AUDIT_EXPORTED = "audit:exported"
    # Settings, the support directory and offence categories: old and new values.
    SETTINGS_CHANGED = "settings:changed"
    IDP_TESTED = "settings:idp-tested"
    SUPPORT_SERVICE_ADDED = "support-service:added"
    SUPPORT_SERVICE_CHANGED = "support-service:changed"
    # Retention and disposal.
    LEGAL_HOLD_CHANGED = "case:legal-hold-changed"
    DISPOSAL_REVIEWED = "retention:reviewed"
    DISPOSAL_DRY_RUN = "retention:dry-run"
    DISPOSAL_REQUESTED = "retention:sweep-requested"
    DISPOSAL_SWEPT = "retention:swept"
    RECORD_ERASED = "record:erased"
    # Subject access.
    VICTIMS_FOUND = "subject-access:victims-found"
    SUBJECT_ACCESS_REQUESTED = "subject-access:requested"
    SUBJECT_ACCESS_PRODUCED = "subject-access:produced"
    SUBJECT_ACCESS_DOWNLOADED = "subject-access:downloaded"
    SUBJECT_ACCESS_EXPIRED = "subject-access:expired"
    STATISTICS_VIEWED = "admin:statistics-viewed"


class AdminPlatformTag(PlatformTag):
    """On the platform trail: a force's administrator changed its registry entry."""

    FORCE_SETTINGS_CHANGED = "force:settings-changed"
