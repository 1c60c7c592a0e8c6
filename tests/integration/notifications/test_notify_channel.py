"""GOV.UK Notify over real HTTP: a fake Notify on loopback checks the JWT our client
signs and the request body, and answers as Notify does. Never the network."""

import uuid

import pytest

from app.notifications import Kind, notify
from tenants.secrets import SecretBox
from tests.integration.notifications.conftest import in_force, rows, victim, work
from tests.integration.notifications.fake_notify import SERVICE_ID, TEMPLATES


def test_email_and_sms_go_through_notify_with_our_wording(
    app, app_context, fake_notify, admin_engine
):
    with in_force("dyfed-powys"):
        email = notify(Kind.VICTIM_UPDATE, victim(email="e@victim.example"), dedupe_key="e").id
        sms = notify(Kind.VICTIM_REPLY, victim(channel="sms", language="cy"), dedupe_key="s").id
    work(app)

    by_reference = {r["reference"]: r for r in fake_notify.received}
    sent_email, sent_sms = by_reference[str(email)], by_reference[str(sms)]
    assert sent_email["path"] == "/v2/notifications/email"
    assert sent_email["email_address"] == "e@victim.example"
    assert sent_email["template_id"] == "email-en-template"
    assert sent_email["email_reply_to_id"] == "reply-to-id"
    assert sent_email["personalisation"] == {
        "subject": "You have a new update",
        "body": "You have a new update from Heddlu Prawf. Sign in to read it: "
        "http://dyfed-powys.localhost:5000/sign-in",
    }
    assert sent_sms["path"] == "/v2/notifications/sms"
    assert sent_sms["phone_number"] == "07700900123"
    assert sent_sms["template_id"] == "sms-cy-template"  # the victim's language
    assert sent_sms["sms_sender_id"] == "sms-sender-id"
    assert set(sent_sms["personalisation"]) == {"body"}
    assert [r["status"] for r in rows(admin_engine, "t_dyfed_powys")] == ["sent", "sent"]


@pytest.mark.parametrize(("answer", "status", "reason"), [(400, "failed", "rejected"),
                                                          (500, "queued", None)])  # fmt: skip
def test_notify_refusals_fail_and_outages_retry(
    app, app_context, fake_notify, admin_engine, answer, status, reason
):
    fake_notify.answer = answer
    with in_force("dyfed-powys"):
        notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="refused")
    work(app)
    [stored] = rows(admin_engine, "t_dyfed_powys")
    assert (stored["status"], stored["reason"]) == (status, reason)


def test_a_wrong_api_key_is_refused_by_the_fake_as_notify_would(
    app, app_context, fake_notify, admin_engine, force_settings, settings
):
    wrong = SecretBox(settings.secrets_keys).seal(f"tmc_test-{SERVICE_ID}-{uuid.uuid4()}")
    force_settings(
        "dyfed-powys",
        {"provider": "notify", "notify_api_key_sealed": wrong,
         "notify_base_url": fake_notify.url, **TEMPLATES},
    )  # fmt: skip
    with in_force("dyfed-powys"):
        notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="bad-key")
    work(app)
    assert fake_notify.received == []
    [stored] = rows(admin_engine, "t_dyfed_powys")
    assert (stored["status"], stored["reason"]) == ("failed", "rejected")


def test_sms_without_notify_fails_visibly(app, app_context, admin_engine):
    with in_force("kent"):
        notify(Kind.VICTIM_UPDATE, victim(channel="sms"), dedupe_key="sms")
    work(app)
    [stored] = rows(admin_engine)
    assert (stored["status"], stored["reason"]) == ("failed", "rejected")
