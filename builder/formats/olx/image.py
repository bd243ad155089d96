"""The course card image, drawn here so the package needs no binary file in the sources.

Studio shows `course_image` on the course card and about page (378 x 225 is its suggested
size). A PNG (builder/infra/png.py): the same bytes on every build, no image library."""

from __future__ import annotations

import math

from builder.infra import png

WIDTH, HEIGHT = 378, 225
BACKGROUND = (0x1F, 0x4E, 0x5F)   # dark teal
BAND = (0xF2, 0xB1, 0x34)         # warm yellow band
DOTS = (0xFF, 0xFF, 0xFF)         # the gatherings on the timeline


def course_image_png(gatherings: int = 4) -> bytes:
    """A dark card with a yellow timeline band and one white dot per gathering."""
    band_top, band_bottom = HEIGHT * 3 // 5, HEIGHT * 3 // 5 + 10
    count = max(gatherings, 1)
    centres = [round(40 + i * (WIDTH - 80) / max(count - 1, 1)) for i in range(count)] if count > 1 else [WIDTH // 2]
    cy, radius = (band_top + band_bottom) // 2, 12
    plain, band = bytes(BACKGROUND) * WIDTH, bytes(BAND) * WIDTH
    rows = []
    for y in range(HEIGHT):
        row = bytearray(band if band_top <= y < band_bottom else plain)
        for cx in centres:
            if abs(y - cy) <= radius:
                half = math.isqrt(radius ** 2 - (y - cy) ** 2)
                for x in range(max(cx - half, 0), min(cx + half, WIDTH - 1) + 1):
                    row[3 * x:3 * x + 3] = bytes(DOTS)
        rows.append(bytes(row))
    return png.encode(WIDTH, HEIGHT, rows)
