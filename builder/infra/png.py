"""PNG images written with zlib and struct: the same bytes on every build, no image library."""

from __future__ import annotations

import struct
import zlib


def encode(width: int, height: int, rows: list[bytes], *, alpha: bool = False) -> bytes:
    """A PNG of `rows` (each `width` pixels of RGB, or RGBA with `alpha`, 8 bits a channel)."""
    raw = b"".join(b"\x00" + bytes(row) for row in rows)        # filter type 0 on every scanline
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
