"""Tenancy as one Flask extension: `Tenancy(app, settings, …)` or `init_app`.

It owns the registry cache, the request hook that resolves the Host once and binds the
force, the current scope, the Redis connection jobs use, the admin engine, and the
entry points for provisioning, migration and status changes, so no caller threads
settings through. Read this file first; it names everything else in tenants/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.typing import ResponseReturnValue
from redis import Redis
from sqlalchemy import Engine, create_engine, make_url

from config import Settings
from tenants import binding, bootstrap, migrate, provisioning, registry
from tenants.audit import SYSTEM, Actor, PlatformTag, TenancyTag, write_platform_event
from tenants.binding import db
from tenants.forces import Force, NewForce, TenantStatus
from tenants.resolution import RegistryCache, Scope, ScopeKind, resolve
from tenants.secrets import SecretBox, SecretError, reseal

_ENVIRON_KEY = "tmc.scope"
# An unknown host gets this and nothing else: no templates, no URL building, no lookups.
UNKNOWN_HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Page not found</title></head>
<body><h1>Page not found</h1><p>Check the web address is correct.</p>
<h2 lang="cy">Heb ddod o hyd i'r dudalen</h2>
<p lang="cy">Gwiriwch fod y cyfeiriad gwe yn gywir.</p></body></html>
"""

SuspendedView = Callable[[Force], ResponseReturnValue]


class NoForce(RuntimeError):
    """current_force() was asked for outside an active force's request."""


class UnsafeLoginRole(RuntimeError):
    """The web role could escape its force binding; production refuses to start."""


class AdminRoleNotConfigured(RuntimeError):
    """Provisioning or migration was asked for with no ADMIN_DATABASE_URL."""


class Tenancy:
    """The tenancy machinery one app holds (app.extensions["tenancy"])."""

    def __init__(self, app: Flask | None = None, settings: Settings | None = None, **kw: Any):
        if app is not None and settings is not None:
            self.init_app(app, settings, **kw)

    def init_app(
        self,
        app: Flask,
        settings: Settings,
        *,
        suspended_view: SuspendedView,
        host_free: Iterable[str] = (),
        open_when_suspended: Iterable[str] = (),
    ) -> None:
        """Wire into app: registry, Redis, and the before_request hook (register it first:
        an unknown host must get its 404 before any other work)."""
        self.settings = settings
        self.registry = RegistryCache(
            lambda: registry.load_all(db.engine), settings.registry_ttl_seconds
        )
        self.redis = Redis.from_url(settings.redis_url or "")
        self.seeders: list[provisioning.Seeder] = []
        self.host_free = frozenset(host_free)
        self.open_when_suspended = frozenset(open_when_suspended)
        self._suspended_view = suspended_view
        self._admin_engine: Engine | None = None
        self.secrets = SecretBox(settings.secrets_keys) if settings.secrets_keys else None
        app.extensions["tenancy"] = self
        app.before_request(self.enter_scope)

    # --- requests -------------------------------------------------------------------

    def enter_scope(self) -> ResponseReturnValue | None:
        """Refuse unknown hosts, pause suspended forces, bind active ones."""
        if request.endpoint in self.host_free:
            return None
        scope = current_scope()
        g.scope = scope
        if scope.kind is ScopeKind.UNKNOWN:
            return Response(UNKNOWN_HOST_PAGE, status=404, mimetype="text/html")
        if scope.kind is ScopeKind.SUSPENDED and request.endpoint not in self.open_when_suspended:
            assert scope.force is not None
            return self._suspended_view(scope.force)
        if scope.kind is ScopeKind.FORCE:
            assert scope.force is not None
            binding.bind(db.session(), scope.force)
        return None

    # --- provisioning, migration, status ----------------------------------------------

    def secret_box(self) -> SecretBox:
        """The box that seals and opens secrets kept in the database."""
        if self.secrets is None:
            raise SecretError("SECRETS_KEY is not set")
        return self.secrets

    def add_seeder(self, seeder: provisioning.Seeder) -> None:
        """Run seeder in every force's provisioning (journeys add their own)."""
        self.seeders.append(seeder)

    @property
    def admin_engine(self) -> Engine:
        """The admin role's engine (provisioning, migrations): never used by requests."""
        if self._admin_engine is None:
            if not self.settings.admin_database_url:
                raise AdminRoleNotConfigured(
                    "ADMIN_DATABASE_URL is not set: provisioning and migrations need the "
                    "admin role (docs/operations.md)."
                )
            self._admin_engine = create_engine(
                self.settings.admin_database_url, hide_parameters=True, pool_pre_ping=True
            )
        return self._admin_engine

    @property
    def login_role(self) -> str:
        """The role web and workers connect as."""
        return str(make_url(self.settings.database_url or "").username)

    def provision(self, new: NewForce, actor: Actor = SYSTEM, must_be_new: bool = False) -> Force:
        """Create the force (or complete it); see tenants.provisioning.provision."""
        force = provisioning.provision(
            self.admin_engine,
            new,
            self.login_role,
            self.settings.db_role_prefix,
            self.seeders,
            actor,
            must_be_new,
        )
        self.registry.invalidate()
        return force

    def upgrade_public(self) -> None:
        """Bring the public schema to head."""
        migrate.upgrade_public(self.admin_engine)

    def migrate_all(
        self,
        parallel: int = 1,
        lock_timeout: str = "5s",
        progress: migrate.Progress | None = None,
        slugs: Iterable[str] | None = None,
    ) -> migrate.MigrationReport:
        """Migrate every force (or those named) to the tenant head."""
        return migrate.migrate_all(self.admin_engine, parallel, lock_timeout, progress, slugs)

    def change_status(
        self,
        slug: str,
        to: TenantStatus,
        allowed_from: TenantStatus,
        tag: PlatformTag,
        actor: Actor,
    ) -> bool:
        """Move a force between statuses, with its platform audit event; False if not found."""
        with db.engine.begin() as conn:
            changed = registry.set_status(conn, slug, to, allowed_from)
            if changed:
                write_platform_event(conn, tag, actor, force_slug=slug)
        self.registry.invalidate()
        return changed

    def set_idp(self, slug: str, idp: dict[str, Any], actor: Actor) -> bool:
        """Store a force's identity-provider settings (secret sealed), with its audit event."""
        with db.engine.begin() as conn:
            changed = registry.set_idp_settings(conn, slug, idp)
            if changed:
                fields = sorted(idp)
                write_platform_event(
                    conn, TenancyTag.FORCE_IDP_CONFIGURED, actor, force_slug=slug, fields=fields
                )
        self.registry.invalidate()
        return changed

    def change_force(
        self, slug: str, change: registry.ForceChange, tag: PlatformTag, actor: Actor
    ) -> bool:
        """Write what a force's administrators changed, with a platform audit event naming
        the fields (never their values); False if there is no such force. This process
        sees it at once, every other within the registry's TTL."""
        with db.engine.begin() as conn:
            changed = registry.change_force(conn, slug, change)
            if changed:
                write_platform_event(conn, tag, actor, force_slug=slug, fields=change.fields())
        self.registry.invalidate()
        return changed

    def rotate_secrets(self, actor: Actor) -> int:
        """Re-seal every stored secret under the newest SECRETS_KEY; how many were."""
        box, count = self.secret_box(), 0
        forces = registry.all_forces(db.engine)
        with db.engine.begin() as conn:
            for force in forces:
                idp, n_idp = reseal(dict(force.idp), box.rotate)
                settings, n_settings = reseal(dict(force.settings), box.rotate)
                if n_idp:
                    registry.set_idp_settings(conn, force.slug, idp)
                if n_settings:
                    registry.set_force_settings(conn, force.slug, settings)
                count += n_idp + n_settings
            write_platform_event(conn, TenancyTag.SECRETS_ROTATED, actor, secrets=count)
        self.registry.invalidate()
        return count

    def login_role_problems(self) -> list[str]:
        """Why the web role must not serve (superuser, CREATEROLE, …); empty when safe."""
        with db.engine.connect() as conn:
            return bootstrap.login_role_problems(conn)

    def refuse_unsafe_login_role(self) -> None:
        """Raise UnsafeLoginRole naming every problem with the DATABASE_URL role.

        A superuser or BYPASSRLS role ignores every grant; CREATEROLE (on PostgreSQL < 16
        close to superuser) could grant itself any force role or run programs on the
        database host; an INHERIT role holds every force's rights without SET ROLE.
        """
        problems = self.login_role_problems()
        if problems:
            raise UnsafeLoginRole(
                f"The DATABASE_URL role {self.login_role} {'; '.join(problems)}. Web and "
                "workers must connect as the login role of docs/operations.md."
            )


def tenancy() -> Tenancy:
    """The current app's tenancy extension."""
    found: Tenancy = current_app.extensions["tenancy"]
    return found


def current_scope() -> Scope:
    """The request's scope, resolved from the Host header the first time it is asked."""
    scope = request.environ.get(_ENVIRON_KEY)
    if scope is None:
        t = tenancy()
        scope = resolve(request.environ.get("HTTP_HOST"), t.settings.base_domain, t.registry)
        request.environ[_ENVIRON_KEY] = scope
    assert isinstance(scope, Scope)
    return scope


def current_force() -> Force:
    """The active force this request serves, or the force a job's session is bound to
    (tenants.jobs.run_for_force); NoForce anywhere else (fails closed)."""
    if not has_request_context():
        bound = binding.bound_force(db.session())
        if bound is None:
            raise NoForce("no force is bound here")
        return bound
    scope = current_scope()
    if scope.kind is not ScopeKind.FORCE or scope.force is None:
        raise NoForce("this request is not on an active force's site")
    return scope.force


def branded_force() -> Force | None:
    """The force whose name and colours the page wears (active or suspended), if any."""
    return current_scope().force
