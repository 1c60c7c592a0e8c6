"""`flask tenants idp` connects a force to its provider only after the provider answers
as itself; `tenants rotate-secrets` re-seals what is stored."""

from __future__ import annotations

import pytest

from app.auth.idp import IdpSettings
from tenants.extension import tenancy
from tests.factories import registered_force


def _run(app, *args, env=None):
    return app.test_cli_runner().invoke(args=["tenants", *args], env=env or {})


def _idp(app, slug):
    with app.app_context():
        tenancy().registry.invalidate()
        return IdpSettings.from_mapping(registered_force(slug).idp)


@pytest.fixture
def kent_provider(idp):
    return idp.issuer("kent")


def _connect(app, issuer, *extra, secret="the-secret"):
    return _run(
        app, "idp", "avon-and-somerset", "--issuer", issuer, "--client-id", "tmc",
        "--client-secret-env", "IDP_SECRET", "--role", "officer=tmc-officer", *extra,
        env={"IDP_SECRET": secret},
    )  # fmt: skip


def test_it_stores_the_settings_with_the_secret_sealed(app, kent_provider):
    result = _connect(app, kent_provider, "--role", "supervisor=tmc-supervisor")
    assert result.exit_code == 0, result.output
    assert "/officer/auth/callback" in result.output
    settings = _idp(app, "avon-and-somerset")
    assert settings.issuer == kent_provider
    assert settings.role_values == {"officer": ("tmc-officer",), "supervisor": ("tmc-supervisor",)}
    assert "the-secret" not in settings.client_secret_sealed
    with app.app_context():
        assert tenancy().secret_box().open(settings.client_secret_sealed) == "the-secret"


@pytest.mark.parametrize(
    ("issuer", "extra", "secret", "message"),
    [
        ("http://127.0.0.1:1/nobody", (), "x", "did not answer"),
        ("ftp://idp.example", (), "x", "https://"),
        (None, ("--role", "chief=x"), "x", "ROLE=VALUE"),
        (None, (), "", "IDP_SECRET is empty"),
    ],
)
def test_it_refuses_what_would_not_work(app, kent_provider, issuer, extra, secret, message):
    before = _idp(app, "avon-and-somerset")
    result = _connect(app, issuer or kent_provider, *extra, secret=secret)
    assert result.exit_code != 0
    assert message in result.output
    assert _idp(app, "avon-and-somerset") == before


def test_an_issuer_that_names_itself_differently_is_refused(app, idp):
    # Kent's provider answers as .../kent: asking for .../kent/ (a trailing slash) is
    # another issuer, and tokens would never validate.
    result = _connect(app, idp.issuer("kent") + "/")
    assert result.exit_code != 0
    assert "different issuer" in result.output


def test_rotate_secrets_reseals_under_the_newest_key(app, kent_provider):
    assert _connect(app, kent_provider).exit_code == 0
    before = _idp(app, "avon-and-somerset").client_secret_sealed
    result = _run(app, "rotate-secrets")
    assert result.exit_code == 0, result.output
    after = _idp(app, "avon-and-somerset").client_secret_sealed
    assert after != before
    with app.app_context():
        assert tenancy().secret_box().open(after) == "the-secret"
