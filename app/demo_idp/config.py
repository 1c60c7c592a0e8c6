"""What the demo identity provider serves: forces (issuers), their clients and users."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

# How long a sign-in page, an authorization code and the tokens stay usable (seconds).
PENDING_TTL = 600
CODE_TTL = 60
TOKEN_TTL = 600

# Fixed, so that a user's `sub` survives a restart of the demo (officers are stored by
# issuer and subject); it only has to be constant, not secret.
_SUB_NAMESPACE = uuid.UUID("6f1d2c8e-3b7a-4c55-9a0e-1e5c2b7d9f40")


@dataclass(frozen=True)
class DemoUser:
    """One officer account at one force's identity provider."""

    username: str
    password: str
    name: str
    email: str
    roles: tuple[str, ...]
    collar_number: str
    team: str

    def subject(self, slug: str) -> str:
        """Stable and opaque: the same user at the same force always gets the same sub."""
        return str(uuid.uuid5(_SUB_NAMESPACE, f"{slug}:{self.username}"))


@dataclass(frozen=True)
class DemoClient:
    """A relying party registered at one issuer; URIs are compared exactly."""

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoIssuer:
    """One force's identity provider: served at `{base_url}/{slug}`."""

    slug: str
    name: str
    users: tuple[DemoUser, ...]
    clients: tuple[DemoClient, ...]
    role_claim: str = "roles"

    def user(self, username: str) -> DemoUser | None:
        return next((u for u in self.users if u.username == username), None)

    def client(self, client_id: str) -> DemoClient | None:
        return next((c for c in self.clients if c.client_id == client_id), None)


# (username, name, roles, team) of the three accounts every demo force gets.
_DEMO_ACCOUNTS = (
    ("officer", "PC Alex Morgan", ("tmc-officer",), "Response Team A"),
    ("supervisor", "PS Sam Patel", ("tmc-officer", "tmc-supervisor"), "Response Team A"),
    ("admin", "Jo Evans", ("tmc-admin",), "Force administration"),
)


def demo_password(slug: str, username: str) -> str:
    """The printed demo password, e.g. `officer-kent-demo`: readable on purpose."""
    return f"{username}-{slug}-demo"


def demo_client_id(slug: str) -> str:
    return f"trackmycrime-{slug}"


def demo_client_secret(slug: str) -> str:
    """Fixed, so the force's stored IdP settings stay valid across demo restarts."""
    return f"trackmycrime-{slug}-demo-secret"


def demo_issuers(
    forces: list[tuple[str, str]],
    redirect_uri_for: Callable[[str], str],
    post_logout_for: Callable[[str], str],
) -> list[DemoIssuer]:
    """One issuer per (slug, name), each with an officer, a supervisor and an admin
    (see `demo_password`) and one client `trackmycrime-<slug>` (`demo_client_secret`)."""
    return [_demo_issuer(slug, name, redirect_uri_for, post_logout_for) for slug, name in forces]


def _demo_issuer(
    slug: str,
    name: str,
    redirect_uri_for: Callable[[str], str],
    post_logout_for: Callable[[str], str],
) -> DemoIssuer:
    users = tuple(
        DemoUser(
            username=username,
            password=demo_password(slug, username),
            name=full_name,
            email=f"{username}@{slug}.police.example",
            roles=roles,
            collar_number=f"{slug[:2].upper()}{1001 + number}",
            team=team,
        )
        for number, (username, full_name, roles, team) in enumerate(_DEMO_ACCOUNTS)
    )
    client = DemoClient(
        client_id=demo_client_id(slug),
        client_secret=demo_client_secret(slug),
        redirect_uris=(redirect_uri_for(slug),),
        post_logout_redirect_uris=(post_logout_for(slug),),
    )
    return DemoIssuer(slug=slug, name=name, users=users, clients=(client,))


# The central site's provider (operators), served beside the forces' at `{base_url}/central`.
CENTRAL_ISSUER = "central"
DEMO_OPERATOR_EMAIL = "operator@trackmycrime.example"


def demo_operator_issuer(redirect_uri: str, post_logout_uri: str) -> DemoIssuer:
    """The operators' issuer: one user `operator` (password `demo_password("central",
    "operator")`, email DEMO_OPERATOR_EMAIL) and the client `trackmycrime-central`."""
    operator = DemoUser(
        username="operator",
        password=demo_password(CENTRAL_ISSUER, "operator"),
        name="Robin Okafor",
        email=DEMO_OPERATOR_EMAIL,
        roles=("tmc-operator",),
        collar_number="",
        team="Central operations",
    )
    client = DemoClient(
        client_id=demo_client_id(CENTRAL_ISSUER),
        client_secret=demo_client_secret(CENTRAL_ISSUER),
        redirect_uris=(redirect_uri,),
        post_logout_redirect_uris=(post_logout_uri,),
    )
    return DemoIssuer(
        slug=CENTRAL_ISSUER, name="TrackMyCrime operators", users=(operator,), clients=(client,)
    )
