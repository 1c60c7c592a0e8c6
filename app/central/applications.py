"""Force applications: the named data functions the applicant's and operators' pages call.

An applicant's browser holds its application's id in the central site's session; an
emailed single-use link (app.central.links) puts it back on another device. Nothing
here commits: the request does, at the edge.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from flask import session
from sqlalchemy import CursorResult, exists, func, select, update
from sqlalchemy.exc import IntegrityError

from app.models.base import utcnow
from app.models.central import HOLDS_SLUG, ForceApplication
from tenants import registry
from tenants.binding import db
from tenants.names import validate_slug

SESSION_KEY = "application_id"


# --- the applicant's own application ---------------------------------------------------


def current() -> ForceApplication | None:
    """The application this browser is filling in or following, if any."""
    try:
        application_id = uuid.UUID(str(session.get(SESSION_KEY)))
    except ValueError:
        return None
    return db.session.get(ForceApplication, application_id)


def remember(application: ForceApplication) -> None:
    session[SESSION_KEY] = str(application.id)


def start(language: str) -> ForceApplication:
    """A new draft, remembered by this browser."""
    application = ForceApplication(
        id=uuid.uuid4(), status="draft", language=language, provisioning_attempts=0
    )
    db.session.add(application)
    db.session.flush()
    remember(application)
    return application


def latest_for_email(email: str) -> ForceApplication | None:
    """The newest application whose contact is this address (for "return to it")."""
    return db.session.scalar(
        select(ForceApplication)
        .where(ForceApplication.contact_email == email)
        .order_by(ForceApplication.created_at.desc())
        .limit(1)
    )


# --- web addresses ----------------------------------------------------------------------


class SlugUnavailable(ValueError):
    """The address is taken by a force or held by another application."""


def check_slug(slug: str, application_id: uuid.UUID | None) -> str:
    """slug if an application may ask for it now; InvalidSlug or SlugUnavailable if not."""
    validate_slug(slug)
    if registry.fresh_force(db.engine, slug) is not None:
        raise SlugUnavailable(slug)
    held = exists().where(
        ForceApplication.slug == slug,
        ForceApplication.status.in_(HOLDS_SLUG),
        ForceApplication.id != application_id,
    )
    if db.session.scalar(select(held)):
        raise SlugUnavailable(slug)
    return slug


# --- submitting --------------------------------------------------------------------------

# Each question page, in order, and the answer that shows it was given. An optional
# page (the logo) names no answer: it is never "unanswered", and the page before it
# leads to it on the way through.
OPTIONAL = ""
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("force-name", "force_name"),
    ("web-address", "slug"),
    ("your-name", "contact_name"),
    ("your-email", "contact_email"),
    ("colour", "colour"),
    ("logo", OPTIONAL),
    ("identity-provider", "idp_checked_at"),
    ("administrator", "admin_email"),
    ("welsh", "welsh_enabled"),
    ("agreement", "agreement_accepted_at"),
)


def unanswered(application: ForceApplication) -> list[str]:
    """The question pages still to answer, in order."""
    return [
        page
        for page, column in QUESTIONS
        if column != OPTIONAL and getattr(application, column) is None
    ]


def next_question(application: ForceApplication, after: str | None = None) -> str | None:
    """The first unanswered page after `after` (or at all); None when all are answered."""
    pages = [page for page, _ in QUESTIONS]
    left = unanswered(application)
    start_at = pages.index(after) + 1 if after in pages else 0
    later = [page for page in left if pages.index(page) >= start_at]
    found = later or left
    return found[0] if found else None


class NotReady(ValueError):
    """The application cannot be submitted yet; args[0] names what is missing."""


def submit(application: ForceApplication) -> None:
    """Draft -> submitted, holding its address; NotReady or SlugUnavailable if not."""
    if application.status != "draft":
        raise NotReady("not_a_draft")
    if unanswered(application):
        raise NotReady("unanswered")
    if application.email_confirmed_at is None:
        raise NotReady("email_not_confirmed")
    assert application.slug is not None
    check_slug(application.slug, application.id)
    application.status, application.submitted_at = "submitted", utcnow()
    try:
        with db.session.begin_nested():  # another application may have taken it just now
            db.session.flush()
    except IntegrityError:
        application.status, application.submitted_at = "draft", None
        raise SlugUnavailable(application.slug) from None


# --- operators' queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    id: uuid.UUID
    force_name: str | None
    slug: str | None
    status: str
    provisioning_state: str | None
    submitted_at: datetime | None


def queue() -> list[QueueRow]:
    """Every application past its draft: waiting ones first, then newest first."""
    rows = db.session.execute(
        select(
            ForceApplication.id,
            ForceApplication.force_name,
            ForceApplication.slug,
            ForceApplication.status,
            ForceApplication.provisioning_state,
            ForceApplication.submitted_at,
        )
        .where(ForceApplication.status != "draft")
        .order_by(
            (ForceApplication.status != "submitted"),
            ForceApplication.submitted_at.desc(),
        )
        .limit(500)
    )
    return [QueueRow(*row) for row in rows]


def waiting_count() -> int:
    waiting = select(func.count()).where(ForceApplication.status == "submitted")
    return int(db.session.scalar(waiting.select_from(ForceApplication)) or 0)


def get(application_id: uuid.UUID) -> ForceApplication | None:
    found = db.session.get(ForceApplication, application_id)
    return found if found is not None and found.status != "draft" else None


def approve(application_id: uuid.UUID, operator_id: uuid.UUID) -> bool:
    """Submitted -> approved, provisioning queued. False if someone decided first: the
    conditional update lets exactly one of two operators pressing at once win."""
    changed = _changed(
        update(ForceApplication)
        .where(ForceApplication.id == application_id, ForceApplication.status == "submitted")
        .values(
            status="approved",
            decided_at=utcnow(),
            decided_by=operator_id,
            provisioning_state="queued",
            provisioning_error=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return bool(changed)


def reject(application_id: uuid.UUID, operator_id: uuid.UUID, reason: str) -> bool:
    """Submitted -> rejected with the reason (shown to the applicant); False if decided."""
    changed = _changed(
        update(ForceApplication)
        .where(ForceApplication.id == application_id, ForceApplication.status == "submitted")
        .values(
            status="rejected", decided_at=utcnow(), decided_by=operator_id, rejection_reason=reason
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return bool(changed)


def _changed(statement: Any) -> int:
    """Rows an UPDATE changed (the session's result is a cursor result for DML)."""
    result = cast(CursorResult[Any], db.session.execute(statement))
    return int(result.rowcount)
