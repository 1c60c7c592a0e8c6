"""Creating forces: complete, idempotent, and refusing bad names without a trace."""

import pytest
from sqlalchemy import text

from tenants import migrate
from tenants.extension import tenancy
from tenants.forces import NewForce

SNAPSHOT = text("""
    SELECT (SELECT count(*) FROM pg_roles WHERE rolname LIKE :prefix),
           (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\\_%'),
           (SELECT count(*) FROM pg_tables WHERE schemaname LIKE 't\\_%'),
           (SELECT count(*) FROM public.tenant)
""")


def _snapshot(admin_engine, prefix):
    with admin_engine.connect() as conn:
        return tuple(conn.execute(SNAPSHOT, {"prefix": prefix + "\\_%"}).one())


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_create_makes_a_working_force(app, client, admin_engine, settings):
    result = _cli(
        app,
        "tenants",
        "create",
        "north-wales",
        "--name",
        "North Wales Police",
        "--welsh",
        "--colour",
        "#1d4f91",
    )
    assert result.exit_code == 0, result.output
    with admin_engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM public.tenant WHERE slug = 'north-wales'")).one()
        owner = conn.execute(
            text("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 't_north_wales'")
        ).scalar()
        version = conn.execute(
            text('SELECT version_num FROM "t_north_wales".alembic_version')
        ).scalar()
        services = conn.execute(
            text('SELECT count(*) FROM "t_north_wales".support_service')
        ).scalar()
    assert (row.status, row.schema_name, row.welsh_enabled) == ("active", "t_north_wales", True)
    assert owner == f"{settings.db_role_prefix}_north_wales"
    assert version == row.revision == migrate.tenant_head()
    assert services >= 1
    response = client.get("/", headers={"Host": "north-wales.localhost"})
    assert response.status_code == 200
    assert "North Wales Police" in response.get_data(as_text=True)
    assert "#1d4f91" in response.get_data(as_text=True)


def test_provisioning_twice_changes_nothing(app_context, admin_engine, settings):
    force = NewForce("gwent", "Gwent Police", True, {"colour": "#00205b"})
    t = tenancy()
    t.provision(force)
    before = _snapshot(admin_engine, settings.db_role_prefix)
    with admin_engine.connect() as conn:
        seeded = conn.execute(
            text('SELECT id, key FROM "t_gwent".support_service ORDER BY key')
        ).all()
    t.provision(force)
    assert _snapshot(admin_engine, settings.db_role_prefix) == before
    with admin_engine.connect() as conn:
        again = conn.execute(
            text('SELECT id, key FROM "t_gwent".support_service ORDER BY key')
        ).all()
    assert again == seeded


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("www", "reserved"),
        ("admin", "reserved"),
        ("Kent2", "lower-case"),
        ("a" * 41, "3 to 40"),
        ("x'; DROP SCHEMA public CASCADE; --", "lower-case"),
        ('bad"name', "lower-case"),
        ("kent", "already exists"),
    ],
)
def test_bad_slugs_get_a_clear_error_and_create_nothing(app, admin_engine, settings, slug, message):
    before = _snapshot(admin_engine, settings.db_role_prefix)
    result = _cli(app, "tenants", "create", slug, "--name", "Some Police")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert _snapshot(admin_engine, settings.db_role_prefix) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "X"], "2 to 120"),
        (["--name", "Good Police", "--colour", "#ffff00"], "too light"),
        (["--name", "Good Police", "--colour", "</style>"], "hex colour"),
    ],
)
def test_bad_details_create_nothing(app, admin_engine, settings, args, message):
    before = _snapshot(admin_engine, settings.db_role_prefix)
    result = _cli(app, "tenants", "create", "cleveland", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert _snapshot(admin_engine, settings.db_role_prefix) == before


def test_list_shows_every_force(app):
    result = _cli(app, "tenants", "list")
    assert result.exit_code == 0
    for slug in ("avon-and-somerset", "dyfed-powys", "kent"):
        assert slug in result.output


def test_cli_actions_are_in_the_platform_audit_trail(app, admin_engine):
    assert (
        _cli(app, "tenants", "create", "cumbria", "--name", "Cumbria Constabulary").exit_code == 0
    )
    assert _cli(app, "tenants", "suspend", "cumbria").exit_code == 0
    assert _cli(app, "tenants", "resume", "cumbria").exit_code == 0
    assert _cli(app, "tenants", "resume", "cumbria").exit_code != 0  # nothing changed, no row
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT tag, actor_type, actor_id, force_slug FROM public.platform_audit_event "
                "ORDER BY occurred_at"
            )
        ).all()
    assert [row.tag for row in rows] == ["force:created", "force:suspended", "force:resumed"]
    assert {(row.actor_type, row.force_slug) for row in rows} == {("cli", "cumbria")}
    assert all(row.actor_id for row in rows)


def test_provisioning_again_records_no_second_creation(app_context, admin_engine):
    t = tenancy()
    force = NewForce("surrey", "Surrey Police")
    t.provision(force)
    t.provision(force)
    with admin_engine.connect() as conn:
        count = conn.execute(
            text("SELECT count(*) FROM public.platform_audit_event WHERE force_slug = 'surrey'")
        ).scalar()
    assert count == 1
