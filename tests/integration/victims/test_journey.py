"""The whole victim journey through HTTP: invite, account, sign in, case, message,
update request, property, contact plan, sign out."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import CaseEventFactory, MessageFactory
from tests.integration.victims.conftest import (
    accept,
    audit_tags,
    messages,
    outbox,
    post_form,
    property_items,
    sign_in,
    victim_row,
)
from tests.support.officers import csrf_token


def test_invite_to_sign_out(app, client, invited):
    with app.app_context():
        CaseEventFactory(
            force="kent",
            case_id=invited.case.id,
            victim_text="We have arrested a suspect.",
            published_at=datetime.now(UTC),
        )
    h = invited.headers

    created = accept(client, invited)
    assert created.status_code == 302 and created.headers["Location"] == "/cases/"
    cases = client.get("/cases/", headers=h)
    assert "Your account has been created" in cases.text
    assert "46/12345/26" in cases.text
    account = victim_row("kent", invited.victim.id)
    assert account.email == "me@example.com" and account.password_hash.startswith("$argon2id$")

    # Sign out, then back in with the new password.
    signed_out = client.post("/sign-out", headers=h, data={"csrf_token": csrf_token(cases.text)})
    assert signed_out.headers["Location"] == "/signed-out"
    assert client.get("/cases/", headers=h).status_code == 302
    assert sign_in(client, "kent", "ME@example.com ").headers["Location"] == "/cases/"

    case = client.get(f"/cases/{invited.case.id}", headers=h)
    assert case.status_code == 200
    for shown in ("Sam Jones", "KT1234", "We have arrested a suspect.", "Being investigated"):
        assert shown in case.text

    # A message to the officer: a Message row, and a notice to the OIC naming nothing.
    sent = post_form(client, f"/cases/{invited.case.id}/messages", h, {"body": "Any news?"})
    assert sent.status_code == 302
    (message,) = messages("kent")
    assert (message.body, message.kind, message.officer_id) == ("Any news?", "message", None)
    (notice,) = [row for row in outbox("kent") if row.kind == "officer_new_message"]
    assert notice.recipient_id == invited.officer.id and notice.address == invited.officer.email
    assert "Any news" not in (notice.link_path or "")

    # The officer's reply is shown, and marked read by the victim.
    with app.app_context():
        reply = MessageFactory(
            force="kent",
            case_id=invited.case.id,
            victim_id=invited.victim.id,
            officer_id=invited.officer.id,
            body="We are checking CCTV.",
        )
    assert "1 new message" in client.get("/cases/", headers=h).text
    thread = client.get(f"/cases/{invited.case.id}/messages", headers=h)
    assert "We are checking CCTV." in thread.text and "Any news?" in thread.text
    assert next(m.read_by_victim_at for m in messages("kent") if m.id == reply.id) is not None
    assert "new message" not in client.get("/cases/", headers=h).text

    # Ask for an update: one open request at a time.
    path = f"/cases/{invited.case.id}/ask-for-update"
    assert post_form(client, path, h, {"body": ""}).status_code == 302
    again = post_form(client, path, h, {"body": "and again"})
    assert again.status_code == 200 and "You asked for an update on" in again.text
    assert [m.kind for m in messages("kent")].count("update_request") == 1
    assert any(row.kind == "officer_update_request" for row in outbox("kent"))

    # Property: add a stolen bicycle, change it, remove it.
    added = post_form(
        client,
        f"/cases/{invited.case.id}/property/add",
        h,
        {
            "status": "missing",
            "category": "bicycle",
            "description": "Red mountain bike",
            "make": "Raleigh",
            "serial_number": "WTU123",
            "value": "£1,250.50",
        },
    )
    assert added.status_code == 302, added.text
    (item,) = property_items("kent")
    assert (item.category, item.value_pence) == ("bicycle", 125050)
    assert item.victim_id == invited.victim.id
    listed = client.get(f"/cases/{invited.case.id}/property", headers=h)
    assert "Red mountain bike" in listed.text and "£1,250.50" in listed.text
    edit = f"/cases/{invited.case.id}/property/{item.id}"
    changed = post_form(
        client,
        edit,
        h,
        {"status": "damaged", "category": "bicycle", "description": "Red bike, bent wheel"},
    )
    assert changed.status_code == 302
    (item,) = property_items("kent")
    assert (item.status, item.description) == ("damaged", "Red bike, bent wheel")
    assert item.value_pence is None
    removed = post_form(client, f"{edit}/remove", h, {})
    assert removed.status_code == 302 and property_items("kent") == []

    # Contact plan.
    saved = post_form(
        client,
        "/contact-preferences",
        h,
        {
            "contact_channel": "sms",
            "mobile": "07700 900 982",
            "safe_from": "09:00",
            "safe_until": "17:30",
            "cadence_days": "14",
        },
    )
    assert saved.status_code == 302
    plan = victim_row("kent", invited.victim.id)
    assert (plan.contact_channel, plan.mobile, plan.cadence_days) == ("sms", "07700900982", 14)
    assert plan.safe_from.strftime("%H:%M") == "09:00"

    support = client.get("/support", headers=h)
    assert "Victim Support" in support.text

    tags = audit_tags("kent")
    for tag in (
        "invite:checked",
        "victim:account-created",
        "victim:signed-in",
        "victim:signed-out",
        "victim:case-viewed",
        "victim:message-sent",
        "victim:messages-viewed",
        "victim:update-requested",
        "victim:property-added",
        "victim:property-changed",
        "victim:property-removed",
        "victim:contact-plan-changed",
        "victim:support-viewed",
    ):
        assert tag in tags, tag

    final = client.get("/cases/", headers=h)
    out = client.post("/sign-out", headers=h, data={"csrf_token": csrf_token(final.text)})
    assert out.status_code == 302
    assert client.get(f"/cases/{invited.case.id}", headers=h).status_code == 302
