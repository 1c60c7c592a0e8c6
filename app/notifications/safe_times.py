"""When a victim may be contacted: the next moment inside their safe window.

Windows are wall-clock times in Europe/London, so they follow the clocks through BST.
On the spring-forward day a start inside the missing hour (01:00-02:00) means the
moment the clocks jump; on the fall-back day a start in the repeated hour means its
first occurrence. Pure functions: no database, no clock of their own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def in_window(moment: datetime, safe_from: time | None, safe_until: time | None) -> bool:
    """True if moment's London wall-clock time is inside [safe_from, safe_until)."""
    if safe_from is None or safe_until is None or safe_from == safe_until:
        return True
    wall = moment.astimezone(LONDON).time().replace(tzinfo=None)
    if safe_from < safe_until:
        return safe_from <= wall < safe_until
    return wall >= safe_from or wall < safe_until  # crosses midnight


def next_safe_moment(now: datetime, safe_from: time | None, safe_until: time | None) -> datetime:
    """now if it is inside the window, else the next time the window opens (UTC)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if in_window(now, safe_from, safe_until):
        return now.astimezone(UTC)
    assert safe_from is not None  # in_window is always True without a window
    today = now.astimezone(LONDON).date()
    for day in (today, today + timedelta(days=1), today + timedelta(days=2)):
        opening = wall_clock_instant(day, safe_from)
        if opening >= now:
            return opening
    raise AssertionError("a window opens at least once in two days")  # pragma: no cover


def wall_clock_instant(day: date, at: time) -> datetime:
    """The first instant (UTC) at which London clocks show at or after `at` on `day`."""
    local = datetime.combine(day, at, tzinfo=LONDON)  # fold=0: the first of a repeated hour
    instant = local.astimezone(UTC)
    if instant.astimezone(LONDON).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    # `at` does not exist that day (the spring-forward gap): the window opens when the
    # clocks jump. fold=1 reads it with the new offset (a moment before the jump),
    # fold=0 with the old one (after it); the jump lies between.
    return _offset_change(local.replace(fold=1).astimezone(UTC), instant)


def _offset_change(before: datetime, after: datetime) -> datetime:
    """The first second in (before, after] with after's UTC offset (bisection)."""
    target = after.astimezone(LONDON).utcoffset()
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        if middle.astimezone(LONDON).utcoffset() == target:
            after = middle
        else:
            before = middle
    return after.replace(microsecond=0)
