"""Working days and local calendar dates.

A working day is a day that is neither a weekend day nor a public holiday of the
calendar's `holidays` country and subdivision. `holidays` computes its dates from rules
shipped in the package: no file or network is read. Its answers are cached per year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from app.victims_code.errors import NaiveDatetime

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SATURDAY_SUNDAY = frozenset({5, 6})
ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=512)
def public_holidays(country: str, subdiv: str | None, year: int) -> frozenset[date]:
    """The public holidays (observed days included) that fall in year.

    The years either side are asked too: a holiday observed on a later day can move
    into the next calendar year, and `holidays` files it under the year it belongs to.
    """
    found = holidays.country_holidays(country, subdiv=subdiv, years=(year - 1, year, year + 1))
    return frozenset(day for day in found if day.year == year)


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekend days (date.weekday() numbers) and a `holidays` country/subdivision."""

    country: str
    subdiv: str | None = None
    weekend: frozenset[int] = field(default=SATURDAY_SUNDAY)

    def __post_init__(self) -> None:
        if not self.weekend < frozenset(range(7)):
            raise ValueError(f"weekend must be some, not all, of 0-6: {sorted(self.weekend)}")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays_in(day.year)

    def holidays_in(self, year: int) -> frozenset[date]:
        return public_holidays(self.country, self.subdiv, year)


def working_days_after(start: date, n: int, calendar: WorkingCalendar) -> date:
    """The nth working day after start (start itself never counts; n=0 gives start).

    Friday + 1 is Monday, and so is Saturday + 1: counting begins the next working day.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    day = start
    while n:
        day += ONE_DAY
        if calendar.is_working_day(day):
            n -= 1
    return day


def working_days_between(a: date, b: date, calendar: WorkingCalendar) -> int:
    """How many working days fall after a, up to and including b (negative if b < a).

    The inverse of working_days_after: a message received on a Friday has been waiting
    1 working day on Monday and 0 on the Saturday. Counts by whole weeks, so a gap of
    years costs a handful of steps.
    """
    if b < a:
        return -working_days_between(b, a, calendar)
    weeks, rest = divmod((b - a).days, 7)
    count = weeks * (7 - len(calendar.weekend))
    count += sum(
        1 for back in range(rest) if (b - back * ONE_DAY).weekday() not in calendar.weekend
    )
    for year in range(a.year, b.year + 1):
        count -= sum(
            1
            for day in calendar.holidays_in(year)
            if a < day <= b and day.weekday() not in calendar.weekend
        )
    return count


def local_date(at: datetime | date, timezone: str) -> date:
    """The calendar date of at in timezone (a plain date is taken as already local).

    An aware datetime is converted through the zone's rules, so summer time is right:
    23:30 UTC on 31 March 2024 is 00:30 on 1 April in Europe/London. A naive datetime is
    refused rather than guessed at.
    """
    if not isinstance(at, datetime):
        return at
    if at.tzinfo is None or at.utcoffset() is None:
        raise NaiveDatetime(f"a datetime needs a time zone to have a {timezone} date")
    return at.astimezone(ZoneInfo(timezone)).date()
