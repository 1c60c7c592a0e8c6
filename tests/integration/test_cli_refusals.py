"""`tenants` commands say what to do instead of printing a traceback, and never dress
a real fault up as a friendly refusal; provisioning never builds an empty force."""

from __future__ import annotations

import dataclasses
import secrets

import pytest
from sqlalchemy import make_url, text

from app import create_app
from tenants.bootstrap import drop_database, ensure_database
from tenants.extension import tenancy
from tenants.forces import NewForce
from tenants.provisioning import ProvisioningError


@pytest.fixture
def fresh_database(services, settings):
    """Settings for a brand-new database nobody has run upgrade-public on (dropped after)."""
    name = f"tmc_fresh_{secrets.token_hex(3)}"
    base = make_url(services.superuser_url).set(database="postgres").render_as_string(False)
    urls = ensure_database(base, name, services.login_role, services.admin_role)
    yield dataclasses.replace(
        settings, database_url=urls.login_url, admin_database_url=urls.admin_url
    )
    drop_database(base, name)


def test_create_on_a_fresh_database_says_to_run_upgrade_public(fresh_database):
    runner = create_app(fresh_database).test_cli_runner()
    for args in (["tenants", "create", "essex", "--name", "Essex Police"], ["tenants", "list"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0
        assert "tenants upgrade-public" in result.output
        assert "Traceback" not in result.output and "SQL" not in result.output


def test_a_real_fault_is_not_hidden_behind_a_friendly_message(app, settings):
    """A bad DB_ROLE_PREFIX is the operator's configuration, not the slug: it must show."""
    broken = create_app(dataclasses.replace(settings, db_role_prefix="Bad-Prefix"))
    result = broken.test_cli_runner().invoke(
        args=["tenants", "create", "essex", "--name", "Essex Police"]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, ValueError)
    assert "not a safe identifier" in str(result.exception)


def test_provisioning_refuses_when_no_force_tables_are_declared(
    app_context, admin_engine, monkeypatch
):
    monkeypatch.setattr("tenants.provisioning.tenant_tables", list)
    with pytest.raises(ProvisioningError, match="import the models"):
        tenancy().provision(NewForce("hollow", "Hollow Police"))
    with admin_engine.connect() as conn:
        made = conn.scalar(
            text(
                "SELECT count(*) FROM public.tenant WHERE slug = 'hollow'"
                " UNION ALL SELECT count(*) FROM pg_namespace WHERE nspname = 't_hollow'"
            )
        )
    assert made == 0
