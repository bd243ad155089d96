"""The course colour as numbers: parsing, WCAG contrast, and the check that it can carry text.

The loader checks the editor's `colour:` with `colour_problem`; the renderer derives Designsystemet's
accent tokens from it (builder/render/designsystem.py) with the same arithmetic."""

from __future__ import annotations

import re

WHITE, BLACK = (255, 255, 255), (0, 0, 0)
MIN_CONTRAST = 4.5


def parse_colour(text: str) -> tuple[int, int, int] | None:
    m = re.fullmatch(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})", text.strip())
    if not m:
        return None
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def hexed(rgb) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a, b, share_of_b: float):
    return tuple(x + (y - x) * share_of_b for x, y in zip(a, b))


def until(colour, towards, against, ratio=MIN_CONTRAST):
    """`colour` moved towards `towards` in small steps until it reaches `ratio` against `against`."""
    for step in range(0, 201):
        candidate = tuple(round(c) for c in mix(colour, towards, step / 200))   # as written in the CSS
        if contrast(candidate, against) >= ratio:
            return candidate
    return towards


def colour_problem(text: str) -> tuple[str, str] | None:
    """(message, hint) when the course colour cannot be used for text and buttons, else None."""
    rgb = parse_colour(text)
    if rgb is None:
        return (f"the colour '{text}' is not a colour code",
                "write it as six hexadecimal digits in quotes, for example `colour: \"#0b5d7a\"`")
    ratio = contrast(rgb, WHITE)
    if ratio < MIN_CONTRAST:
        darker = hexed(until(rgb, BLACK, WHITE))
        return (f"the colour {text} has a contrast of only {ratio:.2f}:1 against white; links and buttons "
                f"need at least {MIN_CONTRAST}:1 (WCAG 1.4.3)",
                f"choose a darker colour, for example `colour: \"{darker}\"`, which keeps the hue")
    return None
