"""The officer workspace's blueprint and audit tags (one place, so modules share them)."""

from __future__ import annotations

from app.site import force_blueprint
from tenants.audit import ForceTag

bp = force_blueprint("officers", __name__, url_prefix="/officer", template_folder="templates")


class OfficerTag(ForceTag):
    SIGNED_IN = "officer:signed-in"
    SIGNED_OUT = "officer:signed-out"
    SIGN_IN_FAILED = "officer:sign-in-failed"
    SIGN_IN_REFUSED = "officer:sign-in-refused"
    CASELOAD_VIEWED = "officer:caseload-viewed"
    CASE_VIEWED = "case:viewed"
    VICTIM_VIEWED = "victim:viewed"
    MESSAGE_READ = "message:read"
    INBOX_VIEWED = "officer:inbox-viewed"
    TEAM_VIEWED = "officer:team-viewed"
