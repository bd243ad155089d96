"""Photos as they are published: without what a camera or editor wrote about them, within a pixel budget.

A phone photo carries where it was taken (EXIF GPS), when, with which device, often the owner's
name, and editors add XMP and comments. Every package would hand that to every learner. So the
published copy keeps only what shows the picture: the compressed pixels untouched (no re-encoding,
not one pixel changes), the colour profile, and the rotation (a photo taken upright stays upright).
Everything else is left out: JPEG APP1 (EXIF, XMP), APP13 (IPTC) and comments; PNG text and time
chunks and eXIf; WebP EXIF and XMP chunks. The editor's file in course/media/ is not changed.

A picture of 30,000 × 30,000 pixels is 3.6 GB once decoded: browsers show it broken and the PDF left
it out without a word. So the size in pixels is read from the header and held to a budget.
"""

from __future__ import annotations

import struct

MAX_SIDE = 8192              # pixels a side; a full-width photo needs about 2000
MAX_PIXELS = 40_000_000      # 40 megapixels: a 48-MP phone photo must be scaled down first


class Unreadable(ValueError):
    """The picture's header cannot be read (cut off, or not what its type says)."""


def size(ext: str, data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the header of a PNG, JPEG or WebP picture."""
    try:
        if ext == "png":
            if data[12:16] != b"IHDR":
                raise Unreadable("no IHDR")
            return struct.unpack(">II", data[16:24])
        if ext in ("jpg", "jpeg"):
            for marker, start, end in _jpeg_segments(data):
                if marker in _SOF:
                    h, w = struct.unpack(">HH", data[start + 1:start + 5])
                    return w, h
            raise Unreadable("no frame header")
        if ext == "webp":
            kind = data[12:16]
            if kind == b"VP8X":
                return (int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
            if kind == b"VP8L":
                bits = int.from_bytes(data[21:25], "little")
                return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
            if kind == b"VP8 ":
                w, h = struct.unpack("<HH", data[26:30])
                return w & 0x3FFF, h & 0x3FFF
            raise Unreadable("unknown WebP kind")
    except struct.error:
        raise Unreadable("cut off") from None
    raise Unreadable(ext)


def budget_problem(ext: str, data: bytes) -> tuple[str, str] | None:
    """(what is wrong, what to do) when the picture is too large in pixels or its header is unreadable."""
    try:
        w, h = size(ext, data)
    except Unreadable:
        return ("the picture's header cannot be read (the file is cut off or damaged)", "save the picture again")
    if w > MAX_SIDE or h > MAX_SIDE or w * h > MAX_PIXELS:
        return (f"the picture is {w:,} × {h:,} pixels, more than the {MAX_SIDE:,} pixels a side and "
                f"{MAX_PIXELS // 1_000_000} megapixels a browser and the PDF can show",
                "scale it down (2000 pixels across is plenty on a screen and in print) and save it again")
    return None


def published(ext: str, data: bytes) -> bytes:
    """The picture without location, device, owner, comments or other metadata; pixels unchanged."""
    if ext == "png":
        return _png(data)
    if ext in ("jpg", "jpeg"):
        return _jpeg(data)
    if ext == "webp":
        return _webp(data)
    return data


# --- PNG: keep the chunks that draw the picture ------------------------------------------------
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
             b"pHYs", b"bKGD", b"acTL", b"fcTL", b"fdAT", b"cICP"}


def _png(data: bytes) -> bytes:
    out, pos = [data[:8]], 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if kind in _PNG_KEEP:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out)


# --- JPEG: drop APP1 (EXIF/XMP), APP3–APP15 but the Adobe one, and comments; keep the rotation ---
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_segments(data: bytes):
    """(marker, start of its payload, end) of each header segment, up to the start of the scan."""
    if data[:2] != b"\xff\xd8":
        raise Unreadable("no SOI")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise Unreadable("no marker")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        yield marker, pos + 4, pos + 2 + length
        if marker == 0xDA:          # start of scan: the compressed pixels follow
            return
        pos += 2 + length


def _jpeg(data: bytes) -> bytes:
    out, rest, orientation = [b"\xff\xd8"], 2, 1
    for marker, start, end in _jpeg_segments(data):
        segment = data[start - 4:end]
        if marker == 0xDA:
            out.append(data[start - 4:])            # the scan and everything after it, as it is
            rest = None
            break
        if marker == 0xE1 and data[start:start + 6] == b"Exif\0\0":
            orientation = _exif_orientation(data[start + 6:end])
            continue
        if marker == 0xFE or marker == 0xE1 or marker == 0xED or (0xE3 <= marker <= 0xEF and marker != 0xEE):
            continue                                  # comment, EXIF/XMP, IPTC, maker notes
        out.append(segment)
        rest = end
    if rest is not None:
        raise Unreadable("no scan")
    if orientation != 1:            # after the JFIF segment, which must come first
        out.insert(2 if out[1][:2] == b"\xff\xe0" else 1, _exif_with_orientation(orientation))
    return b"".join(out)


def _exif_orientation(tiff: bytes) -> int:
    try:
        order = {b"II": "<", b"MM": ">"}[tiff[:2]]
        ifd = struct.unpack(order + "I", tiff[4:8])[0]
        count = struct.unpack(order + "H", tiff[ifd:ifd + 2])[0]
        for i in range(count):
            tag, kind, _n, value = struct.unpack(order + "HHI4s", tiff[ifd + 2 + 12 * i:ifd + 14 + 12 * i])
            if tag == 0x0112 and kind == 3:
                found = struct.unpack(order + "H", value[:2])[0]
                return found if 1 <= found <= 8 else 1
    except (KeyError, struct.error):
        pass
    return 1


def _exif_with_orientation(orientation: int) -> bytes:
    """An EXIF segment that says how to turn the picture, and nothing else."""
    tiff = b"MM\0*" + struct.pack(">I", 8) + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) \
        + struct.pack(">I", 0)
    payload = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


# --- WebP: drop the EXIF and XMP chunks and their flags ------------------------------------------
def _webp(data: bytes) -> bytes:
    if data[12:16] != b"VP8X":
        return data                  # a simple WebP has no room for metadata
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        kind, length = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        end = pos + 8 + length + (length & 1)
        if kind not in (b"EXIF", b"XMP "):
            chunks.append(bytearray(data[pos:end]))
        pos = end
    chunks[0][8] &= ~(0x08 | 0x04) & 0xFF      # VP8X flags: no EXIF (bit 3), no XMP (bit 2)
    body = b"WEBP" + b"".join(bytes(c) for c in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body

