"""The next moment inside a victim's safe window, Europe/London, across the clock changes."""

from datetime import UTC, datetime, time, timedelta

import pytest

from app.notifications.safe_times import in_window, next_safe_moment

pytestmark = pytest.mark.unit


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "window", "expected"),
    [
        # no window, or an empty one: at once
        (utc(2026, 6, 1, 3, 0), (None, None), utc(2026, 6, 1, 3, 0)),
        (utc(2026, 6, 1, 3, 0), (time(9), time(9)), utc(2026, 6, 1, 3, 0)),
        # summer (BST, UTC+1): 09:00-21:00 London is 08:00-20:00 UTC
        (utc(2026, 6, 1, 12, 0), (time(9), time(21)), utc(2026, 6, 1, 12, 0)),
        (utc(2026, 6, 1, 7, 30), (time(9), time(21)), utc(2026, 6, 1, 8, 0)),
        (utc(2026, 6, 1, 20, 0), (time(9), time(21)), utc(2026, 6, 2, 8, 0)),
        # winter (GMT): the same window is 09:00-21:00 UTC
        (utc(2026, 1, 10, 21, 0), (time(9), time(21)), utc(2026, 1, 11, 9, 0)),
        # a window across midnight, 22:00-07:00
        (utc(2026, 1, 10, 23, 30), (time(22), time(7)), utc(2026, 1, 10, 23, 30)),
        (utc(2026, 1, 11, 6, 59), (time(22), time(7)), utc(2026, 1, 11, 6, 59)),
        (utc(2026, 1, 11, 7, 0), (time(22), time(7)), utc(2026, 1, 11, 22, 0)),
    ],
)
def test_next_safe_moment(now, window, expected):
    assert next_safe_moment(now, *window) == expected


def test_spring_forward_the_window_opens_at_the_new_time():
    """Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST. Saturday night 23:00 GMT,
    window 09:00-21:00: Sunday's 09:00 is BST, 08:00 UTC (not 09:00)."""
    assert next_safe_moment(utc(2026, 3, 28, 23, 0), time(9), time(21)) == utc(2026, 3, 29, 8)


def test_spring_forward_a_window_starting_in_the_missing_hour_opens_at_the_jump():
    """01:30 London does not exist on 29 March 2026: the window opens at 02:00 BST."""
    opens = next_safe_moment(utc(2026, 3, 28, 23, 0), time(1, 30), time(6))
    assert opens == utc(2026, 3, 29, 1, 0)
    assert in_window(opens, time(1, 30), time(6))
    assert not in_window(opens - timedelta(seconds=1), time(1, 30), time(6))


def test_fall_back_a_window_starting_in_the_repeated_hour_opens_at_its_first_occurrence():
    """Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT; 01:30 happens twice."""
    opens = next_safe_moment(utc(2026, 10, 24, 22, 0), time(1, 30), time(6))
    assert opens == utc(2026, 10, 25, 0, 30)  # 01:30 BST


def test_fall_back_the_window_closes_by_the_wall_clock():
    """08:00-20:00 London: on 25 October 2026, 19:30 UTC is 19:30 GMT, inside."""
    assert in_window(utc(2026, 10, 25, 19, 30), time(8), time(20))
    assert not in_window(utc(2026, 10, 25, 20, 0), time(8), time(20))
    assert next_safe_moment(utc(2026, 10, 25, 20, 0), time(8), time(20)) == utc(2026, 10, 26, 8)


def test_never_earlier_than_now_and_always_inside():
    start = utc(2026, 3, 27, 0, 0)
    for minutes in range(0, 5 * 24 * 60, 37):
        now = start + timedelta(minutes=minutes)
        for window in ((time(9), time(21)), (time(22), time(7)), (time(1, 30), time(2, 30))):
            found = next_safe_moment(now, *window)
            assert found >= now and in_window(found, *window), (now, window)


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_safe_moment(datetime(2026, 1, 1), time(9), time(17))
