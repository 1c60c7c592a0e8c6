"""The tenant track: new migrations reach every force; one failure stops no other."""

import os
import shutil

import pytest
from sqlalchemy import Column, Table, Uuid, text

from tenants import migrate
from tenants.binding import db
from tenants.extension import tenancy
from tenants.forces import Force, NewForce

NEXT = '''"""Add a note table and a case priority.

Revision ID: t9999
Revises: {head}
"""
import sqlalchemy as sa
from alembic import op

revision = "t9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("case", sa.Column("priority", sa.Integer(), nullable=True))
    op.create_table("note", sa.Column("id", sa.Uuid(), primary_key=True))
    op.create_index("ix_note_id", "note", ["id"])
'''
FORCES = ("mig-one", "mig-two", "mig-three")


@pytest.fixture
def pending_migration(tmp_path, monkeypatch):
    """A copy of migrations/ with one more tenant revision (the repo is not touched)."""
    head = migrate.tenant_head()
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy)
    (copy / "tenant" / "versions" / "9999_note.py").write_text(NEXT.format(head=head))
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    migrate.script_directory.cache_clear()
    yield "t9999"
    migrate.script_directory.cache_clear()


@pytest.fixture
def three_forces(app_context):
    t = tenancy()
    return [t.provision(NewForce(slug, slug.title())) for slug in FORCES]


def _revision(admin_engine, force):
    with admin_engine.connect() as conn:
        schema_version = conn.execute(
            text(f'SELECT version_num FROM "{force.schema_name}".alembic_version')
        ).scalar()
        registry = conn.execute(
            text("SELECT revision FROM public.tenant WHERE slug = :s"), {"s": force.slug}
        ).scalar()
    return schema_version, registry


def _migrate_watching():
    """migrate_all over FORCES two at a time; the report and every progress call."""
    seen = []
    report = migrate.migrate_all(
        tenancy().admin_engine,
        parallel=2,
        slugs=FORCES,
        progress=lambda slug, outcome: seen.append((slug, outcome)),
    )
    return report, seen


def test_a_new_migration_reaches_every_force(three_forces, pending_migration, admin_engine):
    report, seen = _migrate_watching()
    assert report.failed == {}
    assert sorted(report.migrated) == sorted(FORCES)
    assert sorted(seen) == sorted((slug, "migrated") for slug in FORCES)
    for force in three_forces:
        assert _revision(admin_engine, force) == (pending_migration, pending_migration)
    again = migrate.migrate_all(tenancy().admin_engine, slugs=FORCES)
    assert sorted(again.skipped) == sorted(FORCES) and not again.migrated


def test_a_failing_force_does_not_stop_the_others(three_forces, pending_migration, admin_engine):
    broken = three_forces[1]
    with admin_engine.begin() as conn:  # something in the way in one force only
        conn.execute(text(f'CREATE TABLE "{broken.schema_name}".note (x int)'))
    report = migrate.migrate_all(tenancy().admin_engine, slugs=FORCES)
    assert list(report.failed) == [broken.slug]
    assert "already exists" in report.failed[broken.slug]
    assert sorted(report.migrated) == sorted(f.slug for f in three_forces if f != broken)
    old = migrate.script_directory("tenant").get_revision("t9999").down_revision
    assert _revision(admin_engine, broken) == (old, old)
    with admin_engine.connect() as conn:  # its transaction rolled back whole
        columns = (
            conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = :s AND table_name = 'case'"
                ),
                {"s": broken.schema_name},
            )
            .scalars()
            .all()
        )
    assert "priority" not in columns


def test_migrate_all_cli_reports_and_skips_forces_at_head(app):
    result = app.test_cli_runner().invoke(args=["tenants", "migrate", "--all", "--parallel", "2"])
    assert result.exit_code == 0, result.output
    assert "0 migrated, 3 already at head, 0 failed." in result.output
    bad = app.test_cli_runner().invoke(args=["tenants", "migrate", "no-such-force"])
    assert bad.exit_code != 0 and "No provisioned force" in bad.output


SHAPE = text("""
    SELECT 'column', table_name, column_name || ' ' || data_type || ' ' || is_nullable
      FROM information_schema.columns WHERE table_schema = :s
    UNION ALL
    SELECT 'index', tablename, replace(indexdef, :s, 'S') FROM pg_indexes WHERE schemaname = :s
    UNION ALL
    SELECT 'constraint', conrelid::regclass::text, conname || ' ' || contype::text
      FROM pg_constraint WHERE connamespace = CAST(:s AS regnamespace)
    ORDER BY 1, 2, 3
""")


def _shape(admin_engine, schema):
    with admin_engine.connect() as conn:
        rows = conn.execute(SHAPE, {"s": schema}).all()
    return [(kind, table.split(".")[-1].strip('"'), what) for kind, table, what in rows]


def test_the_tenant_track_builds_exactly_what_provisioning_builds(
    app_context, admin_engine, settings
):
    """New forces come from the models, old ones from the migrations: both must agree."""
    role, schema = f"{settings.db_role_prefix}_fromscratch", "t_fromscratch"
    with admin_engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
        conn.execute(text(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{role}"'))
        conn.execute(text(f'GRANT "{role}" TO "{tenancy().admin_engine.url.username}"'))
    migrate.migrate_force(tenancy().admin_engine, Force("fromscratch", schema, role))
    assert _shape(admin_engine, schema) == _shape(admin_engine, "t_kent")


def test_new_migration_writes_a_script_on_the_tenant_track(app, tmp_path, monkeypatch):
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy)
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    migrate.script_directory.cache_clear()
    head = migrate.tenant_head()
    try:
        result = app.test_cli_runner().invoke(args=["tenants", "new-migration", "add message"])
        assert result.exit_code == 0, result.output
        written = list((copy / "tenant" / "versions").glob("*add_message*.py"))
        assert len(written) == 1
        assert f"down_revision = '{head}'" in written[0].read_text()
        migrate.script_directory.cache_clear()
        assert migrate.tenant_head() != head
    finally:
        migrate.script_directory.cache_clear()


def test_upgrade_public_is_a_no_op_at_head(app):
    result = app.test_cli_runner().invoke(args=["tenants", "upgrade-public"])
    assert result.exit_code == 0 and "Public schema at head." in result.output


def test_progress_names_each_force_as_it_finishes_and_a_dead_process_fails_alone(
    three_forces, pending_migration, monkeypatch
):
    """A worker process that dies breaks the pool; only its own force is reported failed."""
    real = migrate.migrate_force

    def dies_on_mig_two(engine, force, lock_timeout="5s"):
        if force.slug == "mig-two":
            os._exit(9)  # as a segfault or the OOM killer would
        return real(engine, force, lock_timeout)

    monkeypatch.setattr(migrate, "migrate_force", dies_on_mig_two)  # inherited by fork
    report, seen = _migrate_watching()
    assert report.failed == {"mig-two": "the migration process died"}
    assert sorted(report.migrated) == ["mig-one", "mig-three"]
    assert sorted(slug for slug, _ in seen) == sorted(FORCES)  # every force reported once


def test_autogenerate_writes_a_migration_from_the_models(app, tmp_path, monkeypatch):
    """`tenants new-migration --autogenerate` compares the models with the track's head,
    built in a scratch schema that is rolled back."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy)
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    migrate.script_directory.cache_clear()
    probe = Table(
        "autogen_probe", db.metadata, Column("id", Uuid, primary_key=True), schema="tenant"
    )
    try:
        result = app.test_cli_runner().invoke(
            args=["tenants", "new-migration", "--autogenerate", "add probe"]
        )
        assert result.exit_code == 0, result.output
        (written,) = (copy / "tenant" / "versions").glob("*add_probe*.py")
        script = written.read_text()
        assert "op.create_table('autogen_probe'" in script
        assert "schema=" not in script  # tenant scripts use unqualified names
        assert "drop_table('case'" not in script  # nothing else differs from head
    finally:
        db.metadata.remove(probe)
        migrate.script_directory.cache_clear()
    with app.app_context(), tenancy().admin_engine.connect() as conn:
        scratch = conn.exec_driver_sql("SELECT to_regnamespace('tmc_autogenerate')").scalar()
    assert scratch is None
