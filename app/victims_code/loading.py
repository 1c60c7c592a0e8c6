"""Jurisdictions and rule sets from TOML, checked field by field.

Every mistake is a RulesDataError naming the file and the entry: an unknown field (a
typo such as `enhaced_days` would otherwise fall back to a default), a missing one, a
wrong type, an event type or duty kind that does not exist, a duplicate duty.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from app.victims_code.errors import RulesDataError, UnknownEventType
from app.victims_code.events import EventType, event_type
from app.victims_code.rules import (
    CADENCE_DUTY,
    AppliesTo,
    DutyKind,
    Jurisdiction,
    Rule,
    RuleSet,
    Window,
)
from app.victims_code.workdays import WEEKDAYS, WorkingCalendar

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
_MISSING: Any = object()
_KIND_NAMES: dict[type, str] = {
    int: "a whole number",
    str: "text",
    list: "a list",
    date: "a date (YYYY-MM-DD)",
}


def parse_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesDataError(f"{where}: not valid TOML: {error}") from None


class _Table:
    """One TOML table being read: each field taken once, leftovers are an error."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise RulesDataError(f"{where}: expected a table")
        self.data = dict(data)
        self.where = where

    def take(self, name: str, kind: type[T], default: T = _MISSING) -> T:
        if name not in self.data:
            if default is _MISSING:
                raise RulesDataError(f"{self.where}: {name} is missing")
            return default
        value = self.data.pop(name)
        # bool is an int and datetime is a date to isinstance; neither is wanted here.
        wrong_subtype = isinstance(value, bool | datetime) and kind not in (bool, datetime)
        if not isinstance(value, kind) or wrong_subtype:
            what = _KIND_NAMES.get(kind, kind.__name__)
            raise RulesDataError(f"{self.where}: {name} must be {what}: {value!r}")
        return value

    def maybe(self, name: str, kind: type[T]) -> T | None:
        return self.take(name, kind) if name in self.data else None

    def count(self, name: str, *, least: int) -> int:
        value = self.take(name, int)
        if value < least:
            raise RulesDataError(f"{self.where}: {name} must be {least} or more: {value}")
        return value

    def events(self, name: str, default: list[str] = _MISSING) -> tuple[EventType, ...]:
        return tuple(self.event(key, name) for key in self.take(name, list, default))

    def event(self, key: object, name: str = "event") -> EventType:
        try:
            return event_type(str(key))
        except UnknownEventType as error:
            raise RulesDataError(f"{self.where}: {name}: {error}") from None

    def done(self) -> None:
        if self.data:
            raise RulesDataError(f"{self.where}: unknown fields {sorted(self.data)}")


def _choice(table: _Table, name: str, kind: type[E], default: str = _MISSING) -> E:
    value = table.take(name, str, default)
    try:
        return kind(value)
    except ValueError:
        choices = [member.value for member in kind]
        raise RulesDataError(f"{table.where}: {name} must be one of {choices}: {value!r}") from None


def jurisdiction_from(data: object, where: str) -> Jurisdiction:
    table = _Table(data, where)
    key = table.take("key", str)
    table.where = f"{where}: jurisdiction {key!r}"
    title = table.take("title", str)
    timezone = _timezone(table)
    calendar = _calendar(table)
    table.done()
    return Jurisdiction(key=key, title=title, timezone=timezone, calendar=calendar)


def _timezone(table: _Table) -> str:
    timezone = table.take("timezone", str)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RulesDataError(f"{table.where}: unknown time zone {timezone!r}") from None
    return timezone


def _calendar(table: _Table) -> WorkingCalendar:
    country = table.take("holidays_country", str)
    subdiv = table.maybe("holidays_subdiv", str)
    try:
        holidays.country_holidays(country, subdiv=subdiv)
    except NotImplementedError as error:
        raise RulesDataError(f"{table.where}: holidays has no calendar: {error}") from None
    names = table.take("weekend", list, ["saturday", "sunday"])
    unknown = [name for name in names if name not in WEEKDAYS]
    if unknown or len(set(names)) >= 7:
        raise RulesDataError(f"{table.where}: weekend must name some weekdays: {names}")
    weekend = frozenset(WEEKDAYS.index(name) for name in names)
    return WorkingCalendar(country=country, subdiv=subdiv, weekend=weekend)


def ruleset_from(data: object, jurisdiction: Callable[[str], Jurisdiction], where: str) -> RuleSet:
    """A RuleSet from its TOML table; jurisdiction(key) finds the registered one."""
    table = _Table(data, where)
    key = table.take("key", str)
    table.where = f"{where}: rule set {key!r}"
    ruleset = RuleSet(
        key=key,
        jurisdiction=jurisdiction(table.take("jurisdiction", str)),
        title=table.take("title", str),
        in_force_from=table.take("in_force_from", date),
        default_cadence_days=table.count("default_cadence_days", least=1),
        rules=tuple(
            rule_from(item, f"{table.where}: rules[{index}]")
            for index, item in enumerate(table.take("rules", list))
        ),
        windows=tuple(
            window_from(item, f"{table.where}: windows[{index}]")
            for index, item in enumerate(table.take("windows", list, []))
        ),
    )
    table.done()
    if any(rule.duty == CADENCE_DUTY for rule in ruleset.rules):
        raise RulesDataError(f"{table.where}: duty {CADENCE_DUTY!r} is the update cadence's")
    _no_duplicates([rule.duty for rule in ruleset.rules], "duty", table.where)
    _no_duplicates([window.right for window in ruleset.windows], "window right", table.where)
    return ruleset


def rule_from(data: object, where: str) -> Rule:
    table = _Table(data, where)
    event = table.event(table.take("event", str))
    applies_to = _choice(table, "applies_to", AppliesTo, AppliesTo.ALL)
    rule = Rule(
        event=event,
        duty=table.take("duty", str),
        kind=_choice(table, "kind", DutyKind),
        standard_days=_standard_days(table, applies_to),
        enhanced_days=table.count("enhanced_days", least=0),
        applies_to=applies_to,
        fulfilled_by=table.events("fulfilled_by", [event.value]),
        title=table.take("title", str, ""),
    )
    table.done()
    return rule


def _standard_days(table: _Table, applies_to: AppliesTo) -> int | None:
    if applies_to is AppliesTo.ALL:
        return table.count("standard_days", least=0)
    if "standard_days" in table.data:
        raise RulesDataError(f"{table.where}: an enhanced-only rule has no standard_days")
    return None


def window_from(data: object, where: str) -> Window:
    table = _Table(data, where)
    window = Window(
        right=table.take("right", str),
        opened_by=table.events("opened_by"),
        months=table.count("months", least=1),
        title=table.take("title", str, ""),
    )
    table.done()
    return window


def _no_duplicates(keys: list[str], what: str, where: str) -> None:
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise RulesDataError(f"{where}: {what} repeated: {repeated}")
