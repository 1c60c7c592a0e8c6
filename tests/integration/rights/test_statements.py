"""The Victim Personal Statement over HTTP: the victim asks to make one (how it is to be
used in court, how to be contacted); the officer sees it as a duty with the force's
deadline (personal_statement_days working days, 10 by default), records the day it was
taken; the victim sees it and may ask to update it until the court passes sentence."""

from __future__ import annotations

from datetime import UTC, datetime

from app.models import CaseEvent, Duty, PersonalStatementRequest
from tests.factories import CaseEventFactory
from tests.integration.rights.support import (
    duties,
    get,
    london_today,
    make_story,
    post,
    rows,
    show,
    submitted,
    text,
    working_days_after,
)

NOTE = "After 6pm, please: I work days."


def ask(story, **data: str) -> None:
    submitted(
        post(
            story.victim_client,
            f"{story.case_path}/personal-statement",
            {"delivery": "read_myself", "contact_note": NOTE, **data},
        )
    )


def test_ask_take_and_update_a_statement(app):
    s = make_story(app, told_days_ago=None)
    today = london_today()
    ask(s)
    (made,) = rows(app, "kent", PersonalStatementRequest)
    assert (made.kind, made.delivery, made.contact_note) == ("new", "read_myself", NOTE)
    duty = duties(app, "kent", s.case.id)["take-personal-statement"]
    assert duty.due_on == working_days_after(today, 10) and made.duty_id == duty.id

    rights = text(get(s.victim_client, f"{s.case_path}/rights").text)
    assert f"We will contact you by {show(duty.due_on)}" in rights
    assert "Ask to update your statement" not in rights  # one request at a time
    case_page = text(get(s.victim_client, s.case_path).text)
    assert (
        f"By {show(duty.due_on)} we will contact you to take your personal statement" in case_page
    )

    officer_case = text(get(s.officer_client, s.officer_case_path).text)
    assert f"Take the victim's personal statement, {show(duty.due_on)}" in officer_case
    path = f"{s.officer_case_path}/personal-statements/{made.id}"
    page = text(get(s.officer_client, path).text)
    assert "Wants to read it out in court" in page and NOTE in page
    submitted(
        post(
            s.officer_client,
            path,
            {"taken_on": [str(today.day), str(today.month), str(today.year)]},
        )
    )
    (made,) = rows(app, "kent", PersonalStatementRequest)
    assert made.taken_on == today and made.taken_by is not None
    assert duties(app, "kent", s.case.id)["take-personal-statement"].met_at is not None

    rights = text(get(s.victim_client, f"{s.case_path}/rights").text)
    assert f"Your statement was taken on {show(today)}" in rights
    assert "Ask to update your statement" in rights
    ask(s, delivery="read_for_me", contact_note="")
    kinds = sorted(r.kind for r in rows(app, "kent", PersonalStatementRequest))
    assert kinds == ["new", "update"]
    assert "Update to a statement" in text(get(s.officer_client, s.officer_case_path).text)


def test_the_force_sets_the_deadline(app, force_setting):
    force_setting("kent", "personal_statement_days", 3)
    s = make_story(app, told_days_ago=None)
    ask(s)
    duty = duties(app, "kent", s.case.id)["take-personal-statement"]
    assert duty.due_on == working_days_after(london_today(), 3)


def test_no_statement_once_the_court_has_sentenced(app):
    s = make_story(app, told_days_ago=None)
    with app.app_context():
        CaseEventFactory(
            force="kent", case_id=s.case.id, event_type="sentence", published_at=datetime.now(UTC)
        )
    get(s.victim_client, f"{s.case_path}/personal-statement", status=302)
    assert "can no longer be made or updated" in text(
        get(s.victim_client, f"{s.case_path}/rights").text
    )
    assert rows(app, "kent", PersonalStatementRequest) == []


def test_a_second_request_waits_for_the_first(app):
    s = make_story(app, told_days_ago=None)
    ask(s)
    get(s.victim_client, f"{s.case_path}/personal-statement", status=302)
    assert len(rows(app, "kent", PersonalStatementRequest)) == 1


def test_publishing_an_update_leaves_the_forces_own_duty_alone(app):
    """meet_duties asks the rule set about each open duty: a duty no rule names must not
    break publishing (it was a 500) nor be met by an update."""
    s = make_story(app, told_days_ago=None)
    ask(s)
    submitted(
        post(
            s.officer_client,
            f"{s.officer_case_path}/updates/new",
            {
                "event_type": "free_update",
                "occurred_on": ["1", "3", "2026"],
                "victim_text": "Still working on it.",
                "publish": "y",
            },
        )
    )
    (update,) = rows(app, "kent", CaseEvent, CaseEvent.event_type == "free_update")
    assert update.published_at is not None
    (duty,) = rows(app, "kent", Duty, Duty.duty == "take-personal-statement")
    assert duty.met_at is None
