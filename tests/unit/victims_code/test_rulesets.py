"""Rule sets are versioned data per jurisdiction: picked by date, added without code."""

from datetime import UTC, date, datetime

import pytest

from app.victims_code import (
    RULES,
    NoRuleSetInForce,
    Registry,
    RulesDataError,
    UnknownJurisdiction,
    UnknownRuleSet,
    builtin_registry,
    duties_for_event,
    fulfils,
    jurisdiction,
    ruleset,
    ruleset_for,
)

pytestmark = pytest.mark.unit

# A made-up next version of the Code: shorter deadlines, a new enhanced-only duty, a
# different cadence. Nothing here is the real consultation draft.
EW_2026_DRAFT = """
key = "ew-2026-draft"
jurisdiction = "england-and-wales"
title = "Made-up draft Victims' Code for tests"
in_force_from = 2026-06-01
default_cadence_days = 21

[[rules]]
event = "arrested"
duty = "inform-arrest"
kind = "inform"
standard_days = 3
enhanced_days = 1

[[rules]]
event = "bailed"
duty = "inform-bail"
kind = "inform"
standard_days = 3
enhanced_days = 1

[[rules]]
event = "needs_assessed"
duty = "refer-to-support"
kind = "refer"
standard_days = 2
enhanced_days = 1
fulfilled_by = ["support_referral_made"]

[[rules]]
event = "needs_assessed"
duty = "offer-advocate"
kind = "refer"
applies_to = "enhanced-only"
enhanced_days = 5
fulfilled_by = ["support_referral_made"]

[[windows]]
right = "request-review"
opened_by = ["no_further_action", "decision_not_to_investigate"]
months = 6
"""

# A made-up second jurisdiction with its own bank holidays (Northern Ireland's: St
# Patrick's Day, the Battle of the Boyne) and its own Code.
NI_TEST = """
key = "ni-test-2024"
jurisdiction = "ni-test"
title = "Made-up Code for a test jurisdiction"
in_force_from = 2024-01-01
default_cadence_days = 30

[[jurisdictions]]
key = "ni-test"
title = "A test jurisdiction on Northern Ireland's calendar"
timezone = "Europe/Belfast"
holidays_country = "GB"
holidays_subdiv = "NIR"

[[rules]]
event = "arrested"
duty = "inform-arrest"
kind = "inform"
standard_days = 5
enhanced_days = 1
"""


@pytest.fixture
def registry():
    """The built-in rules plus the made-up ones, in a registry of the test's own."""
    registry = builtin_registry()
    registry.load_toml(EW_2026_DRAFT, "ew-2026-draft.toml")
    registry.load_toml(NI_TEST, "ni-test.toml")
    return registry


def test_the_builtin_rules_are_england_and_wales_2021():
    assert [rs.key for rs in RULES.rulesets()] == ["ew-2021"]
    ew = ruleset("ew-2021")
    assert ew.jurisdiction.key == "england-and-wales"
    assert ew.in_force_from == date(2021, 4, 1)
    assert ew.title == "Code of Practice for Victims of Crime in England and Wales 2021"


@pytest.mark.parametrize(
    ("on", "key"),
    [
        pytest.param(date(2021, 4, 1), "ew-2021", id="first day of the 2021 Code"),
        pytest.param(date(2026, 5, 31), "ew-2021", id="day before the draft"),
        pytest.param(date(2026, 6, 1), "ew-2026-draft", id="draft's first day"),
        pytest.param(date(2030, 1, 1), "ew-2026-draft", id="long after"),
        pytest.param(datetime(2026, 5, 31, 23, 0, tzinfo=UTC), "ew-2026-draft", id="00:00 BST"),
        pytest.param(datetime(2026, 5, 31, 22, 59, tzinfo=UTC), "ew-2021", id="23:59 BST"),
    ],
)
def test_the_version_in_force_on_a_date(registry, on, key):
    assert registry.ruleset_for("england-and-wales", on).key == key


def test_module_lookups_use_the_builtin_rules():
    assert ruleset_for("england-and-wales", date(2030, 1, 1)).key == "ew-2021"
    assert ruleset("ew-2021") is RULES.ruleset("ew-2021")
    assert jurisdiction("england-and-wales") is ruleset("ew-2021").jurisdiction


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        pytest.param(
            lambda: ruleset_for("england-and-wales", date(2021, 3, 31)),
            NoRuleSetInForce,
            "in force on 2021-03-31; the earliest starts on 2021-04-01",
            id="before the first version",
        ),
        pytest.param(
            lambda: ruleset_for("scotland", date(2026, 1, 1)),
            UnknownJurisdiction,
            "no jurisdiction 'scotland'",
            id="unknown jurisdiction",
        ),
        pytest.param(
            lambda: ruleset("ew-2031"), UnknownRuleSet, "no rule set 'ew-2031'", id="unknown key"
        ),
    ],
)
def test_lookup_errors_say_what_is_missing(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_new_version_changes_nothing_for_duties_made_before_it(registry):
    """A case over the change: the arrest (Friday 29 May, ew-2021) keeps its 5 working
    days; the bail (Monday 1 June, the draft) gets 3."""
    jurisdiction = "england-and-wales"
    arrest_day, bail_day = date(2026, 5, 29), date(2026, 6, 1)

    (arrest,) = duties_for_event(
        "arrested",
        arrest_day,
        enhanced=False,
        ruleset=registry.ruleset_for(jurisdiction, arrest_day),
    )
    (bail,) = duties_for_event(
        "bailed", bail_day, enhanced=False, ruleset=registry.ruleset_for(jurisdiction, bail_day)
    )
    assert (arrest.ruleset_key, arrest.working_days, arrest.due_on) == (
        "ew-2021",
        5,
        date(2026, 6, 5),
    )
    assert (bail.ruleset_key, bail.working_days, bail.due_on) == (
        "ew-2026-draft",
        3,
        date(2026, 6, 4),
    )

    # Later, from the stored key alone, the arrest duty is the same duty under the same
    # rules, and an update meets it by those rules.
    again = duties_for_event(
        "arrested", arrest_day, enhanced=False, ruleset=registry.ruleset(arrest.ruleset_key)
    )
    assert again == [arrest]
    assert fulfils("arrested", arrest.duty, registry.ruleset(arrest.ruleset_key))


def test_a_new_version_brings_its_own_duties_windows_and_cadence(registry):
    draft = registry.ruleset("ew-2026-draft")
    standard = duties_for_event("needs_assessed", date(2026, 6, 1), enhanced=False, ruleset=draft)
    enhanced = duties_for_event("needs_assessed", date(2026, 6, 1), enhanced=True, ruleset=draft)
    assert [(d.duty, d.due_on) for d in standard] == [("refer-to-support", date(2026, 6, 3))]
    assert [(d.duty, d.due_on) for d in enhanced] == [
        ("refer-to-support", date(2026, 6, 2)),
        ("offer-advocate", date(2026, 6, 8)),
    ]
    # Duties the draft does not list create nothing under it.
    assert duties_for_event("charged", date(2026, 6, 1), enhanced=False, ruleset=draft) == []
    assert draft.default_cadence_days == 21
    assert draft.window("request-review").months == 6


@pytest.mark.parametrize(
    ("start", "ew_due", "ni_due"),
    [
        pytest.param(
            date(2027, 3, 16), date(2027, 3, 17), date(2027, 3, 18), id="St Patrick's Day"
        ),
        pytest.param(date(2027, 7, 9), date(2027, 7, 12), date(2027, 7, 13), id="12 July"),
        pytest.param(
            date(2027, 5, 28), date(2027, 6, 1), date(2027, 6, 1), id="shared Spring bank holiday"
        ),
    ],
)
def test_a_second_jurisdiction_has_its_own_working_days(registry, start, ew_due, ni_due):
    ew = registry.ruleset_for("england-and-wales", start)
    ni = registry.ruleset_for("ni-test", start)
    assert ni.key == "ni-test-2024"
    (ew_duty,) = duties_for_event("arrested", start, enhanced=True, ruleset=ew)
    (ni_duty,) = duties_for_event("arrested", start, enhanced=True, ruleset=ni)
    assert (ew_duty.due_on, ni_duty.due_on) == (ew_due, ni_due)


def test_registering_test_rules_leaves_the_builtin_rules_alone(registry):
    assert {rs.key for rs in registry.rulesets()} == {"ew-2021", "ew-2026-draft", "ni-test-2024"}
    assert [rs.key for rs in RULES.rulesets()] == ["ew-2021"]
    assert [j.key for j in RULES.jurisdictions()] == ["england-and-wales"]


RULE = """
[[rules]]
event = "arrested"
duty = "inform-arrest"
kind = "inform"
standard_days = 5
enhanced_days = 1
"""
HEADER = """
key = "ew-test"
jurisdiction = "england-and-wales"
title = "Test"
in_force_from = 2030-01-01
default_cadence_days = 28
"""
JURISDICTION = """
[[jurisdictions]]
key = "elsewhere"
title = "Elsewhere"
timezone = "Europe/London"
holidays_country = "GB"
"""


EVERY_DAY = '["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]'
WINDOW = '[[windows]]\nright = "r"\nopened_by = []\nmonths = 0\n'

BAD_DATA = {
    "not TOML": ("key = ", "not valid TOML"),
    "a field misspelt": (
        HEADER + RULE.replace("enhanced_days", "enhaced_days"),
        "enhanced_days is missing",
    ),
    "an unknown field": (HEADER + RULE + "weekdays = 3\n", r"unknown fields \['weekdays'\]"),
    "an unknown event": (
        HEADER + RULE.replace('"arrested"', '"arested"'),
        "unknown event type 'arested'",
    ),
    "an unknown fulfilling event": (
        HEADER + RULE + 'fulfilled_by = ["tea"]\n',
        "fulfilled_by: unknown event type 'tea'",
    ),
    "an unknown kind": (
        HEADER + RULE.replace('"inform"', '"notify"'),
        r"kind must be one of \['inform'",
    ),
    "an unknown applies_to": (
        HEADER + RULE + 'applies_to = "some"\n',
        "applies_to must be one of",
    ),
    "days missing": (
        HEADER + RULE.replace("standard_days = 5\n", ""),
        "standard_days is missing",
    ),
    "days as text": (
        HEADER + RULE.replace("= 5", '= "5"'),
        r"standard_days must be a whole number",
    ),
    "days as a bool": (
        HEADER + RULE.replace("= 5", "= true"),
        r"standard_days must be a whole number",
    ),
    "negative days": (HEADER + RULE.replace("= 5", "= -1"), "standard_days must be 0 or more"),
    "a repeated duty": (HEADER + RULE + RULE, r"duty repeated: \['inform-arrest'\]"),
    "no rules": (HEADER, "rules is missing"),
    "the cadence's key as a duty": (
        HEADER + RULE.replace('"inform-arrest"', '"update-cadence"'),
        "duty 'update-cadence' is the update cadence's",
    ),
    "a date and time": (
        HEADER.replace("2030-01-01", "2030-01-01T00:00:00") + RULE,
        r"in_force_from must be a date \(YYYY-MM-DD\)",
    ),
    "a zero cadence": (
        HEADER.replace("= 28", "= 0") + RULE,
        "default_cadence_days must be 1 or more",
    ),
    "an unregistered jurisdiction": (
        HEADER.replace('"england-and-wales"', '"atlantis"') + RULE,
        "jurisdiction 'atlantis' is not registered",
    ),
    "a second version on the same day": (
        HEADER.replace("2030-01-01", "2021-04-01") + RULE,
        "both come into force on 2021-04-01",
    ),
    "a key already used": (
        HEADER.replace('"ew-test"', '"ew-2021"') + RULE,
        "rule set 'ew-2021' is already registered",
    ),
    "enhanced-only with standard days": (
        HEADER + RULE + 'applies_to = "enhanced-only"\n',
        "an enhanced-only rule has no standard_days",
    ),
    "a window of 0 months": (HEADER + RULE + WINDOW, "months must be 1 or more"),
    "an unknown time zone": (
        JURISDICTION.replace("Europe/London", "Europe/Atlantis"),
        "unknown time zone 'Europe/Atlantis'",
    ),
    "an unknown holidays country": (
        JURISDICTION.replace('"GB"', '"XX"'),
        "holidays has no calendar",
    ),
    "an unknown subdivision": (
        JURISDICTION + 'holidays_subdiv = "XYZ"\n',
        "holidays has no calendar",
    ),
    "a weekend of every day": (
        JURISDICTION + f"weekend = {EVERY_DAY}\n",
        "weekend must name some weekdays",
    ),
    "a weekend day misspelt": (
        JURISDICTION + 'weekend = ["saturday", "sundy"]\n',
        "weekend must name some weekdays",
    ),
    "a jurisdiction twice": (
        JURISDICTION.replace('"elsewhere"', '"england-and-wales"'),
        "jurisdiction 'england-and-wales' is already registered",
    ),
}


@pytest.mark.parametrize(("text", "match"), list(BAD_DATA.values()), ids=list(BAD_DATA))
def test_bad_data_is_refused_with_its_place_named(text, match):
    with pytest.raises(RulesDataError, match=match):
        builtin_registry().load_toml(text, "bad.toml")


def test_errors_name_the_file_and_entry():
    with pytest.raises(RulesDataError, match=r"^bad.toml: rule set 'ew-test': rules\[1\]: "):
        builtin_registry().load_toml(HEADER + RULE + RULE.replace("= 5", "= -1"), "bad.toml")


def test_a_registry_can_start_empty():
    registry = Registry()
    registry.load_toml(JURISDICTION + 'holidays_subdiv = "SCT"\n')
    assert registry.jurisdiction("elsewhere").calendar.subdiv == "SCT"
    with pytest.raises(NoRuleSetInForce, match=r"^no elsewhere rule set in force on 2026-01-01$"):
        registry.ruleset_for("elsewhere", date(2026, 1, 1))
