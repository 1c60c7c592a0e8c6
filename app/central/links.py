"""Emailed single-use links that prove an applicant reads their contact address.

One kind of link does both jobs: confirming the address, and coming back to the
application from another device. Only the token's SHA-256 is stored; a link works once,
for a day, and only while the application's contact address is still the one it was
sent to. Mail leaves through the central outbox (app.notifications.notify_central).
"""

from __future__ import annotations

import enum
import hashlib
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from app.models.base import utcnow
from app.models.central import ApplicationLink, ForceApplication
from app.notifications import Kind, notify_central
from tenants.binding import db

LIFETIME = timedelta(hours=24)
# Links one application may be sent per hour: enough for typos, too few to mail-bomb.
PER_HOUR = 5


class LinkProblem(enum.StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    ADDRESS_CHANGED = "address_changed"


class TooManyLinks(RuntimeError):
    """This application was sent PER_HOUR links in the last hour."""


def tell_decision(application: ForceApplication) -> bool:
    """Email the applicant a link to their application's status (no words of the
    decision itself: the status page gives it). False if there is nowhere to send it."""
    if not application.contact_email:
        return False
    send(application, Kind.APPLICANT_DECISION, limited=False)  # an operator's, not asked for
    return True


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def send(
    application: ForceApplication, kind: Kind = Kind.APPLICANT_EMAIL_CONFIRM, limited: bool = True
) -> None:
    """Email a fresh link to the application's contact address (TooManyLinks if spent).

    kind says why: confirm the address or come back (the default), or look at a decision.
    """
    assert application.contact_email
    since = utcnow() - timedelta(hours=1)
    recent = select(func.count()).where(
        ApplicationLink.application_id == application.id, ApplicationLink.created_at > since
    )
    if limited and (db.session.scalar(recent.select_from(ApplicationLink)) or 0) >= PER_HOUR:
        raise TooManyLinks
    token = secrets.token_urlsafe(32)
    link = ApplicationLink(
        id=uuid.uuid4(),
        application_id=application.id,
        token_hash=_hash(token),
        email=application.contact_email,
        expires_at=utcnow() + LIFETIME,
    )
    db.session.add(link)
    db.session.flush()
    notify_central(
        kind,
        application.contact_email,
        f"/apply/confirm/{token}",
        dedupe_key=f"application_link:{link.id}",
        language=application.language,
    )


def find(token: str) -> tuple[ApplicationLink | None, LinkProblem | None]:
    """The link a token names and, if it cannot be used, why."""
    if not token or len(token) > 100:
        return None, LinkProblem.UNKNOWN
    link = db.session.scalar(
        select(ApplicationLink).where(ApplicationLink.token_hash == _hash(token))
    )
    if link is None:
        return None, LinkProblem.UNKNOWN
    if link.used_at is not None:
        return link, LinkProblem.USED
    if link.expires_at <= utcnow():
        return link, LinkProblem.EXPIRED
    application = db.session.get(ForceApplication, link.application_id)
    if application is None or application.contact_email != link.email:
        return link, LinkProblem.ADDRESS_CHANGED
    return link, None


def use(token: str) -> tuple[ForceApplication | None, LinkProblem | None]:
    """Spend the link (row-locked, so two tabs cannot both use it): its application,
    with the address confirmed; or why not."""
    link, problem = find(token)
    if link is None or problem is not None:
        return None, problem
    locked = db.session.scalar(
        select(ApplicationLink).where(ApplicationLink.id == link.id).with_for_update()
    )
    db.session.refresh(link)
    if locked is None or link.used_at is not None:
        return None, LinkProblem.USED
    link.used_at = utcnow()
    application = db.session.get(ForceApplication, link.application_id)
    assert application is not None
    application.email_confirmed_at = application.email_confirmed_at or utcnow()
    return application, None
