"""A force's own settings: checking new values, writing them to the registry, and the
audit row that shows each change with its old and new value (secrets masked).

Settings live in the public registry (public.tenant: name, Welsh, branding, settings,
IdP), written through Tenancy.change_force, so every web process sees a change within
the registry's refresh time. Offence categories live in the force's own schema.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from typing import Any

from flask_login import current_user

from app.admin.blueprint import AdminPlatformTag, AdminTag
from app.audit import record
from tenants.extension import current_force, tenancy
from tenants.registry import ForceChange
from tenants.secrets import SEALED_SUFFIX

MASK = "********"
PATTERN_LIMIT = 100
# Every crime reference the service takes is at most this long (officer form and API),
# which bounds how long any accepted pattern can take to match.
REFERENCE_LIMIT = 40
WORK_LIMIT = 100_000
INVITE_DAYS = (1, 60)

_parser: Any = importlib.import_module("re._parser")  # the stdlib's own regex parser


# --- what changed ----------------------------------------------------------------------------


def masked(key: str, value: Any) -> Any:
    """value as an audit row may show it: a sealed secret only says whether it is set."""
    if key.endswith(SEALED_SUFFIX) or key.endswith("client_secret"):
        return MASK if value else None
    if isinstance(value, Mapping):
        return {k: masked(k, v) for k, v in value.items()}
    return value


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"old": …, "new": …}} for every field of new whose value differs."""
    found = {}
    for key, value in new.items():
        before = old.get(key)
        if before != value and not (before in (None, "") and value in (None, "")):
            found[key] = {"old": masked(key, before), "new": masked(key, value)}
    return found


def save(area: str, change: ForceChange, differences: Mapping[str, Any]) -> bool:
    """Write change to the registry and audit it in both trails; False if nothing changed."""
    if not differences:
        return False
    actor = ("officer", str(current_user.id))
    tenancy().change_force(
        current_force().slug, change, AdminPlatformTag.FORCE_SETTINGS_CHANGED, actor
    )
    record(AdminTag.SETTINGS_CHANGED, record_type="force", purpose=area, changes=differences)
    return True


# --- the crime-reference pattern -------------------------------------------------------------

_SAFE_OPERATIONS = {"LITERAL", "NOT_LITERAL", "IN", "ANY", "AT", "SUBPATTERN", "BRANCH"}
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT"}


class UnsafePattern(ValueError):
    """The pattern could take too long to match; the message says why."""


def _work(items: Any, in_repeat: bool) -> int:
    """A bound on the ways the pattern can match one input (backtracking paths)."""
    total = 1
    for operation, argument in items:
        name = str(operation)
        if name in _REPEATS:
            if in_repeat:
                raise UnsafePattern("repeats inside a repeated group")
            _low, high, inner = argument
            total *= min(high, REFERENCE_LIMIT) * _work(inner, True)
        elif name == "SUBPATTERN":
            total *= _work(argument[-1], in_repeat)
        elif name == "BRANCH":
            if in_repeat:
                raise UnsafePattern("alternatives inside a repeated group")
            total *= sum(_work(branch, in_repeat) for branch in argument[1])
        elif name not in _SAFE_OPERATIONS:
            raise UnsafePattern("back-references and look-arounds")
    return total


def reference_pattern_problem(pattern: str, example: str) -> str | None:
    """Why pattern cannot be the force's crime-reference format, or None if it can.

    Python's re has no time limit, so a pattern like (a+)+ could hang a worker on a
    crafted reference. We accept only patterns whose matching work is bounded: at most
    PATTERN_LIMIT characters, no repeats or alternatives inside a repeated group (the
    nested quantifiers behind catastrophic backtracking), no back-references or
    look-arounds, and a product of repeat counts (unbounded ones counted as the
    REFERENCE_LIMIT-character input cap) of at most WORK_LIMIT.
    """
    if not pattern or len(pattern) > PATTERN_LIMIT:
        return "length"
    try:
        compiled = re.compile(pattern)
        work = _work(_parser.parse(pattern), False)
    except re.error:
        return "invalid"
    except UnsafePattern:
        return "unsafe"
    if work > WORK_LIMIT:
        return "unsafe"
    if not compiled.fullmatch(example):
        return "example"
    return None
