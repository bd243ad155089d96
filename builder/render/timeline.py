"""The programme timeline as an HTML figure: the gatherings in order, with their dates (or weeks
when the build has no dates), place, themes and the homework due between them.

All of it is text in the page (a screen reader, a search and a translation see it); the line and
the dots are drawn by the stylesheet. The front page shows it, and a page may place it with
`:::tidslinje` (the loader leaves a slot, since the dates are only known when the build runs).
The facilitator's guide prints the same steps (builder.model.programme.steps) as its SVG figure.
"""

from __future__ import annotations

from html import escape

from builder.model import Course, markup
from builder.model import dates
from builder.render.templating import gathering_name
from builder.model.programme import steps

SLOT = markup.TIMELINE_SLOT


def timeline_html(course: Course, ui: dict, heading_id: str = "") -> str:
    dated = course.timeline.dated
    items = []
    for s in steps(course):
        g = s.gathering
        when = dates.norwegian(g.date) if g.date else ui["week"].format(n=g.week or 0)
        parts = [f'<li class="ks-timeline-item"><p class="ks-timeline-when">{escape(when)}</p>',
                 f'<p class="ks-timeline-title"><strong>{escape(ui["gathering_numbered"].format(n=s.number, title=g.title))}</strong></p>']
        if g.place:
            parts.append(f'<p class="ks-timeline-meta">{escape(ui["place"])}: {escape(g.place)}</p>')
        if s.modules:
            parts.append(f'<p class="ks-timeline-meta">{escape(ui["themes"])}: '
                         f'{escape(", ".join(m.title for m in s.modules))}</p>')
        for _, hw in s.homework:
            due = course.timeline.due_date(hw)
            deadline = dates.norwegian(due) if due else ui["deadline_days"].format(
                n=hw.due_days_before, gathering=gathering_name(s.next, ui, course.timeline) if s.next else "")
            parts.append(f'<p class="ks-timeline-homework">{escape(ui["homework"])}: {escape(hw.title)} '
                         f'({escape(ui["deadline"].lower())} {escape(deadline)})</p>')
        parts.append("</li>")
        items.append("".join(parts))
    caption = ui["timeline_web_caption"] + ("" if dated else " " + ui["timeline_undated"])
    return (f'<figure class="ks-timeline"><ol class="ks-timeline-list">{"".join(items)}</ol>'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def fill_slots(html: str, course: Course, ui: dict) -> str:
    """Page HTML with every `:::tidslinje` slot replaced by the timeline."""
    return html.replace(SLOT, timeline_html(course, ui)) if SLOT in html else html
