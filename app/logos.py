"""A force's logo: a real PNG (rebuilt with only its image chunks) or an SVG with
nothing active in it; anything else is refused with the reason. Shared by the force
administrator's upload (app.admin) and the force application (app.central), which both
check with `checked`, word refusals with REFUSALS and keep the logo with `store`.

PNG: the signature, every chunk's length and CRC, sane dimensions, and the file ending
at IEND (a PNG that is really HTML, or an image with a page appended, fails); it is
rebuilt from its image chunks, so text and metadata chunks never reach visitors.
SVG: parsed as XML with no DOCTYPE (so no entities), an allow-list of drawing elements,
no event handlers, no links or url() outside the document itself, no <style>. The app
serves it as image/svg+xml with nosniff, under the site's CSP, and pages show it only
through <img>, where scripts never run anyway.
"""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.models import BrandAsset

PNG_LIMIT = 256 * 1024
SVG_LIMIT = 64 * 1024
MAX_SIDE = 2000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Critical chunks and those that change how the pixels look; everything else is dropped.
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP"}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_SVG_ELEMENTS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "title", "desc", "defs", "lineargradient", "radialgradient", "stop",
    "clippath", "use", "symbol",
}  # fmt: skip
_ACTIVE_VALUE = re.compile(r"javascript:|data:|@import|expression\s*\(|url\(\s*['\"]?(?!#)", re.I)


class LogoRefused(ValueError):
    """The file is not a logo we can serve safely; `reason` names why (for the message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Logo:
    content_type: str
    data: bytes


def checked(data: bytes, filename: str) -> Logo:
    """The logo to store for an upload, or LogoRefused."""
    if not data:
        raise LogoRefused("empty")
    if data.startswith(PNG_SIGNATURE):
        return Logo("image/png", checked_png(data))
    if filename.lower().endswith(".svg") or data.lstrip()[:5] in (b"<?xml", b"<svg "):
        return Logo("image/svg+xml", checked_svg(data))
    raise LogoRefused("type")


# --- PNG ------------------------------------------------------------------------------------


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], len(PNG_SIGNATURE)
    while at < len(data):
        if at + 12 > len(data):
            raise LogoRefused("broken")
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        end = at + 12 + length
        if len(body) != length or end > len(data) or not kind.isalpha():
            raise LogoRefused("broken")
        (crc,) = struct.unpack(">I", data[at + 8 + length : end])
        if zlib.crc32(kind + body) != crc:
            raise LogoRefused("broken")
        chunks.append((kind, body))
        at = end
        if kind == b"IEND":
            break
    if at != len(data) or not chunks or chunks[-1][0] != b"IEND":
        raise LogoRefused("broken")  # cut short, or something hidden after the image
    return chunks


def checked_png(data: bytes) -> bytes:
    """data rebuilt from its image chunks, if it is a whole, sane PNG."""
    if len(data) > PNG_LIMIT:
        raise LogoRefused("size")
    chunks = _chunks(data)
    kind, header = chunks[0]
    if kind != b"IHDR" or len(header) != 13:
        raise LogoRefused("broken")
    width, height = struct.unpack(">II", header[:8])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise LogoRefused("dimensions")
    if not any(k == b"IDAT" for k, _ in chunks):
        raise LogoRefused("broken")
    kept = b"".join(
        struct.pack(">I", len(body)) + k + body + struct.pack(">I", zlib.crc32(k + body))
        for k, body in chunks
        if k in _PNG_KEEP
    )
    return PNG_SIGNATURE + kept


# --- SVG -------------------------------------------------------------------------------------


def _local(name: str) -> tuple[str, str]:
    namespace, _, local = name.rpartition("}")
    return namespace.lstrip("{"), local


def _check_element(element: ElementTree.Element) -> None:
    namespace, name = _local(element.tag)
    if namespace != SVG_NS or name.lower() not in _SVG_ELEMENTS:
        raise LogoRefused("svg-element")
    for attribute, value in element.attrib.items():
        attribute_ns, attribute_name = _local(attribute)
        if attribute_name.lower().startswith("on"):
            raise LogoRefused("svg-script")
        if attribute_name == "href" and attribute_ns in ("", XLINK_NS):
            if not value.strip().startswith("#"):
                raise LogoRefused("svg-link")
        elif attribute_ns not in ("", XLINK_NS, XML_NS):
            raise LogoRefused("svg-attribute")
        elif _ACTIVE_VALUE.search(value):
            raise LogoRefused("svg-link")


def checked_svg(data: bytes) -> bytes:
    """data, if it is a small SVG drawing with nothing active or external in it."""
    if len(data) > SVG_LIMIT:
        raise LogoRefused("size")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LogoRefused("broken") from None
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        raise LogoRefused("svg-doctype")  # entities: external files, billion laughs
    try:
        # No DOCTYPE (refused above), so no entities to expand or fetch.
        root = ElementTree.fromstring(text)  # noqa: S314
    except ElementTree.ParseError:
        raise LogoRefused("broken") from None
    if _local(root.tag) != (SVG_NS, "svg"):
        raise LogoRefused("type")
    for element in root.iter():
        _check_element(element)
    return data


# --- what a refusal says ---------------------------------------------------------------------

REFUSALS = {
    "empty": _l("The selected file is empty"),
    "size": _l("The logo must be a PNG up to 256 KB or an SVG up to 64 KB"),
    "type": _l("The logo must be a PNG or an SVG"),
    "broken": _l("The file is not a whole PNG or SVG image"),
    "dimensions": _l("The logo must be at most 2000 pixels wide and high"),
    "svg-doctype": _l("The SVG must not have a DOCTYPE or entities"),
    "svg-element": _l("The SVG may only contain shapes, paths, text and gradients"),
    "svg-script": _l("The SVG must not contain scripts or event handlers"),
    "svg-link": _l("The SVG must not link to anything outside itself"),
    "svg-attribute": _l("The SVG contains attributes from another program: export it as plain SVG"),
}


def refusal_message(refused: LogoRefused) -> str:
    """What to tell the person who uploaded the file."""
    return str(REFUSALS.get(refused.reason, REFUSALS["type"]))


# --- keeping it ------------------------------------------------------------------------------


def digest(data: bytes) -> str:
    """The logo's SHA-256: the force's settings name it, and its address carries it."""
    return hashlib.sha256(data).hexdigest()


def store(session: Session, logo: Logo, uploaded_by: uuid.UUID | None = None) -> str:
    """Keep logo as the force's one logo, in the schema session is bound to (replacing
    any earlier one, so storing the same logo twice changes nothing); its digest, for
    the force's "logo" setting."""
    found = digest(logo.data)
    asset = session.get(BrandAsset, "logo")
    if asset is None:
        asset = BrandAsset(key="logo")
        session.add(asset)
    asset.content_type, asset.data, asset.size = logo.content_type, logo.data, len(logo.data)
    asset.sha256, asset.uploaded_by = found, uploaded_by
    session.flush()
    return found
