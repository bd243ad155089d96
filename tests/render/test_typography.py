"""Norwegian typography (builder/infra/typography.py): legal references, percentages and amounts
never break across lines, in the built pages and in the PDFs."""

from __future__ import annotations

import re

import pytest

from builder.build import build
from builder.formats import Options
from builder.loader import load_course
from builder.render.site import site_files
from builder.infra.typography import NB_HYPHEN, NBSP, document, text
from tests.conftest import ROOT


def test_references_percentages_and_amounts_get_no_break_characters():
    """If this broke, «§ 13-» would end one line and «1» start the next, and «80» / «%» would part."""
    assert text("kommuneloven § 13-1 og § 14-3") == f"kommuneloven §{NBSP}13{NB_HYPHEN}1 og §{NBSP}14{NB_HYPHEN}3"
    assert text("§§ 5-1, 5-3 og 5-12") == f"§§{NBSP}5{NB_HYPHEN}1, 5{NB_HYPHEN}3 og 5{NB_HYPHEN}12"
    assert text("Grensen er {mastery} %.") == f"Grensen er {{mastery}}{NBSP}%."
    assert text("80 % av 10 000 kr, kr 500") == f"80{NBSP}% av 10{NBSP}000{NBSP}kr, kr{NBSP}500"
    assert text("i 2 tilfeller, 3 menn") == "i 2 tilfeller, 3 menn"      # a word, not a unit
    assert text(text("§ 13-1, 80 %")) == text("§ 13-1, 80 %")               # twice is once


def test_only_text_changes_never_attributes_or_code():
    """If this broke, an SVG's viewBox="0 0 320 180" or a script would be corrupted by the no-break spaces."""
    markup = '<svg viewBox="0 0 320 180"><text>50 %</text></svg><script>x = "2 500";</script><p title="§ 5-3">§ 5-3</p>'
    assert document(markup) == (f'<svg viewBox="0 0 320 180"><text>50{NBSP}%</text></svg><script>x = "2 500";</script>'
                                f'<p title="§ 5-3">§{NBSP}5{NB_HYPHEN}3</p>')


_BREAKABLE = re.compile(r"§§? \d|§§?[ \u00a0]\d+-\d|\d %|\d kr\b")
_TEXT = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S)


@pytest.fixture(scope="module")
def real_course():
    return load_course(ROOT / "course")


def test_no_reference_or_percentage_can_break_in_the_built_pages(real_course):
    """If this broke, a politician on a phone would read «§ 13-» on one line and «1)» on the next in a
    page, a quiz (its questions are JSON in the page) or a UI text such as «Grensen er 80 %»."""
    _, files = site_files(real_course, edition="web")
    checked = 0
    for name, data in files.items():
        if name.endswith(".html"):
            body = data.decode("utf-8")
            texts = [part for i, part in enumerate(_TEXT.split(body)) if not i % 2]
            texts += re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', body, re.S)
        elif name.endswith(("kurs-data.js", "svar.js")):
            texts = [data.decode("utf-8")]
        else:
            continue
        for part in texts:
            found = _BREAKABLE.search(part)
            assert not found, f"{name}: {part[max(0, found.start() - 40):found.end() + 20]!r}"
        checked += 1
    assert checked > 70
    assert any(f"§{NBSP}13{NB_HYPHEN}1" in data.decode("utf-8") for name, data in files.items() if name.endswith(".html"))


def test_no_reference_breaks_across_lines_in_the_pdfs(real_course, tmp_path):
    """If this broke, the facilitator guide and the workbook would print «§ 5-» at a line's end and
    «14» on the next; the text a PDF reader searches would not hold the references whole."""
    import pypdf
    build(real_course, tmp_path, ["guide"], Options())
    # A drawn figure's lines are placed by the build, not broken by WeasyPrint (test below), and its
    # no-break space comes out of the PDF as a plain one: those references are checked in the drawing.
    drawn = {re.sub(r"\s", " ", ref) for fig in real_course.figures for step in fig.steps
             for ref in re.findall(r"§§?\s+\d+\S*", text(step.reference))}
    for name in ("fasilitatorveiledning.pdf", "arbeidsbok.pdf"):
        extracted = "\n".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / name).pages)
        references = re.findall(r"§§?\s+\d+\S*", extracted)
        assert references, f"{name} has no legal references to check"
        for ref in references:
            if re.sub(r"\s", " ", ref) in drawn:
                continue
            assert re.fullmatch(rf"§§?{NBSP}\d+(?:{NB_HYPHEN}\d+)?[a-z]?\W*", ref), f"{name}: {ref!r} may break"
        assert not re.search(r"\d[-\u2011]\n\d|§\s*\n|\d\s*\n\s*%", extracted), name


def test_a_drawn_figure_never_ends_a_line_inside_a_reference_or_an_amount():
    """If this broke, «Hvem bestemmer hva» would draw «Kommuneloven §§» on one line and «5-3» under
    it, in the web edition, the SCORM packages and the guide PDF alike."""
    from builder.render.figures import _wrap
    for width in range(60, 400, 7):
        lines = _wrap("Kommuneloven §§ 5-3 og 5-14, og 80 % av 10 000 kr", 15, width)
        for whole in (f"§§{NBSP}5{NB_HYPHEN}3", f"5{NB_HYPHEN}14", f"80{NBSP}%", f"10{NBSP}000{NBSP}kr"):
            assert any(whole in line for line in lines), (width, whole, lines)
        assert " ".join(lines).replace(NBSP, " ").replace(NB_HYPHEN, "-") == \
            "Kommuneloven §§ 5-3 og 5-14, og 80 % av 10 000 kr"
