"""Which rule sets exist, and which one is in force where and when.

The package's own data (data/jurisdictions.toml, then data/rulesets/*.toml) is loaded
once, at import, into RULES; nothing changes it afterwards. Tests and tools that need
more (a draft Code, another jurisdiction) build their own Registry: builtin_registry()
then load_toml(...), without touching the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from importlib.resources import files

from app.victims_code.errors import (
    NoRuleSetInForce,
    RulesDataError,
    UnknownJurisdiction,
    UnknownRuleSet,
)
from app.victims_code.loading import jurisdiction_from, parse_toml, ruleset_from
from app.victims_code.rules import Jurisdiction, RuleSet
from app.victims_code.workdays import local_date


class Registry:
    def __init__(self) -> None:
        self._jurisdictions: dict[str, Jurisdiction] = {}
        self._rulesets: dict[str, RuleSet] = {}

    def load_toml(self, text: str, where: str = "<toml>") -> None:
        """Add the document's [[jurisdictions]] first, then its rule set, if it has one."""
        document = parse_toml(text, where)
        for index, table in enumerate(document.pop("jurisdictions", [])):
            self.add_jurisdiction(jurisdiction_from(table, f"{where}: jurisdictions[{index}]"))
        if document:
            self.add_ruleset(ruleset_from(document, self._jurisdiction_for_data(where), where))

    def _jurisdiction_for_data(self, where: str) -> Callable[[str], Jurisdiction]:
        def find(key: str) -> Jurisdiction:
            if key not in self._jurisdictions:
                raise RulesDataError(f"{where}: jurisdiction {key!r} is not registered")
            return self._jurisdictions[key]

        return find

    def add_jurisdiction(self, jurisdiction: Jurisdiction) -> None:
        if jurisdiction.key in self._jurisdictions:
            raise RulesDataError(f"jurisdiction {jurisdiction.key!r} is already registered")
        self._jurisdictions[jurisdiction.key] = jurisdiction

    def add_ruleset(self, ruleset: RuleSet) -> None:
        if ruleset.key in self._rulesets:
            raise RulesDataError(f"rule set {ruleset.key!r} is already registered")
        if self._jurisdictions.get(ruleset.jurisdiction.key) != ruleset.jurisdiction:
            raise RulesDataError(
                f"rule set {ruleset.key!r}: register jurisdiction "
                f"{ruleset.jurisdiction.key!r} first"
            )
        for other in self.rulesets(ruleset.jurisdiction.key):
            if other.in_force_from == ruleset.in_force_from:
                raise RulesDataError(
                    f"rule sets {other.key!r} and {ruleset.key!r} both come into force "
                    f"on {ruleset.in_force_from}"
                )
        self._rulesets[ruleset.key] = ruleset

    def jurisdiction(self, key: str) -> Jurisdiction:
        try:
            return self._jurisdictions[key]
        except KeyError:
            raise UnknownJurisdiction(f"no jurisdiction {key!r}") from None

    def jurisdictions(self) -> tuple[Jurisdiction, ...]:
        return tuple(self._jurisdictions.values())

    def ruleset(self, key: str) -> RuleSet:
        """The rule set with this key (what a stored duty names), in force or not."""
        try:
            return self._rulesets[key]
        except KeyError:
            raise UnknownRuleSet(f"no rule set {key!r}") from None

    def rulesets(self, jurisdiction: str | None = None) -> tuple[RuleSet, ...]:
        """Every rule set (of one jurisdiction), oldest first."""
        chosen = [
            ruleset
            for ruleset in self._rulesets.values()
            if jurisdiction is None or ruleset.jurisdiction.key == jurisdiction
        ]
        return tuple(sorted(chosen, key=lambda ruleset: ruleset.in_force_from))

    def ruleset_for(self, jurisdiction: str, on: date | datetime) -> RuleSet:
        """The rule set of jurisdiction in force on that date (a datetime is read as its
        local date there): the latest one in force from that date or before."""
        day = local_date(on, self.jurisdiction(jurisdiction).timezone)
        versions = self.rulesets(jurisdiction)
        in_force = [ruleset for ruleset in versions if ruleset.in_force_from <= day]
        if not in_force:
            earliest = f"; the earliest starts on {versions[0].in_force_from}" if versions else ""
            raise NoRuleSetInForce(f"no {jurisdiction} rule set in force on {day}{earliest}")
        return in_force[-1]


def builtin_registry() -> Registry:
    """A new Registry holding the package's own jurisdictions and rule sets."""
    registry = Registry()
    data = files("app.victims_code").joinpath("data")
    registry.load_toml(data.joinpath("jurisdictions.toml").read_text("utf-8"), "jurisdictions.toml")
    rulesets = data.joinpath("rulesets")
    for entry in sorted(rulesets.iterdir(), key=lambda entry: entry.name):
        if entry.name.endswith(".toml"):
            registry.load_toml(entry.read_text("utf-8"), f"rulesets/{entry.name}")
    return registry


RULES = builtin_registry()


def jurisdiction(key: str) -> Jurisdiction:
    """RULES.jurisdiction(key): its zone and calendar, for dates with no rule set in force
    (a message from before 1 April 2021 still has a London date)."""
    return RULES.jurisdiction(key)


def ruleset(key: str) -> RuleSet:
    """RULES.ruleset(key): the built-in rule set with this key."""
    return RULES.ruleset(key)


def ruleset_for(jurisdiction: str, on: date | datetime) -> RuleSet:
    """RULES.ruleset_for(...): the built-in rule set in force there on that date."""
    return RULES.ruleset_for(jurisdiction, on)
