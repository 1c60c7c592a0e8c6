"""Dates and times as people in England and Wales read them, in the page's language.

Stored times are UTC; pages show Europe/London wall-clock time (summer time included)
and month names in English or Welsh (Babel's CLDR data), never strftime's C-locale
English.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask_babel import get_locale

LOCAL = ZoneInfo("Europe/London")


def show_date(value: date | datetime | None) -> str:
    """'3 March 2026' / '3 Mawrth 2026'; a datetime shows its London date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL).date()
    return format_date(value, "d MMMM y", locale=get_locale())


def show_time(value: datetime | None) -> str:
    """'3 March 2026, 14:05' in London time."""
    if value is None:
        return ""
    return format_datetime(value, "d MMMM y, HH:mm", tzinfo=LOCAL, locale=get_locale())
