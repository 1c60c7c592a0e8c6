"""Victims in tests: a victim with an account on a case, and a quick way to sign in.

`as_victim` writes what accepting an invite would (a victim with a password, on a case)
plus a live server-side session, and puts its ids in the force-bound cookie, as the
real sign-in does. Tests about signing in itself go through /sign-in instead.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import Flask

from app.models import Victim
from app.models.base import utcnow
from app.victims import passwords
from tests.factories import CaseFactory, CaseVictimFactory, VictimFactory
from tests.support.sessions import put_in_session

PASSWORD = "orange kettle mountain lantern"


@functools.cache
def password_hash() -> str:
    """One argon2 hash for every test victim (hashing costs ~50 ms each time)."""
    return passwords.hash_password(PASSWORD)


def host(slug: str) -> dict[str, str]:
    return {"Host": f"{slug}.localhost"}


def victim_with_account(slug: str = "kent", case_id: Any = None, **values: Any) -> Victim:
    """A victim with an account (email and PASSWORD), on a case (its own unless given)."""
    values.setdefault("password_hash", password_hash())
    values.setdefault("account_created_at", utcnow())
    victim = VictimFactory(force=slug, **values)
    CaseVictimFactory(
        force=slug, case_id=case_id or CaseFactory(force=slug).id, victim_id=victim.id
    )
    return victim


def as_victim(app: Flask, client: Any, slug: str = "kent", victim: Victim | None = None) -> Victim:
    """Sign client in on slug as victim (a new one with an account and a case if None)."""
    with app.app_context():
        victim = victim or victim_with_account(slug)
    put_in_session(app, client, slug, "victim", victim.id)
    return victim
