"""The development-only Sent messages page, and central-site mail (the public outbox)."""

import pytest
from sqlalchemy import text

import app.notifications.sent as sent_journey
from app import create_app
from app.notifications import Kind, notify, notify_central
from app.notifications.sink import store
from config import ProductionSettings
from tenants.binding import db
from tests.integration.notifications.conftest import in_force, mail, victim, work
from tests.support.html import ValidatingClient

PAGE = "/dev/sent-messages"


@pytest.fixture
def site(settings):
    """The app as app.journeys will build it (app.notifications.sent's init_app run)."""
    own = create_app(settings)
    if "sent_messages" not in own.blueprints:
        sent_journey.init_app(own)
    own.test_client_class = ValidatingClient
    yield own
    with own.app_context():
        db.engine.dispose()


def test_the_page_lists_what_was_sent_per_site_with_links(app, app_context, sink, site):
    with in_force("kent"):
        notify(Kind.VICTIM_UPDATE, victim(email="a@victim.example"), dedupe_key="a")
    with in_force("dyfed-powys"):
        notify(Kind.VICTIM_REPLY, victim(email="b@victim.example"), dedupe_key="b")
    work(app)

    page = site.test_client().get(PAGE, headers={"Host": "localhost"})

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("dyfed-powys.localhost") < html.index("kent.localhost")
    assert "a@victim.example" in html and "You have a new message" in html
    assert '<a class="govuk-link" href="http://kent.localhost:5000/sign-in">' in html


def test_the_page_escapes_what_it_shows(app, sink, site):
    raw = (
        b"Message-ID: <x@kent.localhost>\r\nTo: <script>x</script>\r\n"
        b'Subject: <b>hi</b>\r\n\r\nhttp://kent.localhost:5000/a"onmouseover="x\r\n'
    )
    store(sink.maildir, raw)
    html = site.test_client().get(PAGE, headers={"Host": "localhost"}).get_data(as_text=True)
    assert "<script>x" not in html and "<b>hi" not in html and '"onmouseover' not in html


def test_the_page_is_on_the_central_site_only(site):
    assert site.test_client().get(PAGE, headers={"Host": "kent.localhost"}).status_code == 404


def test_the_page_is_never_mounted_in_production(services, settings):
    production = create_app(
        ProductionSettings(
            secret_key="p" * 40,
            secrets_key="Q7xXn3o1Yk8m2Jb5r0sVtW4cZ6dEf9gH1iJ2kL3mN4o=",
            smtp_url="smtp://127.0.0.1:1",
            database_url=services.app_url,
            redis_url="redis://127.0.0.1:1/0",
            base_domain="localhost",
            db_role_prefix=settings.db_role_prefix,
        )
    )
    sent_journey.init_app(production)
    assert "sent_messages" not in production.blueprints
    assert not [r for r in production.url_map.iter_rules() if r.rule.startswith("/dev/")]
    assert production.test_client().get(PAGE, headers={"Host": "localhost"}).status_code == 404


def test_central_mail_goes_through_the_public_outbox(app, app_context, sink, central_rows,
                                                      admin_engine):  # fmt: skip
    row = notify_central(Kind.APPLICANT_EMAIL_CONFIRM, "chief@force.example", "/confirm/t0k3n",
                         "applicant:1")  # fmt: skip
    row_id = row.id
    again = notify_central(Kind.APPLICANT_EMAIL_CONFIRM, "chief@force.example", "/confirm/x",
                           "applicant:1")  # fmt: skip
    assert again.id == row_id
    db.session.commit()
    work(app)

    [message] = mail(sink)
    assert message.site == "localhost" and message.message_id == f"<{row_id}@localhost>"
    assert message.subject == "Confirm your email address"
    assert message.links == ("http://localhost:5000/confirm/t0k3n",)
    with admin_engine.connect() as conn:
        stored = conn.execute(text("SELECT * FROM public.central_outbox_message")).mappings().one()
    assert (stored["status"], stored["address"], stored["link_path"]) == ("sent", None, None)


def test_central_kinds_and_force_kinds_do_not_mix(app, app_context):
    with pytest.raises(ValueError, match="notify_central"), in_force("kent"):
        notify(Kind.APPLICANT_EMAIL_CONFIRM, victim(), dedupe_key="x")
    with pytest.raises(ValueError, match="force mail"):
        notify_central(Kind.VICTIM_UPDATE, "a@b.example", "/", "y")
