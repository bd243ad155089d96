"""The loader's memo kept in the build cache (builder/loader/memo.py): a build reuses what an
earlier process parsed only while the sources it was parsed from are the same bytes.

If this broke, a build after an edit would ship the page as it was before the edit (or a renamed
page under its old name), or a damaged ~/.cache/kulturskole would stop builds or put wrong text in
them, or `check` and `build` would judge different versions of the course."""

from __future__ import annotations

import os
import pickle
import shutil

import pytest

from builder.infra import cache
from builder.loader import load_course, memo
from builder.errors import BuildFailed
from tests.conftest import EXAMPLE


@pytest.fixture
def course(tmp_path, monkeypatch):
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "course"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _fresh(course_dir) -> str:
    """The digest of the course loaded without any cache (what a clean build sees)."""
    os.environ["KULTURSKOLE_NO_CACHE"] = "1"
    try:
        return cache.model_digest(load_course(course_dir))
    finally:
        del os.environ["KULTURSKOLE_NO_CACHE"]


def _entries(tmp_path) -> list:
    return sorted((tmp_path / "cache" / f"v{cache.VERSION}" / memo.KIND).rglob("*"))


def test_a_build_reuses_the_parts_and_sees_an_edit_and_a_renamed_page(course, tmp_path, monkeypatch):
    """If this broke, an edited or renamed page would be built as it was, or every build would parse
    the whole course again (the 0.3 s this memo saves on the real course)."""
    first = load_course(course)
    assert [p for p in _entries(tmp_path) if p.is_file()], "nothing was kept: the test would prove nothing"
    made = []
    real = memo.SourceMemo.get_many

    def counting(self, wanted, make):
        return real(self, wanted, lambda missing: made.extend(wanted[i][0] for i in missing) or make(missing))

    monkeypatch.setattr(memo.SourceMemo, "get_many", counting)
    assert cache.model_digest(load_course(course)) == cache.model_digest(first)
    assert made == [], f"parsed again although nothing changed: {made}"

    page = sorted(course.glob("modules/*/*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nEn ny setning.\n", encoding="utf-8")
    edited = load_course(course)
    assert made == [f"module:{page.parent}"], "an edit of one page must parse its module, and only it"
    assert cache.model_digest(edited) == _fresh(course) != cache.model_digest(first)

    pages = sorted(page.parent.glob("*.md"))
    a, b = pages[0], pages[1]
    a.rename(page.parent / "tmp.md")
    b.rename(a)
    (page.parent / "tmp.md").rename(b)
    assert cache.model_digest(load_course(course)) == _fresh(course), "swapped pages kept their old texts"


def test_a_damaged_or_unreadable_entry_is_parsed_again_never_used(course, tmp_path):
    """If this broke, a cache file damaged by a crash or a full disk (or left by another toolkit)
    would put wrong text into the build, or stop it with a Python error."""
    clean = cache.model_digest(load_course(course))
    entries = [p for p in _entries(tmp_path) if p.is_file()]
    for i, entry in enumerate(entries):
        raw = bytearray(entry.read_bytes())
        if i % 2:
            raw[-1] ^= 0xFF                             # a flipped bit: its SHA-256 no longer matches
            entry.write_bytes(bytes(raw))
        else:                                           # whole, but not a value this toolkit can read
            cache.put_blob(memo.KIND, entry.name, b"")  # (put_blob keeps an existing entry)
            entry.unlink()
            data = pickle.dumps(("not", "a", "module"))[:-3]
            cache.put_blob(memo.KIND, entry.name, data)
    assert cache.model_digest(load_course(course)) == clean


def test_check_and_build_refuse_a_broken_page_kept_or_not(course):
    """If this broke, a problem found once would vanish from the next `check` (its module taken from
    the memo without its problems), and check and build would disagree."""
    page = sorted(course.glob("modules/*/*.md"))[0]
    page.write_text("---\ntitle: [\n---\nTekst\n", encoding="utf-8")
    for _ in range(2):                                  # parsed, then taken from the memo
        with pytest.raises(BuildFailed) as err:
            load_course(course)
        assert any(p.path.endswith(page.name) for p in err.value.problems)


def test_no_cache_keeps_nothing(course, tmp_path, monkeypatch):
    """If this broke, `build --no-cache` would still write into (or read) the cache."""
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    load_course(course)
    assert not (tmp_path / "cache").exists()


def _fresh_edition(course_dir, language: str) -> str:
    os.environ["KULTURSKOLE_NO_CACHE"] = "1"
    try:
        return cache.model_digest(load_course(course_dir, language))
    finally:
        del os.environ["KULTURSKOLE_NO_CACHE"]


def test_a_translated_edition_reuses_its_parts_and_sees_a_po_edit(course, monkeypatch):
    """If this broke, every build of a course with `languages: [nb, nn]` would parse the nynorsk
    edition whole again (0.9 s of CPU on the real course), or a corrected translation would not reach
    the nynorsk edition, or an untranslated segment would be published because its part came from
    the memo (check and build would disagree)."""
    import polib
    from tests.translate.test_translate import _translate_all
    _translate_all(course)
    first = load_course(course, "nn")
    made = []
    real = memo.SourceMemo.get_many

    def counting(self, wanted, make):
        return real(self, wanted, lambda missing: made.extend(wanted[i][0] for i in missing) or make(missing))

    monkeypatch.setattr(memo.SourceMemo, "get_many", counting)
    assert cache.model_digest(load_course(course, "nn")) == cache.model_digest(first)
    assert made == [], f"parsed again although nothing changed: {made}"

    path = course / "locale" / "nn" / "modules" / "roller" / "quiz.yml.po"
    po = polib.pofile(str(path))
    entry = po.find("Kommunestyret er øverste organ.")
    entry.msgstr = "Kommunestyret er det øvste organet."
    po.save()
    edited = load_course(course, "nn")
    assert made == [f"po:{path}", f"nn:module:{course / 'modules' / 'roller'}"], \
        "a PO edit must parse its PO file and its module, and only them"
    assert cache.model_digest(edited) == _fresh_edition(course, "nn") != cache.model_digest(first)
    assert cache.model_digest(load_course(course)) == _fresh(course), "the bokmål edition took a nynorsk part"

    script = next((course / "locale" / "nn" / "gatherings").glob("*.po"))
    po = polib.pofile(str(script))
    next(e for e in po if e.msgstr).msgstr = ""
    po.save()
    for _ in range(2):                                  # parsed, then taken from the memo
        with pytest.raises(BuildFailed) as err:
            load_course(course, "nn")
        assert any(script.name in p.message for p in err.value.problems), err.value.problems
