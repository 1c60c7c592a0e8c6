"""Feedback after a milestone, and that it never identifies the victim to the officers.

The answers' table holds nothing that names a victim, a case, an officer or a moment;
that a victim answered is kept apart without the answers; the audit trail names the
case, never the answers' row; the officer in charge sees no answer anywhere; the
force's figures count by month and hide a month with too few answers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from app.models import AuditEvent, Case, Feedback, FeedbackPrompt
from app.rights.feedback import MIN_ANSWERS
from tenants.binding import force_scope
from tests.factories import CaseEventFactory, registered_force
from tests.integration.rights.support import (
    get,
    make_story,
    officer_in,
    post,
    rows,
    submitted,
    text,
)

SUGGESTION = "Tell people the officer's shift pattern (feedback 5c1e)"
APP = Path(__file__).resolve().parents[3] / "app"


def first_update_story(app):
    s = make_story(app, told_days_ago=None)
    with app.app_context():
        CaseEventFactory(
            force="kent",
            case_id=s.case.id,
            victim_text="We have a suspect.",
            published_at=datetime.now(UTC),
        )
    return s


def answer(s, improvement: str = SUGGESTION, satisfaction: str = "4") -> None:
    submitted(
        post(
            s.victim_client,
            f"{s.case_path}/feedback",
            {"satisfaction": satisfaction, "saved_call": "yes", "improvement": improvement},
        )
    )


def close(app, case_id) -> None:
    with app.app_context(), force_scope(registered_force("kent")) as session:
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(status="closed", outcome="charged", closed_at=datetime.now(UTC))
        )


def test_the_answers_table_cannot_name_anyone():
    table = Feedback.__table__
    assert {c.name for c in table.columns} == {
        "id",
        "milestone",
        "satisfaction",
        "saved_call",
        "improvement",
        "given_in",
    }
    assert not table.foreign_keys
    prompt = FeedbackPrompt.__table__
    assert {c.name for c in prompt.columns} == {"victim_id", "case_id", "milestone"}


def test_only_the_feedback_module_reads_the_answers():
    """Every query on the answers is app.rights.feedback's, which counts them."""
    readers = sorted(
        str(path.relative_to(APP.parent))
        for path in APP.rglob("*.py")
        if re.search(r"\bFeedback\b", path.read_text())
    )
    assert readers == ["app/models/__init__.py", "app/models/rights.py", "app/rights/feedback.py"]


def test_asked_after_the_first_update_and_again_at_closure(app):
    s = first_update_story(app)
    assert "Give feedback on this service" in get(s.victim_client, s.case_path).text
    answer(s)
    (given,) = rows(app, "kent", Feedback)
    assert (given.milestone, given.satisfaction, given.saved_call) == ("first_update", 4, "yes")
    assert given.given_in.day == 1
    assert [(p.victim_id, p.milestone) for p in rows(app, "kent", FeedbackPrompt)] == [
        (s.victim.id, "first_update")
    ]
    assert "Give feedback on this service" not in get(s.victim_client, s.case_path).text
    get(s.victim_client, f"{s.case_path}/feedback", status=302)

    close(app, s.case.id)
    assert "Give feedback on this service" in get(s.victim_client, s.case_path).text
    answer(s, improvement="")
    assert sorted(f.milestone for f in rows(app, "kent", Feedback)) == [
        "case_closed",
        "first_update",
    ]


def test_nothing_to_ask_about_before_a_milestone(app):
    s = make_story(app, told_days_ago=None)
    assert "Give feedback on this service" not in get(s.victim_client, s.case_path).text
    get(s.victim_client, f"{s.case_path}/feedback", status=302)
    assert rows(app, "kent", Feedback) == []


def test_the_audit_trail_never_names_the_answers(app):
    s = first_update_story(app)
    answer(s)
    (given,) = rows(app, "kent", Feedback)
    trail = rows(app, "kent", AuditEvent)
    assert "feedback:given" in [row.tag for row in trail]
    for row in trail:
        assert str(given.id) not in f"{row.record_id} {row.detail}"
        assert SUGGESTION not in str(row.detail)


def test_the_officer_in_charge_never_sees_an_answer(app):
    s = first_update_story(app)
    answer(s)
    for path in ("/officer/", s.officer_case_path, "/officer/inbox"):
        page = get(s.officer_client, path).text
        assert SUGGESTION not in page and "feedback 5c1e" not in page, path
    assert (
        s.officer_client.get("/officer/feedback", headers={"Host": "kent.localhost"}).status_code
        == 403
    )


def test_the_figures_hide_a_month_with_too_few_answers(app):
    s = first_update_story(app)
    answer(s)
    admin, _ = officer_in(app, "kent", "admin", team="Headquarters")
    page = text(get(admin, "/officer/feedback").text)
    assert "Too few answers to show" in page
    assert SUGGESTION not in page


def test_the_figures_count_without_naming_anyone(app):
    stories = [first_update_story(app) for _ in range(MIN_ANSWERS)]
    for number, s in enumerate(stories):
        answer(s, satisfaction="5" if number else "1")
    admin, _ = officer_in(app, "kent", "admin", team="Headquarters")
    page = text(get(admin, "/officer/feedback").text)
    assert f"{MIN_ANSWERS} 80% 100%" in page
    assert SUGGESTION in page
    for s in stories:
        assert s.case.crime_reference not in page and s.victim.name not in page
        assert str(s.case.id) not in page and str(s.victim.id) not in page
    # A supervisor sees the counts, not the free text.
    supervisor, _ = officer_in(app, "kent", "supervisor")
    page = text(get(supervisor, "/officer/feedback").text)
    assert f"{MIN_ANSWERS} 80% 100%" in page and SUGGESTION not in page


def test_an_advocate_is_not_asked(app):
    s = first_update_story(app)
    from tests.factories import CaseVictimFactory
    from tests.support.victims import as_victim, victim_with_account

    with app.app_context():
        advocate = victim_with_account("kent", email="idva@example.com")
        CaseVictimFactory(force="kent", case_id=s.case.id, victim_id=advocate.id, role="advocate")
    client = app.test_client()
    as_victim(app, client, "kent", advocate)
    assert "Give feedback on this service" not in get(client, s.case_path).text
    get(client, f"{s.case_path}/feedback", status=404)
