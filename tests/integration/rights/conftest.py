"""Rights-test fixtures (the helpers are in support.py).

Isolation: rows go through committed transactions and the root `_isolate` fixture
empties the force tables after each test. A force setting is not part of that reset, so
`force_setting` puts back what it changed in its own teardown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.integration.rights.support import Story, make_story, set_setting


@pytest.fixture
def story(app: Flask) -> Story:
    """A no-further-action case told 3 days ago, on Kent."""
    return make_story(app)


@pytest.fixture
def force_setting(app: Flask) -> Iterator[Any]:
    """force_setting(slug, key, value) for this test only."""
    changed: list[tuple[str, str, Any]] = []

    def change(slug: str, key: str, value: Any) -> None:
        changed.append((slug, key, set_setting(app, slug, key, value)))

    yield change
    for slug, key, old in reversed(changed):
        set_setting(app, slug, key, old)
