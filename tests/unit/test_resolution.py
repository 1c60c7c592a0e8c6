import pytest

from tenants.forces import Force, TenantStatus
from tenants.resolution import RegistryCache, normalise_host, resolve


def _force(slug, status=TenantStatus.ACTIVE):
    return Force(slug, f"t_{slug}", f"tenant_{slug}", slug.title(), status)


@pytest.fixture
def registry():
    forces = {
        "kent": _force("kent"),
        "gwent": _force("gwent", TenantStatus.SUSPENDED),
        "newforce": _force("newforce", TenantStatus.PENDING),
        "gone": _force("gone", TenantStatus.DECOMMISSIONED),
    }
    return RegistryCache(lambda: (forces, {"victims.kent.police.uk": "kent"}), ttl=60)


@pytest.mark.parametrize(
    ("host", "kind", "slug"),
    [
        ("kent.example.org", "force", "kent"),
        ("kent.example.org:8443", "force", "kent"),
        ("KENT.Example.ORG", "force", "kent"),
        ("kent.example.org.", "force", "kent"),
        ("victims.kent.police.uk", "force", "kent"),
        ("example.org", "central", None),
        ("example.org:443", "central", None),
        ("gwent.example.org", "suspended", "gwent"),
        ("newforce.example.org", "unknown", None),
        ("gone.example.org", "unknown", None),
        ("essex.example.org", "unknown", None),
        ("a.kent.example.org", "unknown", None),
        ("kent.example.org.evil.com", "unknown", None),
        ("127.0.0.1", "unknown", None),
        ("127.0.0.1:5000", "unknown", None),
        ("[::1]:5000", "unknown", None),
        ("::1", "unknown", None),
        ("a" * 300 + ".example.org", "unknown", None),
        ("kent.example.org:80:80", "unknown", None),
        ("kent_x.example.org", "unknown", None),
        ("", "unknown", None),
        (None, "unknown", None),
    ],
)
def test_host_names_the_scope(registry, host, kind, slug):
    scope = resolve(host, "example.org", registry)
    assert scope.kind == kind
    assert (scope.force.slug if scope.force else None) == slug


def test_normalise_host():
    assert normalise_host("Kent.Example.Org.:5000") == "kent.example.org"
    assert normalise_host("x" * 64 + ".org") is None


def test_registry_reloads_after_ttl():
    loads, now = [], [0.0]

    def load():
        loads.append(1)
        return {"kent": _force("kent")}, {}

    registry = RegistryCache(load, ttl=5, clock=lambda: now[0])
    registry.by_slug("kent")
    now[0] = 4.9
    registry.by_slug("kent")
    assert len(loads) == 1
    now[0] = 5.0
    registry.by_slug("kent")
    assert len(loads) == 2
