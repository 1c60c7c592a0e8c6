"""A force's branding: a few validated design tokens, never raw HTML or CSS."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

DEFAULT_COLOUR = "#1d70b8"
MIN_CONTRAST = 4.5
_HEX = re.compile(r"^#[0-9a-f]{6}$")
_PHONE = re.compile(r"^[0-9 +()-]{3,20}$")
# A conservative address: it goes into a mailto: link, where ?, &, = and % would add
# headers or a body (mailto:x?subject=...&body=...@force.example).
_EMAIL = re.compile(
    r"^[a-z0-9._+-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,24}$"
)
_TEXT_LIMIT = 200
_TEXT_TOKENS = {
    "phone": (_PHONE, "phone number"),
    "email": (_EMAIL, "email address"),
    "address": (None, "address"),
    # The address in Welsh, shown instead of `address` on Welsh pages (forces in Wales).
    "address_cy": (None, "Welsh address"),
}


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


def _has_control(text: str) -> bool:
    return any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text)


def _text(value: Any, pattern: re.Pattern[str] | None, label: str) -> str:
    text = str(value).strip()
    if not text or len(text) > _TEXT_LIMIT or _has_control(text):
        raise InvalidBranding(f"The {label} is not valid.")
    if pattern and not pattern.fullmatch(text.lower()):
        raise InvalidBranding(f"The {label} is not valid.")
    return text


def validate_branding(tokens: Mapping[str, Any]) -> dict[str, str]:
    """Return only known, valid tokens; raise InvalidBranding on the first bad one."""
    clean = {"colour": validate_colour(tokens.get("colour", DEFAULT_COLOUR))}
    for key, (pattern, label) in _TEXT_TOKENS.items():
        if tokens.get(key):
            clean[key] = _text(tokens[key], pattern, label)
    return clean


def safe_branding(raw: Mapping[str, Any]) -> dict[str, str]:
    """The valid tokens of raw, for rendering; never raises.

    The registry validates tokens on the way in; this checks them again on the way out,
    so a value written straight into the table (or allowed by an older rule) never
    reaches a page. Bad tokens are dropped; a bad or missing colour becomes the default.
    """
    tokens: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    clean = {"colour": _valid_or_none(validate_colour, tokens.get("colour")) or DEFAULT_COLOUR}
    for key, (pattern, label) in _TEXT_TOKENS.items():
        text = _valid_or_none(_text, tokens.get(key), pattern, label)
        if text:
            clean[key] = text
    return clean


def _valid_or_none(check: Callable[..., str], value: Any, *args: Any) -> str | None:
    if not isinstance(value, str) or not value:  # tokens are strings; JSON may hold anything
        return None
    try:
        return check(value, *args)
    except (InvalidBranding, ValueError, TypeError):
        return None
