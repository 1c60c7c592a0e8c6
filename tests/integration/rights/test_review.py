"""The Victims' Right to Review, end to end over HTTP: the victim sees the right and its
deadline after a decision not to charge, asks with reasons (late too, with a reason);
the officer sees the request with its Code clocks on the case page, the caseload and
the team view, acknowledges and decides; the victim sees each step and is told."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from app import victims_code as code
from app.casework import deadlines
from app.models import AuditEvent, Case, Duty, ReviewRequest
from app.rights import review
from tenants.binding import db, force_scope
from tests.factories import CaseEventFactory, CaseFactory, registered_force
from tests.integration.rights.support import (
    Story,
    duties,
    get,
    london_today,
    make_story,
    officer_in,
    outbox,
    post,
    rows,
    show,
    submitted,
    text,
    working_days_after,
)
from tests.support.officers import host
from tests.support.scope import enter_scope

REASONS = "The neighbour saw him leave with my bike; nobody asked her."


def ask(s: Story, **data: str) -> None:
    submitted(post(s.victim_client, f"{s.case_path}/review", {"reasons": REASONS, **data}))


def test_the_victim_sees_the_right_and_its_deadline_from_the_engine(app, story):
    told = code.local_date(datetime.now(UTC) - timedelta(days=3), "Europe/London")
    closes = code.add_months(told, 3)
    page = text(get(story.victim_client, story.case_path).text)
    assert f"You can ask for the decision not to charge to be reviewed until {show(closes)}" in page
    assert "Ask for a review" in page
    form = text(get(story.victim_client, f"{story.case_path}/review").text)
    assert f"You can ask until {show(closes)}" in form
    assert "late" not in form.lower()


def test_the_whole_review_journey(app, story):
    s = story
    today = london_today()
    ask(s)
    (asked,) = rows(app, "kent", ReviewRequest)
    assert (asked.reasons, asked.late, asked.victim_id) == (REASONS, False, s.victim.id)
    owed = duties(app, "kent", s.case.id)
    assert owed["acknowledge-review"].due_on == working_days_after(today, 10)
    assert owed["decide-review"].due_on == working_days_after(today, 30)
    assert (asked.acknowledge_duty_id, asked.decide_duty_id) == (
        owed["acknowledge-review"].id,
        owed["decide-review"].id,
    )
    # The officer in charge is told there is something to see (wording that names nothing).
    assert [m.address for m in outbox(app, "kent") if m.recipient_kind == "officer"] == [
        s.officer.email
    ]

    # The victim sees the two clocks.
    rights = text(get(s.victim_client, f"{s.case_path}/rights").text)
    ack_due, decide_due = show(working_days_after(today, 10)), show(working_days_after(today, 30))
    assert f"By {ack_due} we will confirm we have your request for a review" in rights
    assert f"By {decide_due} we will tell you the outcome of the review" in rights

    # The officer: the case page, the caseload's next duty, the request's page.
    case_page = text(get(s.officer_client, s.officer_case_path).text)
    assert "Review of a decision not to charge" in case_page
    assert f"Acknowledge the review request, {ack_due}" in case_page
    caseload = text(get(s.officer_client, "/officer/").text)
    assert ack_due in caseload  # the case's next duty is the acknowledgement
    (case_row,) = rows(app, "kent", Case, Case.id == s.case.id)
    assert case_row.next_due_on <= working_days_after(today, 10)
    request_page = text(get(s.officer_client, f"{s.officer_case_path}/reviews/{asked.id}").text)
    assert REASONS in request_page
    assert ack_due in request_page and decide_due in request_page

    # Acknowledge: the duty is met, the victim is told and sees it.
    submitted(
        post(
            s.officer_client,
            f"{s.officer_case_path}/reviews/{asked.id}/acknowledge",
            {},
            page=f"{s.officer_case_path}/reviews/{asked.id}",
        )
    )
    owed = duties(app, "kent", s.case.id)
    assert owed["acknowledge-review"].met_at is not None
    assert owed["decide-review"].met_at is None
    told = [m for m in outbox(app, "kent") if m.recipient_kind == "victim"]
    assert [m.kind for m in told] == ["victim_update"]
    rights = text(get(s.victim_client, f"{s.case_path}/rights").text)
    assert "confirm we have your request for a review" in rights and "Done on" in rights
    assert f"By {decide_due} we will tell you the outcome of the review" in rights

    # Decide: both duties met, the victim reads the outcome.
    decision = "We looked again. The decision stands because the witness did not see his face."
    submitted(
        post(
            s.officer_client,
            f"{s.officer_case_path}/reviews/{asked.id}/decision",
            {"outcome": "decision_stands", "outcome_text": decision},
        )
    )
    assert all(
        d.met_at is not None
        for d in duties(app, "kent", s.case.id).values()
        if d.duty.endswith("-review")
    )
    rights = text(get(s.victim_client, f"{s.case_path}/rights").text)
    assert "The decision not to charge stands" in rights and decision in rights
    assert len([m for m in outbox(app, "kent") if m.recipient_kind == "victim"]) == 2
    tags = [row.tag for row in rows(app, "kent", AuditEvent)]
    for tag in ("review:requested", "review:viewed", "review:acknowledged", "review:decided"):
        assert tag in tags, tag


def test_an_overdue_review_duty_shows_on_the_supervisors_team_view(app, story):
    ask(story)
    with app.app_context(), force_scope(registered_force("kent")) as session:
        session.execute(
            update(Duty)
            .where(Duty.case_id == story.case.id, Duty.duty == "acknowledge-review")
            .values(due_on=london_today() - timedelta(days=2))
        )
    supervisor, _ = officer_in(app, "kent", "supervisor")
    team = text(get(supervisor, "/officer/team").text)
    assert "Acknowledge the review request" in team


def test_a_request_after_the_three_months_is_late_and_still_goes_with_its_reason(app):
    s = make_story(app, told_days_ago=100)
    told = code.local_date(datetime.now(UTC) - timedelta(days=100), "Europe/London")
    closes = code.add_months(told, 3)
    page = text(get(s.victim_client, s.case_path).text)
    assert (
        f"The deadline to ask for a review of the decision not to charge was {show(closes)}" in page
    )
    form = text(get(s.victim_client, f"{s.case_path}/review").text)
    assert "Your request is late" in form and show(closes) in form

    refused = post(s.victim_client, f"{s.case_path}/review", {"reasons": REASONS})
    assert refused.status_code == 200
    assert "Enter why you are asking after the deadline" in refused.text
    assert rows(app, "kent", ReviewRequest) == []
    assert [d.duty for d in rows(app, "kent", Duty)] == []

    why = "I was in hospital until last week."
    ask(s, late_reason=why)
    (asked,) = rows(app, "kent", ReviewRequest)
    assert (asked.late, asked.late_reason, asked.window_closes_on) == (True, why, closes)
    officer_page = text(get(s.officer_client, f"{s.officer_case_path}/reviews/{asked.id}").text)
    assert "Late request" in officer_page and why in officer_page
    # Late or not, the force still owes the Code's clocks.
    assert set(duties(app, "kent", s.case.id)) >= {"acknowledge-review", "decide-review"}


def test_no_decision_not_to_charge_means_no_review_to_ask_for(app):
    s = make_story(app, told_days_ago=None)
    assert "Ask for a review" not in get(s.victim_client, s.case_path).text
    get(s.victim_client, f"{s.case_path}/review", status=404)
    rights = text(get(s.victim_client, f"{s.case_path}/rights").text)
    assert "If we decide not to charge anyone" in rights


def test_a_case_closed_with_a_decision_not_to_charge_opens_the_right(app):
    closed_at = datetime.now(UTC) - timedelta(days=10)
    s = make_story(
        app,
        told_days_ago=None,
        status="closed",
        outcome="evidential_difficulties",
        closed_at=closed_at,
    )
    closes = code.add_months(code.local_date(closed_at, "Europe/London"), 3)
    page = text(get(s.victim_client, s.case_path).text)
    assert f"reviewed until {show(closes)}" in page


def test_a_victim_asks_once_per_decision(app, story):
    ask(story)
    again = get(story.victim_client, f"{story.case_path}/review", status=302)
    assert again.headers["Location"].endswith(f"{story.case_path}/rights")
    assert len(rows(app, "kent", ReviewRequest)) == 1


def test_an_acknowledgement_or_decision_is_recorded_once(app, story):
    s = story
    ask(s)
    (asked,) = rows(app, "kent", ReviewRequest)
    path = f"{s.officer_case_path}/reviews/{asked.id}"
    submitted(
        post(
            s.officer_client,
            f"{path}/decision",
            {"outcome": "decision_overturned", "outcome_text": "We will charge him."},
        )
    )
    get(s.officer_client, f"{path}/decision", status=302)
    submitted(post(s.officer_client, f"{path}/acknowledge", {}, page=path))
    (asked,) = rows(app, "kent", ReviewRequest)
    assert (asked.outcome, asked.acknowledged_at) == ("decision_overturned", None)
    assert len([m for m in outbox(app, "kent") if m.recipient_kind == "victim"]) == 1


# --- the arithmetic, through the engine and the Duty rows it makes ---------------------------


@pytest.mark.parametrize(
    ("asked_at", "acknowledge_by", "decide_by"),
    [
        # Friday 22 May 2026, the Spring bank holiday on Monday 25: counting starts on
        # Tuesday 26, so 10 working days end on Monday 8 June and 30 on Monday 6 July.
        (datetime(2026, 5, 22, 14, 0, tzinfo=UTC), date(2026, 6, 8), date(2026, 7, 6)),
        # 23:30 on that Friday in London is 22:30 UTC: still Friday there.
        (datetime(2026, 5, 22, 22, 30, tzinfo=UTC), date(2026, 6, 8), date(2026, 7, 6)),
        # Thursday 24 December 2026: Christmas on the Friday, Boxing Day (a Saturday)
        # observed on Monday 28, New Year's Day on Friday 1 January: 10 working days end
        # on Tuesday 12 January, 30 on Tuesday 9 February.
        (datetime(2026, 12, 24, 10, 0, tzinfo=UTC), date(2027, 1, 12), date(2027, 2, 9)),
    ],
    ids=["friday-before-spring-bank-holiday", "friday-late-evening", "christmas-eve"],
)
def test_review_clocks_skip_weekends_and_bank_holidays(app, asked_at, acknowledge_by, decide_by):
    with app.app_context():
        case = CaseFactory(force="kent")
    with app.test_request_context(headers=host("kent")):
        enter_scope()
        made = deadlines.add_request_duties(
            db.session.get(Case, case.id), review.REQUEST_EVENT, asked_at
        )
        due = {duty.duty: duty.due_on for duty in made}
        db.session.rollback()
    assert due == {"acknowledge-review": acknowledge_by, "decide-review": decide_by}


def test_enhanced_rights_do_not_shorten_the_review_clocks(app):
    """ew-2021 gives the review 10 and 30 working days for every victim."""
    with app.app_context():
        case = CaseFactory(force="kent", enhanced_rights=True, enhanced_reasons=["hate_crime"])
    with app.test_request_context(headers=host("kent")):
        enter_scope()
        friday = datetime(2026, 5, 22, 14, 0, tzinfo=UTC)
        made = deadlines.add_request_duties(
            db.session.get(Case, case.id), "review_requested", friday
        )
        due = sorted(duty.due_on for duty in made)
        db.session.rollback()
    assert due == [date(2026, 6, 8), date(2026, 7, 6)]


def test_an_unpublished_decision_opens_nothing(app):
    s = make_story(app, told_days_ago=None)
    with app.app_context():
        CaseEventFactory(force="kent", case_id=s.case.id, event_type="no_further_action")
    get(s.victim_client, f"{s.case_path}/review", status=404)
