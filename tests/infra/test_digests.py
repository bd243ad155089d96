"""File digests kept by stat() between builds (builder/infra/digests.py): a file is read again
whenever it may have changed, even when an edit keeps its size and modification time.

If this broke, an edited page, a changed toolkit file or a file someone changed in dist/ would be
taken for the old one: `kulturskole build` would say «nothing changed» and leave stale pages."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from builder.infra import digests as module
from builder.infra.digests import Digests, NotPlain, clock


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "tree"
    folder.mkdir()
    return folder


def _later(folder, path) -> int:
    """A clock reading of the file system after `path` last changed (the next tick)."""
    while True:
        now = clock(str(folder))
        if now > os.stat(path).st_ctime_ns:
            return now
        time.sleep(0.002)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _kept(tree, path, since) -> None:
    """Hash `path` and keep it in the index; then check a new index answers without reading it."""
    d = Digests(str(tree))
    d.sha256(str(path), since)
    d.save()


def test_a_kept_digest_is_used_without_reading_the_file(tree, monkeypatch):
    """If this broke, every build would read the whole course, toolkit and dist/ again (the 0.1–0.2 s
    this index saves), or worse, the index would answer for files it never saw."""
    page = tree / "side.md"
    page.write_bytes(b"Hei")
    _kept(tree, page, _later(tree, page))

    def reading(path, *args, **kwargs):
        assert not str(path).endswith("side.md"), "read a file whose stat() is unchanged"
        return open(path, *args, **kwargs)

    monkeypatch.setattr(module, "open", reading, raising=False)
    assert Digests(str(tree)).sha256(str(page)) == _sha(b"Hei")
    assert Digests(str(tree / ".." / "tree")).sha256(str(tree / ".." / "tree" / "side.md")) == _sha(b"Hei"), \
        "the same folder named another way has another index"


def test_an_edit_that_keeps_size_and_modification_time_is_read_again(tree):
    """If this broke, an edit saved by a tool that restores the modification time (rsync -t, an
    unzip, `touch -r`) with the same length would be taken for no change."""
    page = tree / "side.md"
    page.write_bytes(b"Hei")
    before = os.stat(page)
    _kept(tree, page, _later(tree, page))
    page.write_bytes(b"Hai")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(page)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert Digests(str(tree)).sha256(str(page)) == _sha(b"Hai")


def test_files_swapped_by_renaming_are_told_apart(tree):
    """If this broke, two pages exchanged by renaming (same size, same time) would keep each other's
    text in the build."""
    a, b = tree / "a.md", tree / "b.md"
    a.write_bytes(b"AAA")
    b.write_bytes(b"BBB")
    os.utime(b, ns=(os.stat(a).st_atime_ns, os.stat(a).st_mtime_ns))
    since = _later(tree, b)
    d = Digests(str(tree))
    d.sha256(str(a), since), d.sha256(str(b), since)
    d.save()
    os.rename(a, tree / "c.md")
    os.rename(b, a)
    os.rename(tree / "c.md", b)
    d = Digests(str(tree))
    assert (d.sha256(str(a)), d.sha256(str(b))) == (_sha(b"BBB"), _sha(b"AAA"))


def test_a_file_changed_in_the_tick_it_was_read_is_not_kept(tree):
    """If this broke, a save landing in the same clock tick as a build's read (a fast editor, a
    script) could keep the old text for good: its size and times may all look unchanged."""
    page = tree / "side.md"
    page.write_bytes(b"Hei")
    d = Digests(str(tree))
    d.sha256(str(page), since=os.stat(page).st_ctime_ns)      # read in the tick it was written
    d.save()
    assert Digests(str(tree))._known == {}
    page.write_bytes(b"Hai")                                  # a wall-clock read: too new to keep
    d = Digests(str(tree))
    assert d.sha256(str(page)) == _sha(b"Hai")
    d.save()
    assert Digests(str(tree))._known == {}


def test_a_damaged_index_is_ignored_and_the_files_are_read(tree):
    """If this broke, a damaged cache file (a crash, a full disk) would give wrong digests, and a
    changed page would be taken for the old one."""
    page = tree / "side.md"
    page.write_bytes(b"Hei")
    _kept(tree, page, _later(tree, page))
    index = Digests(str(tree))._path
    raw = bytearray(open(index, "rb").read())
    raw[-10] ^= 1
    open(index, "wb").write(bytes(raw))
    d = Digests(str(tree))
    assert d._known == {}
    assert d.sha256(str(page)) == _sha(b"Hei")


def test_only_plain_files_are_read_and_no_cache_keeps_nothing(tree, monkeypatch):
    """If this broke, a FIFO or a link in the course would hang the build or read outside it, or
    --no-cache would still write into the cache."""
    os.mkfifo(tree / "pipe")
    (tree / "link").symlink_to("/dev/zero")
    d = Digests(str(tree))
    for name in ("pipe", "link"):
        with pytest.raises(NotPlain):
            d.sha256(str(tree / name))
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    page = tree / "side.md"
    page.write_bytes(b"Hei")
    _kept(tree, page, _later(tree, page))
    assert not (tree.parent / "cache").exists()
