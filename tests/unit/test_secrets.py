"""Secrets sealed in the database: they open with any configured key, re-seal under the
newest, and a dropped key is a clear error rather than garbage."""

import pytest

from tenants.secrets import SecretBox, SecretError, new_key, reseal

pytestmark = pytest.mark.unit


def test_a_sealed_secret_is_not_the_secret_and_opens_again():
    box = SecretBox([new_key()])
    sealed = box.seal("client-secret-123")
    assert "client-secret-123" not in sealed
    assert box.open(sealed) == "client-secret-123"


def test_rotation_keeps_old_secrets_readable_then_moves_them_to_the_new_key():
    old, new = new_key(), new_key()
    sealed_with_old = SecretBox([old]).seal("s3cret")
    both = SecretBox([new, old])
    assert both.open(sealed_with_old) == "s3cret"
    rotated = both.rotate(sealed_with_old)
    assert SecretBox([new]).open(rotated) == "s3cret"
    with pytest.raises(SecretError, match="rotate-secrets"):
        SecretBox([new]).open(sealed_with_old)


def test_reseal_touches_only_sealed_values_at_any_depth():
    values = {"issuer": "https://idp", "client_secret_sealed": "a", "n": {"api_key_sealed": "b"}}
    out, count = reseal(values, lambda token: token.upper())
    assert count == 2
    assert out == {
        "issuer": "https://idp",
        "client_secret_sealed": "A",
        "n": {"api_key_sealed": "B"},
    }


def test_no_key_no_box():
    with pytest.raises(SecretError):
        SecretBox([])
