"""Audit tags: unique values, each in one trail, and the recorder keeps trails apart."""

from __future__ import annotations

import enum
import inspect
import sys
from collections import Counter

import pytest
from sqlalchemy import text

from app.audit import record
from app.core.views import CoreTag
from tenants.audit import ForceTag, PlatformTag, TenancyTag, WrongTrail, all_tags
from tenants.binding import db
from tenants.names import quoted, schema_name
from tests.support.forces import TEST_SLUGS
from tests.support.scope import enter_scope


def _declared_tag_enums() -> list[type[enum.Enum]]:
    """Every enum named *Tag in a loaded app or tenants module (the app loads them all)."""
    return [
        value
        for name, module in list(sys.modules.items())
        if name.split(".")[0] in ("app", "tenants")
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, enum.Enum)
        and value.__name__.endswith("Tag")
        and value.__module__ == name
    ]


def test_every_tag_value_is_declared_once(app):
    values = Counter(tag.value for tag in all_tags())
    assert values, "no tags found: are the journeys loaded?"
    assert [value for value, n in values.items() if n > 1] == []


def test_every_tag_enum_belongs_to_one_trail(app):
    enums = _declared_tag_enums()
    assert CoreTag in enums and TenancyTag in enums
    astray = [
        cls.__qualname__
        for cls in enums
        if cls not in (ForceTag, PlatformTag) and not issubclass(cls, (ForceTag, PlatformTag))
    ]
    assert astray == [], "tag enums must subclass tenants.audit.ForceTag or PlatformTag"
    both = [
        cls.__qualname__
        for cls in enums
        if issubclass(cls, ForceTag) and issubclass(cls, PlatformTag)
    ]
    assert both == []


def _audit_rows(admin_engine) -> int:
    tables = [f"{quoted(schema_name(slug))}.audit_event" for slug in TEST_SLUGS]
    tables.append("public.platform_audit_event")
    query = " + ".join(f"(SELECT count(*) FROM {table})" for table in tables)
    with admin_engine.connect() as conn:
        return int(conn.execute(text(f"SELECT {query}")).scalar_one())


@pytest.mark.parametrize(
    ("host", "tag", "refused"),
    [
        ("localhost", CoreTag.SESSION_EXITED, True),
        ("kent.localhost", TenancyTag.FORCE_SUSPENDED, True),
        # The right trail writes, so "writes nothing" above is not vacuous.
        ("localhost", TenancyTag.FORCE_SUSPENDED, False),
        ("kent.localhost", CoreTag.SESSION_EXITED, False),
    ],
    ids=["force-tag-on-central", "platform-tag-on-force", "platform-ok", "force-ok"],
)
def test_record_refuses_a_tag_of_the_other_trail_and_writes_nothing(
    app, admin_engine, host, tag, refused
):
    before = _audit_rows(admin_engine)
    with app.test_request_context("/", headers={"Host": host}):
        assert enter_scope() is None
        if refused:
            with pytest.raises(WrongTrail):
                record(tag)
        else:
            record(tag)
        db.session.commit()  # whatever record() added, if anything, is written now
    assert _audit_rows(admin_engine) == before + (0 if refused else 1)
