"""The committed front end: GOV.UK Frontend 6, no GOV.UK brand, no fonts, no inline JS."""

from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"


def test_the_compiled_assets_are_committed():
    for name in ("css/app.css", "js/app.js", "js/govuk-frontend.min.js", "images/favicon.svg"):
        assert (STATIC / name).stat().st_size > 0, name


def test_no_gov_uk_font_crown_or_logotype():
    css = (STATIC / "css" / "app.css").read_text()
    assert "@font-face" not in css
    assert "GDS Transport" not in css
    assert ".govuk-exit-this-page" in css and ".govuk-generic-header" in css
    files = {p.name for p in STATIC.rglob("*")}
    assert not [name for name in files if "crown" in name or "govuk-icon" in name]
    assert not [name for name in files if name.endswith((".woff", ".woff2", ".png"))]


def test_the_brand_colour_comes_from_a_validated_custom_property():
    css = (STATIC / "css" / "app.css").read_text()
    assert "var(--tmc-brand" in css


def test_app_js_starts_gov_uk_frontend_without_eval():
    js = (STATIC / "js" / "app.js").read_text()
    assert "initAll" in js and "eval(" not in js
