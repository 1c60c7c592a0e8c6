"""What the Victims' Code engine raises, each naming the value it could not use."""

from __future__ import annotations


class VictimsCodeError(Exception):
    """Base of every error this package raises."""


class UnknownEventType(VictimsCodeError, ValueError):
    """An event type key that is not one of EventType's values."""


class UnknownRuleSet(VictimsCodeError, LookupError):
    """No rule set is registered under this key."""


class UnknownJurisdiction(VictimsCodeError, LookupError):
    """No jurisdiction is registered under this key."""


class NoRuleSetInForce(VictimsCodeError, LookupError):
    """The jurisdiction has no rule set in force on the date asked about."""


class UnknownDuty(VictimsCodeError, LookupError):
    """The rule set has no duty (or request window) with this key."""


class NaiveDatetime(VictimsCodeError, ValueError):
    """A datetime without a time zone: its calendar date would be a guess."""


class RulesDataError(VictimsCodeError, ValueError):
    """A jurisdiction or rule set in the data files (or given to a Registry) is invalid."""
