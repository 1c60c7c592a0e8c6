"""Small real images for logo tests: a PNG built chunk by chunk (so a test can slip an
extra chunk in, or data after the end), as app.logos expects to check it."""

from __future__ import annotations

import struct
import zlib

from app.logos import PNG_SIGNATURE


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int = 2, height: int = 2, extra: bytes = b"") -> bytes:
    """A whole width x height RGB PNG; extra chunks go between the header and the pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x1d\x70\xb8" * width for _ in range(height)))
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )
