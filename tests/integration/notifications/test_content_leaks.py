"""Every kind of notification, sent with a case full of distinctive values around it,
carries none of them: not in any subject, body or header at the SMTP sink, nor in
anything sent to GOV.UK Notify (email and SMS)."""

import uuid

from app.models import Case
from app.notifications import Kind, notify, notify_central
from app.notifications.kinds import CENTRAL_KINDS
from tenants.binding import db
from tests.integration.notifications.conftest import in_force, mail, victim, work

DISTINCTIVE = (
    "Aggravated burglary",
    "KENT-REF-7Q9X",
    "Jane Doe-Smith",  # the victim
    "Darren Blackwood",  # the suspect
    "14 Acacia Avenue",
    "INTERNAL-NOTE-XYZ",
    "He came back last night",  # the victim's message
    "Okafor",  # the officer
)
FORCE_KINDS = [k for k in Kind if k not in CENTRAL_KINDS]


def _a_case_full_of_details(slug: str) -> uuid.UUID:
    with in_force(slug):
        case = Case(crime_reference="KENT-REF-7Q9X", offence_category="Aggravated burglary")
        db.session.add(case)
        db.session.flush()
        return case.id


def _notify_every_kind(slug: str, case_id: uuid.UUID, **recipient) -> None:
    with in_force(slug):
        for kind in FORCE_KINDS:
            who = victim(kind="officer" if kind.startswith("officer") else "victim", **recipient)
            notify(kind, who, dedupe_key=f"{kind}:{uuid.uuid4()}", case_id=case_id,
                   link_path=f"/cases/{case_id}")  # fmt: skip


def _leaks(text: str) -> list[str]:
    return [value for value in DISTINCTIVE if value.lower() in text.lower()]


def test_no_email_carries_anything_about_the_case(app, app_context, sink, central_rows):
    case_id = _a_case_full_of_details("kent")
    _notify_every_kind("kent", case_id)
    _notify_every_kind("kent", case_id, language="cy")
    for kind in CENTRAL_KINDS:
        notify_central(kind, "chief@force.example", "/apply/confirm/abc", f"{kind}:1")
    db.session.commit()
    work(app)

    raw = [path.read_bytes().decode() for path in sink.maildir.glob("*/*.eml")]
    assert len(raw) == 2 * len(FORCE_KINDS) + len(CENTRAL_KINDS)
    for message in raw:
        assert _leaks(message) == [], message
    subjects = {m.subject for m in mail(sink)}
    assert "You have a new update" in subjects


def test_nothing_sent_to_notify_carries_anything_about_the_case(app, app_context, fake_notify):
    case_id = _a_case_full_of_details("dyfed-powys")
    _notify_every_kind("dyfed-powys", case_id)
    _notify_every_kind("dyfed-powys", case_id, channel="sms", language="cy")
    work(app)

    assert len(fake_notify.received) == 2 * len(FORCE_KINDS)
    for request in fake_notify.received:
        assert _leaks(repr(request)) == [], request
