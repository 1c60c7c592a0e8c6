"""Complaints over HTTP: the victim complains; the force's professional standards
contact (a force setting, or its administrators without one) is told through the
outbox; the acknowledgement is a 10-working-day duty on the case; supervisors and
administrators read, acknowledge and answer it; the victim sees each step."""

from __future__ import annotations

from app.models import Complaint, Duty, OutboxMessage
from tests.factories import OfficerFactory
from tests.integration.rights.support import (
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

DETAILS = "The officer laughed when I said the bike was worth a lot to me."
PSD = "professional.standards@kent.example"


def complain(story, **data: str) -> Complaint:
    submitted(
        post(
            story.victim_client,
            f"{story.case_path}/complaint",
            {"topic": "treatment", "details": DETAILS, **data},
        )
    )
    (made,) = rows(story.app, "kent", Complaint)
    return made


def test_a_complaint_goes_to_professional_standards_with_its_clock(app, story, force_setting):
    force_setting("kent", "professional_standards_email", PSD)
    made = complain(story, wanted="An apology.")
    assert (made.topic, made.details, made.wanted, made.routed_to) == (
        "treatment",
        DETAILS,
        "An apology.",
        "professional_standards",
    )
    due = working_days_after(london_today(), 10)
    owed = duties(app, "kent", story.case.id)
    assert owed["acknowledge-complaint"].due_on == due
    assert made.acknowledge_duty_id == owed["acknowledge-complaint"].id
    sent = {m.address: m for m in outbox(app, "kent")}
    assert set(sent) == {PSD}  # not the officer in charge: it may be about them
    assert sent[PSD].link_path == f"/officer/cases/{story.case.id}/complaints/{made.id}"
    # The victim sees when to expect a reply.
    rights = text(get(story.victim_client, f"{story.case_path}/rights").text)
    assert f"We will reply by {show(due)}" in rights


def test_without_a_setting_the_forces_administrators_are_told(app, story):
    with app.app_context():
        admin = OfficerFactory(force="kent", role="admin", email="admin@kent.example")
        OfficerFactory(force="kent", role="admin", email="gone@kent.example", active=False)
    made = complain(story)
    assert made.routed_to == "force_admins"
    addresses = {m.address for m in outbox(app, "kent") if m.recipient_kind == "officer"}
    assert addresses == {admin.email}


def test_a_malformed_setting_falls_back_too(app, story, force_setting):
    force_setting("kent", "professional_standards_email", "not an address")
    assert complain(story).routed_to == "nobody"  # no administrators in this force


def test_the_oic_sees_the_clock_but_not_the_complaint(app, story):
    made = complain(story)
    page = text(get(story.officer_client, story.officer_case_path).text)
    assert "Complaint (handled by professional standards)" in page
    assert "Acknowledge the complaint" in page
    assert DETAILS not in page
    for path in ("/officer/complaints", f"{story.officer_case_path}/complaints/{made.id}"):
        assert story.officer_client.get(path, headers={"Host": "kent.localhost"}).status_code == 403


def test_a_supervisor_acknowledges_and_answers_and_the_victim_sees_it(app, story):
    made = complain(story)
    supervisor, _ = officer_in(app, "kent", "supervisor")
    listed = text(get(supervisor, "/officer/complaints").text)
    assert story.case.crime_reference in listed
    path = f"{story.officer_case_path}/complaints/{made.id}"
    assert DETAILS in text(get(supervisor, path).text)

    submitted(post(supervisor, f"{path}/acknowledge", {}, page=path))
    assert duties(app, "kent", story.case.id)["acknowledge-complaint"].met_at is not None
    rights = text(get(story.victim_client, f"{story.case_path}/rights").text)
    assert "We confirmed we have your complaint" in rights

    answer = "We have spoken to the officer. We are sorry."
    submitted(post(supervisor, f"{path}/answer", {"answer_text": answer}))
    (made,) = rows(app, "kent", Complaint)
    assert made.answer_text == answer and made.answered_at is not None
    rights = text(get(story.victim_client, f"{story.case_path}/rights").text)
    assert "Answered on" in rights and answer in rights
    assert "No complaints are waiting" in text(get(supervisor, "/officer/complaints").text)
    victim_notices = [m for m in rows(app, "kent", OutboxMessage) if m.recipient_kind == "victim"]
    assert len(victim_notices) == 2


def test_answering_without_acknowledging_meets_the_duty(app, story):
    made = complain(story)
    supervisor, _ = officer_in(app, "kent", "supervisor")
    path = f"{story.officer_case_path}/complaints/{made.id}"
    submitted(post(supervisor, f"{path}/answer", {"answer_text": "Answered in full."}))
    (duty,) = rows(app, "kent", Duty, Duty.duty == "acknowledge-complaint")
    assert duty.met_at is not None


def test_another_teams_supervisor_cannot_see_it_but_an_administrator_can(app, story):
    made = complain(story)
    path = f"{story.officer_case_path}/complaints/{made.id}"
    elsewhere, _ = officer_in(app, "kent", "supervisor", team="Team B")
    get(elsewhere, path, status=404)
    assert story.case.crime_reference not in get(elsewhere, "/officer/complaints").text
    admin, _ = officer_in(app, "kent", "admin", team="Headquarters")
    assert DETAILS in text(get(admin, path).text)


def test_a_complaint_on_a_case_without_a_decision_is_still_possible(app):
    s = make_story(app, told_days_ago=None)
    complain(s)
    assert "acknowledge-complaint" in duties(app, "kent", s.case.id)
