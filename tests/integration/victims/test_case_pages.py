"""What a victim's case pages show, and never show."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Flask

from app.models import CaseVictim, Duty
from tenants.binding import force_scope
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    MessageFactory,
    OfficerFactory,
    PropertyItemFactory,
    registered_force,
)
from tests.integration.victims.conftest import audit_tags, rows
from tests.support.victims import as_victim, host, victim_with_account

NOTE = "INTERNAL-NOTE-7f3a suspect's cousin is a neighbour"
UNPUBLISHED = "UNPUBLISHED-UPDATE-91c2 arrest of the suspect"


def _victim_get_urls(app: Flask, case_id, item_id) -> list[str]:
    """Every GET page of the victim site that a signed-in victim can open."""
    urls = []
    with app.test_request_context(headers=host("kent")):
        adapter = app.url_map.bind("kent.localhost")
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("victims.") or "GET" not in (rule.methods or ()):
                continue
            values = {"case_id": case_id, "item_id": item_id, "token": "x" * 43}
            arguments = {name: values[name] for name in rule.arguments}
            urls.append(adapter.build(rule.endpoint, arguments))
    return urls


def test_no_victim_page_shows_an_internal_note_or_an_unpublished_update(app, client):
    with app.app_context():
        victim = victim_with_account("kent")
        (link,) = rows("kent", CaseVictim, CaseVictim.victim_id == victim.id)
        case_id = link.case_id
        CaseEventFactory(
            force="kent",
            case_id=case_id,
            event_type="arrested",
            victim_text="Someone has been arrested.",
            internal_note=NOTE,
            published_at=datetime.now(UTC),
        )
        CaseEventFactory(
            force="kent",
            case_id=case_id,
            event_type="charged",
            victim_text=UNPUBLISHED,
            victim_text_cy=UNPUBLISHED,
            internal_note=NOTE,
        )
        item = PropertyItemFactory(force="kent", case_id=case_id, victim_id=victim.id)
    as_victim(app, client, "kent", victim)
    urls = _victim_get_urls(app, case_id, item.id)
    assert len(urls) >= 12, urls
    for url in urls:
        body = client.get(url, headers=host("kent")).get_data(as_text=True)
        assert NOTE not in body and "INTERNAL-NOTE" not in body, url
        assert "UNPUBLISHED-UPDATE" not in body, url
    assert (
        "Someone has been arrested." in client.get(f"/cases/{case_id}", headers=host("kent")).text
    )


def test_another_victims_case_and_items_are_404_like_a_missing_id(app, client):
    with app.app_context():
        mine = victim_with_account("kent", email="me@example.com")
        theirs = victim_with_account("kent", email="them@example.com")
        (their_link,) = rows("kent", CaseVictim, CaseVictim.victim_id == theirs.id)
        (my_link,) = rows("kent", CaseVictim, CaseVictim.victim_id == mine.id)
        their_item = PropertyItemFactory(
            force="kent", case_id=their_link.case_id, victim_id=theirs.id
        )
        # On my own case, an item another victim listed is still not mine.
        shared_item = PropertyItemFactory(
            force="kent", case_id=my_link.case_id, victim_id=theirs.id
        )
    as_victim(app, client, "kent", mine)
    h = host("kent")
    for url in (
        f"/cases/{their_link.case_id}",
        f"/cases/{their_link.case_id}/messages",
        f"/cases/{their_link.case_id}/property",
        f"/cases/{their_link.case_id}/property/{their_item.id}",
        f"/cases/{my_link.case_id}/property/{shared_item.id}",
        f"/cases/{my_link.case_id}/property/{shared_item.id}/remove",
    ):
        assert client.get(url, headers=h).status_code == 404, url
    assert "Black laptop" not in client.get(f"/cases/{my_link.case_id}/property", headers=h).text


def test_the_case_page_shows_the_oic_what_is_owed_and_the_review_right(app, client):
    with app.app_context():
        officer = OfficerFactory(force="kent", name="Priya Shah", collar_number="KT777")
        case = CaseFactory(
            force="kent", oic_id=officer.id, status="closed", outcome="no_further_action"
        )
        victim = victim_with_account("kent", case_id=case.id)
        told = datetime.now(UTC) - timedelta(days=3)
        CaseEventFactory(
            force="kent",
            case_id=case.id,
            event_type="no_further_action",
            victim_text="No further action will be taken.",
            occurred_at=told,
            published_at=told,
        )
    with app.app_context():
        _duty(case.id)
    as_victim(app, client, "kent", victim)
    page = client.get(f"/cases/{case.id}", headers=host("kent")).text
    for shown in ("Priya Shah", "KT777", "Closed", "No further action will be taken."):
        assert shown in page, shown
    assert "ask for the decision not to charge to be reviewed until" in page
    assert "give you a regular update" in page
    assert "victim:case-viewed" in audit_tags("kent")


def _duty(case_id) -> None:
    """An open cadence duty due in a week (what create_case makes)."""
    with force_scope(registered_force("kent")) as session:
        session.add(
            Duty(
                case_id=case_id,
                duty="update-cadence",
                ruleset="ew-2021",
                due_on=date.today() + timedelta(days=7),
            )
        )


def test_a_welsh_speaker_reads_the_welsh_update_in_welsh(app, client):
    with app.app_context():
        victim = victim_with_account("dyfed-powys", preferred_language="cy")
        (link,) = rows("dyfed-powys", CaseVictim, CaseVictim.victim_id == victim.id)
        CaseEventFactory(
            force="dyfed-powys",
            case_id=link.case_id,
            victim_text="A suspect has been arrested.",
            victim_text_cy="Mae rhywun wedi cael ei arestio.",
            published_at=datetime.now(UTC),
        )
    as_victim(app, client, "dyfed-powys", victim)
    client.get("/language/cy?next=/", headers=host("dyfed-powys"))
    page = client.get(f"/cases/{link.case_id}", headers=host("dyfed-powys")).text
    assert '<html lang="cy"' in page
    assert "Mae rhywun wedi cael ei arestio." in page
    assert "A suspect has been arrested." not in page


def test_replies_from_another_victim_on_the_same_case_are_not_in_my_thread(app, client):
    with app.app_context():
        case = CaseFactory(force="kent")
        mine = victim_with_account("kent", case_id=case.id, email="a@example.com")
        other = victim_with_account("kent", case_id=case.id, email="b@example.com")
        MessageFactory(force="kent", case_id=case.id, victim_id=other.id, body="THEIR-MESSAGE")
    as_victim(app, client, "kent", mine)
    page = client.get(f"/cases/{case.id}/messages", headers=host("kent")).text
    assert "THEIR-MESSAGE" not in page
