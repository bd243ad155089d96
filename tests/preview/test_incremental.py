"""The preview's rebuild after a save: only the saved files are read again and only the pages they
make are rendered again (builder/loader/memo.py, PageMemo in builder/render/site.py), and the result
is byte for byte what a whole build of the same sources gives.

No browser here: the rebuild is called as the preview's watcher calls it (build_edition with the
preview's memos); tests/preview/test_preview.py plays the same in Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import BuildFailed
from builder.formats.scorm.editions import SCORM12
from builder.formats.scorm.package import package_files
from builder.loader import load_course
from builder.preview.rebuild import Memos, build_edition


def whole_build(course_dir: Path) -> dict[str, bytes]:
    """The package's files as `kulturskole build` makes them: no memo, every page rendered."""
    return package_files(load_course(course_dir), edition=SCORM12)[0]


def rebuild(course_dir: Path, memos: Memos, tmp_path: Path) -> dict[str, bytes]:
    target = tmp_path / f"build-{len(list(tmp_path.glob('build-*')))}"
    return build_edition(course_dir, target, SCORM12, None, memos)[1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def warm(example_course, tmp_path, monkeypatch):
    """The example course rebuilt once through fresh memos (as the preview's first build), with a
    build cache of its own: pages an earlier test rendered would otherwise come from the cache."""
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    memos = Memos()
    rebuild(example_course, memos, tmp_path)
    assert len(memos.pages.rendered) > 10        # the first build renders every page
    return example_course, memos


def test_a_page_edit_renders_only_its_modules_pages_and_equals_a_whole_build(warm, tmp_path):
    """If this broke, every save would render the whole course again (the editor waits a second or
    more for a changed word), or the preview would show something else than the package."""
    course, memos = warm
    edit(course / "modules" / "roller" / "01-roller.md", "øverste organ", "øverste folkevalgte organ")
    files = rebuild(course, memos, tmp_path)
    assert memos.pages.rendered and all(p.startswith("roller/") for p in memos.pages.rendered), memos.pages.rendered
    assert "roller/roller.html" in memos.pages.rendered
    assert "øverste folkevalgte organ" in files["roller/roller.html"].decode("utf-8")
    assert files == whole_build(course)
    assert list(files) == list(whole_build(course))


def test_an_unchanged_course_renders_nothing_and_shares_every_module(warm, tmp_path):
    """If this broke, the preview would redo all its work on every touch of a file, and a module
    nobody edited would be parsed again on every save."""
    course, memos = warm
    before = load_course(course, memo=memos.sources)
    rebuild(course, memos, tmp_path)
    assert memos.pages.rendered == []
    edit(course / "modules" / "intro" / "01-velkommen.md", "Dette kurset handler om", "Kurset handler om")
    after = load_course(course, memo=memos.sources)
    assert [m.id for m in after.modules if not any(m is b for b in before.modules)] == ["intro"]
    assert after == load_course(course)


def test_a_title_edit_renders_the_menu_of_every_page(warm, tmp_path):
    """If this broke, a renamed module would keep its old name on the front page and in the menus
    of the other modules' pages until the preview was restarted."""
    course, memos = warm
    edit(course / "modules" / "roller" / "module.yml", "title: Roller og ansvar", "title: Hvem bestemmer hva")
    files = rebuild(course, memos, tmp_path)
    assert "index.html" in memos.pages.rendered and "intro/velkommen.html" in memos.pages.rendered
    assert "Hvem bestemmer hva" in files["index.html"].decode("utf-8")
    assert files == whole_build(course)


def test_a_new_glossary_term_links_the_other_modules_pages(warm, tmp_path):
    """If this broke, a term added to the glossary would not be linked (nor explained) in the other
    modules' pages until the preview was restarted."""
    course, memos = warm
    page = course / "modules" / "intro" / "02-samarbeid.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n**Kommunestyret**\n: Kommunens øverste organ.\n",
                    encoding="utf-8")
    files = rebuild(course, memos, tmp_path)
    assert "roller/roller.html" in memos.pages.rendered
    assert "forklaring-kommunestyret" in files["roller/roller.html"].decode("utf-8")
    assert files == whole_build(course)


@pytest.mark.parametrize("change", ["quiz", "picture", "script"])
def test_other_saves_equal_a_whole_build(warm, tmp_path, change):
    """If this broke, a changed quiz, picture or gathering script would show its old version in the
    preview (or a version that no LMS gets)."""
    course, memos = warm
    if change == "quiz":
        edit(course / "modules" / "roller" / "quiz.yml", "reference:", "reference: Ny kilde,")
    elif change == "picture":
        edit(course / "media" / "tidslinje.svg", "</svg>", '<rect width="1" height="1"/></svg>')
    else:
        script = sorted((course / "gatherings").glob("*.yml"))[0]
        script.write_text(script.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        edit(script, "purpose:", "purpose: Nytt formål.")
    assert rebuild(course, memos, tmp_path) == whole_build(course)


def test_a_broken_save_then_its_fix_builds_the_fixed_course(warm, tmp_path):
    """If this broke, the preview would keep showing an error that the editor has fixed, or the
    last good version after a fix."""
    course, memos = warm
    module = course / "modules" / "roller" / "module.yml"
    good = module.read_text(encoding="utf-8")
    module.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        rebuild(course, memos, tmp_path)
    assert any("roller/module.yml" in p.path for p in failed.value.problems)
    module.write_text(good.replace("Roller og ansvar", "Roller og ansvar i kommunen"), encoding="utf-8")
    files = rebuild(course, memos, tmp_path)
    assert "Roller og ansvar i kommunen" in files["index.html"].decode("utf-8")
    assert files == whole_build(course)


def test_a_fifo_among_the_sources_does_not_stop_the_preview(tmp_path):
    """If this broke, a named pipe left in the course folder (or a link to /dev/zero) would freeze
    the preview at the next save: the editor's browser would wait for ever, with no error shown."""
    import os
    import threading
    from builder.loader.memo import SourceMemo
    fifo = tmp_path / "side.md"
    os.mkfifo(fifo)
    done = []
    reader = threading.Thread(target=lambda: done.append(SourceMemo().folder(tmp_path)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert done, "reading the course folder blocked on a FIFO"
