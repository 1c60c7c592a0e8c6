"""Factories for the force models: each row is written as its force, through the same
per-transaction binding the app uses (tenants.binding.force_scope).

    case = CaseFactory(force="kent")            # committed in Kent's schema
    CaseFactory.create_batch(3, force="dyfed-powys", status="closed")

They need an app context (the `app_context` fixture). The object comes back detached,
its columns loaded, so a test can read `case.id` after the force's transaction ended.
`force` is a test force's slug (tests/support/forces.py), "kent" unless given.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import factory

from app.models import (
    AuditEvent,
    Case,
    CaseEvent,
    CaseVictim,
    Complaint,
    Invite,
    Message,
    Officer,
    PersonalStatementRequest,
    PropertyItem,
    Representative,
    ReviewRequest,
    SignedInSession,
    SubjectAccessExport,
    SupportService,
    Victim,
)
from app.models.central import CentralSignedInSession, ForceApplication, Operator
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


class OfficerFactory(ForceModelFactory):
    class Meta:
        model = Officer

    id = factory.LazyFunction(uuid.uuid4)
    issuer = "https://idp.test.example/"
    subject = factory.Sequence(lambda n: f"officer-subject-{n}")
    name = factory.Sequence(lambda n: f"Officer {n}")
    email = factory.Sequence(lambda n: f"officer{n}@police.example")
    collar_number = factory.Sequence(lambda n: f"C{1000 + n}")
    role = "officer"
    team = "Team A"
    active = True


class VictimFactory(ForceModelFactory):
    class Meta:
        model = Victim

    id = factory.LazyFunction(uuid.uuid4)
    name = factory.Sequence(lambda n: f"Victim {n}")
    date_of_birth = date(1985, 3, 27)
    email = factory.Sequence(lambda n: f"victim{n}@example.com")
    preferred_language = "en"
    contact_channel = "email"


class CaseVictimFactory(ForceModelFactory):
    class Meta:
        model = CaseVictim

    role = "victim"


class CaseEventFactory(ForceModelFactory):
    """An event on a case (its own case unless case_id is given)."""

    class Meta:
        model = CaseEvent

    id = factory.LazyFunction(uuid.uuid4)
    case_id = factory.LazyAttribute(lambda o: CaseFactory(force=o.force).id)
    event_type = "arrested"
    occurred_at = factory.LazyFunction(lambda: datetime.now(UTC))
    victim_text = "A suspect has been arrested."
    details = factory.LazyFunction(dict)


class MessageFactory(ForceModelFactory):
    """A victim's message on a case (its own case and victim unless given)."""

    class Meta:
        model = Message

    id = factory.LazyFunction(uuid.uuid4)
    case_id = factory.LazyAttribute(lambda o: CaseFactory(force=o.force).id)
    victim_id = factory.LazyAttribute(lambda o: VictimFactory(force=o.force).id)
    body = "When will I hear back?"


class PropertyItemFactory(ForceModelFactory):
    class Meta:
        model = PropertyItem

    id = factory.LazyFunction(uuid.uuid4)
    case_id = factory.LazyAttribute(lambda o: CaseFactory(force=o.force).id)
    victim_id = factory.LazyAttribute(lambda o: VictimFactory(force=o.force).id)
    category = "electronics"
    description = "Black laptop"
    status = "missing"


class InviteFactory(ForceModelFactory):
    class Meta:
        model = Invite

    id = factory.LazyFunction(uuid.uuid4)
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(days=14))


class SignedInSessionFactory(ForceModelFactory):
    class Meta:
        model = SignedInSession

    id = factory.LazyFunction(uuid.uuid4)


# --- The central site's public tables -------------------------------------------------


class PublicModelFactory(factory.Factory):
    """Writes each object in its own committed transaction on the public schema (no
    force bound). Needs an app context; the object comes back detached, columns loaded."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.orm import Session

        from tenants.binding import db

        instance = model_class(*args, **kwargs)
        with Session(db.engine, expire_on_commit=False) as session:
            session.add(instance)
            session.commit()
            session.expunge(instance)
        return instance


class OperatorFactory(PublicModelFactory):
    class Meta:
        model = Operator

    id = factory.LazyFunction(uuid.uuid4)
    email = factory.Sequence(lambda n: f"operator{n}@trackmycrime.example")
    name = factory.Sequence(lambda n: f"Operator {n}")
    issuer = "https://central-idp.test.example/"
    subject = factory.Sequence(lambda n: f"operator-subject-{n}")
    active = True


class CentralSignedInSessionFactory(PublicModelFactory):
    class Meta:
        model = CentralSignedInSession

    id = factory.LazyFunction(uuid.uuid4)


class SubjectAccessExportFactory(ForceModelFactory):
    """A queued subject access export (its own victim and requesting officer unless given)."""

    class Meta:
        model = SubjectAccessExport

    id = factory.LazyFunction(uuid.uuid4)
    victim_id = factory.LazyAttribute(lambda o: VictimFactory(force=o.force).id)
    requested_by = factory.LazyAttribute(lambda o: OfficerFactory(force=o.force, role="admin").id)
    status = "queued"


class ForceApplicationFactory(PublicModelFactory):
    """A submitted application with every answer given and its address confirmed."""

    class Meta:
        model = ForceApplication

    id = factory.LazyFunction(uuid.uuid4)
    status = "submitted"
    force_name = factory.Sequence(lambda n: f"Applicant Police {n}")
    slug = factory.Sequence(lambda n: f"applicant-{n}")
    contact_name = "Sam Applicant"
    contact_email = factory.Sequence(lambda n: f"applicant{n}@police.example")
    email_confirmed_at = factory.LazyFunction(lambda: datetime.now(UTC))
    colour = "#1d5c3a"
    idp_issuer = "https://login.example.com/tenant/v2.0"
    idp_client_id = "trackmycrime"
    idp_client_secret_sealed = "not-a-real-sealed-secret"
    idp_checked_at = factory.LazyFunction(lambda: datetime.now(UTC))
    admin_email = "admin@police.example"
    welsh_enabled = False
    agreement_accepted_at = factory.LazyFunction(lambda: datetime.now(UTC))
    language = "en"
    provisioning_attempts = 0
    submitted_at = factory.LazyFunction(lambda: datetime.now(UTC))


# --- Victims' rights (app.models.rights) ------------------------------------------------


class ReviewRequestFactory(ForceModelFactory):
    """A request for a review (its own case and victim unless given), with no duties."""

    class Meta:
        model = ReviewRequest

    id = factory.LazyFunction(uuid.uuid4)
    case_id = factory.LazyAttribute(lambda o: CaseFactory(force=o.force).id)
    victim_id = factory.LazyAttribute(lambda o: VictimFactory(force=o.force).id)
    reasons = "The suspect admitted it to a neighbour."
    told_on = factory.LazyFunction(lambda: date.today() - timedelta(days=7))
    window_closes_on = factory.LazyFunction(lambda: date.today() + timedelta(days=80))
    late = False


class ComplaintFactory(ForceModelFactory):
    """A complaint (its own case and victim unless given), with no duty."""

    class Meta:
        model = Complaint

    id = factory.LazyFunction(uuid.uuid4)
    case_id = factory.LazyAttribute(lambda o: CaseFactory(force=o.force).id)
    victim_id = factory.LazyAttribute(lambda o: VictimFactory(force=o.force).id)
    topic = "treatment"
    details = "Nobody called me back."
    routed_to = "professional_standards"


class PersonalStatementRequestFactory(ForceModelFactory):
    """A request to make a personal statement (its own case and victim unless given)."""

    class Meta:
        model = PersonalStatementRequest

    id = factory.LazyFunction(uuid.uuid4)
    case_id = factory.LazyAttribute(lambda o: CaseFactory(force=o.force).id)
    victim_id = factory.LazyAttribute(lambda o: VictimFactory(force=o.force).id)
    kind = "new"
    delivery = "read_myself"


class RepresentativeFactory(ForceModelFactory):
    """Someone acting for a victim (their own case, victim and person unless given)."""

    class Meta:
        model = Representative

    id = factory.LazyFunction(uuid.uuid4)
    case_id = factory.LazyAttribute(lambda o: CaseFactory(force=o.force).id)
    victim_id = factory.LazyAttribute(lambda o: VictimFactory(force=o.force).id)
    person_id = factory.LazyAttribute(lambda o: VictimFactory(force=o.force).id)
    role = "parent_guardian"
