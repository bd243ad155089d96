"""The facilitator's guide and the participants' workbook: dist/fasilitatorveiledning and
dist/arbeidsbok, each as HTML and tagged PDF, made from the same model as the packages, so the
dates, homework and tasks in print are the ones in the LMS."""

from __future__ import annotations

import base64
from pathlib import Path
from xml.sax.saxutils import escape

from builder.model import dates
from builder.render import printing
from builder.render.labels import labelled
from builder.render.templating import gathering_name
from builder.infra import strings
from builder.formats import Format
from builder.model import Course
from builder.model.programme import package_name, steps

GUIDE = "fasilitatorveiledning"
WORKBOOK = "arbeidsbok"
REFLECTION_LINES = 10   # writing lines under a reflection or a deliverable in the workbook: two reflections fit a page
STEP_LINES = 5          # under each step of a homework


def timeline_figure(course: Course) -> tuple[str, str]:
    """The programme drawn as a line with its gatherings and deadlines: (data URI of the SVG, alt text).

    Positions follow the real dates when the programme has them, else the weeks after the start."""
    ui = strings.catalogue(course.language)
    plan = steps(course)
    dated = course.timeline.dated

    def day(g):
        return (g.date - plan[0].gathering.date).days if dated else (g.week or 0) * 7

    def label(g):
        return dates.norwegian(g.date) if dated else ui["week"].format(n=g.week or 0)

    span = max(day(s.gathering) for s in plan) or 1
    width, left, right = 720, 50, 50

    def x(days):
        return left + (width - left - right) * days / span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="130" viewBox="0 0 {width} 130" '
             'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
             f'<line x1="{left}" y1="60" x2="{width - right}" y2="60" stroke="#333" stroke-width="2"/>']
    deadlines = []
    for s in plan:
        g = s.gathering
        cx = x(day(g))
        parts.append(f'<circle cx="{cx:.1f}" cy="60" r="9" fill="#0b5d7a"/>')
        parts.append(f'<text x="{cx:.1f}" y="38" text-anchor="middle" font-weight="bold">'
                     f'{escape(ui["gathering"])} {s.number}</text>')
        parts.append(f'<text x="{cx:.1f}" y="90" text-anchor="middle">{escape(label(g))}</text>')
        for _, hw in s.homework:
            when = course.timeline.due_date(hw)
            back = hw.due_days_before
            dx = x(day(s.next) - back)
            parts.append(f'<path d="M{dx:.1f},52 l-5,-9 h10 z" fill="#a1260d"/>')
            deadlines.append(dates.norwegian(when) if when else
                             ui["deadline_days"].format(n=back, gathering=gathering_name(s.next, ui, course.timeline)))
    parts.append(f'<path d="M{left},115 l-5,-9 h10 z" fill="#a1260d"/>'
                 f'<text x="{left + 12}" y="114">{escape(ui["deadline"])}: {escape(ui["homework"].lower())}</text>')
    parts.append("</svg>")
    alt = ui["timeline_alt"].format(
        n=len(plan), gatherings="; ".join(f'{ui["gathering"]} {s.number} {label(s.gathering)}' for s in plan),
        deadlines="; ".join(deadlines) or "–")
    return "data:image/svg+xml;base64," + base64.b64encode("".join(parts).encode()).decode(), alt


class GuideFormat(Format):
    name = "guide"
    page_texts = False
    slow = True
    description = "facilitator's guide and participants' workbook as HTML and PDF (dist/fasilitatorveiledning.pdf, dist/arbeidsbok.pdf)"
    files = tuple(f"{name}.{ext}" for name in (GUIDE, WORKBOOK) for ext in ("html", "pdf"))

    def build(self, out: Path) -> None:
        course = self.course
        printing.write_both(guide_html(course), out, GUIDE)
        printing.write_both(printing.render("workbook.html", course, reflection_lines=REFLECTION_LINES,
                                            step_lines=STEP_LINES, **_context(course)), out, WORKBOOK)
        self.options.progress(f"guide: {GUIDE}.pdf and {WORKBOOK}.pdf")


def guide_html(course: Course) -> str:
    """The facilitator's guide as one HTML document (the PDF is printed from it)."""
    course = labelled(course)      # its steps and scripts in the edition's words, as the page around them
    figure, alt = timeline_figure(course)
    return printing.render("guide.html", course, figure=figure, figure_alt=alt, **_context(course))


def _context(course: Course) -> dict:
    from builder.formats.moodle import backup_name
    return dict(steps=steps(course), deadline=course.timeline.due_date, package_name=package_name,
                dated=course.timeline.dated, backup=f"moodle/{backup_name(course)}.mbz")
