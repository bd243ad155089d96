"""Figures drawn from their data (course/figures/<id>.yml): a chain from the top down («Hvem
bestemmer hva»), a cycle of four phases (action learning) and a year wheel (the political year).

Each is an SVG 360 units wide, so that at 375 px (343 px of column) its smallest text, 15 units, is
14.3 px, and the stylesheet caps it at 28rem on a wide screen. Text is wrapped here, by an
estimate of its width, so a longer nynorsk label gets a taller box instead of running out of it.
The drawing carries the light colours as presentation attributes (what print and Open edX show);
in the web edition a style inside it (THEMED) overrides them with the theme's tokens, so it follows
the course colour and dark mode. Under the drawing is the same content as text: a caption with what
to notice and the steps as a list (folded for a chain and a cycle, open for the year, whose
drawing only numbers them). The SVG holds only what the SVG allow-list admits
(builder/loader/svgpolicy.py; tests/render/test_figures.py checks every figure against it).
"""

from __future__ import annotations

import math
from html import escape

from builder.infra import typography
from builder.model import Course, Figure, markup
from builder.render.designsystem import accent_scheme, theme_token

WIDTH = 360
PAD = 14               # inside a box
CHAR = 0.58            # a character's width in em, on average (DejaVu Sans, the widest font we meet, ~0.55–0.6)
LABEL, TEXT = 17, 15   # font sizes in SVG units
LINE = {LABEL: 22, TEXT: 20}


def _wrap(text: str, size: int, width: float) -> list[str]:
    """`text` in lines that fit `width` units at `size` (a word longer than the width keeps its line).
    Lines break at plain spaces only: the no-break rules (§ 5‑3, 80 %) hold in a drawing too."""
    most = max(1, int(width / (size * CHAR)))
    lines, line = [], ""
    for word in typography.text(" ".join(text.split())).split(" "):
        if line and len(line) + 1 + len(word) > most:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


# The web edition's repaint: the theme's tokens (course colour, light and dark) over the attributes.
# Inside the drawing rather than in kurs.css, so that only pages with a figure carry it (the front page
# has none and a weight budget, tests/bench/pages.py); fill, stroke and font only, as the allow-list wants.
THEMED = ("<style>.ks-fig-drawing{font-family:inherit}"
          ".ks-fig-box{fill:var(--ds-color-accent-surface-tinted);stroke:var(--ds-color-accent-border-default)}"
          ".ks-fig-label,.ks-fig-text{fill:var(--ds-color-neutral-text-default)}"
          ".ks-fig-ref{fill:var(--ds-color-accent-text-subtle)}"
          ".ks-fig-arrow,.ks-fig-law{stroke:var(--ds-color-accent-base-default)}"
          ".ks-fig-head,.ks-fig-badge{fill:var(--ds-color-accent-base-default)}"
          ".ks-fig-badge-text{fill:var(--ds-color-accent-base-contrast-default)}"
          ".ks-fig-month{fill:var(--ds-color-neutral-background-tinted);stroke:var(--ds-color-neutral-border-subtle)}"
          ".ks-fig-month-text{fill:var(--ds-color-neutral-text-subtle)}"
          ".ks-fig-practice{stroke:var(--ds-color-neutral-border-strong)}</style>")


class _Paint:
    """The light scheme's colours, by the class the stylesheet uses to repaint them."""

    def __init__(self, colour: str):
        accent = accent_scheme(colour, False)
        self.colours = {
            "ks-fig-box": (accent["surface-tinted"], accent["border-default"]),
            "ks-fig-label": (theme_token("neutral-text-default"), "none"),
            "ks-fig-text": (theme_token("neutral-text-default"), "none"),
            "ks-fig-ref": (accent["text-subtle"], "none"),
            "ks-fig-arrow": ("none", accent["base-default"]),
            "ks-fig-head": (accent["base-default"], "none"),
            "ks-fig-badge": (accent["base-default"], "none"),
            "ks-fig-badge-text": (accent["base-contrast-default"], "none"),
            "ks-fig-month": (theme_token("neutral-background-tinted"), theme_token("neutral-border-subtle")),
            "ks-fig-month-text": (theme_token("neutral-text-subtle"), "none"),
            "ks-fig-law": ("none", accent["base-default"]),
            "ks-fig-practice": ("none", theme_token("neutral-border-strong")),
        }

    def __call__(self, cls: str) -> str:
        fill, stroke = self.colours[cls]
        return f'class="{cls}" fill="{fill}" stroke="{stroke}"'


def _text(paint: _Paint, cls: str, x: float, y: float, lines: list[str], size: int, anchor: str = "start",
          weight: str = "", italic: bool = False) -> str:
    attrs = f' font-size="{size}"' + (f' font-weight="{weight}"' if weight else "") + \
        (' font-style="italic"' if italic else "") + (f' text-anchor="{anchor}"' if anchor != "start" else "")
    spans = "".join(f'<tspan x="{x:g}" y="{y + i * LINE[size]:g}">{escape(line, quote=False)}</tspan>'
                    for i, line in enumerate(lines))
    return f"<text {paint(cls)}{attrs}>{spans}</text>"


def _arrow(paint: _Paint, x1: float, y1: float, x2: float, y2: float) -> str:
    """A line from (x1, y1) to (x2, y2) with its head at the end."""
    angle = math.atan2(y2 - y1, x2 - x1)
    back = 10
    bx, by = x2 - back * math.cos(angle), y2 - back * math.sin(angle)
    px, py = 6 * -math.sin(angle), 6 * math.cos(angle)
    head = f"{x2:.1f},{y2:.1f} {bx + px:.1f},{by + py:.1f} {bx - px:.1f},{by - py:.1f}"
    return (f'<line {paint("ks-fig-arrow")} stroke-width="2.5" x1="{x1:.1f}" y1="{y1:.1f}" x2="{bx:.1f}" y2="{by:.1f}"/>'
            f'<polygon {paint("ks-fig-head")} points="{head}"/>')


def _badge(paint: _Paint, cx: float, cy: float, n: int) -> str:
    return (f'<circle {paint("ks-fig-badge")} cx="{cx:.1f}" cy="{cy:.1f}" r="12"/>'
            f'<text {paint("ks-fig-badge-text")} x="{cx:.1f}" y="{cy + 5:.1f}" font-size="{TEXT}" font-weight="bold" '
            f'text-anchor="middle">{n}</text>')


def _chain(fig: Figure, paint: _Paint) -> tuple[list[str], float]:
    parts, y, inner = [], 4.0, WIDTH - 8 - 2 * PAD
    for i, step in enumerate(fig.steps):
        label = _wrap(step.label, LABEL, inner)
        text = _wrap(step.text, TEXT, inner)
        ref = _wrap(step.reference, TEXT, inner)
        height = PAD + len(label) * LINE[LABEL] + (len(text) + len(ref)) * LINE[TEXT] + 8
        parts.append(f'<rect {paint("ks-fig-box")} stroke-width="1.5" x="4" y="{y:g}" width="{WIDTH - 8}" '
                     f'height="{height:g}" rx="10"/>')
        ty = y + PAD + LABEL - 2
        parts.append(_text(paint, "ks-fig-label", 4 + PAD, ty, label, LABEL, weight="bold"))
        ty += len(label) * LINE[LABEL]
        if text:
            parts.append(_text(paint, "ks-fig-text", 4 + PAD, ty, text, TEXT))
            ty += len(text) * LINE[TEXT]
        if ref:
            parts.append(_text(paint, "ks-fig-ref", 4 + PAD, ty, ref, TEXT, weight="600"))
        y += height
        if i < len(fig.steps) - 1:
            words = _wrap(step.arrow, TEXT, WIDTH - 70)
            gap = max(40, 16 + len(words) * LINE[TEXT])
            parts.append(_arrow(paint, 36, y + 2, 36, y + gap - 2))
            if words:
                top = y + gap / 2 - (len(words) - 1) * LINE[TEXT] / 2 + 5
                parts.append(_text(paint, "ks-fig-text", 56, top, words, TEXT, italic=True))
            y += gap
    return parts, y + 4


def _cycle(fig: Figure, paint: _Paint) -> tuple[list[str], float]:
    """Four (or up to six) phases clockwise in two columns: down the right, back up the left."""
    n = len(fig.steps)
    box_w = 158
    left, right = 4, WIDTH - 4 - box_w
    order = _clockwise(n)
    cells = {}
    for (row, col), step in zip(order, fig.steps):
        label = _wrap(step.label, LABEL, box_w - 2 * PAD - 30)
        text = _wrap(step.text, TEXT, box_w - 2 * PAD)
        ref = _wrap(step.reference, TEXT, box_w - 2 * PAD)
        cells[row, col] = (step, label, text, ref, PAD + max(len(label), 1) * LINE[LABEL] + (len(text) + len(ref)) * LINE[TEXT] + 8)
    rows = n // 2
    heights = [max(cells[r, c][4] for c in (0, 1) if (r, c) in cells) for r in range(rows)]
    gap_y = 40
    tops = [4 + sum(heights[:r]) + gap_y * r for r in range(rows)]
    parts, centres = [], {}
    for i, (row, col) in enumerate(order):
        _, label, text, ref, height = cells[row, col]
        x, y = (left, right)[col], tops[row]
        h = heights[row]
        centres[row, col] = (x, y, h)
        parts.append(f'<rect {paint("ks-fig-box")} stroke-width="1.5" x="{x}" y="{y:g}" width="{box_w}" height="{h:g}" rx="10"/>')
        parts.append(_badge(paint, x + PAD + 10, y + PAD + 10, i + 1))
        parts.append(_text(paint, "ks-fig-label", x + PAD + 28, y + PAD + LABEL - 1, label, LABEL, weight="bold"))
        ty = y + PAD + len(label) * LINE[LABEL] + LABEL - 1
        if text:
            parts.append(_text(paint, "ks-fig-text", x + PAD, ty, text, TEXT))
            ty += len(text) * LINE[TEXT]
        if ref:
            parts.append(_text(paint, "ks-fig-ref", x + PAD, ty, ref, TEXT, weight="600"))
    for a, b in zip(order, order[1:] + order[:1]):
        (ax, ay, ah), (bx, by, bh) = centres[a], centres[b]
        if a[0] == b[0]:                       # along a row: between the columns
            y = ay + ah / 2
            x1, x2 = (ax + box_w + 4, bx - 4) if bx > ax else (ax - 4, bx + box_w + 4)
            parts.append(_arrow(paint, x1, y, x2, y))
        else:                                  # along a column: between the rows
            x = ax + box_w / 2
            y1, y2 = (ay + ah + 4, by - 4) if by > ay else (ay - 4, by + bh + 4)
            parts.append(_arrow(paint, x, y1, x, y2))
    return parts, tops[-1] + heights[-1] + 4


def _clockwise(n: int) -> list[tuple[int, int]]:
    """(row, column) of an even number of cells in two columns, read as a clock goes: the top left
    first, down the right column, back up the left one."""
    rows = n // 2
    return [(0, 0)] + [(r, 1) for r in range(rows)] + [(r, 0) for r in reversed(range(1, rows))]


# The year wheel's rings, in SVG units from its centre. A month's short name is up to 2 em wide in
# DejaVu Sans («mar»: 30 units at 15), the widest font a page falls back to (system-ui on Linux), and
# near 3 and 9 o'clock it lies across the ring: the old ring, 98–128, was as wide as «mar», whose ink
# reached 129 from the centre and touched the badge of step 2 (inner edge at 128). In a ring of 90–134
# every name's ink lies within 96–128 (measured from the font's glyph boxes,
# tests/render/test_figures.py), 6 units clear of the badges; the key inside ends 82 from the centre
# («Vanleg tidspunkt»). Arcs sit ARC_GAP outside the ring, one LANE further out for a milestone whose
# months another already covers; the second lane's badge ends at 176 of the drawing's 180.
RING_INNER, RING_OUTER, ARC_GAP, LANE = 90.0, 134.0, 12, 18


def _year(fig: Figure, paint: _Paint, ui: dict) -> tuple[list[str], float]:
    """Twelve months round a wheel, January at the top; each milestone an arc over its months with its
    number, solid when a law sets it, dashed when it is only common practice."""
    c, inner, outer = WIDTH / 2, RING_INNER, RING_OUTER
    parts = []

    def point(r, month_pos):          # month_pos 0 = the start of January, 12 = the end of December
        a = math.radians(month_pos * 30 - 90)
        return c + r * math.cos(a), c + r * math.sin(a)

    months = ui["months_short"].split()
    for m in range(12):
        (x1, y1), (x2, y2) = point(outer, m), point(outer, m + 1)
        (x3, y3), (x4, y4) = point(inner, m + 1), point(inner, m)
        parts.append(f'<path {paint("ks-fig-month")} stroke-width="1" d="M{x1:.1f},{y1:.1f} A{outer},{outer} 0 0 1 {x2:.1f},{y2:.1f} '
                     f'L{x3:.1f},{y3:.1f} A{inner},{inner} 0 0 0 {x4:.1f},{y4:.1f} Z"/>')
        tx, ty = point((inner + outer) / 2, m + 0.5)
        # the baseline 0.3 em below the point puts the middle of a lowercase word's ink on it
        parts.append(_text(paint, "ks-fig-month-text", tx, ty + 0.3 * TEXT, [months[m]], TEXT, anchor="middle"))
    lanes: list[set[int]] = []
    for i, step in enumerate(fig.steps):
        lane = next((k for k, used in enumerate(lanes) if not used & set(step.months)), None)
        if lane is None:
            lanes.append(set())
            lane = len(lanes) - 1
        lanes[lane] |= set(step.months)
        r = outer + ARC_GAP + lane * LANE
        start, end = step.months[0] - 1 + 0.1, step.months[0] - 1 + len(step.months) - 0.1
        (x1, y1), (x2, y2) = point(r, start), point(r, end)
        large = 1 if end - start > 6 else 0
        kind = "ks-fig-law" if step.by_law else "ks-fig-practice"
        dash = "" if step.by_law else ' stroke-dasharray="5 4"'
        parts.append(f'<path {paint(kind)} stroke-width="6" stroke-linecap="round"{dash} '
                     f'd="M{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 {x2:.1f},{y2:.1f}"/>')
        bx, by = point(r, (start + end) / 2)
        parts.append(_badge(paint, bx, by, i + 1))
    # The key in the middle: what a solid and a dashed arc mean (its longest line, «Vanleg tidspunkt»,
    # spans c - 82 to c + 82 in DejaVu Sans, so the key sits in the middle of the ring).
    key_law, key_practice = ui["figure_key_law"], ui["figure_key_practice"]
    parts.append(f'<line {paint("ks-fig-law")} stroke-width="6" stroke-linecap="round" x1="{c - 79}" y1="{c - 12}" x2="{c - 59}" y2="{c - 12}"/>')
    parts.append(_text(paint, "ks-fig-text", c - 49, c - 7, [key_law], TEXT))
    parts.append(f'<line {paint("ks-fig-practice")} stroke-width="6" stroke-linecap="round" stroke-dasharray="5 4" '
                 f'x1="{c - 79}" y1="{c + 16}" x2="{c - 59}" y2="{c + 16}"/>')
    parts.append(_text(paint, "ks-fig-text", c - 49, c + 21, [key_practice], TEXT))
    return parts, WIDTH


def svg(fig: Figure, course: Course, ui: dict, standalone: bool = False, themed: bool = False) -> str:
    """The drawing. `standalone`: a file of its own (Open edX static/), with its namespace and size.
    `themed`: repainted by the page's theme tokens (the web edition; print and Open edX have none)."""
    paint = _Paint(course.colour)
    if fig.type == "årshjul":
        parts, height = _year(fig, paint, ui)
    else:
        parts, height = (_chain if fig.type == "kjede" else _cycle)(fig, paint)
    height = math.ceil(height)
    own = (f' xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"' if standalone else
           f' role="img" aria-labelledby="figur-{fig.id}-tittel" aria-describedby="figur-{fig.id}-tekst"')
    return (f'<svg{own} viewBox="0 0 {WIDTH} {height}" font-family="DejaVu Sans, Arial, sans-serif" class="ks-fig-drawing">'
            + (THEMED if themed else "") + "".join(parts) + "</svg>")


def text_version(fig: Figure, ui: dict) -> str:
    """The figure as a list: what a screen reader reads, and anyone who cannot see the drawing well."""
    items = []
    for i, s in enumerate(fig.steps, start=1):
        head = f"{s.when}: {s.label}" if s.when else s.label
        basis = "; ".join(b for b in (s.reference, ui["figure_practice"] if fig.type == "årshjul" and not s.by_law else "") if b)
        after = (f'<br><span class="ks-fig-then">{escape(ui["figure_arrow"].format(text=s.arrow))}</span>'
                 if s.arrow and i < len(fig.steps) else "")
        items.append(f"<li><strong>{escape(head)}.</strong> {escape(s.text)}"
                     + (f" <span class=\"ks-fig-basis\">({escape(basis)})</span>" if basis else "") + f"{after}</li>")
    return f'<ol class="ks-fig-list" id="figur-{fig.id}-tekst">{"".join(items)}</ol>'


def figure_html(fig: Figure, course: Course, ui: dict, image_src: str = "", themed: bool = False) -> str:
    """The figure in a page: drawing, caption and text version. `image_src`: show the drawing as that
    file (Open edX, where our stylesheet does not go) instead of inline; `themed`: see `svg`."""
    if image_src:
        drawing = (f'<img class="ks-fig-drawing" src="{image_src}" alt="{escape(fig.title)}" '
                   f'aria-describedby="figur-{fig.id}-tekst" style="width:100%;max-width:28rem">')
    else:
        drawing = svg(fig, course, ui, themed=themed)
    caption = (f'<figcaption id="figur-{fig.id}-tittel"><strong>{escape(fig.title)}.</strong> '
               f"{escape(fig.caption)}" + (f' <span class="ks-fig-note">{escape(fig.note)}</span>' if fig.note else "")
               + "</figcaption>")
    listed = text_version(fig, ui)
    if fig.type == "årshjul":      # the drawing only numbers the milestones: the list is the legend
        body = f'<div class="ks-fig-legend">{listed}</div>'
    else:
        body = f'<details class="ks-fig-details"><summary>{escape(ui["figure_as_text"])}</summary>{listed}</details>'
    return f'<figure class="ks-fig ks-fig-{_css(fig.type)}" id="figur-{fig.id}">{drawing}{caption}{body}</figure>'


def _css(kind: str) -> str:
    return {"kjede": "chain", "syklus": "cycle", "årshjul": "year"}[kind]


def file_name(fig: Figure) -> str:
    return f"figur-{fig.id}.svg"


def used(html: str) -> list[str]:
    return markup.FIGURE_SLOT.findall(html)


def fill_slots(html: str, course: Course, ui: dict, image_prefix: str = "", themed: bool = False) -> str:
    """Page HTML with every `:::figur <id>` slot replaced by the figure (drawn inline, or as the file
    `image_prefix + file_name` when a prefix is given)."""
    if 'class="ks-figure-slot"' not in html:
        return html

    def one(m):
        fig = course.figure(m.group(1))
        return figure_html(fig, course, ui, image_src=image_prefix + file_name(fig) if image_prefix else "", themed=themed)
    return markup.FIGURE_SLOT.sub(one, html)
