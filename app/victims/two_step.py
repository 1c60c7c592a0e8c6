"""Two-step sign-in: after the password, a code from an authenticator app (TOTP, RFC 6238).

The secret lives on the victim row sealed with SECRETS_KEY (tenancy().secret_box()) and
is opened only to check a code, or to show it while the victim is setting it up: after
that no page shows it again. A code counts for the time step before, at or after now
(pyotp's valid_window=1: phone clocks drift), and only once: the step it matched is
stored, and a code for that step or an earlier one is refused. The step is claimed with
an atomic UPDATE, so two requests racing with one code cannot both win. Counting wrong
codes towards the account's wait is app.victims.accounts' job, as for passwords.
"""

from __future__ import annotations

import enum
import hmac
from datetime import datetime

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import or_, update

from app.audit import record
from app.casework.victims import VictimTag, turn_off_two_step
from app.models import Victim
from app.models.base import utcnow
from tenants.binding import db
from tenants.extension import tenancy

VALID_WINDOW = 1
# What the authenticator app lists the entry as: the service, never the victim's name or
# address (someone else may see the phone) nor the force (it says what happened to them).
ISSUER = "TrackMyCrime"
ACCOUNT_LABEL = "TrackMyCrime"


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    REPLAYED = "replayed"


def is_on(victim: Victim) -> bool:
    return victim.totp_enabled_at is not None and victim.totp_secret_sealed is not None


def setting_up(victim: Victim) -> bool:
    return victim.totp_enabled_at is None and victim.totp_secret_sealed is not None


def start_setup(victim: Victim) -> None:
    """A new secret for the victim to add to their app (a no-op once two-step is on)."""
    if is_on(victim):
        return
    victim.totp_secret_sealed = tenancy().secret_box().seal(pyotp.random_base32())
    victim.totp_last_step = None
    record(VictimTag.TWO_STEP_SETUP_STARTED, record_type="victim", record_id=victim.id)


def setup_secret(victim: Victim) -> str | None:
    """The secret being set up, to show once on the set-up page; None otherwise."""
    return _secret(victim) if setting_up(victim) else None


def grouped(secret: str) -> str:
    """The secret in groups of four, the way apps ask for a key typed in by hand."""
    return " ".join(secret[at : at + 4] for at in range(0, len(secret), 4))


def app_link(secret: str) -> str:
    """The otpauth:// link an authenticator app on the same phone opens."""
    return pyotp.TOTP(secret).provisioning_uri(name=ACCOUNT_LABEL, issuer_name=ISSUER)


def qr_code(secret: str, title: str) -> Markup:
    """The app link as a QR code: an inline SVG made here, no third-party service."""
    svg = segno.make(app_link(secret), error="m").svg_inline(scale=4, title=title)
    return Markup(svg)  # noqa: S704 - segno's own markup; the title is our own words


def turn_on(victim: Victim, code: str) -> bool:
    """Turn two-step sign-in on if code is right for the secret being set up."""
    if not setting_up(victim) or check(victim, code) is not Outcome.ACCEPTED:
        record(
            VictimTag.TWO_STEP_CODE_FAILED, record_type="victim", record_id=victim.id, stage="setup"
        )
        return False
    victim.totp_enabled_at = utcnow()
    record(VictimTag.TWO_STEP_TURNED_ON, record_type="victim", record_id=victim.id)
    return True


def turn_off(victim: Victim, by: str = "victim") -> None:
    """Forget the secret; by says who turned it off (the victim, or an officer)."""
    turn_off_two_step(victim, by)


def check(victim: Victim, code: str, now: datetime | None = None) -> Outcome:
    """Whether code is a current code not used before (it is used up if so)."""
    step = _matching_step(_secret(victim), code, now or utcnow())
    if step is None:
        return Outcome.WRONG
    return Outcome.ACCEPTED if _claim(victim, step) else Outcome.REPLAYED


def _secret(victim: Victim) -> str:
    assert victim.totp_secret_sealed is not None
    return tenancy().secret_box().open(victim.totp_secret_sealed)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step).encode(), code.encode()):
            return step
    return None


def _claim(victim: Victim, step: int) -> bool:
    """Store step as the last one used, unless it (or a later one) already was."""
    claimed = db.session.execute(
        update(Victim)
        .where(
            Victim.id == victim.id,
            or_(Victim.totp_last_step.is_(None), Victim.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .returning(Victim.id)
    ).scalar_one_or_none()
    db.session.expire(victim, ["totp_last_step"])
    return claimed is not None
