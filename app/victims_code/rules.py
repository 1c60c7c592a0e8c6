"""The shape of the rules: jurisdictions, rule sets (versions of a Code), rules, windows.

The values themselves are data (app/victims_code/data); these classes only hold them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.victims_code.errors import UnknownDuty
from app.victims_code.events import EventType
from app.victims_code.workdays import WorkingCalendar

# The recurring duty to update the victim as often as agreed with them. It has no rule
# in the table (no event starts it; every update restarts it), so it has a fixed key
# that no rule may use.
CADENCE_DUTY = "update-cadence"


class DutyKind(StrEnum):
    INFORM = "inform"
    REFER = "refer"
    ACKNOWLEDGE = "acknowledge"
    DECIDE = "decide"


class AppliesTo(StrEnum):
    ALL = "all"
    ENHANCED_ONLY = "enhanced-only"


@dataclass(frozen=True)
class Jurisdiction:
    """Where a Code applies: its key, the zone its dates are read in, its working days."""

    key: str
    title: str
    timezone: str
    calendar: WorkingCalendar


@dataclass(frozen=True)
class Rule:
    """When event happens, the police owe the victim duty within so many working days.

    standard_days is None only for a rule that applies to enhanced-rights victims only.
    fulfilled_by lists the event types whose update to the victim meets the duty.
    """

    event: EventType
    duty: str
    kind: DutyKind
    standard_days: int | None
    enhanced_days: int
    applies_to: AppliesTo
    fulfilled_by: tuple[EventType, ...]
    title: str = ""

    def working_days(self, *, enhanced: bool) -> int | None:
        """The deadline in working days for this victim, or None if the rule skips them."""
        if enhanced:
            return self.enhanced_days
        if self.applies_to is AppliesTo.ENHANCED_ONLY:
            return None
        return self.standard_days


@dataclass(frozen=True)
class Window:
    """A right the victim may use within months (calendar) of being told of an event.

    The deadline is the victim's, not the police's, so it is never a duty that falls
    overdue; hence a separate type from Rule.
    """

    right: str
    opened_by: tuple[EventType, ...]
    months: int
    title: str = ""


@dataclass(frozen=True)
class RuleSet:
    """One version of one jurisdiction's Code, in force from in_force_from until the
    next version of the same jurisdiction takes over."""

    key: str
    jurisdiction: Jurisdiction
    title: str
    in_force_from: date
    rules: tuple[Rule, ...]
    default_cadence_days: int
    windows: tuple[Window, ...] = ()

    def rules_for(self, event: EventType) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.event is event)

    def rule(self, duty: str) -> Rule:
        for rule in self.rules:
            if rule.duty == duty:
                return rule
        raise UnknownDuty(f"rule set {self.key!r} has no duty {duty!r}")

    def window(self, right: str) -> Window:
        for window in self.windows:
            if window.right == right:
                return window
        raise UnknownDuty(f"rule set {self.key!r} has no request window {right!r}")
