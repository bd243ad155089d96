"""The course badge: Moodle's own (Open Badges) badge, awarded when the learner completes the course.

Moodle restores a badge switched off (restore_badges_structure_step sets BADGE_STATUS_INACTIVE),
so after restoring, a teacher turns it on under Badges → Manage badges → Enable access; the
facilitator guide says so. The picture is a disc in the course colour with a white ring, drawn
here in the three sizes Moodle's process_new_icon() keeps (f1 100 px, f2 35 px, f3 512 px)."""

from __future__ import annotations

from builder.infra import cache, png
from builder.model.colour import parse_colour

SIZES = {"f1.png": 100, "f2.png": 35, "f3.png": 512}


def images(colour: str) -> dict[str, bytes]:
    """The three pictures, from the build cache when this colour was drawn before: drawn pixel by
    pixel they took 0.12 s of every Moodle build (0.6 s under cProfile), and they change only with
    the course colour."""
    out = {}
    for name, size in SIZES.items():
        key = cache.key("badge", size, colour)
        out[name] = cache.get_blob("badge", key)
        if out[name] is None:
            out[name] = _disc(size, parse_colour(colour))
            cache.put_blob("badge", key, out[name])
    return out


def _disc(size: int, colour: tuple[int, int, int]) -> bytes:
    """A filled disc with a white ring inside its edge, on a transparent square."""
    centre, outer = (size - 1) / 2, size / 2
    ring_out, ring_in = outer * 0.78, outer * 0.70
    fill, white, clear = bytes((*colour, 255)), b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            r = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            row += clear if r > outer else white if ring_in <= r <= ring_out else fill
        rows.append(bytes(row))
    return png.encode(size, size, rows, alpha=True)
