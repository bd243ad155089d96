"""The build cache stays bounded: what the last builds used is kept, everything older goes.

If this broke, ~/.cache/kulturskole would grow by tens of megabytes with every edit for as long as
an editor works (or a warm build would find its entries deleted and build everything again)."""

from __future__ import annotations

import os
import time

import jinja2

from builder.infra import cache, files

LONG_AGO = 1_000_000_000_000_000_000        # 2001, in nanoseconds


def _entry(kind: str, k: str):
    return cache.root() / f"v{cache.VERSION}" / kind / k[:2] / k


def test_entries_no_recent_build_used_are_deleted_and_used_ones_kept(tmp_path, monkeypatch):
    """If this broke, either the cache would keep every entry for ever (pruning never deletes), or
    it would delete entries the last builds used (a warm build after an edit would lay out every
    PDF again): an entry read by a build counts as used even when it was written long ago."""
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "KEEP_BUILDS", 3)
    kept, old, tree = cache.key("t", "kept"), cache.key("t", "old"), cache.key("t", "tree")
    cache.put_blob("t", kept, b"used by every build")
    cache.put_blob("t", old, b"used by no build")
    (tmp_path / "made").mkdir()
    (tmp_path / "made" / "index.html").write_text("<p>Hei</p>", encoding="utf-8")
    cache.put_tree("t", tree, tmp_path / "made")
    for k in (kept, old, tree):
        os.utime(_entry("t", k), ns=(LONG_AGO, LONG_AGO))       # written long ago

    for build in range(3):
        time.sleep(0.05)        # a coarse file-system clock (a few ms a tick) sees the builds apart
        started = cache.now()
        assert cache.get_blob("t", kept) == b"used by every build"
        if build == 0:
            assert cache.get_tree("t", tree, tmp_path / "out")     # used by the oldest build kept
        cache.prune(started)
        if build < 2:       # fewer than KEEP_BUILDS builds known: nothing is deleted yet
            assert _entry("t", old).exists()

    assert not _entry("t", old).exists(), "an entry no recent build used was kept"
    assert cache.get_blob("t", kept) == b"used by every build"
    assert _entry("t", tree).is_dir(), "an entry the oldest kept build used was deleted"

    time.sleep(0.05)
    started = cache.now()        # one build more: the build that used the tree is not among the last three
    cache.prune(started)
    assert not _entry("t", tree).exists()
    assert cache.get_blob("t", kept) is not None


def test_a_damaged_list_of_builds_starts_counting_again(tmp_path, monkeypatch):
    """If this broke, a damaged cache file would make pruning delete entries at once (or crash
    the build after it had put dist/ in place)."""
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "KEEP_BUILDS", 2)
    k = cache.key("t", "entry")
    cache.put_blob("t", k, b"data")
    os.utime(_entry("t", k), ns=(LONG_AGO, LONG_AGO))
    cache.prune(cache.now())
    builds = cache.root() / f"v{cache.VERSION}" / "builds"
    builds.write_bytes(builds.read_bytes()[:-1] + b"X")
    cache.prune(cache.now())
    assert _entry("t", k).exists(), "a damaged list counted as builds it does not name"
    cache.prune(cache.now())
    assert not _entry("t", k).exists()


def test_compiled_templates_survive_their_folder_being_pruned_by_another_build(tmp_path):
    """If this broke, a build would crash with FileNotFoundError when a build running beside it
    pruned the folder of compiled templates while it compiled one."""
    folder = tmp_path / "jinja"
    folder.mkdir()
    from builder.render.templating import _BytecodeCache
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "<p>{{ x }}</p>"}),
                             bytecode_cache=_BytecodeCache(str(folder)))
    folder.rmdir()
    assert env.get_template("t.html").render(x="Hei") == "<p>Hei</p>"


def test_a_blob_and_an_index_are_sealed_alike():
    """If this broke, a damaged cache blob or stat index (a cut-off write, a flipped bit) could be
    taken for good data: both are read back only through `unsealed`."""
    data = b'{"a": 1}'
    raw = files.sealed(data)
    assert files.unsealed(raw) == data
    assert files.unsealed(raw[:-1]) is None
    assert files.unsealed(raw[:-1] + b"X") is None
    assert files.unsealed(raw[:20]) is None


def test_a_folder_another_build_pruned_meanwhile_is_passed_over(tmp_path, monkeypatch):
    """If this broke, two builds that end together (an editor's build and the preview's, or two
    builds into one --out) could fail after dist/ was in place: one build's pruning removes an
    emptied v1/<kind>/<xx> folder that the other had just listed, and the other stopped with
    FileNotFoundError."""
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "KEEP_BUILDS", 1)
    gone, kept = cache.key("t", "gone"), cache.key("u", "kept")
    cache.put_blob("t", gone, b"in a folder the other build prunes")
    cache.put_blob("u", kept, b"old")
    os.utime(_entry("u", kept), ns=(LONG_AGO, LONG_AGO))
    listed = cache._folders

    def other_build_prunes_meanwhile(path, *args, **kwargs):
        found = listed(path, *args, **kwargs)
        if path == str(_entry("t", gone).parent.parent):      # listed v1/t/: now the other build empties <xx>
            _entry("t", gone).unlink()
            _entry("t", gone).parent.rmdir()
        return found
    monkeypatch.setattr(cache, "_folders", other_build_prunes_meanwhile)
    time.sleep(0.05)
    cache.prune(cache.now())
    assert not _entry("u", kept).exists(), "pruning stopped at the vanished folder"
