import pytest

from tenants.names import InvalidSlug, quoted, role_name, schema_name, validate_slug


@pytest.mark.parametrize("slug", ["kent", "avon-and-somerset", "dyfed-powys", "abc", "a" * 40])
def test_good_slugs(slug):
    assert validate_slug(slug) == slug


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("www", "reserved"),
        ("admin", "reserved"),
        ("static", "reserved"),
        ("api", "reserved"),
        ("Kent", "lower-case"),
        ("KENT", "lower-case"),
        ("a" * 41, "3 to 40"),
        ("ab", "3 to 40"),
        ("kent-", "hyphen"),
        ("-kent", "start with a letter"),
        ("9kent", "start with a letter"),
        ("ke--nt", "two hyphens"),
        ("kent'; drop table x;--", "lower-case"),
        ('kent"', "lower-case"),
        ("ke nt", "lower-case"),
        ("kent.police", "lower-case"),
        ("ke_nt", "lower-case"),
        ("", "3 to 40"),
        ("kënt", "lower-case"),
    ],
)
def test_bad_slugs_say_why(slug, reason):
    with pytest.raises(InvalidSlug, match=reason):
        validate_slug(slug)


def test_database_names_are_derived_and_safe():
    assert schema_name("avon-and-somerset") == "t_avon_and_somerset"
    assert role_name("avon-and-somerset", "tenant") == "tenant_avon_and_somerset"
    assert quoted("t_kent") == '"t_kent"'
    with pytest.raises(ValueError, match="safe identifier"):
        quoted('t_kent"; drop')
