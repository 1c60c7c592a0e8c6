"""The support directory: local services added, edited, ordered, retired and brought
back, each change audited with its old and new values; national services are not the
force's to edit; victims see what the administrators set."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.admin.blueprint import AdminTag
from app.models import SupportService
from tests.integration.admin.support import as_admin, audit_rows, get, in_force, post, submit
from tests.support.victims import as_victim, host

SERVICE = {
    "name": "Kent Victim Care Hub", "name_cy": "Hwb Gofal Dioddefwyr Caint",
    "description": "Free support after any crime", "description_cy": "",
    "area": "West Kent", "phone": "01632 960 321", "url": "https://hub.kent.example/",
}  # fmt: skip


def local_services(app) -> list[SupportService]:
    rows = in_force(app, select(SupportService).where(SupportService.national.is_(False)))
    return sorted(rows, key=lambda s: s.position)


def add(client, **changes) -> None:
    submit(client, "/admin/support-directory/new", {**SERVICE, **changes})


def test_a_service_added_and_edited_shows_on_the_victim_site(app, client):
    as_admin(app, client)
    add(client)
    [service] = local_services(app)
    assert (service.name_cy, service.area, service.position) == (SERVICE["name_cy"], "West Kent", 1)
    submit(client, f"/admin/support-directory/{service.id}", {**SERVICE, "name": "Kent Hub"})
    victim = app.test_client()
    as_victim(app, victim, "kent")
    page = victim.get("/support", headers=host("kent")).text
    assert "Kent Hub" in page and "01632 960 321" in page
    added, changed = (
        audit_rows(app, tag=AdminTag.SUPPORT_SERVICE_ADDED.value),
        audit_rows(app, tag=AdminTag.SUPPORT_SERVICE_CHANGED.value),
    )
    assert added[0].detail["changes"]["name"] == {"old": None, "new": SERVICE["name"]}
    assert changed[0].record_id == str(service.id)
    assert changed[0].detail["changes"] == {"name": {"old": SERVICE["name"], "new": "Kent Hub"}}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "Enter the name of the service"),
        ("url", "http://hub.kent.example/", "Enter a web address starting with https://"),
        ("url", "javascript:alert(1)", "Enter a web address starting with https://"),
        ("phone", "ring us", "Enter a phone number, like 01632 960 000"),
        ("description", "x" * 501, "The description must be 500 characters or fewer"),
    ],
)
def test_a_service_is_checked(app, client, field, value, message):
    as_admin(app, client)
    response = post(client, "/admin/support-directory/new", {**SERVICE, field: value})
    assert response.status_code == 200 and message in response.text
    assert local_services(app) == []


def test_services_are_ordered_and_the_order_is_audited(app, client):
    as_admin(app, client)
    for name in ("First", "Second", "Third"):
        add(client, name=name)
    first, _second, third = local_services(app)
    page = "/admin/support-directory"
    submit(client, f"{page}/{third.id}/move", {"direction": "up"}, form_page=page)
    assert [s.name for s in local_services(app)] == ["First", "Third", "Second"]
    submit(client, f"{page}/{first.id}/move", {"direction": "down"}, form_page=page)
    assert [s.name for s in local_services(app)] == ["Third", "First", "Second"]
    submit(client, f"{page}/{third.id}/move", {"direction": "up"}, form_page=page)  # top: no-op
    assert [s.name for s in local_services(app)] == ["Third", "First", "Second"]
    sideways = post(client, f"{page}/{third.id}/move", {"direction": "sideways"}, form_page=page)
    assert sideways.status_code == 400
    moves = audit_rows(app, tag=AdminTag.SUPPORT_SERVICE_CHANGED.value)
    assert {row.purpose for row in moves} == {"order"}
    listed = get(client, page).text
    assert listed.index("Third") < listed.index("First") < listed.index("Second")


def test_a_service_is_retired_and_brought_back(app, client):
    as_admin(app, client)
    add(client)
    [service] = local_services(app)
    page = "/admin/support-directory"
    submit(client, f"{page}/{service.id}/retire", {"retire": "yes"}, form_page=page)
    assert local_services(app)[0].retired
    assert "Retired" in get(client, page).text
    submit(client, f"{page}/{service.id}/retire", {"retire": "no"}, form_page=page)
    assert not local_services(app)[0].retired
    purposes = [r.purpose for r in audit_rows(app, tag=AdminTag.SUPPORT_SERVICE_CHANGED.value)]
    assert purposes == ["retire", "restore"]


def test_victims_do_not_see_a_retired_service(app, client):
    as_admin(app, client)
    add(client, name="Closed Down Service")
    [service] = local_services(app)
    page = "/admin/support-directory"
    submit(client, f"{page}/{service.id}/retire", {"retire": "yes"}, form_page=page)
    victim = app.test_client()
    as_victim(app, victim, "kent")
    assert "Closed Down Service" not in victim.get("/support", headers=host("kent")).text


def test_national_services_are_not_the_forces_to_edit(app, client):
    as_admin(app, client)
    national = in_force(app, select(SupportService).where(SupportService.national.is_(True)))
    assert national
    get(client, f"/admin/support-directory/{national[0].id}", status=404)
    assert "Victim Support" in get(client, "/admin/support-directory").text
