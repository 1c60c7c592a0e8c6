"""The officer workspace's "Done when", step by step, as one story.

PC Alex Morgan (the printed demo officer) signs in to Kent through the demo identity
provider, creates a case for a hate crime (enhanced rights), adds the victim and sends
the invite, saves "suspect arrested" without telling the victim (the 1-working-day
duty is due), tells the victim (the duty is met), answers the victim's message from the
inbox; then PS Sam Patel (the demo supervisor) sees the team view. Real HTTP to the demo
provider, the app through its test client on Kent's host, every form with its CSRF
token. Each step asserts what would break if the step broke.
"""

from __future__ import annotations

import html
import re
import urllib.parse
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app import victims_code as code
from app.models import Case, Duty, Message, OutboxMessage, Victim
from app.notifications import Kind, render
from tenants.binding import force_scope
from tests.factories import MessageFactory, registered_force
from tests.integration.officers.support import audit, error_summary, london_today
from tests.support.officers import csrf_token, host, oidc_sign_in

KENT = "kent"
REFERENCE = "46/7301/26"
VICTIM = {"name": "Priya Shah", "email": "priya.shah@example.com"}
NOTE = "Suspect known to the victim's neighbour: do not share"


def get(client: Any, path: str) -> Any:
    response = client.get(path, headers=host(KENT))
    assert response.status_code == 200, (path, response.status_code)
    return response


def submit(client: Any, path: str, data: dict[str, Any], form_page: str | None = None) -> Any:
    """POST a form the way a browser does: with the CSRF token from its page."""
    token = csrf_token(get(client, form_page or path).text)
    response = client.post(path, headers=host(KENT), data={"csrf_token": token, **data})
    assert response.status_code == 302, error_summary(response.text) or response.text[:300]
    return response


def date_parts(day: Any) -> list[str]:
    """A GOV.UK date input's three boxes: day, month, year."""
    return [str(day.day), str(day.month), str(day.year)]


def duty_row(html: str, duty: str) -> str:
    found = re.search(rf'<tr class="govuk-table__row" data-duty="{duty}">(.*?)</tr>', html, re.S)
    assert found, f"no {duty} duty on the case page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def in_kent(app: Any, statement: Any) -> list[Any]:
    with app.app_context(), force_scope(registered_force(KENT)) as session:
        rows = list(session.scalars(statement))
        for row in rows:
            session.expunge(row)
        return rows


def test_an_officer_keeps_an_enhanced_rights_victim_informed(app, client, idp):
    today = london_today()
    calendar = code.jurisdiction("england-and-wales").calendar

    # 1. Sign in through the demo provider as the printed demo officer.
    landed = oidc_sign_in(client, KENT, "officer")
    assert landed.headers["Location"].endswith("/officer/")
    assert "My cases" in get(client, "/officer/").text

    # 2. Create a case, choosing enhanced rights (hate crime).
    created = submit(
        client,
        "/officer/cases/new",
        {
            "crime_reference": REFERENCE.lower(),  # normalised to the force's format
            "offence_category": "violence_against_the_person",
            "reported_on": date_parts(today),
            "team": "",
            "enhanced_reasons": ["hate_crime"],
        },
    )
    case_path = urllib.parse.urlsplit(created.headers["Location"]).path
    case_id = uuid.UUID(case_path.rsplit("/", 1)[1])
    [case] = in_kent(app, select(Case).where(Case.id == case_id))
    assert (case.crime_reference, case.team) == (REFERENCE, "Response Team A")
    assert case.enhanced_rights and case.enhanced_reasons == ["hate_crime"]
    page = get(client, case_path).text
    assert "Yes: Hate crime" in page

    # 3. Add the victim.
    submit(
        client,
        f"{case_path}/people/new",
        {
            **VICTIM,
            "date_of_birth": ["27", "3", "1985"],
            "role": "victim",
            "contact_channel": "email",
            "preferred_language": "en",
            "mobile": "",
            "safe_from": "",
            "safe_until": "",
        },
    )
    [victim] = in_kent(app, select(Victim))
    assert (victim.name, victim.email) == (VICTIM["name"], VICTIM["email"])
    page = get(client, case_path).text
    assert f"Send invite to {VICTIM['name']}" in page

    # 4. Send the invite: an outbox row that names nothing about the victim or the case.
    submit(client, f"{case_path}/people/{victim.id}/invite", {}, form_page=case_path)
    assert "Invite sent" in get(client, case_path).text
    [invite] = in_kent(app, select(OutboxMessage).where(OutboxMessage.kind == "victim_invite"))
    assert (invite.recipient_kind, invite.recipient_id) == ("victim", victim.id)
    assert invite.status == "queued" and invite.address == VICTIM["email"]
    assert_names_nothing(app, invite)

    # 5. Post "suspect arrested", saved without telling the victim: due in 1 working day.
    form = get(client, f"{case_path}/updates/new?event_type=arrested").text
    assert "A suspect has been arrested." in form  # the force's wording to start from
    submit(
        client,
        f"{case_path}/updates/new",
        {
            "event_type": "arrested",
            "occurred_on": date_parts(today),
            "victim_text": "A suspect has been arrested. We will tell you what happens next.",
            "victim_text_cy": "",
            "details": "",
            "internal_note": NOTE,
            "save": "Save without telling the victim yet",
        },
    )
    due_on = code.working_days_after(today, 1, calendar)
    [arrest_duty] = in_kent(app, select(Duty).where(Duty.duty == "inform-arrest"))
    assert arrest_duty.due_on == due_on and arrest_duty.met_at is None
    page = get(client, case_path).text
    assert duty_row(page, "inform-arrest") == (
        f"Tell the victim about the arrest {due_on.strftime('%-d %B %Y')} Due"
    )
    assert "Not shown to the victim yet" in page and NOTE in html.unescape(page)

    # 6. "Tell the victim now": the duty is met.
    publish = re.search(r'action="([^"]+/publish)"', page)
    assert publish, "no 'Tell the victim now' button"
    submit(client, publish.group(1), {}, form_page=case_path)
    page = get(client, case_path).text
    assert duty_row(page, "inform-arrest").endswith(" Met")
    [arrest_duty] = in_kent(app, select(Duty).where(Duty.duty == "inform-arrest"))
    assert arrest_duty.met_at is not None

    # 7. The victim's message waits in the inbox with its age in working days.
    sent_at = datetime.now(UTC) - timedelta(days=3)
    with app.app_context():
        message = MessageFactory(
            force=KENT, case_id=case_id, victim_id=victim.id, created_at=sent_at,
            body="Has the person who did this been charged?",
        )  # fmt: skip
    age = code.working_days_between(code.local_date(sent_at, "Europe/London"), today, calendar)
    inbox = get(client, "/officer/inbox").text
    assert REFERENCE in inbox
    assert f"{age} working day{'' if age == 1 else 's'}" in inbox

    # 8. Reply from the inbox: the message is answered and leaves the inbox.
    reply_link = re.search(r'href="([^"]+/reply\?back=inbox)"', inbox)
    assert reply_link, "no reply link in the inbox"
    reply_path = reply_link.group(1).replace("&amp;", "&")
    answered = submit(client, reply_path, {"body": "Not yet. I will call you on Friday."})
    assert urllib.parse.urlsplit(answered.headers["Location"]).path == "/officer/inbox"
    assert "No messages are waiting for an answer." in get(client, "/officer/inbox").text
    [original] = in_kent(app, select(Message).where(Message.id == message.id))
    assert original.answered_at is not None
    [answer] = in_kent(app, select(Message).where(Message.in_reply_to == message.id))
    assert answer.body == "Not yet. I will call you on Friday."

    # 9. The supervisor sees the team view: the month's on-time percentage, nothing late.
    supervisor = app.test_client()
    oidc_sign_in(supervisor, KENT, "supervisor")
    team = supervisor.get("/officer/team", headers=host(KENT))
    assert team.status_code == 200
    on_time = re.search(r'id="on-time">([^<]*)<', team.text)
    assert on_time and on_time.group(1) == expected_on_time(app, today)
    assert "No duties are overdue." in team.text
    assert re.search(r'id="unanswered-1">0<', team.text)

    # 10. Every view, change and message left its row in Kent's trail, by the officer.
    trail = audit(app, KENT)
    tags = {row.tag for row in trail}
    for tag in (
        "case:created", "case:viewed", "victim:added", "invite:sent", "event:posted",
        "event:published", "message:read", "message:sent", "officer:team-viewed",
    ):  # fmt: skip
        assert tag in tags, f"no {tag} in the audit trail"
    officer_ids = {row.actor_id for row in trail if row.tag == "case:created"}
    acted = {row.actor_id for row in trail if row.tag in ("invite:sent", "message:sent")}
    assert len(officer_ids) == 1 and acted == officer_ids
    assert all(VICTIM["name"] not in str(row.detail) for row in trail)
    assert all(NOTE not in str(row.detail) for row in trail)


def assert_names_nothing(app: Any, row: OutboxMessage) -> None:
    """Neither the outbox row (but its address) nor the texts delivery will send name
    the victim, the case or its offence."""
    secrets = (VICTIM["name"], "Priya", "Shah", REFERENCE, "hate", "Hate", "violence", NOTE)
    stored = [row.dedupe_key, row.kind, row.link_path or "", row.reason or "", row.language]
    with app.test_request_context(headers=host(KENT)):
        texts = render(
            Kind(row.kind), sender="Test Kent Police", url="http://x/invite/t", language="en"
        )
    sent = [texts.subject, texts.body, texts.sms]
    for text in [*stored, *sent]:
        for secret in secrets:
            assert secret not in text, f"{secret!r} in {text!r}"
        assert VICTIM["email"] not in text


def expected_on_time(app: Any, today: Any) -> str:
    """What the team view's percentage must say: every duty due this month (met, or
    late) was met on time in this story, so 100%, or a dash if none falls due."""
    duties = in_kent(app, select(Duty).where(Duty.met_at.is_not(None)))
    month = (today.year, today.month)
    due_this_month = [d for d in duties if (d.due_on.year, d.due_on.month) == month]
    return "100%" if due_this_month else "\N{EN DASH}"
