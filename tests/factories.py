"""Factories for the force models: each row is written as its force, through the same
per-transaction binding the app uses (tenants.binding.force_scope).

    case = CaseFactory(force="kent")            # committed in Kent's schema
    CaseFactory.create_batch(3, force="dyfed-powys", status="closed")

They need an app context (the `app_context` fixture). The object comes back detached,
its columns loaded, so a test can read `case.id` after the force's transaction ended.
`force` is a test force's slug (tests/support/forces.py), "kent" unless given.
"""

from __future__ import annotations

from typing import Any

import factory

from app.models import AuditEvent, Case, SupportService
from tenants.binding import force_scope
from tenants.extension import tenancy
from tenants.forces import Force


def registered_force(slug: str) -> Force:
    """The registered force called slug (the registry the app itself reads)."""
    force = tenancy().registry.by_slug(slug)
    if force is None:
        raise LookupError(f"no force {slug!r} in the registry: use a test force's slug")
    return force


class ForceModelFactory(factory.Factory):
    """Writes each object in its own committed transaction, bound to `force`."""

    class Meta:
        abstract = True

    force = "kent"

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("force")
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        force = registered_force(kwargs.pop("force"))
        instance = model_class(*args, **kwargs)
        with force_scope(force) as session:
            session.add(instance)
            session.flush()
            # Detached with its columns loaded: committing would expire them, and the
            # session that could reload them is gone once the force's scope ends.
            session.expunge(instance)
        return instance


class CaseFactory(ForceModelFactory):
    class Meta:
        model = Case

    crime_reference = factory.Sequence(lambda n: f"TEST-{n:05d}")
    offence_category = "burglary"
    status = "open"


class SupportServiceFactory(ForceModelFactory):
    class Meta:
        model = SupportService

    key = factory.Sequence(lambda n: f"local-service-{n}")
    name = factory.Sequence(lambda n: f"Local support service {n}")
    phone = "01632 960 000"
    url = "https://support.example/"
    national = False


class AuditEventFactory(ForceModelFactory):
    class Meta:
        model = AuditEvent

    tag = "session:exited"
    actor_type = "system"
    actor_id = None
    detail = factory.LazyFunction(dict)
