"""A format that says it does not show the module pages' texts (`page_texts = False`: the guide, the
packs, the calendar) is kept in the build cache by the course's outline, so a page edit takes it
from the cache instead of building it again (builder/build.py `_from_cache`).

If this broke, a format that does show a page's text would be taken from the cache after the page
was edited: an editor's correction would be missing from that output after a warm build, and the
same sources would give different files with and without the cache."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

import pytest

from builder.formats import Options, load, names
from builder.loader.programme import with_start_date
from builder.render import printing
from builder.render.site import outline_digest
from tests.conftest import digest

OUTLINE_ONLY = [name for name in names() if not load(name)[name].page_texts]


def _retexted(course):
    """`course` with every module page's text and word count changed, and nothing else."""
    return replace(course, modules=tuple(
        replace(m, pages=tuple(replace(p, html=f"<p>En helt annen tekst på siden {p.id}.</p>", words=p.words + 321)
                               for p in m.pages))
        for m in course.modules))


def test_the_formats_kept_by_the_outline_are_the_ones_expected():
    """The guide, the packs and the calendar show no page text; every other format does."""
    assert OUTLINE_ONLY == ["calendar", "guide", "packs"]


@pytest.mark.parametrize("name", OUTLINE_ONLY)
def test_a_format_kept_by_the_outline_gives_the_same_bytes_whatever_the_pages_say(name, course, tmp_path, monkeypatch):
    # A PDF is a function of its HTML (the cache keeps it so), so the HTML's digest stands in for
    # laying it out: the test compares what WeasyPrint would be given, in a fraction of the time.
    monkeypatch.setattr(printing.Joiner, "pdf", lambda self, html: (1, hashlib.sha256(html.encode()).digest()))
    monkeypatch.setattr(printing.Joiner, "joined", lambda self, parts, front=None, title=None: (
        1, hashlib.sha256("\0".join([front or "", title or "", *parts]).encode()).digest()))
    course = with_start_date(course, date(2027, 9, 15))     # the calendar writes nothing undated
    other = _retexted(course)
    assert outline_digest(other) == outline_digest(course), "the outline holds a page's text"
    fmt = load(name)[name]
    fmt(course, Options()).build(tmp_path / "pages")
    fmt(other, Options()).build(tmp_path / "other-pages")
    made = digest(tmp_path / "pages")
    assert made, f"{name} wrote nothing"
    assert digest(tmp_path / "other-pages") == made
