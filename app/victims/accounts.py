"""Victim accounts: accepting an invite, signing in, resetting a password.

Nothing here tells a caller more than the person in front of the page may know: a
sign-in or reset answers alike for an address with an account and one without, and
costs about the same time (a missing account is checked against a dummy hash). Wrong
answers are counted where they are stored, with an atomic UPDATE, so parallel guesses
cannot slip past the limits.
"""

from __future__ import annotations

import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update

from app.audit import record
from app.casework.cases import hash_token, normalise_reference
from app.casework.victims import VictimTag, officer_recipient
from app.models import Case, Invite, Officer, PasswordReset, SignedInSession, Victim
from app.models.base import utcnow
from app.notifications import Kind, Recipient, notify
from app.victims import passwords, two_step
from tenants.binding import db

INVITE_TRIES = 5
# Consecutive wrong passwords before sign-in makes the account wait, then the wait
# doubles with each further failure (1, 2, 4 … minutes), never more than an hour: long
# enough to make guessing hopeless, short enough that someone cannot lock a victim out
# of their own case for long.
FREE_FAILURES = 5
LONGEST_WAIT = timedelta(hours=1)
RESET_LIFETIME = timedelta(hours=1)
RESETS_PER_HOUR = 3  # per account: a stranger cannot flood a victim's inbox
# Until app.notifications has a kind of its own for it (see the report), the OIC's
# notice that an invite locked reuses the digest's wording: "sign in to see them".
INVITE_LOCKED_KIND = getattr(Kind, "OFFICER_INVITE_LOCKED", Kind.OFFICER_DIGEST)

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def normalise_email(value: str) -> str:
    return value.strip().lower()


# --- invites -----------------------------------------------------------------------------


def invite_for(token: str) -> Invite | None:
    """The invite a link's token names (None for anything that is not one of ours)."""
    if not _TOKEN.fullmatch(token):
        return None
    return db.session.scalar(select(Invite).where(Invite.token_hash == hash_token(token)))


@dataclass(frozen=True)
class Check:
    passed: bool
    tries_left: int


def check_invite(invite: Invite, reference: str, born_on: date) -> Check:
    """Does the person know the crime reference and the victim's date of birth?

    Each wrong answer counts; the last allowed one locks the invite and tells the OIC.
    """
    case = db.session.get(Case, invite.case_id)
    victim = db.session.get(Victim, invite.victim_id)
    assert case is not None  # foreign keys
    assert victim is not None
    reference_ok = hmac.compare_digest(
        normalise_reference(reference).encode(), normalise_reference(case.crime_reference).encode()
    )
    if reference_ok and victim.date_of_birth == born_on:
        record(VictimTag.INVITE_CHECKED, record_type="victim", record_id=victim.id)
        return Check(True, INVITE_TRIES - invite.failed_attempts)
    failures = _count_failure(Invite, invite.id, "failed_attempts")
    record(
        VictimTag.INVITE_CHECK_FAILED,
        record_type="victim",
        record_id=victim.id,
        invite=str(invite.id),
        attempt=failures,
    )
    if failures >= INVITE_TRIES:
        _lock_invite(invite, case)
    return Check(False, max(0, INVITE_TRIES - failures))


def _count_failure(model: type[Invite] | type[Victim], row_id: uuid.UUID, column: str) -> int:
    counter = getattr(model, column)
    statement = (
        update(model).where(model.id == row_id).values({column: counter + 1}).returning(counter)
    )
    count = int(db.session.execute(statement).scalar_one())
    db.session.expire_all()  # the ORM objects read the new count from here on
    return count


def _lock_invite(invite: Invite, case: Case) -> None:
    invite.locked_at = invite.locked_at or utcnow()
    record(
        VictimTag.INVITE_LOCKED,
        record_type="victim",
        record_id=invite.victim_id,
        invite=str(invite.id),
    )
    officer_id = case.oic_id or invite.created_by
    officer = db.session.get(Officer, officer_id) if officer_id else None
    if officer is not None and officer.active:
        notify(
            INVITE_LOCKED_KIND,
            officer_recipient(officer),
            dedupe_key=f"officer_invite_locked:{invite.id}",
            case_id=case.id,
            link_path=f"/officer/cases/{case.id}",
            automatic=False,
        )


def account_email_taken(email: str, victim: Victim) -> bool:
    """Another account in this force already signs in with email."""
    return (
        db.session.scalar(
            select(Victim.id).where(
                Victim.email == email, Victim.password_hash.is_not(None), Victim.id != victim.id
            )
        )
        is not None
    )


def create_account(invite: Invite, victim: Victim, email: str, password: str) -> None:
    """Use the invite: the victim's sign-in email and password; other invites end."""
    now = utcnow()
    victim.email = email
    victim.password_hash = passwords.hash_password(password)
    victim.account_created_at = victim.password_changed_at = now
    victim.failed_sign_ins, victim.locked_until = 0, None
    invite.used_at = now
    db.session.execute(
        update(Invite)
        .where(
            Invite.victim_id == victim.id,
            Invite.id != invite.id,
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    record(
        VictimTag.ACCOUNT_CREATED,
        record_type="victim",
        record_id=victim.id,
        invite=str(invite.id),
    )


# --- sign-in ------------------------------------------------------------------------------


def account_for(email: str) -> Victim | None:
    return db.session.scalar(
        select(Victim).where(Victim.email == email, Victim.password_hash.is_not(None))
    )


def authenticate(email: str, password: str) -> Victim | None:
    """The victim whose email and password these are, unless the account must wait.

    Every path checks one argon2 hash, so none answers faster than another. With
    two-step sign-in on, the right password is only half: the failure count stays
    until the code is right too (second_step), or each right password would buy a
    fresh run of free code guesses.
    """
    victim = account_for(email)
    if victim is None:
        passwords.verify(None, password)
        record(VictimTag.SIGN_IN_FAILED, purpose="victim sign-in", reason="unknown")
        return None
    now = utcnow()
    if is_waiting(victim, now):
        passwords.verify(None, password)
        record(VictimTag.SIGN_IN_REFUSED, record_type="victim", record_id=victim.id)
        return None
    if not passwords.verify(victim.password_hash, password):
        _failed_sign_in(victim, now)
        return None
    if victim.password_hash and passwords.needs_rehash(victim.password_hash):
        victim.password_hash = passwords.hash_password(password)
    if not two_step.is_on(victim):
        _signed_in(victim, now)
    return victim


def second_step(victim: Victim, code: str) -> bool:
    """Whether code, from the victim's authenticator app, completes their sign-in.

    Wrong and reused codes count with wrong passwords, and make the account wait alike.
    """
    now = utcnow()
    if is_waiting(victim, now):
        record(VictimTag.SIGN_IN_REFUSED, record_type="victim", record_id=victim.id)
        return False
    outcome = two_step.check(victim, code, now)
    if outcome is not two_step.Outcome.ACCEPTED:
        _failed_sign_in(victim, now, _CODE_TAGS[outcome])
        return False
    _signed_in(victim, now)
    return True


def confirm_identity(victim: Victim, code: str, password: str) -> bool:
    """A signed-in victim proves it is still them (before turning two-step off): a
    current code or their password. Wrong answers count as at sign-in."""
    now = utcnow()
    if is_waiting(victim, now):
        passwords.verify(None, password or "-")
        record(VictimTag.SIGN_IN_REFUSED, record_type="victim", record_id=victim.id)
        return False
    if code:
        outcome = two_step.check(victim, code, now)
        if outcome is two_step.Outcome.ACCEPTED:
            return True
        _failed_sign_in(victim, now, _CODE_TAGS[outcome])
        return False
    if passwords.verify(victim.password_hash, password):
        return True
    _failed_sign_in(victim, now)
    return False


_CODE_TAGS = {
    two_step.Outcome.WRONG: VictimTag.TWO_STEP_CODE_FAILED,
    two_step.Outcome.REPLAYED: VictimTag.TWO_STEP_CODE_REPLAYED,
}


def is_waiting(victim: Victim, now: datetime) -> bool:
    return victim.locked_until is not None and victim.locked_until > now


def _failed_sign_in(
    victim: Victim, now: datetime, tag: VictimTag = VictimTag.SIGN_IN_FAILED
) -> None:
    failures = _count_failure(Victim, victim.id, "failed_sign_ins")
    record(tag, record_type="victim", record_id=victim.id, attempt=failures)
    if failures >= FREE_FAILURES:
        wait = min(timedelta(minutes=2 ** (failures - FREE_FAILURES)), LONGEST_WAIT)
        victim.locked_until = now + wait
        record(
            VictimTag.ACCOUNT_LOCKED,
            record_type="victim",
            record_id=victim.id,
            minutes=int(wait.total_seconds() // 60),
        )


def _signed_in(victim: Victim, now: datetime) -> None:
    victim.failed_sign_ins, victim.locked_until = 0, None
    victim.last_signed_in_at = now


# --- password reset -----------------------------------------------------------------------


def request_reset(email: str) -> None:
    """Email a single-use reset link if email has an account; otherwise do nothing.

    The page says the same either way. The link goes to the sign-in address at once
    (the person asked for it just now), not through the contact plan.
    """
    victim = account_for(email)
    if victim is None or _recent_resets(victim) >= RESETS_PER_HOUR:
        record(VictimTag.RESET_REQUESTED, purpose="password reset", sent=False)
        return
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(
        id=uuid.uuid4(),
        victim_id=victim.id,
        token_hash=hash_token(token),
        expires_at=utcnow() + RESET_LIFETIME,
    )
    db.session.add(reset)
    db.session.flush()
    notify(
        Kind.VICTIM_PASSWORD_RESET,
        Recipient(
            kind="victim",
            id=victim.id,
            email=victim.email,
            language="cy" if victim.preferred_language == "cy" else "en",
            channel="email",
        ),
        dedupe_key=f"victim_password_reset:{reset.id}",
        link_path=f"/reset-password/{token}",
        automatic=False,
    )
    record(VictimTag.RESET_REQUESTED, record_type="victim", record_id=victim.id, sent=True)


def _recent_resets(victim: Victim) -> int:
    since = utcnow() - timedelta(hours=1)
    count = select(func.count()).where(
        PasswordReset.victim_id == victim.id, PasswordReset.created_at > since
    )
    return int(db.session.scalar(count.select_from(PasswordReset)) or 0)


def reset_for(token: str) -> PasswordReset | None:
    """A live reset link's row: unused and unexpired (None for anything else)."""
    if not _TOKEN.fullmatch(token):
        return None
    return db.session.scalar(
        select(PasswordReset).where(
            PasswordReset.token_hash == hash_token(token),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > utcnow(),
        )
    )


def complete_reset(reset: PasswordReset, password: str) -> Victim:
    """Set the new password, use every open link, and end every signed-in session."""
    victim = db.session.get(Victim, reset.victim_id)
    assert victim is not None
    now = utcnow()
    victim.password_hash = passwords.hash_password(password)
    victim.password_changed_at = now
    # A reset leaves two-step sign-in on, and with it any wait earned by wrong codes:
    # otherwise whoever reads the victim's email could buy free code guesses with resets.
    if not two_step.is_on(victim):
        victim.failed_sign_ins, victim.locked_until = 0, None
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.victim_id == victim.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.execute(
        update(SignedInSession)
        .where(
            SignedInSession.user_kind == "victim",
            SignedInSession.user_id == victim.id,
            SignedInSession.ended_at.is_(None),
        )
        .values(ended_at=now, end_reason="password_reset")
    )
    record(VictimTag.PASSWORD_RESET, record_type="victim", record_id=victim.id)
    return victim


def load_victim(victim_id: str) -> Victim | None:
    """Flask-Login's loader for "victim:<id>" (in the request's force binding)."""
    try:
        found = db.session.get(Victim, uuid.UUID(victim_id))
    except ValueError:
        return None
    return found if found is not None and found.is_active else None
