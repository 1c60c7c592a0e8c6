"""Passwords: argon2id hashing and the one rule set a new password must pass.

The rules follow NCSC and NIST SP 800-63B: long enough (10 characters at least), not a
common or breached password or an obvious variant of one, and no composition rules (no
"one capital, one symbol"), which only push people towards P@ssword1. The common list
ships with the project (data/README.md says where it came from).
"""

from __future__ import annotations

import functools
import gzip
import re
import secrets
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
# argon2 takes any length, but hashing a megabyte on every try is a cheap way to tire us.
MAX_LENGTH = 200

# argon2-cffi's defaults are RFC 9106's second recommended option (argon2id, 64 MiB).
_hasher = PasswordHasher()

# Letter swaps people make to "strengthen" a common word.
_SWAPS = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e",
                        "$": "s", "5": "s", "7": "t", "+": "t", "8": "b", "9": "g"})  # fmt: skip
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiopasdfghjklzxcvbnm",
    "qazwsxedcrfvtgbyhnujmikolp",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
_SITE_WORDS = ("trackmycrime", "police", "victim", "crime", "heddlu")
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list, loaded once per process on first use."""
    data = resources.files("app.victims").joinpath("data/common-passwords.txt.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def problem(password: str, *, email: str = "") -> LazyString | None:
    """Why this password cannot be used (a message for the person), or None if it can."""
    if len(password) < MIN_LENGTH:
        return _l("Password must be %(count)d characters or more", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Password must be %(count)d characters or fewer", count=MAX_LENGTH)
    if is_guessable(password, email):
        return _l(
            "Your password is too easy to guess. Try three or more random words, "
            "like: kettle river lantern"
        )
    return None


def is_guessable(password: str, email: str = "") -> bool:
    """Common, or a common word dressed up with digits, symbols or letter swaps, or a
    run along the keyboard or alphabet, or a repeated few characters, or the email."""
    lowered = password.lower()
    squashed = re.sub(r"\s+", "", lowered)
    forms = {lowered, squashed, squashed.translate(_SWAPS)}
    forms |= {_ENDS.sub("", form) for form in set(forms)}
    common = common_passwords()
    if any(form in common for form in forms if len(form) >= 4):
        return True
    if len(set(squashed)) <= 3 or _is_sequence(squashed):
        return True
    words = [word for word in (*_SITE_WORDS, email.lower().partition("@")[0]) if len(word) >= 4]
    return any(_ENDS.sub("", form) in words for form in forms)


def _is_sequence(text: str) -> bool:
    return any(text in run or text in run[::-1] for run in _SEQUENCES)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether password matches; without a stored hash, spend the same time and say no."""
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)


@functools.cache
def _dummy_hash() -> str:
    """A hash of nothing anyone knows: checked when there is no account, so a missing
    account takes as long to refuse as a wrong password."""
    return _hasher.hash(secrets.token_urlsafe(24))
