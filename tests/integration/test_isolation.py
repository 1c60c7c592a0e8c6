"""The database itself keeps forces apart, whatever the application gets wrong."""

import uuid

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app.models import Case
from tenants.binding import TenantNotBound, db, force_scope
from tenants.forces import Force
from tests.factories import CaseFactory


def _binding(slug, prefix):
    under = slug.replace("-", "_")
    return Force(slug, f"t_{under}", f"{prefix}_{under}")


@pytest.fixture
def kent(settings):
    return _binding("kent", settings.db_role_prefix)


@pytest.fixture
def dyfed(settings):
    return _binding("dyfed-powys", settings.db_role_prefix)


def test_each_force_sees_only_its_own_rows(app_context, kent, dyfed):
    CaseFactory(force="kent", crime_reference="KENT-1")
    CaseFactory(force="dyfed-powys", crime_reference="DP-1")
    with force_scope(kent) as session:
        assert session.scalars(select(Case.crime_reference)).all() == ["KENT-1"]
    with force_scope(dyfed) as session:
        assert session.scalars(select(Case.crime_reference)).all() == ["DP-1"]


@pytest.mark.parametrize(
    "run",
    [
        lambda: db.session.scalars(select(Case)).all(),
        lambda: db.session.scalars(select(Case.crime_reference)).all(),
        lambda: db.session.get(Case, uuid.uuid4()),
        lambda: db.session.execute(select(func.count()).select_from(Case)).scalar(),
        lambda: db.session.execute(update(Case).values(status="closed")),
        lambda: db.session.execute(delete(Case)),
        lambda: db.session.execute(select(1).where(select(Case.id).exists())).scalar(),
    ],
    ids=["entity", "column", "get", "count", "update", "delete", "subquery"],
)
def test_a_query_with_no_force_bound_raises(app_context, run):
    with pytest.raises(TenantNotBound):
        run()
    db.session.rollback()


def test_core_sql_on_the_placeholder_schema_finds_nothing_to_read(app_context):
    """Past the ORM guard, the placeholder schema does not exist: no fallback to public."""
    with db.engine.connect() as conn, pytest.raises(ProgrammingError, match="does not exist"):
        conn.execute(select(Case.__table__))


def test_raw_sql_naming_another_forces_schema_is_refused(app_context, kent, dyfed):
    CaseFactory(force="dyfed-powys", crime_reference="DP-SECRET")
    with force_scope(kent) as session, pytest.raises(DBAPIError, match="permission denied"):
        session.execute(text('SELECT * FROM "t_dyfed_powys"."case"')).all()


def test_the_login_role_alone_reads_no_force_table(app_context):
    """NOINHERIT: holding the force roles gives the login role none of their rights."""
    with db.engine.connect() as conn, pytest.raises(DBAPIError, match="permission denied"):
        conn.execute(text('SELECT * FROM "t_kent"."case"')).all()


def test_a_force_role_cannot_read_the_registry(app_context, kent):
    with force_scope(kent) as session, pytest.raises(DBAPIError, match="permission denied"):
        session.execute(text("SELECT * FROM public.tenant")).all()


def test_binding_ends_with_the_transaction(app_context, kent):
    """SET LOCAL only: the pooled connection goes back with the login role, no path."""
    with force_scope(kent) as session:
        assert session.execute(text("SELECT current_user")).scalar() == kent.db_role
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT current_user, current_setting('search_path')")).one()
    assert row[0] != kent.db_role
    assert row[1] in ("", '""')


def test_binding_must_come_before_the_first_query(app_context, kent):
    from tenants.binding import bind

    session = db.session()
    session.execute(text("SELECT 1"))
    with pytest.raises(RuntimeError, match="before the session's first query"):
        bind(session, kent)
    session.rollback()


def test_the_login_role_owns_nothing_in_force_schemas_and_inherits_nothing(
    app_context, admin_engine, services
):
    with admin_engine.connect() as conn:
        owned = conn.execute(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname LIKE 't\\_%' AND pg_get_userbyid(c.relowner) = :login"
            ),
            {"login": services.login_role},
        ).scalar()
        schemas = conn.execute(
            text(
                "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\\_%' "
                "AND pg_get_userbyid(nspowner) = :login"
            ),
            {"login": services.login_role},
        ).scalar()
        inherits = conn.execute(
            text("SELECT rolinherit FROM pg_roles WHERE rolname = :login"),
            {"login": services.login_role},
        ).scalar()
    assert (owned, schemas, inherits) == (0, 0, False)
