"""What each event obliges the police to do by when (ew-2021), and how duties stand."""

from datetime import UTC, date, datetime

import pytest

from app.victims_code import (
    CADENCE_DUTY,
    DutyKind,
    DutyStatus,
    EventType,
    NoRuleSetInForce,
    UnknownDuty,
    UnknownEventType,
    duties_for_event,
    duties_fulfilled_by,
    fulfils,
    next_cadence_due,
    review_window_closes,
    ruleset,
    status_on,
    windows_opened_by,
)

pytestmark = pytest.mark.unit

EW_2021 = ruleset("ew-2021")
MONDAY = date(2026, 3, 2)

INFORM_EVENTS = [
    ("arrested", "inform-arrest"),
    ("interviewed_under_caution", "inform-interview"),
    ("released_without_charge", "inform-release-without-charge"),
    ("bailed", "inform-bail"),
    ("released_under_investigation", "inform-release-under-investigation"),
    ("bail_changed", "inform-bail-change"),
    ("bail_cancelled", "inform-bail-cancelled"),
    ("decision_not_to_investigate", "explain-decision-not-to-investigate"),
    ("charged", "inform-charge"),
    ("out_of_court_disposal", "inform-out-of-court-disposal"),
    ("no_further_action", "inform-no-further-action"),
]


def duties(event, on=MONDAY, *, enhanced=False):
    found = duties_for_event(event, on, enhanced=enhanced, ruleset=EW_2021)
    return [(spec.duty, spec.due_on) for spec in found]


@pytest.mark.parametrize(
    ("event", "duty", "enhanced", "due_on"),
    [
        pytest.param(event, duty, enhanced, due, id=f"{event}-{label}")
        for event, duty in INFORM_EVENTS
        for enhanced, label, due in (
            (False, "standard-5wd", date(2026, 3, 9)),
            (True, "enhanced-1wd", date(2026, 3, 3)),
        )
    ],
)
def test_investigation_events_inform_within_5_or_1_working_days(event, duty, enhanced, due_on):
    assert duties(event, enhanced=enhanced) == [(duty, due_on)]
    assert EW_2021.rule(duty).kind is DutyKind.INFORM


@pytest.mark.parametrize(
    ("event", "duty"),
    [
        ("hearing_listed", "inform-hearing"),
        ("verdict", "inform-verdict"),
        ("sentence", "inform-sentence"),
    ],
)
@pytest.mark.parametrize("enhanced", [False, True], ids=["standard", "enhanced"])
def test_court_events_inform_every_victim_within_1_working_day(event, duty, enhanced):
    assert duties(event, enhanced=enhanced) == [(duty, date(2026, 3, 3))]


@pytest.mark.parametrize(
    ("event", "on", "expected"),
    [
        pytest.param(
            "needs_assessed", MONDAY, [("refer-to-support", date(2026, 3, 4))], id="refer in 2wd"
        ),
        pytest.param(
            "needs_assessed",
            date(2026, 12, 24),
            [("refer-to-support", date(2026, 12, 30))],
            id="refer in 2wd over Christmas",
        ),
        pytest.param(
            "review_requested",
            MONDAY,
            [("acknowledge-review", date(2026, 3, 16)), ("decide-review", date(2026, 4, 15))],
            id="review: acknowledge 10wd, decide 30wd (over Easter)",
        ),
        pytest.param(
            "review_requested",
            date(2026, 12, 24),
            [("acknowledge-review", date(2027, 1, 12)), ("decide-review", date(2027, 2, 9))],
            id="review over Christmas",
        ),
        pytest.param(
            "complaint_made",
            MONDAY,
            [("acknowledge-complaint", date(2026, 3, 16))],
            id="complaint: acknowledge 10wd",
        ),
    ],
)
@pytest.mark.parametrize("enhanced", [False, True], ids=["standard", "enhanced"])
def test_support_review_and_complaint_deadlines(event, on, expected, enhanced):
    assert duties(event, on, enhanced=enhanced) == expected


@pytest.mark.parametrize(
    "event",
    [
        "support_referral_made",
        "free_update",
        "review_acknowledged",
        "review_decided",
        "complaint_acknowledged",
        "complaint_answered",
    ],
)
def test_events_that_create_no_duty(event):
    assert duties(event) == []
    assert duties(event, enhanced=True) == []


def test_every_event_type_is_known_to_the_engine():
    for event in EventType:
        duties_for_event(event, MONDAY, enhanced=False, ruleset=EW_2021)


@pytest.mark.parametrize("event", ["arested", "", "ARRESTED", "inform-arrest"])
def test_an_unknown_event_type_is_a_clear_error(event):
    with pytest.raises(UnknownEventType, match=rf"unknown event type '{event}'.*arrested"):
        duties(event)


def test_a_duty_spec_says_where_it_came_from():
    (spec,) = duties_for_event(
        "arrested", datetime(2026, 3, 6, 17, 0, tzinfo=UTC), enhanced=True, ruleset=EW_2021
    )
    assert spec.duty == "inform-arrest"
    assert spec.event is EventType.ARRESTED
    assert spec.event_on == date(2026, 3, 6)
    assert (spec.enhanced, spec.working_days) == (True, 1)
    assert spec.due_on == date(2026, 3, 9)
    assert spec.ruleset_key == "ew-2021"
    assert spec.rule is EW_2021.rule("inform-arrest")


@pytest.mark.parametrize(
    ("occurred_at", "due_on"),
    [
        pytest.param(
            datetime(2024, 7, 4, 22, 30, tzinfo=UTC), date(2024, 7, 5), id="Thu 23:30 BST: Fri"
        ),
        pytest.param(
            datetime(2024, 7, 4, 23, 30, tzinfo=UTC), date(2024, 7, 8), id="Fri 00:30 BST: Mon"
        ),
        pytest.param(
            datetime(2024, 1, 4, 23, 30, tzinfo=UTC), date(2024, 1, 5), id="Thu 23:30 GMT: Fri"
        ),
        pytest.param(
            datetime(2024, 3, 31, 23, 30, tzinfo=UTC), date(2024, 4, 2), id="31 Mar 23:30Z: 1 Apr"
        ),
    ],
)
def test_the_event_date_is_the_london_date(occurred_at, due_on):
    assert duties("arrested", occurred_at, enhanced=True) == [("inform-arrest", due_on)]


def test_an_event_before_the_rule_set_is_refused():
    with pytest.raises(NoRuleSetInForce, match="before ew-2021 came into force"):
        duties("arrested", date(2021, 3, 31))


def test_an_event_posted_late_is_overdue_at_once():
    today = date(2026, 3, 16)
    (spec,) = duties_for_event("arrested", date(2026, 3, 2), enhanced=False, ruleset=EW_2021)
    assert spec.due_on == date(2026, 3, 9)
    assert status_on(spec.due_on, today) is DutyStatus.OVERDUE


DUE = date(2026, 3, 9)


@pytest.mark.parametrize(
    ("today", "met_on", "expected"),
    [
        pytest.param(date(2026, 3, 2), None, DutyStatus.DUE, id="before: due"),
        pytest.param(DUE, None, DutyStatus.DUE_TODAY, id="on the day: due today"),
        pytest.param(date(2026, 3, 10), None, DutyStatus.OVERDUE, id="after: overdue"),
        pytest.param(date(2026, 3, 10), date(2026, 3, 3), DutyStatus.MET_ON_TIME, id="met early"),
        pytest.param(DUE, DUE, DutyStatus.MET_ON_TIME, id="met on the last day"),
        pytest.param(date(2026, 3, 10), date(2026, 3, 10), DutyStatus.MET_LATE, id="met late"),
        pytest.param(date(2026, 3, 5), date(2026, 3, 4), DutyStatus.MET_ON_TIME, id="met, not due"),
        pytest.param(
            date(2027, 1, 1), date(2026, 4, 1), DutyStatus.MET_LATE, id="met late, long ago"
        ),
    ],
)
def test_status_on(today, met_on, expected):
    assert status_on(DUE, today, met_on) is expected


@pytest.mark.parametrize(
    ("last_update", "cadence", "expected"),
    [
        pytest.param(date(2026, 1, 5), 28, date(2026, 2, 2), id="default 28 days"),
        pytest.param(date(2026, 1, 5), 14, date(2026, 1, 19), id="agreed 14 days"),
        pytest.param(date(2024, 2, 10), 28, date(2024, 3, 9), id="leap February"),
        pytest.param(date(2026, 12, 20), 28, date(2027, 1, 17), id="over the year end"),
        pytest.param(date(2026, 3, 6), 1, date(2026, 3, 7), id="calendar days: weekends count"),
    ],
)
def test_next_cadence_due(last_update, cadence, expected):
    assert next_cadence_due(last_update, cadence) == expected


def test_the_default_cadence_is_28_days():
    assert EW_2021.default_cadence_days == 28


def test_a_cadence_of_zero_is_refused():
    with pytest.raises(ValueError, match="1 or more"):
        next_cadence_due(date(2026, 1, 5), 0)


@pytest.mark.parametrize(
    ("told_on", "closes"),
    [
        pytest.param(date(2026, 1, 15), date(2026, 4, 15), id="corresponding date"),
        pytest.param(date(2025, 11, 30), date(2026, 2, 28), id="30 Nov: 28 Feb"),
        pytest.param(date(2023, 11, 30), date(2024, 2, 29), id="30 Nov: 29 Feb in a leap year"),
        pytest.param(date(2026, 8, 31), date(2026, 11, 30), id="31 Aug: 30 Nov"),
        pytest.param(date(2026, 10, 31), date(2027, 1, 31), id="over the year end"),
        pytest.param(date(2026, 12, 31), date(2027, 3, 31), id="31 Dec: 31 Mar"),
        pytest.param(date(2026, 12, 24), date(2027, 3, 24), id="calendar months, not working days"),
    ],
)
def test_review_request_window_is_3_calendar_months(told_on, closes):
    assert review_window_closes(told_on, EW_2021) == closes


@pytest.mark.parametrize(
    ("event", "rights"),
    [
        ("no_further_action", ("request-review",)),
        ("charged", ()),
        ("decision_not_to_investigate", ()),
    ],
)
def test_which_events_open_the_review_window(event, rights):
    assert windows_opened_by(event, EW_2021) == rights


@pytest.mark.parametrize(
    ("update", "duty", "expected"),
    [
        ("arrested", "inform-arrest", True),
        ("charged", "inform-charge", True),
        ("charged", "inform-arrest", False),
        ("free_update", "inform-arrest", False),
        ("support_referral_made", "refer-to-support", True),
        ("needs_assessed", "refer-to-support", False),
        ("free_update", "refer-to-support", False),
        ("review_acknowledged", "acknowledge-review", True),
        ("review_decided", "acknowledge-review", True),
        ("review_acknowledged", "decide-review", False),
        ("review_decided", "decide-review", True),
        ("complaint_acknowledged", "acknowledge-complaint", True),
        ("complaint_answered", "acknowledge-complaint", True),
        ("complaint_made", "acknowledge-complaint", False),
        ("free_update", CADENCE_DUTY, True),
        ("arrested", CADENCE_DUTY, True),
        ("support_referral_made", CADENCE_DUTY, True),
        ("review_requested", CADENCE_DUTY, False),
        ("complaint_made", CADENCE_DUTY, False),
    ],
    ids=lambda value: str(value) if not isinstance(value, bool) else ("meets" if value else "not"),
)
def test_fulfils(update, duty, expected):
    assert fulfils(update, duty, EW_2021) is expected


def test_duties_fulfilled_by_an_update():
    assert duties_fulfilled_by("review_decided", EW_2021) == {
        "acknowledge-review",
        "decide-review",
        CADENCE_DUTY,
    }
    assert duties_fulfilled_by("free_update", EW_2021) == {CADENCE_DUTY}
    assert duties_fulfilled_by("complaint_made", EW_2021) == frozenset()


def test_fulfils_names_an_unknown_duty_or_event():
    with pytest.raises(UnknownDuty, match="no duty 'inform-moon-landing'"):
        fulfils("arrested", "inform-moon-landing", EW_2021)
    with pytest.raises(UnknownEventType):
        fulfils("arested", "inform-arrest", EW_2021)
