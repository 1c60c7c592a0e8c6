import pytest

from config import (
    DevelopmentSettings,
    ProductionSettings,
    SettingsError,
    TestSettings,
    load_settings,
)

GOOD = {
    "TMC_ENV": "production",
    "SECRET_KEY": "x" * 40,
    "DATABASE_URL": "postgresql://app@db.internal/trackmycrime",
    "REDIS_URL": "rediss://cache.internal:6380/0",
    "BASE_DOMAIN": "trackmycrime.example",
    "SECRETS_KEY": "Q7xXn3o1Yk8m2Jb5r0sVtW4cZ6dEf9gH1iJ2kL3mN4o=",
    "SMTP_URL": "smtps://relay:pw@smtp.internal:465",
}


def test_production_loads_from_environment():
    settings = load_settings(GOOD)
    assert isinstance(settings, ProductionSettings)
    assert settings.secure_cookies
    assert not settings.uses_embedded_services


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "SECRETS_KEY", "DATABASE_URL", "REDIS_URL", "BASE_DOMAIN", "SMTP_URL"],
)
def test_production_refuses_to_start_without(missing):
    environ = {k: v for k, v in GOOD.items() if k != missing}
    with pytest.raises(SettingsError, match=missing):
        load_settings(environ)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECRET_KEY", "short", "at least 32"),
        ("DATABASE_URL", "sqlite:///x.db", "DATABASE_URL"),
        ("REDIS_URL", "memory://", "REDIS_URL"),
        ("SECRETS_KEY", "not-a-fernet-key", "SECRETS_KEY"),
        ("SMTP_URL", "http://mail.example", "SMTP_URL"),
    ],
)
def test_production_refuses_weak_or_fake_services(name, value, message):
    with pytest.raises(SettingsError, match=message):
        load_settings({**GOOD, name: value})


def test_development_and_test_have_defaults_and_embedded_services():
    assert isinstance(load_settings({}), DevelopmentSettings)
    settings = load_settings({"TMC_ENV": "test"})
    assert isinstance(settings, TestSettings)
    assert settings.uses_embedded_services


def test_unknown_environment_and_bad_values_are_refused():
    with pytest.raises(SettingsError, match="TMC_ENV"):
        load_settings({"TMC_ENV": "prod"})
    with pytest.raises(SettingsError, match="REGISTRY_TTL_SECONDS"):
        load_settings({"REGISTRY_TTL_SECONDS": "soon"})


@pytest.mark.parametrize(
    "url", ["postgresql://app@db/tmc", "postgres://app@db/tmc", "postgresql+psycopg2://app@db/tmc"]
)
def test_database_urls_use_the_installed_driver(url):
    settings = load_settings({"DATABASE_URL": url})
    assert settings.database_url == "postgresql+psycopg2://app@db/tmc"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"TMC_ENV": "development", "DECOMMISSION_GRACE_DAYS": "-1"}, "0 to 3650"),
        ({"TMC_ENV": "development", "DECOMMISSION_GRACE_DAYS": "99999"}, "0 to 3650"),
        ({**GOOD, "DECOMMISSION_GRACE_DAYS": "0"}, "at least 7 in production"),
    ],
)
def test_a_grace_period_out_of_range_is_refused(environ, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(environ)


def test_development_may_remove_a_decommissioned_force_at_once():
    """The demo's way to try removal: DECOMMISSION_GRACE_DAYS=0 make demo."""
    settings = load_settings({"TMC_ENV": "development", "DECOMMISSION_GRACE_DAYS": "0"})
    assert settings.decommission_grace_days == 0
