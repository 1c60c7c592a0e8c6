"""Starting, checking and ending a signed-in session, for every kind of user.

Sign-in clears whatever the session held and starts a new server-side session row
(app.models.SignedInSession); the loader accepts the cookie only while that row is
live: not ended, not idle past the kind's idle timeout, not older than its absolute
timeout. Sign-out ends the row and clears the cookie, so a copied cookie dies with it.

The rows live where the site's users do: a force's in its own schema, the central
site's (operators) in public (app.models.central.CentralSignedInSession, same columns).
A paused force's page has neither, so nobody is signed in there.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import g, session
from flask_login import login_user, logout_user

from app.models import SignedInSession
from app.models.base import utcnow
from app.models.central import CentralSignedInSession
from tenants.binding import db
from tenants.extension import current_scope
from tenants.resolution import ScopeKind

SessionRow = SignedInSession | CentralSignedInSession


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta
    absolute: timedelta


# Victims: 30 minutes idle (a shared device); officers work shifts at a desk.
TIMEOUTS = {
    "victim": Timeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=8)),
    "officer": Timeouts(idle=timedelta(hours=1), absolute=timedelta(hours=12)),
    "operator": Timeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=10)),
}
# The timeout that ended the session (idle_timeout or absolute_timeout), kept in the
# session for the sign-in page to say so (once).
TIMED_OUT = "timed_out"
# Recording every request's time would be a write per page; a minute's slack is enough.
TOUCH_INTERVAL = timedelta(seconds=60)


def sign_in(user: Any, **keep: Any) -> None:
    """Start a fresh session for user (anything from before is dropped but the language)."""
    # Signing in again from a signed-in browser replaces its session: end the old row,
    # or a copy of the old cookie would stay signed in until it timed out.
    previous = _row()
    if previous is not None and previous.ended_at is None:
        previous.ended_at, previous.end_reason = utcnow(), "replaced"
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    model = _model()
    if model is None:
        raise RuntimeError("nobody can sign in where there is no site")
    row = model(user_kind=user.kind, user_id=user.id)
    db.session.add(row)
    db.session.flush()
    session["sid"] = str(row.id)
    session.update(keep)
    login_user(user)


def sign_out(reason: str = "signed_out") -> None:
    """End the session row (if any) and clear the cookie."""
    row = _row()
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason = utcnow(), reason
    logout_user()
    session.clear()


def session_is_live(kind: str, user_id: uuid.UUID) -> bool:
    """Whether the cookie's session row belongs to this user and is still live."""
    row = _row()
    if row is None or row.user_kind != kind or row.user_id != user_id or row.ended_at:
        return False
    now, timeouts = utcnow(), TIMEOUTS[kind]
    expired = _expired_reason(row, now, timeouts)
    if expired:
        row.ended_at, row.end_reason = now, expired
        # The sign-in page comes after a redirect, in a request of its own: g would be
        # gone by then, so the session carries the news that the user was signed out.
        g.session_timed_out = True
        session[TIMED_OUT] = expired
        return False
    if now - row.last_seen_at > TOUCH_INTERVAL:
        row.last_seen_at = now
    return True


def _expired_reason(row: SessionRow, now: datetime, timeouts: Timeouts) -> str | None:
    if now - row.started_at > timeouts.absolute:
        return "absolute_timeout"
    if now - row.last_seen_at > timeouts.idle:
        return "idle_timeout"
    return None


def _model() -> type[SignedInSession] | type[CentralSignedInSession] | None:
    """This site's session table: the force's, the central one, or none (a paused or
    unknown site, where a query on a force table would fail unbound)."""
    kind = current_scope().kind
    if kind is ScopeKind.CENTRAL:
        return CentralSignedInSession
    return SignedInSession if kind is ScopeKind.FORCE else None


def _row() -> SessionRow | None:
    model = _model()
    try:
        sid = uuid.UUID(str(session.get("sid")))
    except ValueError:
        return None
    return cast(SessionRow | None, db.session.get(model, sid)) if model is not None else None
