"""Gathering packs: what a facilitator prints for each gathering, in dist/packs/.

  samlingspakke-<n>.pdf     the facilitator's pack: run sheet, print list, every material the script
                            and the homework handed out there use (A3 pages as A3, cards cut-ready),
                            and at the back a part for the facilitator only (answer keys, outlines)
  deltakermateriell-<n>.pdf the same materials without the facilitator's part, for participants
  materiell/<id>.pdf        each material on its own

Every material page has its own paper size (CSS named pages), so one PDF mixes A4 and A3."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import partial
from pathlib import Path

from builder.formats import Format
from builder.model import Course, Material
from builder.model.programme import Step, steps
from builder.infra import strings
from builder.infra.store import Store, get_many as store_get_many
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


def handed_out(course: Course, step: Step) -> list[Material]:
    """What the participants get at `step`: the materials for them and the homework templates, in
    the pack's order. Empty for a gathering with nothing to hand out: it has no participants' PDF."""
    given, templates, _ = pack_materials(course, step)
    return [m for m, _ in given] + templates


def in_pack(course: Course, step: Step) -> list[Material]:
    """Every material in the pack of `step`, in the pack's order (pack_materials)."""
    given, templates, keys = pack_materials(course, step)
    return [m for m, _ in given] + templates + [m for m, _ in keys]


def page_of(template: str) -> str:
    """The CSS `content` of a material page's footer number from the edition's «Side {n} av
    {total}»: the page within the material, so one laid-out page reads right on its own, in the
    participants' PDF and in the pack it is joined into."""
    before, rest = template.split("{n}", 1)
    middle, after = rest.split("{total}", 1)

    def text(s: str) -> list[str]:
        return ['"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'] if s else []

    return " ".join([*text(before), "counter(page)", *text(middle), "counter(pages)", *text(after)])


TOOLS = dict(page_name=page_name, cards=cards, card_grid=card_grid, writing_rows=writing_rows, page_of=page_of)


def material_html(course: Course, material: Material) -> str:
    """One material on its own pages: its own PDF, and the pages joined into the packs."""
    return printing.render("material.html", course, materials=[material], title=material.title, **TOOLS)


def pack_html(course: Course, step: Step, pages: dict[str, int]) -> str:
    """The first pages of the facilitator's pack of one gathering (what it is, the print list, the
    run sheet); its materials' own pages follow them. `pages`: each material's number of pages."""
    ui = strings.catalogue(course.language)

    def paper_pages(m: Material) -> str:
        paper = f"{m.paper} {ui['pack_landscape']}" if m.landscape else m.paper
        n = pages[m.id]
        return ui["pack_page"].format(paper=paper) if n == 1 else ui["pack_pages"].format(paper=paper, n=n)

    given, templates, keys = pack_materials(course, step)
    return printing.render("pack.html", course, step=step, s=step, script=step.gathering.script,
                           given=given, templates=templates, keys=keys, paper_pages=paper_pages, **TOOLS)


def participants_title(course: Course, step: Step) -> str:
    ui = strings.catalogue(course.language)
    return f"{ui['pack_participants_part']} – {ui['gathering_numbered'].format(n=step.number, title=step.gathering.title)}"


def _gathering_pdfs(course: Course, step: Step | None, own: list[Material], htmls: dict[str, str],
                    joiner: printing.Joiner) -> dict[str, tuple[int, bytes]]:
    """(pages, PDF) by file name of one gathering's pack and participants' materials, and of the
    materials in `own` on their own (`htmls`: each material's HTML by id). The materials are laid
    out once; the pack and the participants' PDF are their pages joined (printing.Joiner).
    `step` None: just `own`."""
    made = {f"{FOLDER}/{m.id}.pdf": joiner.pdf(htmls[m.id]) for m in own}
    if step is None:
        return made
    given = handed_out(course, step)
    everything = in_pack(course, step)
    pages = {m.id: joiner.pages(htmls[m.id]) for m in everything}
    made[f"{pack_name(step)}.pdf"] = joiner.joined([htmls[m.id] for m in everything], front=pack_html(course, step, pages))
    # Nothing to hand out: no participants' PDF (it was one empty page under its title, printed for nothing).
    if given:
        made[f"{participants_name(step)}.pdf"] = joiner.joined([htmls[m.id] for m in given], title=participants_title(course, step))
    return made


def write_packs(course: Course, folder: Path, store: Store | None = None) -> list[Step]:
    """Every material (folder/materiell/<id>.pdf) and, for each gathering with a script, its pack and
    participants' materials (folder/samlingspakke-<n>.pdf, and deltakermateriell-<n>.pdf when it hands
    something out: `handed_out`); returns
    those gatherings. One job per gathering lays out its materials and joins their pages (a
    laid-out document cannot leave its process); the jobs go to the build's store at once, so the
    packs format and the Moodle room kit, which print the same PDFs in one build, share them out
    (builder/infra/store.py). Each material's own PDF comes from the first gathering that uses it."""
    htmls = {m.id: material_html(course, m) for m in course.materials}
    scripted = [step for step in steps(course) if step.gathering.script is not None]
    owner: dict[str, Step] = {}
    for step in scripted:
        for m in in_pack(course, step):
            owner.setdefault(m.id, step)
    groups = [(step, [m for m in course.materials if owner.get(m.id) is step]) for step in scripted]
    unused = [m for m in course.materials if m.id not in owner]
    if unused:
        groups.append((None, unused))
    # A job's name in the store is everything its PDFs are made of: the pack's first pages (with the
    # materials' page counts still unknown; their HTML decides them) and the materials' HTML.
    # The jobs this process makes share one Joiner: a material two gatherings use (8 of the real
    # course's 29 layouts) is laid out once per process instead of once per gathering.
    joiner = printing.Joiner()
    jobs = [("packs\0" + (pack_html(course, step, defaultdict(int)) if step else "") + "\0".join(
        htmls[m.id] for m in own + (in_pack(course, step) if step else [])),
        partial(_gathering_pdfs, course, step, own, htmls, joiner)) for step, own in groups]
    for made in store_get_many(store, jobs):
        for name, (_, data) in made.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return scripted


class PacksFormat(Format):
    name = "packs"
    page_texts = False
    slow = True
    description = ("per gathering: the facilitator's pack and the participants' materials as PDF, "
                   "and each material on its own (dist/packs/)")

    def build(self, out: Path) -> None:
        made = write_packs(self.course, out, self.options.store)
        self.options.progress(f"packs: {', '.join(pack_name(step) for step in made)} "
                              f"and {len(self.course.materials)} materials")
