"""The periodic sweep: RQ's cron enqueues sweep_all, which queues one sweep per active
force (bound to it) and sweeps the central outbox itself."""

from rq.cron import CronScheduler
from sqlalchemy import text

from app.notifications import Kind, notify, notify_central
from app.notifications.schedule import register_periodic
from tenants.binding import db
from tests.integration.notifications.conftest import in_force, mail, victim, work


def test_the_cron_sweeps_every_active_force_and_the_central_outbox(
    app, app_context, sink, admin_engine, central_rows
):
    redis = app.extensions["tenancy"].redis
    with in_force("kent"):
        kent = notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="k").id
    with in_force("dyfed-powys"):
        dyfed = notify(Kind.VICTIM_UPDATE, victim(), dedupe_key="d").id
    notify_central(Kind.APPLICANT_EMAIL_CONFIRM, "a@force.example", "/confirm/x", "c")
    db.session.commit()
    redis.flushdb()  # Redis lost every job: only the outbox remembers
    with admin_engine.begin() as conn:  # and a minute has passed since the hand-over
        for table in ('"t_kent".outbox_message', '"t_dyfed_powys".outbox_message',
                      "public.central_outbox_message"):  # fmt: skip
            conn.execute(text(f"UPDATE {table} SET enqueued_at = now() - interval '2 minutes'"))
        conn.execute(text("UPDATE public.tenant SET status = 'suspended' WHERE slug = 'kent'"))

    cron = CronScheduler(connection=redis)
    [entry] = register_periodic(cron)
    assert entry.interval == 60 and entry.queue_name == "notifications"
    cron.enqueue_jobs()
    work(app)  # sweep_all, then the sweeps it queued, then the deliveries they queued

    sent = {m.message_id.split("@")[0].strip("<") for m in mail(sink)}
    assert str(dyfed) in sent
    assert str(kent) not in sent  # a suspended force's sweep is not queued
    assert len(sent) == 2  # dyfed-powys and the central message
