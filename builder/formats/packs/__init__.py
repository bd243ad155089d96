"""Gathering packs: what a facilitator prints for each gathering, in dist/packs/.

  samlingspakke-<n>.pdf     the facilitator's pack: run sheet, print list, every material the script
                            and the homework handed out there use (A3 pages as A3, cards cut-ready),
                            and at the back a part for the facilitator only (answer keys, outlines)
  deltakermateriell-<n>.pdf the same materials without the facilitator's part, for participants
  materiell/<id>.pdf        each material on its own

Every material page has its own paper size (CSS named pages), so one PDF mixes A4 and A3."""

from __future__ import annotations

import re
from pathlib import Path

from builder.formats import Format
from builder.model import Course, Material
from builder.model.programme import Step, steps
from builder.infra import strings
from builder.infra.store import Store
from builder.render import printing

FOLDER = "materiell"
# Sheet sizes in mm (portrait), and the margin kept free on every side of a material page.
SHEETS = {"A4": (210, 297), "A3": (297, 420)}
MARGIN = 12
# Rows × columns of a card sheet, by cards per sheet (CARDS_PER_PAGE in the loader).
CARD_GRID = {1: (1, 1), 2: (2, 1), 4: (2, 2), 6: (3, 2), 8: (4, 2)}
_ROW = re.compile(r"<tr>.*?</tr>", re.S)
_CELL = re.compile(r"<td>(.*?)</td>", re.S)
_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_CARD_START = re.compile(r"(?=<h2\b)")


def pack_name(step: Step) -> str:
    return f"samlingspakke-{step.number}"


def participants_name(step: Step) -> str:
    return f"deltakermateriell-{step.number}"


def page_name(material: Material) -> str:
    """The CSS named page of a material: a4, a4l, a3, a3l."""
    return material.paper.lower() + ("l" if material.landscape else "")


def card_grid(material: Material) -> dict:
    """Rows, columns and the size of one card (mm) on the material's sheet, below its small title."""
    rows, cols = CARD_GRID[material.cards_per_page]
    width, height = SHEETS[material.paper]
    if material.landscape:
        width, height = height, width
        rows, cols = cols, rows
    title = 8
    return dict(rows=rows, cols=cols, width=(width - 2 * MARGIN) // cols,
                height=(height - 2 * MARGIN - title) // rows - 1)


def cards(material: Material) -> list[list[str]]:
    """A card set as sheets of cards (each card's HTML from its `##` heading to the next)."""
    parts = [p for p in _CARD_START.split(material.html) if p.strip().startswith("<h2")]
    n = material.cards_per_page
    return [parts[i:i + n] for i in range(0, len(parts), n)]


def _is_writing_row(row: str) -> bool:
    """A row to write in: every cell empty, or every cell but the first (which names what to write)."""
    cells = _CELL.findall(row)
    return len(cells) >= 1 and not any(c.strip() for c in cells[1:]) and (len(cells) > 1 or not cells[0].strip())


def writing_rows(material: Material) -> str:
    """The material's HTML with each table row to write in marked and sized so the rows together fill
    about half of the sheet's height; a table with such rows gets columns of equal width."""
    rows = [r for r in _ROW.findall(material.html) if _is_writing_row(r)]
    if not rows:
        return material.html
    width, height = SHEETS[material.paper]
    if material.landscape:
        width, height = height, width
    each = max(12, int((height - 2 * MARGIN) * 0.55 / len(rows)))

    def mark(m: re.Match) -> str:
        row = m.group(0)
        if not _is_writing_row(row):
            return row
        return row.replace("<tr>", '<tr class="write-row">', 1).replace("<td>", f'<td style="height: {each}mm">')

    html = _ROW.sub(mark, material.html)
    # A table to write in gets columns of equal width; a table of text keeps the widths its text needs.
    return _TABLE.sub(lambda m: m.group(0).replace("<table>", '<table class="form">', 1)
                      if "write-row" in m.group(1) else m.group(0), html)


def pack_materials(course: Course, step: Step) -> tuple[list, list, list]:
    """(participants' materials with copies, homework templates, facilitator-only materials) of one
    gathering: every material its script lists, and the templates of the homework handed out there."""
    script = step.gathering.script
    listed = [(course.material(u.material), u) for u in (script.materials if script else ()) if u.material]
    shown = {m.id for m, _ in listed}
    templates = []
    for _, hw in step.homework:
        for t in hw.templates:
            if t not in shown:
                shown.add(t)
                templates.append(course.material(t))
    return ([(m, u) for m, u in listed if not m.facilitator_only], templates,
            [(m, u) for m, u in listed if m.facilitator_only])


TOOLS = dict(page_name=page_name, cards=cards, card_grid=card_grid, writing_rows=writing_rows)


def write_materials(course: Course, folder: Path, store: Store | None = None) -> dict[str, int]:
    """Each material as folder/<id>.pdf; returns the number of pages of each, by id."""
    documents = [(printing.render("material.html", course, materials=[material], title=material.title, **TOOLS),
                  folder / f"{material.id}.pdf") for material in course.materials]
    return dict(zip((m.id for m in course.materials), printing.write_pdfs(documents, store)))


def pack_html(course: Course, step: Step, pages: dict[str, int]) -> str:
    """The facilitator's pack of one gathering; `pages` from write_materials, for the print list."""
    ui = strings.catalogue(course.language)

    def paper_pages(m: Material) -> str:
        paper = f"{m.paper} {ui['pack_landscape']}" if m.landscape else m.paper
        n = pages[m.id]
        return ui["pack_page"].format(paper=paper) if n == 1 else ui["pack_pages"].format(paper=paper, n=n)

    given, templates, keys = pack_materials(course, step)
    return printing.render("pack.html", course, step=step, s=step, script=step.gathering.script,
                           given=given, templates=templates, keys=keys, paper_pages=paper_pages, **TOOLS)


def participants_html(course: Course, step: Step) -> str:
    """What participants may have of one gathering: its materials and homework templates, no answer keys."""
    ui = strings.catalogue(course.language)
    given, templates, _ = pack_materials(course, step)
    title = f"{ui['pack_participants_part']} – {ui['gathering_numbered'].format(n=step.number, title=step.gathering.title)}"
    return printing.render("material.html", course, materials=[m for m, _ in given] + templates, title=title, **TOOLS)


def write_packs(course: Course, folder: Path, store: Store | None = None) -> list[Step]:
    """Every material (folder/materiell/<id>.pdf) and, for each gathering with a script, its pack and
    participants' materials (folder/samlingspakke-<n>.pdf, deltakermateriell-<n>.pdf); returns
    those gatherings. Each batch goes to the store at once, so formats that print the same
    documents in one build share the work (builder/infra/store.py)."""
    pages = write_materials(course, folder / FOLDER, store)
    scripted = [step for step in steps(course) if step.gathering.script is not None]
    printing.write_pdfs([document for step in scripted for document in (
        (pack_html(course, step, pages), folder / f"{pack_name(step)}.pdf"),
        (participants_html(course, step), folder / f"{participants_name(step)}.pdf"))], store)
    return scripted


class PacksFormat(Format):
    name = "packs"
    slow = True
    description = ("per gathering: the facilitator's pack and the participants' materials as PDF, "
                   "and each material on its own (dist/packs/)")

    def build(self, out: Path) -> None:
        made = write_packs(self.course, out, self.options.store)
        self.options.progress(f"packs: {', '.join(pack_name(step) for step in made)} "
                              f"and {len(self.course.materials)} materials")
