"""People acting for a victim, over HTTP: the officer adds a parent or an advocate for
a victim on the case; they get their own invite and account; each sees what the role
table lets them (an advocate: updates and messages, no property); an adult victim sees
who acts for them and ends it, a child sees but cannot; every change is audited."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update

from app.models import AuditEvent, CaseVictim, Invite, OutboxMessage, Representative, Victim
from app.models.base import utcnow
from tenants.binding import force_scope
from tests.factories import CaseEventFactory, PropertyItemFactory, registered_force
from tests.integration.rights.support import (
    Story,
    get,
    make_story,
    post,
    rows,
    submitted,
    text,
)
from tests.support.victims import as_victim, password_hash

UPDATE = "We have a suspect in custody."


def child_story(app, born: date = date(2014, 6, 1)) -> Story:
    s = make_story(app, told_days_ago=None)
    with app.app_context(), force_scope(registered_force("kent")) as session:
        session.execute(update(Victim).where(Victim.id == s.victim.id).values(date_of_birth=born))
    with app.app_context():
        CaseEventFactory(
            force="kent", case_id=s.case.id, victim_text=UPDATE, published_at=datetime.now(UTC)
        )
        PropertyItemFactory(
            force="kent", case_id=s.case.id, victim_id=s.victim.id, value_pence=45000
        )
    return s


def add_person(s: Story, role: str, name: str, email: str) -> Representative:
    submitted(
        post(
            s.officer_client,
            f"{s.officer_case_path}/representatives/new",
            {
                "acting_for": str(s.victim.id),
                "role": role,
                "name": name,
                "date_of_birth": ["2", "2", "1980"],
                "email": email,
                "contact_channel": "email",
                "preferred_language": "en",
            },
        )
    )
    (made,) = rows(s.app, "kent", Representative, Representative.role == role)
    return made


def signed_in_as(app, person_id) -> object:
    """A client signed in as person, given an account as accepting their invite would."""
    with app.app_context(), force_scope(registered_force("kent")) as session:
        session.execute(
            update(Victim)
            .where(Victim.id == person_id)
            .values(password_hash=password_hash(), account_created_at=utcnow())
        )
    (person,) = rows(app, "kent", Victim, Victim.id == person_id)
    client = app.test_client()
    as_victim(app, client, "kent", person)
    return client


def test_a_parent_is_added_invited_and_sees_the_childs_case(app):
    s = child_story(app)
    made = add_person(s, "parent_guardian", "Sam Shah", "sam.shah@example.com")
    assert (made.victim_id, made.added_by) == (s.victim.id, s.officer.id)
    (link,) = rows(app, "kent", CaseVictim, CaseVictim.victim_id == made.person_id)
    assert (link.case_id, link.role) == (s.case.id, "parent_guardian")
    case_page = text(get(s.officer_client, s.officer_case_path).text)
    assert "Sam Shah acts for Priya Shah (Parent or guardian)" in case_page

    # Their own invite, through the case page's button.
    submitted(
        post(
            s.officer_client,
            f"{s.officer_case_path}/people/{made.person_id}/invite",
            {},
            page=s.officer_case_path,
        )
    )
    (invite,) = rows(app, "kent", Invite, Invite.victim_id == made.person_id)
    assert invite.case_id == s.case.id
    assert [m.address for m in rows(app, "kent", OutboxMessage)] == ["sam.shah@example.com"]

    parent = signed_in_as(app, made.person_id)
    page = text(get(parent, s.case_path).text)
    assert UPDATE in page and "Stolen or damaged property" in page
    # The property pages open to a parent (items stay each person's own: the child's
    # list is theirs, app.casework.victims.property_of).
    get(parent, f"{s.case_path}/property")
    rights = text(get(parent, f"{s.case_path}/rights").text)
    assert "You act for Priya Shah on this case (Parent or guardian)" in rights
    tags = [row.tag for row in rows(app, "kent", AuditEvent)]
    assert "representative:added" in tags and "victim:case-viewed" in tags


def test_an_advocate_sees_updates_and_messages_but_no_property(app):
    s = child_story(app, born=date(1990, 1, 1))
    made = add_person(s, "advocate", "Jo Advocate", "jo@idva.example")
    advocate = signed_in_as(app, made.person_id)
    page = text(get(advocate, s.case_path).text)
    assert UPDATE in page
    assert "Stolen or damaged property" not in page
    get(advocate, f"{s.case_path}/messages")
    get(advocate, f"{s.case_path}/property", status=404)
    get(advocate, f"{s.case_path}/property/add", status=404)
    for path in ("review", "complaint", "personal-statement", "feedback"):
        get(advocate, f"{s.case_path}/{path}", status=404)
    rights = text(get(advocate, f"{s.case_path}/rights").text)
    assert "Complaints" not in rights and "People acting for you" not in rights


def test_an_adult_victim_sees_and_ends_who_acts_for_them(app):
    s = child_story(app, born=date(1990, 1, 1))
    made = add_person(s, "advocate", "Jo Advocate", "jo@idva.example")
    advocate = signed_in_as(app, made.person_id)
    rights_path = f"{s.case_path}/rights"
    rights = text(get(s.victim_client, rights_path).text)
    assert "Jo Advocate" in rights and "Stop Jo Advocate acting for you" in rights

    submitted(
        post(s.victim_client, f"{s.case_path}/representatives/{made.id}/end", {}, page=rights_path)
    )
    (ended,) = rows(app, "kent", Representative)
    assert ended.ended_at is not None and ended.ended_by == "victim"
    assert rows(app, "kent", CaseVictim, CaseVictim.victim_id == made.person_id) == []
    get(advocate, s.case_path, status=404)
    assert "Nobody acts for you on this case" in text(get(s.victim_client, rights_path).text)
    (audited,) = [r for r in rows(app, "kent", AuditEvent) if r.tag == "representative:ended"]
    assert audited.record_id == str(s.victim.id) and audited.actor_type == "victim"


def test_a_child_sees_who_acts_for_them_but_cannot_end_it(app):
    s = child_story(app)
    made = add_person(s, "parent_guardian", "Sam Shah", "sam.shah@example.com")
    rights_path = f"{s.case_path}/rights"
    rights = text(get(s.victim_client, rights_path).text)
    assert "Sam Shah" in rights and "Stop Sam Shah" not in rights
    refused = post(
        s.victim_client, f"{s.case_path}/representatives/{made.id}/end", {}, page=rights_path
    )
    assert refused.status_code == 404
    assert rows(app, "kent", Representative)[0].ended_at is None


def test_the_officer_ends_it_and_an_unused_invite_stops_working(app):
    s = child_story(app)
    made = add_person(s, "parent_guardian", "Sam Shah", "sam.shah@example.com")
    submitted(
        post(
            s.officer_client,
            f"{s.officer_case_path}/people/{made.person_id}/invite",
            {},
            page=s.officer_case_path,
        )
    )
    submitted(
        post(
            s.officer_client,
            f"{s.officer_case_path}/representatives/{made.id}/end",
            {},
            page=s.officer_case_path,
        )
    )
    (invite,) = rows(app, "kent", Invite, Invite.victim_id == made.person_id)
    assert invite.revoked_at is not None
    assert rows(app, "kent", Representative)[0].ended_by == "officer"
    assert "acts for Priya Shah" not in text(get(s.officer_client, s.officer_case_path).text)


def test_nobody_else_can_end_a_representation(app):
    s = child_story(app, born=date(1990, 1, 1))
    made = add_person(s, "advocate", "Jo Advocate", "jo@idva.example")
    # The advocate themselves, on the same case, is not the victim they act for.
    advocate = signed_in_as(app, made.person_id)
    refused = post(
        advocate, f"{s.case_path}/representatives/{made.id}/end", {}, page=f"{s.case_path}/rights"
    )
    assert refused.status_code == 404
    # A victim of another case gets the same 404.
    other = make_story(app, told_days_ago=None)
    refused = post(
        other.victim_client,
        f"{s.case_path}/representatives/{made.id}/end",
        {},
        page=f"{other.case_path}/rights",
    )
    assert refused.status_code == 404
    assert rows(app, "kent", Representative)[0].ended_at is None


def test_a_person_can_only_act_for_a_victim_of_this_case(app):
    s = child_story(app)
    other = make_story(app, told_days_ago=None)
    page = post(
        s.officer_client,
        f"{s.officer_case_path}/representatives/new",
        {
            "acting_for": str(other.victim.id),
            "role": "parent_guardian",
            "name": "Sam Shah",
            "date_of_birth": ["2", "2", "1980"],
            "email": "sam@example.com",
            "contact_channel": "email",
            "preferred_language": "en",
        },
    )
    assert page.status_code == 200 and "Select the victim they act for" in page.text
    assert rows(app, "kent", Representative) == []
