"""Force-administration fixtures.

Isolation: the root `_isolate` fixture empties every force table after each test; the
autouse `_registry_back` puts the test forces' registry rows (name, branding, settings,
IdP, Welsh) back as they were, since administrators change those.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import Engine

from tests.integration.admin.support import registry_restored


@pytest.fixture(autouse=True)
def _registry_back(app: Flask, admin_engine: Engine) -> Iterator[None]:
    with registry_restored(app, admin_engine):
        yield
