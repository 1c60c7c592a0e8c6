"""The SMTP URL and message, backoff, and who is not to be notified (pure functions)."""

import uuid
from datetime import timedelta

import pytest

from app.notifications.channels.base import Envelope
from app.notifications.channels.smtp import build_message, parse_smtp_url
from app.notifications.content import Rendered
from app.notifications.delivery import LONGEST_RETRY, backoff
from app.notifications.kinds import Reason, Recipient
from app.notifications.outbox import checked_link_path, withheld_reason

pytestmark = pytest.mark.unit


def test_smtp_urls():
    plain = parse_smtp_url("smtp://relay.example")
    assert (plain.host, plain.port, plain.tls) == ("relay.example", 25, False)
    assert not plain.starttls and plain.username is None
    secure = parse_smtp_url("smtps://user%40x:p%2Fss@relay.example")
    assert (secure.port, secure.tls, secure.username, secure.password) == (
        465, True, "user@x", "p/ss",
    )  # fmt: skip
    assert parse_smtp_url("smtp://relay.example:587?starttls=1").starttls is True
    with pytest.raises(ValueError, match="SMTP URL"):
        parse_smtp_url("http://relay.example")


def test_the_message_id_is_the_outbox_id_at_the_site():
    outbox_id = uuid.uuid4()
    envelope = Envelope(outbox_id, "victim_update", "email", "v@victim.example", "cy",
                        "kent.trackmycrime.example", "Heddlu Caint")  # fmt: skip
    rendered = Rendered("Pwnc", "Corff", "SMS", "cy")
    message = build_message(envelope, rendered, "TrackMyCrime <no-reply@trackmycrime.example>")
    assert message["Message-ID"] == f"<{outbox_id}@kent.trackmycrime.example>"
    assert message["From"] == "Heddlu Caint <no-reply@trackmycrime.example>"
    assert message["Content-Language"] == "cy"
    assert message["Auto-Submitted"] == "auto-generated"


def test_backoff_doubles_and_stops_growing():
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert backoff(30) == LONGEST_RETRY


def recipient(**changes) -> Recipient:
    return Recipient(**{"kind": "victim", "id": uuid.uuid4(), "email": "v@x.example",
                        "mobile": None, **changes})  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "automatic", "allowed", "reason"),
    [
        ({}, True, True, None),
        ({}, True, False, Reason.AUTOMATIC_CONTACT_OFF),
        ({}, False, False, None),  # the officer chose to send it
        ({"channel": "none"}, True, True, Reason.VICTIM_CHOSE_NO_CONTACT),
        ({"email": None}, True, True, Reason.NO_ADDRESS),
        ({"channel": "sms"}, True, True, Reason.NO_ADDRESS),
        ({"channel": "sms", "mobile": "07700900123"}, True, True, None),
    ],
)
def test_withheld_reason(changes, automatic, allowed, reason):
    assert withheld_reason(recipient(**changes), automatic, allowed) == reason


@pytest.mark.parametrize("path", ["/sign-in", "/invite/AbC_12-xyz", "/cases/2b1c"])
def test_plain_link_paths_pass(path):
    assert checked_link_path(path) == path


@pytest.mark.parametrize(
    "path", ["https://evil.example/", "//evil.example", "/x?name=Jane", "/a b", "sign-in", ""]
)
def test_anything_else_is_refused(path):
    with pytest.raises(ValueError, match="link_path"):
        checked_link_path(path)
