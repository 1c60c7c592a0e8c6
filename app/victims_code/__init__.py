"""The Victims' Code deadline engine: pure functions over a versioned table of rules.

Nothing here touches Flask, the database, a force or the network; it imports only the
standard library and `holidays` (tests/unit/victims_code/test_purity.py checks).

The rules are data. data/jurisdictions.toml says where a Code applies (time zone,
working days); each data/rulesets/*.toml is one version of one jurisdiction's Code
(ew-2021: England and Wales, in force from 1 April 2021): event type -> duty ->
working days, standard and enhanced. A new version or jurisdiction is a new data file.

Deadline semantics
------------------
- An event's date is its calendar date in the jurisdiction's zone (Europe/London for
  England and Wales, summer time included): 23:30 UTC on 31 March 2024 is 1 April.
  Aware datetimes or plain (already local) dates are accepted; naive datetimes are not.
- A working day is Monday to Friday, not an England-and-Wales bank holiday (substitute
  days included: Boxing Day 2026 is observed on Monday 28 December).
- A duty of N working days for an event on day D is due by the end of the Nth working
  day after D. Counting starts the next working day, whatever D is: Friday + 1 and
  Saturday + 1 are both Monday. Deadlines are dates (`due_on`), not times.
- A duty met on or before due_on is met on time; not met after due_on, it is overdue.
  An event recorded late can be overdue the moment it is recorded.
- Each duty keeps the rule set it was made under (DutySpec.ruleset_key); a new version
  of the Code applies to events dated from its in_force_from on.
- The update cadence is in calendar days (28 by default) from the last update the
  victim received; every police update restarts it.
- A request window (the right to ask for a review within 3 months of being told of a
  decision not to charge) ends on the corresponding date that many calendar months
  later, inclusive; when that month is too short, on its last day (told 30 November:
  closes 28 February, 29 in a leap year). This is the corresponding-date rule English
  law uses for periods of months.
"""

from __future__ import annotations

from app.victims_code.engine import (
    REVIEW_RIGHT,
    DutySpec,
    DutyStatus,
    add_months,
    duties_for_event,
    duties_fulfilled_by,
    fulfils,
    next_cadence_due,
    review_window_closes,
    status_on,
    window_closes,
    windows_opened_by,
)
from app.victims_code.errors import (
    NaiveDatetime,
    NoRuleSetInForce,
    RulesDataError,
    UnknownDuty,
    UnknownEventType,
    UnknownJurisdiction,
    UnknownRuleSet,
    VictimsCodeError,
)
from app.victims_code.events import VICTIM_INITIATED, EventType, event_type
from app.victims_code.registry import (
    RULES,
    Registry,
    builtin_registry,
    jurisdiction,
    ruleset,
    ruleset_for,
)
from app.victims_code.rules import (
    CADENCE_DUTY,
    AppliesTo,
    DutyKind,
    Jurisdiction,
    Rule,
    RuleSet,
    Window,
)
from app.victims_code.workdays import (
    WorkingCalendar,
    local_date,
    working_days_after,
    working_days_between,
)

__all__ = [
    "CADENCE_DUTY",
    "REVIEW_RIGHT",
    "RULES",
    "VICTIM_INITIATED",
    "AppliesTo",
    "DutyKind",
    "DutySpec",
    "DutyStatus",
    "EventType",
    "Jurisdiction",
    "NaiveDatetime",
    "NoRuleSetInForce",
    "Registry",
    "Rule",
    "RuleSet",
    "RulesDataError",
    "UnknownDuty",
    "UnknownEventType",
    "UnknownJurisdiction",
    "UnknownRuleSet",
    "VictimsCodeError",
    "Window",
    "WorkingCalendar",
    "add_months",
    "builtin_registry",
    "duties_for_event",
    "duties_fulfilled_by",
    "event_type",
    "fulfils",
    "jurisdiction",
    "local_date",
    "next_cadence_due",
    "review_window_closes",
    "ruleset",
    "ruleset_for",
    "status_on",
    "window_closes",
    "windows_opened_by",
    "working_days_after",
    "working_days_between",
]
