"""The officers' daily digest: what is due today or overdue, one message each morning.

Each officer with open Victims' Code duties due today or overdue on cases they hold gets
one; each supervisor gets one for their team. The message names nothing (app.
notifications says only that there are duties to see). RQ's cron works in UTC, so the
entry point runs hourly and only acts in the 07:00 hour in Europe/London: 07:00 in
winter and in summer. The dedupe key (officer and date) makes a repeat run send nothing.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.casework import deadlines
from app.models import Case, Duty, Officer
from app.notifications import Kind, Recipient, notify
from tenants import registry
from tenants.binding import db
from tenants.forces import TenantStatus
from tenants.jobs import enqueue

LONDON = ZoneInfo("Europe/London")
DIGEST_HOUR = 7


def digest_all(now: datetime | None = None) -> int:
    """Hourly entry point (no force bound): queue each active force's digest at 07:00
    London time; how many forces it queued."""
    local = (now or datetime.now(LONDON)).astimezone(LONDON)
    if local.hour != DIGEST_HOUR:
        return 0
    forces, _domains = registry.load_all(db.engine)
    active = [f.slug for f in forces.values() if f.status is TenantStatus.ACTIVE]
    for slug in active:
        enqueue(slug, send_digests, queue_name="notifications")
    return len(active)


def send_digests() -> int:
    """In a force's job: one digest per officer and supervisor with duties to see."""
    today = deadlines.today()
    due = (Duty.met_at.is_(None), Duty.due_on <= today, Case.status == "open")
    holders = select(Case.oic_id).join(Duty, Duty.case_id == Case.id).where(*due)
    teams = select(Case.team).join(Duty, Duty.case_id == Case.id).where(*due)
    officers = list(
        db.session.scalars(
            select(Officer).where(
                Officer.active.is_(True),
                Officer.id.in_(holders)
                | (Officer.role.in_(("supervisor", "admin")) & Officer.team.in_(teams)),
            )
        )
    )
    for officer in officers:
        notify(
            Kind.OFFICER_DIGEST,
            Recipient(
                kind="officer",
                id=officer.id,
                email=officer.email,
                channel="email" if officer.email else "none",
            ),
            dedupe_key=f"officer_digest:{officer.id}:{today.isoformat()}",
            link_path="/officer/",
        )
    return len(officers)
