import pytest

from app.demo import DEMO_FORCES
from tenants.branding import (
    DEFAULT_COLOUR,
    InvalidBranding,
    contrast_with_white,
    safe_branding,
    validate_branding,
)


def test_contrast_matches_wcag_reference_values():
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#1d70b8") == pytest.approx(5.17, abs=0.01)


@pytest.mark.parametrize("colour", ["#ffdd00", "#ffffff", "#00ff00", "#888888"])
def test_light_colours_are_refused(colour):
    with pytest.raises(InvalidBranding, match="too light"):
        validate_branding({"colour": colour})


@pytest.mark.parametrize(
    "colour", ["red", "#fff", "#12345g", "</style><script>alert(1)</script>", "#0b0c0c;x:y", 123]
)
def test_malformed_colours_are_refused(colour):
    with pytest.raises(InvalidBranding, match="hex colour"):
        validate_branding({"colour": colour})


def test_unknown_tokens_are_dropped_and_text_checked():
    clean = validate_branding({"colour": "#0B3D6B", "css": "body{}", "phone": "01632 960 101"})
    assert clean == {"colour": "#0b3d6b", "phone": "01632 960 101"}
    with pytest.raises(InvalidBranding, match="email"):
        validate_branding({"email": "<script>@x.com"})
    with pytest.raises(InvalidBranding, match="address"):
        validate_branding({"address": "x" * 500})


def test_demo_forces_have_distinct_accessible_colours():
    colours = [validate_branding(force.branding or {})["colour"] for force in DEMO_FORCES]
    assert len(set(colours)) == 3


@pytest.mark.parametrize(
    "email",
    [
        "x?subject=Hello&body=Click@kent.example",
        "a%0d%0abcc:b@kent.example",
        "a/b@kent.example",
        "a=b@kent.example",
        "a&b@kent.example",
        "a b@kent.example",
        "<script>@kent.example",
        "a@kent.example?cc=x@evil.example",
        "a@-kent.example",
        "a@kent",
    ],
)
def test_emails_that_would_inject_into_a_mailto_link_are_refused(email):
    with pytest.raises(InvalidBranding, match="email"):
        validate_branding({"email": email})


@pytest.mark.parametrize(
    "email", ["trackmycrime@kent.example", "victim.care+101@avon-and-somerset.police.uk"]
)
def test_ordinary_emails_are_kept(email):
    assert validate_branding({"email": email})["email"] == email


def test_text_tokens_refuse_control_characters():
    with pytest.raises(InvalidBranding, match="address"):
        validate_branding({"address": "1 High Street\r\nSet-Cookie: x"})


HOSTILE = {
    "colour": "red}body{display:none",
    "email": "x?subject=Hi&body=Go@kent.example",
    "phone": "<b>101</b>",
    "address": "x" * 500,
    "css": "body{display:none}",
}


def test_safe_branding_keeps_valid_tokens_and_drops_the_rest():
    good = {"colour": "#0B3D6B", "email": "help@kent.example", "phone": "101", "address": "HQ"}
    assert safe_branding(good) == {
        "colour": "#0b3d6b",
        "email": "help@kent.example",
        "phone": "101",
        "address": "HQ",
    }
    assert safe_branding(HOSTILE) == {"colour": DEFAULT_COLOUR}


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"colour": "#ffffff"},  # valid hex, too light: the default, not an error
        {"colour": None, "email": None, "phone": 101, "address": ["a"]},
        {"colour": 123, "email": {"a": "b"}},
        ["not", "a", "mapping"],
        None,
        "colour",
    ],
)
def test_safe_branding_never_raises_and_always_has_a_colour(raw):
    assert safe_branding(raw) == {"colour": DEFAULT_COLOUR}
