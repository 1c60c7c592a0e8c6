"""Alembic, two tracks: public/ (the registry and central tables) and tenant/ (every force).

Everything goes through Alembic's documented API: `command.upgrade` and
`command.revision` with a connection handed to env.py in `config.attributes` (the
cookbook's "sharing a connection"). Each force keeps its own alembic_version table in
its schema, and the registry records its revision, so migrating all forces skips those
already at head without opening a connection to them. Each force migrates in its own
transaction, as its own role, with a lock timeout; a failure is reported and the others
carry on, in parallel worker processes if asked (Alembic's `op` proxy is module-global,
so never threads), and a worker process that dies takes only its own force with it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import BLANK_SCHEMA, Connection, Engine, MetaData, create_engine

from tenants import registry
from tenants.binding import (
    NAMING_CONVENTION,
    PUBLIC_SCHEMA,
    TENANT_SCHEMA,
    apply_binding,
    db,
    release_binding,
    tenant_tables,
)
from tenants.forces import Force
from tenants.names import quoted

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
TRACKS = ("public", "tenant")
# Autogenerate builds the tenant track's head in this throwaway schema, then rolls back.
SCRATCH_SCHEMA = "tmc_autogenerate"


def alembic_config(track: str) -> Config:
    """The Alembic config of one track (the same sections as migrations/alembic.ini)."""
    config = Config(str(MIGRATIONS / "alembic.ini"), ini_section=track)
    config.set_main_option("script_location", str(MIGRATIONS / track))
    return config


@functools.cache
def script_directory(track: str) -> ScriptDirectory:
    """The Alembic scripts of one track."""
    return ScriptDirectory.from_config(alembic_config(track))


def tenant_head() -> str:
    """The tenant track's head revision."""
    head = script_directory("tenant").get_current_head()
    assert head is not None, "the tenant track has no revisions"
    return head


def tenant_metadata() -> MetaData:
    """Force tables without a schema, as the tenant track's scripts see them.

    Names are kept exactly as provisioning makes them from the models (an index=True
    column's conventional name includes the placeholder schema, "ix_tenant_…"), so a
    migration and a freshly provisioned force agree.
    """
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    for table in tenant_tables():
        copy = table.to_metadata(
            metadata,
            schema=None,  # type: ignore[arg-type]  # None: no schema
            # Foreign keys between force tables lose the placeholder schema too.
            referred_schema_fn=_unqualified,  # type: ignore[arg-type]
        )
        names = {_columns(index): index.name for index in table.indexes}
        for index in copy.indexes:
            index.name = names.get(_columns(index), index.name)
    return metadata


def _unqualified(_table: object, _to: object, _constraint: object, referred: str | None) -> object:
    return BLANK_SCHEMA if referred == TENANT_SCHEMA else referred


def _columns(index: Any) -> tuple[object, ...]:
    """What tells an index apart on its table: its columns, uniqueness and condition."""
    where = index.dialect_options["postgresql"].get("where")
    return (*(column.name for column in index.columns), index.unique, str(where))


def upgrade_public(engine: Engine, target: str = "head") -> None:
    """Bring the public schema to target (engine: the admin role)."""
    with engine.begin() as conn:
        config = alembic_config("public")
        config.attributes["connection"] = conn
        command.upgrade(config, target)


def stamp_head(conn: Connection, force: Force) -> str:
    """Record the tenant head in force's own version table (provisioning uses it)."""
    context = MigrationContext.configure(conn, opts={"version_table_schema": force.schema_name})
    context.stamp(script_directory("tenant"), "head")
    return tenant_head()


def migrate_force(engine: Engine, force: Force, lock_timeout: str = "5s") -> str:
    """Upgrade one force to head in one transaction, as its role; returns the revision."""
    head = tenant_head()
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL lock_timeout = %s", (lock_timeout,))
        apply_binding(conn, force)
        _upgrade_tenant(conn, force.schema_name)
        release_binding(conn)
        registry.record_revision(conn, force.slug, head)
    return head


def _upgrade_tenant(conn: Connection, schema: str) -> None:
    config = alembic_config("tenant")
    config.attributes.update(connection=conn, schema=schema)
    command.upgrade(config, "head")


def new_migration(engine: Engine, track: str, message: str, autogenerate: bool) -> None:
    """Write a migration script; with autogenerate, from the models' difference to head.

    The tenant track has no force to compare with, so head is built in a scratch schema
    inside a transaction that is rolled back: the database is left as it was.
    """
    config = alembic_config(track)
    if not autogenerate:
        command.revision(config, message=message)
        return
    with engine.connect() as conn:
        conn.begin()
        config.attributes["connection"] = conn
        if track == "tenant":
            conn.exec_driver_sql(f"CREATE SCHEMA {quoted(SCRATCH_SCHEMA)}")
            conn.exec_driver_sql(f"SET LOCAL search_path TO {quoted(SCRATCH_SCHEMA)}")
            config.attributes["schema"] = SCRATCH_SCHEMA
            command.upgrade(config, "head")
        command.revision(config, message=message, autogenerate=True)
        conn.rollback()


# --- env.py's side: configure the environment for the connection we were handed --------


def run_public_environment(context: Any) -> None:
    """Body of migrations/public/env.py (a connection from us, or ADMIN_DATABASE_URL)."""
    conn = context.config.attributes.get("connection")
    if conn is None:
        with _engine_from_environment().begin() as conn:
            _configure_public(context, conn)
    else:
        _configure_public(context, conn)


def _configure_public(context: Any, conn: Connection) -> None:
    def only_public(name: str | None, type_: str, _parent: Any) -> bool:
        return type_ != "schema" or name == PUBLIC_SCHEMA

    context.configure(
        connection=conn,
        target_metadata=db.metadata,  # only_public keeps the comparison to public
        version_table_schema=PUBLIC_SCHEMA,
        include_schemas=True,
        include_name=only_public,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_tenant_environment(context: Any) -> None:
    """Body of migrations/tenant/env.py.

    From tenants.migrate: a connection already bound to the force (role and search_path)
    and its schema. From the alembic command: `-x force=<slug>` and ADMIN_DATABASE_URL.
    """
    conn = context.config.attributes.get("connection")
    if conn is not None:
        _configure_tenant(context, conn, context.config.attributes["schema"])
        return
    slug = context.get_x_argument(as_dictionary=True).get("force")
    engine = _engine_from_environment()
    force = registry.fresh_force(engine, slug or "")
    if force is None:
        raise SystemExit("Name a provisioned force: alembic -n tenant -x force=<slug> …")
    with engine.begin() as conn:
        apply_binding(conn, force)
        _configure_tenant(context, conn, force.schema_name)


def _configure_tenant(context: Any, conn: Connection, schema: str) -> None:
    # Reflection (autogenerate) must look in the force's schema: the login and admin
    # roles' own search_path is empty (Alembic cookbook, schema-level multi-tenancy).
    conn.dialect.default_schema_name = schema
    context.configure(
        connection=conn,
        target_metadata=tenant_metadata(),
        version_table_schema=schema,
        # The force's own version table lives beside its tables; it is not a model.
        include_name=lambda name, kind, _parent: (
            not (kind == "table" and name == "alembic_version")
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


def _engine_from_environment() -> Engine:
    url = os.environ.get("ADMIN_DATABASE_URL")
    if not url:
        raise SystemExit("Set ADMIN_DATABASE_URL (the admin role) to run alembic directly.")
    return create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))


# --- Every force ------------------------------------------------------------------------


@dataclass
class MigrationReport:
    """What migrate_all did: forces migrated, skipped at head, and failed with why."""

    migrated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def add(self, slug: str, error: str | None) -> None:
        """Record one force's outcome."""
        if error is None:
            self.migrated.append(slug)
        else:
            self.failed[slug] = error


Progress = Callable[[str, str], None]
Outcome = Callable[[Force, "str | None"], None]


def migrate_all(
    engine: Engine,
    parallel: int = 1,
    lock_timeout: str = "5s",
    progress: Progress | None = None,
    slugs: Iterable[str] | None = None,
) -> MigrationReport:
    """Migrate every force not at head; progress is told of each as it finishes."""
    report = MigrationReport()
    head, pending = tenant_head(), []
    for force, revision in registry.forces_to_migrate(engine, slugs):
        if revision == head:
            report.skipped.append(force.slug)
        else:
            pending.append(force)

    def finished(force: Force, error: str | None) -> None:
        report.add(force.slug, error)
        if progress:
            progress(force.slug, "migrated" if error is None else f"failed: {error}")

    if parallel <= 1 or len(pending) <= 1:
        for force in pending:
            finished(force, _migrate_one(engine, force, lock_timeout))
    else:
        url = engine.url.render_as_string(hide_password=False)
        _migrate_in_processes(url, pending, parallel, lock_timeout, finished)
    return report


def _migrate_one(engine: Engine, force: Force, lock_timeout: str) -> str | None:
    """Migrate force; None on success, else a one-line reason (never raises)."""
    try:
        migrate_force(engine, force, lock_timeout)
    except Exception as error:
        return f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}"
    return None


def _pool(url: str, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("fork"),
        initializer=_start_child,
        initargs=(url,),
    )


def _migrate_in_processes(
    url: str, pending: list[Force], parallel: int, lock_timeout: str, finished: Outcome
) -> None:
    """A dead worker process breaks the whole pool and every unfinished future with it; the
    forces left then run one process each, so only the culprit fails."""
    unfinished: list[Force] = []
    with _pool(url, parallel) as pool:
        futures: dict[Future[str | None], Force] = {
            pool.submit(_migrate_in_child, _bare(force), lock_timeout): force for force in pending
        }
        for future in as_completed(futures):
            try:
                finished(futures[future], future.result())
            except BrokenProcessPool:
                unfinished.append(futures[future])
    for force in unfinished:
        finished(force, _migrate_alone(url, force, lock_timeout))


def _migrate_alone(url: str, force: Force, lock_timeout: str) -> str | None:
    try:
        with _pool(url, 1) as pool:
            return pool.submit(_migrate_in_child, _bare(force), lock_timeout).result()
    except BrokenProcessPool:
        return "the migration process died"


def _bare(force: Force) -> Force:
    """Only what binding needs: it crosses to a worker process by pickle."""
    return Force(force.slug, force.schema_name, force.db_role)


_child_engine: Engine | None = None


def _start_child(url: str) -> None:
    """Each worker process opens one connection of its own and reuses it for every force."""
    global _child_engine
    _child_engine = create_engine(url, pool_size=1, max_overflow=0, hide_parameters=True)


def _migrate_in_child(force: Force, lock_timeout: str) -> str | None:
    assert _child_engine is not None
    return _migrate_one(_child_engine, force, lock_timeout)
