"""The public track builds exactly the public tables the models describe (the central
site's included), so `tenants upgrade-public` leaves nothing for autogenerate to add."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import app.models.central  # noqa: F401 - the central tables, as the journey loads them
from tenants.binding import PUBLIC_SCHEMA, db
from tenants.extension import tenancy
from tenants.migrate import script_directory


def _public_only(name, type_, _parent):
    return type_ != "schema" or name == PUBLIC_SCHEMA


def _public_object(obj, _name, type_, _reflected, _compare_to):
    """Model objects in public (force tables live under the placeholder schema)."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.schema in (None, PUBLIC_SCHEMA)


def test_the_public_track_matches_the_public_models(app_context):
    with tenancy().admin_engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_schemas": True,
                "include_name": _public_only,
                "include_object": _public_object,
                "version_table_schema": PUBLIC_SCHEMA,
            },
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_central_revision_follows_the_newest_public_one():
    scripts = script_directory("public")
    assert scripts.get_heads() == ["p0005"]
    assert scripts.get_revision("p0005").down_revision == "p0004"
    assert scripts.get_revision("p0004").down_revision == "p0003"
    assert scripts.get_revision("p0003").down_revision == "p0002"
