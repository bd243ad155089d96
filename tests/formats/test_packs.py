"""Gathering packs (dist/packs/): for each gathering the facilitator's pack, the participants'
materials, and each material on its own. If these break, a facilitator prints the pack the evening
before and finds a card set missing, a poster shrunk to A4, or the answer key among the handouts."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
import yaml
from pypdf import PdfReader

from builder.formats import Options
from builder.formats.packs import PacksFormat, in_pack, pack_html, pack_materials
from builder.loader import load_course
from builder.model.programme import steps
from tests.conftest import ROOT

A3 = (1191, 842)        # A3 landscape in points, rounded
A4 = (595, 842)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("packs")
    PacksFormat(load_course(ROOT / "course"), Options()).build(out)
    return out


def _text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))


def _title(material_id: str) -> str:
    text = (ROOT / "course/materials" / f"{material_id}.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    return front["title"]


def _scripted():
    """(gathering number, [material ids]) for every script, read from the YAML as an editor wrote it."""
    timeline = yaml.safe_load((ROOT / "course/timeline.yml").read_text(encoding="utf-8"))
    out = []
    for n, g in enumerate(timeline["gatherings"], start=1):
        script = yaml.safe_load((ROOT / "course/gatherings" / f"{g['id']}.yml").read_text(encoding="utf-8"))
        ids = [item["material"] for item in script.get("materials", []) if isinstance(item, dict)]
        out.append((n, ids))
    return out


@pytest.mark.parametrize("number, ids", _scripted(), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_every_material_a_script_lists_is_in_its_pack(built, number, ids):
    """Each material the script names is printed in the gathering's pack (its title is on a page
    after the print list), and the facilitator-only ones are not in the participants' PDF."""
    assert ids, f"samling-{number} lists no materials"
    pack = _text(built / f"samlingspakke-{number}.pdf")
    handout = _text(built / f"deltakermateriell-{number}.pdf")
    course = load_course(ROOT / "course")
    for material_id in ids:
        title = _title(material_id)
        assert pack.count(title) >= 2, f"{material_id} is only in the print list of pack {number}, not printed"
        if course.material(material_id).facilitator_only:
            assert title not in handout, f"the answer key {material_id} is in the participants' PDF"
            assert "Bare til fasilitator" in pack
        else:
            assert title in handout, f"{material_id} is missing from the participants' PDF {number}"


def test_a3_materials_print_on_a3_and_cards_on_one_sheet(built):
    """A poster keeps its A3 landscape page inside the A4 pack, and the five role cards fit one A4
    sheet with the cutting note, so a facilitator does not print a shrunk poster or half a set."""
    pages = PdfReader(built / "samlingspakke-1.pdf").pages
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages}
    assert A3 in sizes and A4 in sizes
    poster = PdfReader(built / "materiell/fremtidsbilde-plakat.pdf").pages
    assert len(poster) == 1 and (round(float(poster[0].mediabox.width)), round(float(poster[0].mediabox.height))) == A3
    cards = PdfReader(built / "materiell/rollekort.pdf")
    assert len(cards.pages) == 1
    text = cards.pages[0].extract_text()
    assert "Klipp langs de stiplede linjene." in text
    assert all(role in text for role in ("Kommunestyret", "Utvalget", "Ordføreren", "Kommunedirektøren",
                                         "Kulturskolerektor"))


def test_each_material_has_its_own_pdf_and_the_law_card_is_one_page(built):
    """Every material can be printed on its own, and the lovhjemmelkort keeps to one sheet."""
    course = load_course(ROOT / "course")
    assert sorted(p.stem for p in (built / "materiell").glob("*.pdf")) == sorted(m.id for m in course.materials)
    assert len(PdfReader(built / "materiell/lovhjemmelkort.pdf").pages) == 1


def _outline(items) -> list:
    """The bookmarks (pypdf's `reader.outline`) as nested (title, [children]) pairs."""
    out = []
    for item in items:
        if isinstance(item, list):
            out[-1] = (out[-1][0], _outline(item))
        else:
            out.append((item.title, []))
    return out


def _headings(reader) -> list[str]:
    """The heading tags (/H1, /H2, …) of the PDF's structure tree, in order: what a screen reader
    lists as the document's headings."""
    found = []

    def walk(node):
        node = node.get_object()
        if node.get("/S", "").startswith("/H"):
            found.append(node["/S"])
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)
    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_a_pack_shows_each_material_as_its_own_pages_under_the_pack_heading(built):
    """A material's pages in the pack and in the participants' PDF are the pages of its own PDF:
    same text, its own «Side 1 av 1» in the footer (not the pack's running number), and inside
    the pack each material is a bookmark and an H2 under the pack's one H1, its cards under it.
    If this broke, a facilitator would find a material in the pack that differs from the sheet
    printed on its own, or a screen reader / the bookmarks panel would show the role cards as
    headings beside the material instead of inside it, or the pack's materials as new documents."""
    course = load_course(ROOT / "course")
    pack, participants = PdfReader(built / "samlingspakke-1.pdf"), PdfReader(built / "deltakermateriell-1.pdf")
    step = next(s for s in steps(course) if s.number == 1)
    ids = [m.id for m in in_pack(course, step)]
    given, templates, _ = pack_materials(course, step)
    handed_out = [m.id for m, _ in given] + [m.id for m in templates]
    own = {i: PdfReader(built / f"materiell/{i}.pdf") for i in ids}
    assert all(len(r.pages) == 1 for r in own.values()), "a material grew past one page: recount the pages below"
    front = len(pack.pages) - len(ids)
    for n, material_id in enumerate(ids):
        text = own[material_id].pages[0].extract_text()
        assert "Side 1 av 1" in text, f"{material_id} does not number its own pages"
        assert pack.pages[front + n].extract_text() == text, f"{material_id} in pack 1 is not its own page"
    for n, material_id in enumerate(handed_out):
        assert participants.pages[n].extract_text() == own[material_id].pages[0].extract_text()

    (title, inside), = _outline(pack.outline)
    assert title.startswith("Samlingspakke")
    titles = [t for t, _ in inside]
    assert [_title(i) for i in ids] == [t for t in titles if t in {_title(i) for i in ids}]
    roles = dict(inside)[_title("rollekort")]
    assert [t for t, _ in roles] == ["Kommunestyret", "Utvalget", "Ordføreren", "Kommunedirektøren", "Kulturskolerektor"]
    assert _headings(pack).count("/H1") == 1
    assert _headings(participants).count("/H1") == len(handed_out)
    assert _headings(own["rollekort"]) == ["/H1"] + ["/H2"] * 5


def test_the_run_sheet_is_its_own_bookmark_beside_the_print_list(built):
    """In a pack's bookmarks and heading tags the run sheet is a part of its own beside the print
    list, with its parts (purpose, preparation, each day) under it. If this broke, a facilitator
    looking for «Kjøreplan» in the bookmarks panel would find it folded inside «Utskriftsliste»,
    and a screen reader would read the run sheet as a subsection of the print list."""
    (_, inside), = _outline(PdfReader(built / "samlingspakke-1.pdf").outline)
    parts = dict(inside)
    runsheet = next(t for t in parts if t.startswith("Kjøreplan"))
    assert parts["Utskriftsliste"] == []
    assert [t for t, _ in parts[runsheet]][:2] == ["Mål for samlingen", "Før samlingen"]
    assert any(t.endswith("Dag 2, 08.30–13.00") for t, _ in parts[runsheet])


def test_the_checklist_names_every_sheet_the_print_list_names():
    """The run sheet's «Skriv ut og ta med» ticks off every material on the pack's print list,
    under the same title, the homework templates too. If this broke, a facilitator packing with
    the checklist would leave a template behind that the print list told them to print (pack 1's
    «Oppsummering av den lokale dialogen» was on one list and not the other)."""
    course = load_course(ROOT / "course")
    for step in steps(course):
        if step.gathering.script is None:
            continue
        html = pack_html(course, step, defaultdict(lambda: 1))
        printed = re.search(r'<table class="print-list">(.*?)</table>', html, re.S).group(1)
        listed = {re.sub(r" \(bare til fasilitator\)$", "", t) for t in re.findall(r"<tr><td>(.*?)</td><td>", printed)}
        checklist = re.search(r'<ul class="checklist">(.*?)</ul>', html, re.S).group(1)
        ticked = set(re.findall(r"<li><strong>(.*?)</strong>", checklist))
        assert listed and listed <= ticked, f"pack {step.number}: {sorted(listed - ticked)} only on the print list"


class _Laid:
    """A stand-in for a laid-out WeasyPrint document: two pages, and a PDF that says nothing, so
    the test counts what the packs write without laying anything out."""

    class Page:
        bookmarks: list = []

        class _page_box:
            @staticmethod
            def descendants():
                return []

    def __init__(self, pages=None):
        self.pages = pages if pages is not None else [self.Page(), self.Page()]
        self.metadata = type("Metadata", (), {"title": None})()

    def copy(self, pages):
        return _Laid(list(pages))

    def write_pdf(self, **_):
        return b"%PDF-"


def test_a_build_without_cache_writes_each_pack_pdf_once(monkeypatch):
    """Without the build cache (`build --no-cache`, or a cache folder that cannot be written) a
    gathering's job writes each PDF it hands back once: a material's number of pages for the print
    list comes from its laid-out pages. If this broke, the editor's clean build would write every
    material's PDF again just to count its pages (29 extra PDFs, about a second of the build)."""
    from builder.formats import packs
    from builder.render import printing
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    monkeypatch.setattr(printing, "_lay_out", lambda html: _Laid())
    written = []
    real = printing._pdf
    monkeypatch.setattr(printing, "_pdf", lambda document: written.append(document) or real(document))
    course = load_course(ROOT / "course")
    step = next(s for s in steps(course) if s.number == 4)
    own = in_pack(course, step)[:1]
    htmls = {m.id: packs.material_html(course, m) for m in in_pack(course, step)}
    made = packs._gathering_pdfs(course, step, own, htmls, printing.Joiner())
    assert sorted(made) == sorted([f"materiell/{own[0].id}.pdf", "samlingspakke-4.pdf", "deltakermateriell-4.pdf"])
    assert len(written) == len(made)
    assert made["samlingspakke-4.pdf"][0] == 2 + 2 * len(htmls)     # the front and each material, two pages each


def test_a_material_several_gatherings_hand_out_is_laid_out_once(monkeypatch, tmp_path):
    """The packs of one build lay out each material once in a process, also one that several
    gatherings hand out (the real course has 8 such layouts of 29): the gathering jobs a process
    makes share their laid-out materials. Nothing is laid out for real (a stand-in document). If
    this broke, the editor's first build and every clean build in the tests would lay those
    materials out again, about half a second of CPU each time."""
    from collections import Counter
    from builder.formats import packs
    from builder.render import printing
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    laid = Counter()
    monkeypatch.setattr(printing, "_lay_out", lambda html: laid.update([html]) or _Laid())
    course = load_course(ROOT / "course")
    shared = {m.id for step in steps(course) if step.gathering.script for m in in_pack(course, step)}
    assert len(shared) < sum(len(in_pack(course, step)) for step in steps(course) if step.gathering.script), \
        "no material is handed out at two gatherings any more: this test checks nothing"
    packs.write_packs(course, tmp_path)
    assert laid and max(laid.values()) == 1, [html[:80] for html, n in laid.items() if n > 1]


def test_a_gathering_with_nothing_to_hand_out_has_no_participants_pdf(monkeypatch):
    """If this broke, a facilitator would find deltakermateriell-2.pdf for a gathering that hands
    nothing out: one page with a title and nothing else, printed and carried for nothing (and shown to
    participants in Moodle). The pack itself is still made."""
    from builder.formats import packs
    from builder.render import printing
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    monkeypatch.setattr(printing, "_lay_out", lambda html: _Laid())
    course = load_course(ROOT / "tests/example_course")
    step = next(s for s in steps(course) if s.number == 2)
    assert step.gathering.script is not None and not packs.handed_out(course, step)
    htmls = {m.id: packs.material_html(course, m) for m in in_pack(course, step)}
    assert sorted(packs._gathering_pdfs(course, step, [], htmls, printing.Joiner())) == ["samlingspakke-2.pdf"]
