"""Alembic, two tracks: public/ (the registry and central tables) and tenant/ (every force).

Each force keeps its own alembic_version table inside its schema, and the registry
records its revision, so migrating all forces skips those already at head without
opening a connection to them. Each force migrates in its own transaction, under its own
role, with a lock timeout; a failure is reported and the others carry on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, select, update

from tenants.db import PUBLIC_SCHEMA, ForceBinding, apply_binding, release_binding
from tenants.models import Tenant, TenantStatus

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_tenant = Tenant.__table__


@functools.cache
def script_directory(track: str) -> ScriptDirectory:
    """The Alembic scripts of one track ('public' or 'tenant')."""
    return ScriptDirectory.from_config(alembic_config(track))


def alembic_config(track: str) -> Config:
    """An Alembic config for one track, built in code (there is no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS / track))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(MIGRATIONS / track / "versions"))
    return config


def tenant_head() -> str:
    """The tenant track's head revision."""
    head = script_directory("tenant").get_current_head()
    assert head is not None, "the tenant track has no revisions"
    return head


def _run(conn: Connection, track: str, version_schema: str, target: str = "head") -> None:
    script = script_directory(track)

    def upgrade(rev: Any, _context: Any) -> Any:
        return script._upgrade_revs(target, rev)

    env = EnvironmentContext(alembic_config(track), script, fn=upgrade)
    env.configure(
        connection=conn, version_table_schema=version_schema, transaction_per_migration=False
    )
    with env.begin_transaction():
        env.run_migrations()


def upgrade_public(engine: Engine, target: str = "head") -> None:
    """Bring the public schema to target."""
    with engine.begin() as conn:
        _run(conn, "public", PUBLIC_SCHEMA, target)


def stamp_head(conn: Connection, force: ForceBinding) -> None:
    """Record the tenant head in force's own version table (used by provisioning)."""
    context = MigrationContext.configure(conn, opts={"version_table_schema": force.schema_name})
    context.stamp(script_directory("tenant"), "head")


def migrate_force(engine: Engine, force: ForceBinding, lock_timeout: str = "5s") -> str:
    """Upgrade one force to head in one transaction; returns the new revision."""
    head = tenant_head()
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL lock_timeout = %s", (lock_timeout,))
        apply_binding(conn, force)
        _run(conn, "tenant", force.schema_name)
        release_binding(conn)
        conn.execute(update(_tenant).where(_tenant.c.slug == force.slug).values(revision=head))
    return head


@dataclass
class MigrationReport:
    """What migrate_all did: forces migrated, skipped at head, and failed with why."""

    migrated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


Progress = Callable[[str, str], None]


def forces_to_migrate(engine: Engine, slugs: Iterable[str] | None = None) -> list[Any]:
    """Registry rows of provisioned forces (all, or only those named)."""
    query = (
        select(_tenant.c.slug, _tenant.c.schema_name, _tenant.c.db_role, _tenant.c.revision)
        .where(_tenant.c.status.in_([TenantStatus.ACTIVE, TenantStatus.SUSPENDED]))
        .order_by(_tenant.c.slug)
    )
    if slugs is not None:
        query = query.where(_tenant.c.slug.in_(list(slugs)))
    with engine.connect() as conn:
        return list(conn.execute(query))


def _migrate_one(engine: Engine, force: ForceBinding, lock_timeout: str) -> str | None:
    """Migrate force; None on success, else a one-line reason (never raises)."""
    try:
        migrate_force(engine, force, lock_timeout)
    except Exception as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    return None


_child_engine: Engine | None = None


def _start_child(url: str) -> None:
    """Each worker process opens one connection of its own and reuses it for every force."""
    global _child_engine
    _child_engine = create_engine(url, pool_size=1, max_overflow=0, hide_parameters=True)


def _migrate_in_child(force: ForceBinding, lock_timeout: str) -> str | None:
    assert _child_engine is not None
    return _migrate_one(_child_engine, force, lock_timeout)


def _pending(
    engine: Engine,
    slugs: Iterable[str] | None,
    report: MigrationReport,
) -> list[ForceBinding]:
    head, pending = tenant_head(), []
    for row in forces_to_migrate(engine, slugs):
        if row.revision == head:
            report.skipped.append(row.slug)
        else:
            pending.append(ForceBinding(row.slug, row.schema_name, row.db_role))
    return pending


def migrate_all(
    engine: Engine,
    parallel: int = 1,
    lock_timeout: str = "5s",
    progress: Progress | None = None,
    slugs: Iterable[str] | None = None,
) -> MigrationReport:
    """Migrate every force not at head, parallel at a time; failures do not stop others.

    Alembic keeps its operations proxy in module globals, so parallel runs use
    processes (each with its own connection), never threads.
    """
    report = MigrationReport()
    pending = _pending(engine, slugs, report)
    if parallel <= 1 or len(pending) <= 1:
        outcomes: Iterable[str | None] = (_migrate_one(engine, f, lock_timeout) for f in pending)
    else:
        url = engine.url.render_as_string(hide_password=False)
        pool = ProcessPoolExecutor(
            max_workers=parallel,
            mp_context=get_context("fork"),
            initializer=_start_child,
            initargs=(url,),
        )
        timeouts = [lock_timeout] * len(pending)
        chunk = max(1, len(pending) // (parallel * 4))
        with pool:
            outcomes = list(pool.map(_migrate_in_child, pending, timeouts, chunksize=chunk))
    for force, error in zip(pending, outcomes, strict=True):
        if error is None:
            report.migrated.append(force.slug)
        else:
            report.failed[force.slug] = error
        if progress:
            progress(force.slug, "migrated" if error is None else "failed")
    return report
