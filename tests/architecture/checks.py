"""Checks any app can be put through; the tests call them on the real app and on
throwaway apps that prove each check catches what it is for.

- site_problems: every blueprint was made by app/site.py (it says which site it serves),
  and no view sits outside a blueprint.
- id_argument_problems: every URL argument naming an id is a `<uuid:…>`.
- cross_force_problems: for every force-site (or any-site) route with a uuid argument,
  force A's object requested on force B answers exactly as a missing id does, and that
  answer is a 404 for a user the route admits.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.routing import Rule, UUIDConverter

from app.auth.access import ACCESS_ATTRIBUTE
from app.site import SITE_ATTRIBUTE, Site
from tests.support.objects import OBJECT_FACTORIES, MakesObject, SignIn, sign_in

# Endpoints Flask itself adds (they serve files, not views of ours).
NOT_OURS = {"static"}
OWNER, OTHER = "kent", "dyfed-powys"  # force A makes the object; force B is asked for it
_IGNORED_METHODS = {"HEAD", "OPTIONS"}


def blueprint_of(app: Flask, rule: Rule) -> Any:
    """The blueprint a rule's view belongs to, or None for a view on the app itself."""
    name, dot, _ = rule.endpoint.rpartition(".")
    return app.blueprints.get(name) if dot else None


def site_of(app: Flask, rule: Rule) -> Site | None:
    return getattr(blueprint_of(app, rule), SITE_ATTRIBUTE, None)


def site_problems(app: Flask) -> list[str]:
    """Blueprints that declare no site, and views registered on no blueprint."""
    problems = [
        f"blueprint {name!r} declares no site: make it with app.site's force_blueprint, "
        "central_blueprint or any_site_blueprint"
        for name, blueprint in app.blueprints.items()
        if not isinstance(getattr(blueprint, SITE_ATTRIBUTE, None), Site)
    ]
    problems += [
        f"view {rule.endpoint!r} ({rule.rule}) is on no blueprint, so serves every site"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in NOT_OURS and blueprint_of(app, rule) is None
    ]
    return problems


def _converters(rule: Rule) -> Mapping[str, Any]:
    return rule._converters  # werkzeug has no public name for a rule's converters


def is_id(argument: str) -> bool:
    return argument == "id" or argument.endswith("_id")


def id_argument_problems(app: Flask) -> list[str]:
    """URL arguments that name an id but take anything other than a uuid."""
    return [
        f"{rule.endpoint} ({rule.rule}): <{name}> must be <uuid:{name}>"
        for rule in app.url_map.iter_rules()
        for name, converter in _converters(rule).items()
        if is_id(name) and not isinstance(converter, UUIDConverter)
    ]


def object_routes(app: Flask, blueprint: str | None = None) -> list[Rule]:
    """Routes a force's site serves that name an object by uuid (of one blueprint, if named)."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if site_of(app, rule) in (Site.FORCE, Site.ANY)
        and any(isinstance(c, UUIDConverter) for c in _converters(rule).values())
        and (blueprint is None or rule.endpoint.partition(".")[0] == blueprint)
    ]


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    body: str


# Per-response values that differ between any two requests: CSP nonces, CSRF tokens.
_VOLATILE = re.compile(r'(nonce="|name="csrf_token"[^>]*value="|"csrf_token": ")[^"]*')


def _answer(response: Any, ids: Mapping[str, uuid.UUID]) -> Answer:
    """The response with the ids asked for replaced by their argument's name, so the
    answer for force A's object and for a missing one can be compared."""

    def neutral(text: str) -> str:
        for name, value in ids.items():
            text = text.replace(str(value), f"<{name}>")
        return _VOLATILE.sub(r"\1", text)

    return Answer(
        response.status_code,
        neutral(response.headers.get("Location", "")),
        neutral(response.get_data(as_text=True)),
    )


def _users(rule_label: str) -> Iterator[str | None]:
    """Who asks: the kind of user the rule admits (None when public), and anonymous."""
    yield None if rule_label == "public" else rule_label
    if rule_label != "public":
        yield None


def _ask(
    app: Flask,
    rule: Rule,
    method: str,
    ids: Mapping[str, uuid.UUID],
    user: str | None,
    sign_in: SignIn,
) -> Answer:
    client = app.test_client()
    if user is not None:
        sign_in(client, user, OTHER)
    url = app.url_map.bind(f"{OTHER}.localhost").build(rule.endpoint, dict(ids), method=method)
    response = client.open(url, method=method, headers={"Host": f"{OTHER}.localhost"})
    return _answer(response, ids)


def _check_route(
    app: Flask, rule: Rule, factories: Mapping[str, MakesObject], sign_in: SignIn
) -> list[str]:
    converters = _converters(rule)
    others = [name for name, c in converters.items() if not isinstance(c, UUIDConverter)]
    if others:
        return [f"{rule.endpoint} ({rule.rule}): cannot fill non-uuid arguments {others}"]
    unknown = [name for name in converters if name not in factories]
    if unknown:
        return [
            f"{rule.endpoint} ({rule.rule}): no factory for {unknown}: add one to "
            "OBJECT_FACTORIES in tests/support/objects.py"
        ]
    with app.app_context():
        owned = {name: factories[name](force=OWNER).id for name in converters}
    missing = {name: uuid.uuid4() for name in converters}
    label = getattr(app.view_functions[rule.endpoint], ACCESS_ATTRIBUTE, "public")
    problems = []
    for method in sorted((rule.methods or set()) - _IGNORED_METHODS):
        for user in _users(label):
            who = user or "anonymous"
            admitted = label == "public" or user == label
            theirs = _ask(app, rule, method, owned, user, sign_in)
            nothing = _ask(app, rule, method, missing, user, sign_in)
            if theirs != nothing:
                problems.append(
                    f"{method} {rule.rule} as {who} on {OTHER}: {OWNER}'s object answers "
                    f"{theirs.status}, a missing id {nothing.status} (or the bodies differ)"
                )
            elif method == "GET" and admitted and nothing.status != 404:
                problems.append(
                    f"{method} {rule.rule} as {who} on {OTHER}: a missing id answers "
                    f"{nothing.status}, not 404"
                )
    return problems


def cross_force_problems(
    app: Flask,
    factories: Mapping[str, MakesObject] = OBJECT_FACTORIES,
    sign_in: SignIn = sign_in,
    blueprint: str | None = None,
) -> list[str]:
    """Every way a force-site route with a uuid tells force B about force A's object.

    Requests go through the real stack (Host header, binding, access rule). State-
    changing methods are asked too, but without a CSRF token they stop at the CSRF
    check; a journey whose POST routes matter here gives sign_in's client a token.
    """
    return [
        problem
        for rule in object_routes(app, blueprint)
        for problem in _check_route(app, rule, factories, sign_in)
    ]
