"""notify(): one row in the force's outbox, in the caller's transaction; the safety rules;
delivery in process (SimpleWorker) to a real SMTP sink."""

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.models.outbox import OutboxMessage
from app.notifications import (
    Kind,
    deliver,
    failed_count,
    failed_messages,
    notify,
    pending_for_case,
    sweep,
    withheld_for_case,
)
from app.notifications.delivery import MAX_ATTEMPTS
from app.notifications.outbox import NoForceBound
from app.notifications.safe_times import LONDON
from tenants.binding import db
from tests.integration.notifications.conftest import (
    force,
    in_force,
    mail,
    mail_for,
    rows,
    victim,
    work,
)


def test_a_notification_is_delivered_once_after_commit(app, app_context, sink, admin_engine):
    with in_force("kent"):
        row = notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="update:1")
        row_id = row.id
        assert app.extensions["tenancy"].redis.llen("rq:queue:notifications") == 0  # not yet

    work(app)

    sent = mail_for(sink, row_id)
    assert len(sent) == 1
    assert sent[0].subject == "You have a new update"
    assert sent[0].links == ("http://kent.localhost:5000/sign-in",)
    assert sent[0].site == "kent.localhost"
    [stored] = rows(admin_engine)
    assert stored["status"] == "sent" and stored["sent_at"] is not None
    assert stored["address"] is None and stored["link_path"] is None  # nothing kept
    assert rows(admin_engine, "t_dyfed_powys") == []


def test_a_rolled_back_transaction_leaves_no_row_and_enqueues_nothing(app, app_context, sink):
    def event_that_fails() -> None:
        with in_force("kent"):
            notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="update:rolled-back")
            raise RuntimeError("the event that caused it failed")

    with pytest.raises(RuntimeError):
        event_that_fails()

    assert app.extensions["tenancy"].redis.llen("rq:queue:notifications") == 0
    with in_force("kent"):
        assert db.session.scalar(select(OutboxMessage)) is None


def test_the_same_dedupe_key_writes_nothing_the_second_time(app, app_context, sink, admin_engine):
    with in_force("kent"):
        first = notify(Kind.VICTIM_REPLY, victim(), dedupe_key="reply:7")
        first_id = first.id
    with in_force("kent"):
        second = notify(Kind.VICTIM_REPLY, victim(), dedupe_key="reply:7")
        assert second.id == first_id
    work(app)
    assert len(rows(admin_engine)) == 1
    assert len(mail(sink)) == 1


def test_delivering_the_same_row_again_sends_nothing(app, app_context, sink):
    with in_force("kent"):
        row_id = notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="update:2").id
    work(app)
    with in_force("kent"):
        assert deliver(str(row_id)) == "skipped"
        assert sweep(datetime.now(UTC) + timedelta(hours=1)) == 0
    work(app)
    assert len(mail_for(sink, row_id)) == 1


def test_notify_outside_a_force_refuses(app, app_context):
    with pytest.raises(NoForceBound):
        notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="nowhere")
    db.session.rollback()


@pytest.mark.parametrize(
    ("changes", "contact_allowed", "reason"),
    [
        ({}, False, "automatic_contact_off"),
        ({"channel": "none"}, True, "victim_chose_no_contact"),
        ({"email": None}, True, "no_address"),
        ({"channel": "sms", "mobile": None}, True, "no_address"),
    ],
)
def test_withheld_notifications_send_nothing_and_say_why(
    app, app_context, sink, admin_engine, changes, contact_allowed, reason
):
    case_id = uuid.uuid4()
    with in_force("kent"):
        notify(
            Kind.VICTIM_UPDATE,
            victim(**changes),
            dedupe_key="update:withheld",
            case_id=case_id,
            contact_allowed=contact_allowed,
        )
    work(app)
    with in_force("kent"):
        sweep(datetime.now(UTC) + timedelta(days=2))
    work(app)

    assert mail(sink) == []
    [stored] = rows(admin_engine)
    assert (stored["status"], stored["reason"]) == ("withheld", reason)
    assert stored["address"] is None and stored["link_path"] is None
    with in_force("kent"):
        [notice] = withheld_for_case(case_id)
        assert notice.reason == reason and notice.kind == "victim_update"
        assert withheld_for_case(uuid.uuid4()) == []


def test_an_officers_own_action_is_sent_when_automatic_contact_is_off(app, app_context, sink):
    """automatic=False (the officer pressed send after checking) is not withheld."""
    with in_force("kent"):
        notify(
            Kind.VICTIM_UPDATE,
            victim(),
            dedupe_key="update:manual",
            automatic=False,
            contact_allowed=False,
        )
    work(app)
    assert len(mail(sink)) == 1


def test_outside_the_safe_window_the_sweep_waits_for_it(app, app_context, sink, admin_engine):
    """A fixed clock: Saturday 28 March 2026, 23:00 UTC; window 09:00-21:00 London. The
    next morning the clocks go forward, so the window opens at 08:00 UTC."""
    now = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    opens = datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    case_id = uuid.uuid4()
    recipient = victim(safe_from=time(9, 0), safe_until=time(21, 0))
    with in_force("kent"):
        row_id = notify(
            Kind.VICTIM_UPDATE, recipient, dedupe_key="u:safe", case_id=case_id, now=now
        ).id
    [stored] = rows(admin_engine)
    assert stored["not_before"] == opens and stored["due_at"] == opens
    assert stored["enqueued_at"] is None  # not handed over at commit
    assert app.extensions["tenancy"].redis.llen("rq:queue:notifications") == 0
    with in_force("kent"):
        assert [n.not_before for n in pending_for_case(case_id)] == [opens]
        assert sweep(opens - timedelta(minutes=1)) == 0
    work(app)
    assert mail(sink) == []

    with in_force("kent"):
        assert sweep(opens) == 1
    work(app)
    assert len(mail_for(sink, row_id)) == 1


def test_a_row_not_yet_due_is_not_sent_even_if_its_job_runs(app, app_context, sink):
    london = datetime.now(LONDON)
    window = [(london + timedelta(hours=h)).time().replace(microsecond=0) for h in (2, 3)]
    with in_force("kent"):
        row = notify(Kind.VICTIM_UPDATE, victim(safe_from=window[0], safe_until=window[1]),
                     dedupe_key="u:later")  # fmt: skip
        row_id = row.id
        assert row.not_before is not None
    with in_force("kent"):
        assert deliver(str(row_id)) == "skipped"
    assert mail(sink) == []


def test_a_permanent_refusal_fails_at_once_and_others_still_go(
    app, app_context, sink, admin_engine
):
    poison = victim(email="refused@victim.example")
    sink.reject.add("refused@victim.example")
    with in_force("kent"):
        bad = notify(Kind.VICTIM_UPDATE, poison, dedupe_key="u:poison").id
        good = [notify(Kind.VICTIM_UPDATE, victim(), dedupe_key=f"u:{n}").id for n in range(3)]
    work(app)

    assert all(len(mail_for(sink, g)) == 1 for g in good)
    by_id = {r["id"]: r for r in rows(admin_engine)}
    assert (by_id[bad]["status"], by_id[bad]["reason"], by_id[bad]["attempts"]) == (
        "failed",
        "rejected",
        1,
    )
    with in_force("kent"):
        assert [n.id for n in failed_messages()] == [bad]
    assert failed_count(force("kent")) == 1
    assert failed_count(force("dyfed-powys")) == 0


def test_a_channel_that_keeps_raising_ends_failed_after_the_last_retry(
    app, app_context, sink, admin_engine, force_settings
):
    """A relay URL sealed under a key we no longer have: the channel raises every time."""
    force_settings("kent", {"smtp_url_sealed": "not-a-fernet-token"})
    with in_force("kent"):
        row_id = notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="u:raises").id
    for attempt in range(1, MAX_ATTEMPTS + 1):
        work(app)
        [stored] = rows(admin_engine)
        assert stored["attempts"] == attempt
        if attempt < MAX_ATTEMPTS:
            assert stored["status"] == "queued" and stored["last_error"] == "SecretError"
            assert stored["due_at"] > datetime.now(UTC)  # backing off
            with in_force("kent"):  # time passes: the retry is due
                db.session.get(OutboxMessage, row_id).due_at = datetime.now(UTC)
                assert sweep() == 1
    [stored] = rows(admin_engine)
    assert (stored["status"], stored["reason"]) == ("failed", "retries_exhausted")
    assert mail(sink) == []


def test_a_relay_that_is_down_is_retried_later(app, app_context, admin_engine, settings):
    """No sink is running: the send fails, the row waits for its retry."""
    with in_force("kent"):
        notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="u:no-relay")
    work(app)
    [stored] = rows(admin_engine)
    assert stored["status"] == "queued" and stored["attempts"] == 1
    assert stored["last_error"]
