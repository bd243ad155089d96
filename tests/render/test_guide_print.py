"""The facilitator's guide and the participants' workbook as printed: the guide opens with what to do
and how to restore the ready Moodle backup (not a command line), its pages are used, and the
workbook gives each reflection at least ten even writing lines. If this broke, a facilitator would be
told to run `--start-date` on page one, or a politician would write in four and a half lines."""

from __future__ import annotations

import functools
import re

import pytest
from pypdf import PdfReader

from builder.build import build
from builder.formats import Options
from builder.loader import load_course
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("guide")
    build(load_course(ROOT / "course"), out, ["guide"], Options())
    return out


def test_the_guide_opens_with_what_to_do_and_the_moodle_backup(printed):
    """Page one says what to do first (restore the backup, print the pack) and holds no command line;
    the setup chapter walks through restoring the .mbz as a new course."""
    pages = [p.extract_text() for p in PdfReader(printed / "fasilitatorveiledning.pdf").pages]
    first = re.sub(r"\s+", " ", pages[0])
    assert "Slik kommer du i gang" in first and "moodle/fremtidens-kulturskole.mbz" in first
    assert "samlingspakke-1.pdf" in first
    assert "--" not in first and "kulturskole build" not in first
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "Gjenopprett som et nytt kurs" in text and "Utfør gjenoppretting" in text


def test_no_page_of_the_guide_is_nearly_empty(printed):
    """Every page but the last carries at least a third of a page of text (about 900 characters on a
    full A4 page of the guide): no page holds one table row and blank paper."""
    pages = [len(p.extract_text()) for p in PdfReader(printed / "fasilitatorveiledning.pdf").pages]
    thin = [i + 1 for i, n in enumerate(pages[:-1]) if n < 900]
    assert not thin, f"nearly empty pages: {thin} ({pages})"


def test_each_reflection_has_ten_even_writing_lines(printed):
    """Under every reflection in the workbook there are at least ten ruled lines of one height."""
    html = (printed / "arbeidsbok.html").read_text(encoding="utf-8")
    course = load_course(ROOT / "course")
    boxes = re.findall(r'<div class="lines" role="presentation">((?:<span></span>)+)</div>', html)
    reflections = len(course.reflections())
    assert reflections and len(boxes) >= reflections
    per_box = [box.count("<span>") for box in boxes]
    assert sum(1 for n in per_box if n >= 10) >= reflections
    assert re.search(r"\.lines > span \{ display: block; height: 8mm;", html)


@functools.lru_cache(maxsize=None)
def _guide(language: str):
    """The course in `language` and its guide as HTML (no PDF), made once for the tests below."""
    from builder.formats.guide import guide_html
    course = load_course(ROOT / "course", None if language == "nb" else language)
    return course, guide_html(course)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_restore_steps_say_to_switch_on_the_course_badge(language):
    """Moodle restores the course badge switched off (tests/formats/test_moodle_restore.py sees status 0),
    so the guide's restore steps tell whoever restores the backup to press «Aktiver tilgang» (Enable
    access) on «Kursbevis: …», in both editions. If this broke, participants would complete the course
    and never get the badge, and nobody would know why."""
    course, html = _guide(language)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"[\s\u00a0]+", " ", text)
    step = text[text.index("Slå på kursbeviset"):][:400]   # the same words in bokmål and nynorsk
    assert f"«Kursbevis: {course.title}»" in step and "«Aktiver tilgang» (Enable access)" in step
    assert text.index("«Utfør gjenoppretting»") < text.index("Slå på kursbeviset"), "after the restore, not before"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_reflection_title_that_asks_is_not_followed_by_a_full_stop(language):
    """The guide lists each module's reflections as «**Title.** prompt». If this broke, a facilitator
    would read «Hva vil du ha ut av kurset?.» and «Hvem må være med?.» (ten of them in the guide)."""
    course, html = _guide(language)
    titles = [r.title for m in course.modules for r in m.reflections]
    assert any(t.endswith("?") for t in titles) and any(t[-1:].isalpha() for t in titles)
    for title in titles:
        assert f"<strong>{title}{'' if title.endswith('?') else '.'}</strong>" in html, title
    assert not re.search(r"[?!.:]\.</strong>", html), re.findall(r".{40}[?!.:]\.</strong>", html)
