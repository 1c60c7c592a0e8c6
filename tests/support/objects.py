"""What the generic cross-force test (tests/architecture/cross_force.py) needs to know
about a journey's objects and users. Journeys extend this file, not the test.

OBJECT_FACTORIES maps a URL argument name to a factory that makes one such object in a
given force: `factory(force="kent")` returns something with an `.id`. Every `<uuid:…>`
argument of a force-site (or any-site) route needs an entry, or the test fails naming
the route: a journey adding `/cases/<uuid:case_id>/messages/<uuid:message_id>` adds
`"message_id": MessageFactory` (and its factory in tests/factories.py).

sign_in(client, rule, force) signs client in on force as a user who satisfies the access
rule label (app.auth.access): "victim", "officer", "officer:oic|supervisor", "operator".
Officers and victims are filled in; operators only on the central site ("central"),
since an operator rule on a force's route is itself a mistake; a kind with no branch is
refused until the journey that adds it fills in its branch. "public" routes need no
sign-in: the test only ever calls this for the other rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from flask.testing import FlaskClient

from tests.factories import (
    AuditEventFactory,
    CaseEventFactory,
    CaseFactory,
    ComplaintFactory,
    MessageFactory,
    PersonalStatementRequestFactory,
    PropertyItemFactory,
    RepresentativeFactory,
    ReviewRequestFactory,
    SubjectAccessExportFactory,
    SupportServiceFactory,
    VictimFactory,
)
from tests.support.officers import as_officer
from tests.support.operators import as_operator
from tests.support.victims import as_victim


class MakesObject(Protocol):
    def __call__(self, *, force: str) -> Any: ...


OBJECT_FACTORIES: dict[str, MakesObject] = {
    "case_id": CaseFactory,
    "support_service_id": SupportServiceFactory,
    "service_id": SupportServiceFactory,
    "audit_event_id": AuditEventFactory,
    "victim_id": VictimFactory,
    "event_id": CaseEventFactory,
    "message_id": MessageFactory,
    "item_id": PropertyItemFactory,
    "export_id": SubjectAccessExportFactory,
    "review_id": ReviewRequestFactory,
    "complaint_id": ComplaintFactory,
    "statement_id": PersonalStatementRequestFactory,
    "representative_id": RepresentativeFactory,
}

SignIn = Callable[[FlaskClient, str, str], None]


def sign_in(client: FlaskClient, rule: str, force: str) -> None:
    """Sign client in on force (its slug) as a user the access rule admits.

    To fill in when users exist: make the user in `force` (a factory), then sign in the
    way the journey's own tests do, sending `Host: <force>.localhost`. For an officer
    rule with roles ("officer:oic|supervisor"), give the officer the first role listed.
    """
    kind, _, roles = rule.partition(":")
    if kind == "officer":
        as_officer(client.application, client, force, role=roles.split("|")[0] or "officer")
        return
    if kind == "victim":
        as_victim(client.application, client, force)
        return
    if kind == "operator" and force == "central":
        as_operator(client.application, client)
        return
    # Operators sign in on the central site only: an operator rule on a force's route
    # is itself the mistake, so there is nobody to sign in for it there.
    raise NotImplementedError(
        f"tests/support/objects.py sign_in cannot yet sign in a {kind!r} user (rule "
        f"{rule!r}) on {force}: the journey that added this route must add it"
        + (" (operators only ever sign in on the central site)" if kind == "operator" else "")
    )
