"""An unchanged build trusts a file's stat() only as far as it proves the bytes are the same
(builder/infra/digests.py under builder/infra/unchanged.py).

If this broke, an editor's change that kept a file's size and time (a restored backup, `rsync -t`,
an unzip), or someone's edit in dist/, would be answered «nothing changed» and dist/ would stay stale."""

from __future__ import annotations

import os
import shutil
import time

from builder.infra.digests import RACY_NS, Digests
from tests.conftest import EXAMPLE, digest
from tests.infra.test_cache import _run


def _same_size_and_time(path, old: bytes, new: bytes) -> None:
    assert len(old) == len(new) and old != new
    before = os.stat(path)
    path.write_bytes(path.read_bytes().replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_edits_that_keep_size_and_time_are_built_in_the_course_and_in_dist(tmp_path, monkeypatch):
    """If this broke, a page changed without a new size or modification time would keep its old text
    in dist/, and a built file someone changed that way would stay changed."""
    course, out, store = tmp_path / "course", tmp_path / "dist", tmp_path / "cache"
    shutil.copytree(EXAMPLE, course)
    page = sorted(course.glob("modules/*/*.md"))[0]
    while time.time_ns() - os.stat(page).st_ctime_ns <= RACY_NS:     # older than a racy read
        time.sleep(0.1)
    _run(course, out, store)
    _run(course, out, store)                 # unchanged: the course's files are now known by stat()
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(store))
    name = page.relative_to(course).as_posix()
    assert name in Digests(str(course))._known, "the fast path was not armed: the test would prove nothing"
    built = next(p for p in sorted((out / "web").rglob("*.html")) if b"<main" in p.read_bytes())
    assert built.relative_to(out).as_posix() in Digests(str(out))._known, "dist/ is not known by stat()"
    clean = digest(out)

    _same_size_and_time(built, b"<main", b"<MAIN")
    _run(course, out, store)
    assert digest(out) == clean, "a changed file in dist/ was taken for the built one"

    text = page.read_bytes()
    word = next(w for w in text.split() if w.isalpha() and len(w) > 4)
    _same_size_and_time(page, word, word[::-1] if word[::-1] != word else word.upper())
    _run(course, out, store)
    _run(course, tmp_path / "clean", store, "--no-cache")
    assert digest(out) == digest(tmp_path / "clean") != clean, "the edit was taken for no change"
