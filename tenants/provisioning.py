"""Create a force: role, schema, tables from current metadata, migration stamp, seed.

One transaction, idempotent, and no replay of the migration history or cloning of a
template schema: the cost stays flat however many forces already exist. Runs as the
admin role (tenants.bootstrap); the login role is then granted the force role, NOINHERIT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import Connection, Engine, text

from tenants import migrate, registry
from tenants.audit import SYSTEM, Actor, TenancyTag, write_platform_event
from tenants.binding import apply_binding, db, release_binding, tenant_tables
from tenants.branding import validate_branding
from tenants.forces import Force, NewForce, TenantStatus
from tenants.names import quoted, role_name, schema_name, validate_slug

Seeder = Callable[[Connection, Force], None]


class ProvisioningError(RuntimeError):
    """Provisioning cannot go ahead; the message says what to do."""


class SlugTaken(ValueError):
    """Another force already uses this slug."""


class ForceDecommissioned(ProvisioningError):
    """The force was decommissioned: its data is gone and its name stays reserved."""


class InvalidName(ValueError):
    """The force's name is empty or too long."""


def role_marker(database: str) -> str:
    """The comment on every force role we create, naming the database it serves.

    Roles are cluster-wide: without this, two deployments sharing a cluster and a role
    prefix would adopt (and act as) each other's force roles.
    """
    return f"trackmycrime force role for database {database}"


def provision(
    engine: Engine,
    new: NewForce,
    login_role: str,
    role_prefix: str,
    seeders: Iterable[Seeder] = (),
    actor: Actor = SYSTEM,
    must_be_new: bool = False,
) -> Force:
    """Make sure the force exists and is complete; running it again changes nothing.

    engine connects as the admin role. The first run registers the force and records
    force:created, naming actor. With must_be_new, a force already registered raises
    SlugTaken and the transaction, with anything it touched, rolls back.
    """
    force = _checked(new, role_prefix)
    tables = tenant_tables()
    if not tables:
        raise ProvisioningError(
            "No force tables are declared: import the models (app.models) before provisioning."
        )
    with engine.begin() as conn:
        # Running again must not bring back, empty, a force whose data was removed.
        if registry.status_of(conn, force.slug) is TenantStatus.DECOMMISSIONED:
            raise ForceDecommissioned(
                f"Force '{force.slug}' was decommissioned; its name stays reserved."
            )
        _ensure_role_and_schema(conn, force, login_role)
        apply_binding(conn, force)
        db.metadata.create_all(conn, tables=tables, checkfirst=True)
        revision = migrate.stamp_head(conn, force)
        release_binding(conn)
        run_seeders(conn, force, seeders)
        if registry.register(conn, force, revision):
            write_platform_event(conn, TenancyTag.FORCE_CREATED, actor, force_slug=force.slug)
        elif must_be_new:
            raise SlugTaken(f"A force called '{force.slug}' already exists.")
    return force


def run_seeders(conn: Connection, force: Force, seeders: Iterable[Seeder]) -> None:
    """Run each seeder as the force, in conn's transaction (seeders are idempotent)."""
    apply_binding(conn, force)
    for seed in seeders:
        seed(conn, force)
    release_binding(conn)


def _checked(new: NewForce, role_prefix: str) -> Force:
    validate_slug(new.slug)
    name = new.name.strip()
    if not 2 <= len(name) <= 120:
        raise InvalidName("A force's name must be 2 to 120 characters.")
    return Force(
        slug=new.slug,
        schema_name=schema_name(new.slug),
        db_role=role_name(new.slug, role_prefix),
        name=name,
        welsh_enabled=new.welsh_enabled,
        branding=validate_branding(new.branding or {}),
    )


def _ensure_role_and_schema(conn: Connection, force: Force, login_role: str) -> None:
    role, schema = quoted(force.db_role), quoted(force.schema_name)
    database = conn.scalar(text("SELECT current_database()"))
    marker = role_marker(str(database))
    found = conn.execute(
        text("SELECT shobj_description(oid, 'pg_authid') AS note FROM pg_roles WHERE rolname = :r"),
        {"r": force.db_role},
    ).first()
    if found is None:
        conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN NOINHERIT")
        conn.exec_driver_sql(f"COMMENT ON ROLE {role} IS %s", (marker,))
    elif found.note is None and registry.registered_role(conn, force.slug) == force.db_role:
        # Made by a release before the markers, for this force of this database's registry.
        conn.exec_driver_sql(f"COMMENT ON ROLE {role} IS %s", (marker,))
    elif found.note != marker:
        raise ProvisioningError(
            f"Role {force.db_role} exists but was not made for this database: refusing to "
            "adopt it (is another deployment using the same DB_ROLE_PREFIX?)."
        )
    # Both the admin (to build the schema) and the login role (to serve it) may act as the
    # force by SET ROLE; neither inherits its rights (both roles are NOINHERIT). Granting
    # again is harmless.
    conn.exec_driver_sql(f"GRANT {role} TO CURRENT_USER")
    conn.exec_driver_sql(f"GRANT {role} TO {quoted(login_role)}")
    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {role}")
