import pytest

from app.demo import DEMO_FORCES
from tenants.branding import InvalidBranding, contrast_with_white, validate_branding


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
