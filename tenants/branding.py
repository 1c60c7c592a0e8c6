"""A force's branding: a few validated design tokens, never raw HTML or CSS."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

DEFAULT_COLOUR = "#1d70b8"
MIN_CONTRAST = 4.5
_HEX = re.compile(r"^#[0-9a-f]{6}$")
_PHONE = re.compile(r"^[0-9 +()-]{3,20}$")
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[a-z0-9.-]{1,190}\.[a-z]{2,24}$")
_TEXT_LIMIT = 200


class InvalidBranding(ValueError):
    """A token is missing its format or would make the site hard to read."""


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_with_white(hex_colour: str) -> float:
    """WCAG contrast ratio between hex_colour and white."""
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


def validate_colour(value: Any) -> str:
    """The colour as lower-case #rrggbb if white text on it is readable, else raise."""
    colour = str(value).strip().lower()
    if not _HEX.fullmatch(colour):
        raise InvalidBranding("The brand colour must be a hex colour like #1d70b8.")
    if contrast_with_white(colour) < MIN_CONTRAST:
        raise InvalidBranding(
            f"The brand colour {colour} is too light: white text on it must have a "
            f"contrast of at least {MIN_CONTRAST}:1."
        )
    return colour


def _text(value: Any, pattern: re.Pattern[str] | None, label: str) -> str:
    text = str(value).strip()
    if not text or len(text) > _TEXT_LIMIT or (pattern and not pattern.fullmatch(text.lower())):
        raise InvalidBranding(f"The {label} is not valid.")
    return text


def validate_branding(tokens: Mapping[str, Any]) -> dict[str, str]:
    """Return only known, valid tokens; raise InvalidBranding on the first bad one."""
    clean = {"colour": validate_colour(tokens.get("colour", DEFAULT_COLOUR))}
    checks = {
        "phone": (_PHONE, "phone number"),
        "email": (_EMAIL, "email address"),
        "address": (None, "address"),
    }
    for key, (pattern, label) in checks.items():
        if tokens.get(key):
            clean[key] = _text(tokens[key], pattern, label)
    return clean
