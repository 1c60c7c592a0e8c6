import pytest

from tenants.keys import cache_key, file_path, rate_limit_key


def test_every_key_outside_postgres_names_its_force():
    assert cache_key("kent", "registry") == "tmc:kent:cache:registry"
    assert rate_limit_key("dyfed-powys", "sign-in", "ip") == "tmc:dyfed-powys:rate:sign-in:ip"
    assert rate_limit_key("central", "apply") == "tmc:central:rate:apply"
    assert file_path("kent", "a1b2", "c3d4") == "forces/kent/a1b2/c3d4"


@pytest.mark.parametrize("part", ["../t_dyfed_powys", "a/b", "", ".hidden"])
def test_file_paths_refuse_anything_but_plain_ids(part):
    with pytest.raises(ValueError, match="plain ids"):
        file_path("kent", part)


def test_keys_refuse_bad_force_names():
    with pytest.raises(ValueError, match="lower-case"):
        cache_key("Kent:*", "x")
