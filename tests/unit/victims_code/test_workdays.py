"""Working days in England and Wales, and the local date of a moment."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.victims_code import (
    NaiveDatetime,
    WorkingCalendar,
    local_date,
    ruleset,
    working_days_after,
    working_days_between,
)

pytestmark = pytest.mark.unit

EW = ruleset("ew-2021").jurisdiction.calendar
LONDON = "Europe/London"


def case(start, n, expected, id):
    return pytest.param(date.fromisoformat(start), n, date.fromisoformat(expected), id=id)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        case("2026-03-02", 0, "2026-03-02", "n=0 is the start day"),
        case("2026-03-02", 1, "2026-03-03", "Monday+1 is Tuesday"),
        case("2026-03-02", 5, "2026-03-09", "Monday+5 is next Monday"),
        case("2026-03-04", 5, "2026-03-11", "Wednesday+5 is next Wednesday"),
        case("2026-03-06", 1, "2026-03-09", "Friday+1 is Monday"),
        case("2026-03-06", 5, "2026-03-13", "Friday+5 is next Friday"),
        case("2026-03-07", 1, "2026-03-09", "Saturday+1 is Monday"),
        case("2026-03-08", 1, "2026-03-09", "Sunday+1 is Monday"),
        case("2026-03-07", 5, "2026-03-13", "Saturday+5 is Friday"),
        case("2026-03-02", 10, "2026-03-16", "Monday+10"),
        case("2026-03-02", 30, "2026-04-15", "Monday+30 across Easter 2026"),
        case("2026-12-23", 2, "2026-12-29", "Christmas 2026: Wed+2 skips 25 and substitute 28 Dec"),
        case("2026-12-24", 1, "2026-12-29", "Christmas 2026: Christmas Eve+1 is Tuesday 29"),
        case("2026-12-24", 5, "2027-01-05", "Christmas 2026 and New Year 2027"),
        case("2026-12-31", 1, "2027-01-04", "New Year 2027: Thu 31 Dec+1 is Mon 4 Jan"),
        case("2027-12-24", 1, "2027-12-29", "Christmas 2027: substitutes Mon 27 and Tue 28"),
        case("2027-03-25", 1, "2027-03-30", "Easter 2027: Good Friday 26, Easter Monday 29"),
        case("2027-03-26", 1, "2027-03-30", "Easter 2027: from Good Friday itself"),
        case("2027-03-25", 5, "2027-04-05", "Easter 2027: Thu+5"),
        case("2026-05-01", 1, "2026-05-05", "early May bank holiday 2026 (Mon 4 May)"),
        case("2026-05-22", 1, "2026-05-26", "Spring bank holiday 2026 (Mon 25 May)"),
        case("2027-04-30", 1, "2027-05-04", "early May bank holiday 2027 (Mon 3 May)"),
        case("2027-05-28", 1, "2027-06-01", "Spring bank holiday 2027 (Mon 31 May)"),
        case("2026-08-28", 1, "2026-09-01", "Summer bank holiday 2026 (Mon 31 Aug)"),
        case("2022-09-16", 1, "2022-09-20", "one-off: the Queen's state funeral, 19 Sep 2022"),
        case("2023-05-05", 1, "2023-05-09", "one-off: the Coronation, 8 May 2023"),
    ],
)
def test_working_days_after(start, n, expected):
    assert working_days_after(start, n, EW) == expected


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="0 or more"):
        working_days_after(date(2026, 3, 2), -1, EW)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        pytest.param(
            2026,
            ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
            id="2026",
        ),
        pytest.param(
            2027,
            ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
            id="2027",
        ),
    ],
)
def test_england_and_wales_bank_holidays_on_weekdays(year, expected):
    weekday_holidays = sorted(d for d in EW.holidays_in(year) if d.weekday() < 5)
    assert weekday_holidays == [date.fromisoformat(f"{year}-{md}") for md in expected]


def test_wales_has_the_same_bank_holidays_as_england():
    """The jurisdiction uses `holidays`' ENG calendar for England and Wales: if Wales
    ever gets a bank holiday of its own, this fails and the choice must be revisited."""
    wales = WorkingCalendar("GB", "WLS")
    for year in range(2021, 2036):
        assert EW.holidays_in(year) == wales.holidays_in(year), year


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(date(2026, 3, 2), date(2026, 3, 2), 0, id="same day"),
        pytest.param(date(2026, 3, 6), date(2026, 3, 7), 0, id="Friday to Saturday"),
        pytest.param(date(2026, 3, 6), date(2026, 3, 9), 1, id="Friday to Monday"),
        pytest.param(date(2026, 3, 2), date(2026, 3, 9), 5, id="a week"),
        pytest.param(date(2026, 12, 23), date(2027, 1, 5), 6, id="over Christmas and New Year"),
        pytest.param(date(2027, 1, 5), date(2026, 12, 23), -6, id="backwards"),
        pytest.param(date(2025, 12, 31), date(2026, 12, 31), 253, id="the working days of 2026"),
    ],
)
def test_working_days_between(a, b, expected):
    assert working_days_between(a, b, EW) == expected


def test_between_counts_what_after_steps_over():
    """The two agree for every start in 2026-2027 (weekends, holidays, year ends)."""
    start = date(2026, 1, 1)
    for offset in range(730):
        a = start + timedelta(days=offset)
        for n in (0, 1, 2, 5, 10, 30):
            assert working_days_between(a, working_days_after(a, n, EW), EW) == n, (a, n)


def test_between_matches_a_day_by_day_count():
    a = date(2021, 4, 1)
    for length in range(0, 1200, 37):
        b = a + timedelta(days=length)
        by_day = sum(EW.is_working_day(a + timedelta(days=k)) for k in range(1, length + 1))
        assert working_days_between(a, b, EW) == by_day, b


def test_another_weekend():
    friday_saturday = WorkingCalendar("GB", "ENG", weekend=frozenset({4, 5}))
    # Thursday 5 March 2026 + 1: Friday and Saturday are the weekend.
    assert working_days_after(date(2026, 3, 5), 1, friday_saturday) == date(2026, 3, 8)


def test_a_week_with_no_working_day_is_refused():
    with pytest.raises(ValueError, match="weekend"):
        WorkingCalendar("GB", "ENG", weekend=frozenset(range(7)))


def moment(text, zone="UTC"):
    return datetime.fromisoformat(text).replace(tzinfo=UTC if zone == "UTC" else ZoneInfo(zone))


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param(moment("2024-03-31T23:30"), "2024-04-01", id="BST: 23:30 UTC 31 Mar is 1 Apr"),
        pytest.param(moment("2024-03-31T00:30"), "2024-03-31", id="GMT just before the change"),
        pytest.param(moment("2024-10-26T23:30"), "2024-10-27", id="last BST night: 00:30 BST"),
        pytest.param(moment("2024-10-27T23:30"), "2024-10-27", id="first GMT night"),
        pytest.param(moment("2024-12-31T23:59"), "2024-12-31", id="winter: UTC is London"),
        pytest.param(moment("2024-06-30T23:00"), "2024-07-01", id="summer midnight"),
        pytest.param(moment("2024-06-30T20:00", "America/New_York"), "2024-07-01", id="New York"),
        pytest.param(date(2024, 7, 1), "2024-07-01", id="a plain date is already local"),
    ],
)
def test_local_date(at, expected):
    assert local_date(at, LONDON) == date.fromisoformat(expected)


def test_a_naive_datetime_is_refused():
    with pytest.raises(NaiveDatetime, match="time zone"):
        local_date(datetime(2024, 7, 1, 12, 0), LONDON)
