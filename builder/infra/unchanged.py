"""A build of an unchanged course does nothing: it is recognised from its sources, before loading.

The builder is deterministic (tests/infra/test_cache.py: clean, cold and warm builds are byte-
identical), so a build's output is a function of its sources (every file under --course, the
--programme file), its options, the message language, SOURCE_DATE_EPOCH and the toolkit (the key
of builder/infra/cache.py). After a whole build (no --module) succeeded, the build cache keeps,
under the digest of all that, what the build said and the SHA-256 of every file it put in --out
(`record`). The next build with the same digest checks --out against that record (`in_place`:
every file there with exactly those bytes, nothing missing, nothing extra) and, when it matches,
says what it said then and writes nothing; else it builds as always. A damaged record is deleted
(cache.get_blob checks its digest) and the build builds.

Measured on the real course, every format, CPU time of the whole process (median of 5, load
16–22 on 2 cores, so inflated alike): main at 3b65e64 1.27 s (importing every format and jinja2,
loading the course, digesting the model, copying 193 files from the cache into a new dist/);
with this 0.30 s, of which a bare `python -c pass` is ~0.06 s and importing click ~0.06 s.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from builder.infra import cache
from builder.infra.digests import Digests, NotPlain

KIND = "build"


def _relative(base: str, top: str, name: str) -> str:
    """`name` in folder `base` under `top`, relative to `top` with "/" (os.path.relpath is a
    tenth of an unchanged build: it makes both paths absolute for each of ~450 files)."""
    inner = base[len(top):].lstrip(os.sep)
    return f"{inner.replace(os.sep, '/')}/{name}" if inner else name


def _tree_digest(h, folder: Path) -> None:
    # Only plain files are read (Digests.sha256 raises NotPlain). A FIFO among the sources would
    # block open() for ever, a link could point at /dev/zero or outside the course: for those the
    # fast path gives up and the build's loader refuses them with file and reason
    # (tests/loader/test_hostile.py). A file is read only when its stat() changed: 0.054 s of
    # reading and hashing the real course's 255 files became ~3 ms of stat().
    top = str(folder)
    digests = Digests(top)
    for base, dirs, files in os.walk(top):
        dirs.sort()
        if any(os.path.islink(os.path.join(base, d)) for d in dirs):
            raise NotPlain(base)
        for name in sorted(files):
            h.update(_relative(base, top, name).encode("utf-8", "surrogateescape") + b"\0")
            h.update(bytes.fromhex(digests.sha256(os.path.join(base, name))))
    digests.save()


def sources_key(course_dir: Path, out: Path, settings: dict) -> str | None:
    """The digest of everything a whole build's output and messages come from; None when there is
    no cache or a source cannot be read (the build then builds, and reports what it cannot read)."""
    if cache.root() is None:
        return None
    from builder.messages import english
    h = hashlib.sha256()
    try:
        _tree_digest(h, Path(course_dir))
        programme = settings.get("programme")
        if programme:
            if not stat.S_ISREG(os.stat(programme).st_mode):
                raise NotPlain(programme)
            h.update(Path(programme).read_bytes())
    except OSError:
        return None
    return cache.key(KIND, h.digest(), os.path.realpath(course_dir), os.path.realpath(out), english(),
                     os.environ.get("KULTURSKOLE_NODE_MODULES", ""), json.dumps(settings, sort_keys=True, default=str))


def recorded(key: str) -> dict | None:
    data = cache.get_blob(KIND, key)
    try:
        return json.loads(data) if data else None
    except ValueError:
        return None


def record(key: str, said: list[str], done: list[str], editions: list[dict]) -> None:
    """Keep what a whole build said and made. `editions`: per edition, its folder under --out
    (`target`, "" for the source language), the names that may be there (`ours`), and per format
    whether it writes a folder or loose files (`loose`, the declared names) and `files` (path →
    SHA-256 of what it made, None when it made nothing)."""
    cache.put_blob(KIND, key, json.dumps({"said": said, "done": done, "editions": editions}).encode())


def listing(folder: Path, digests: Digests, since: int) -> dict[str, str] | None:
    """Path → SHA-256 of every file under `folder` (None when there is no such folder), read
    after the build put them in --out, so the next build checks them by their stat() alone."""
    if not folder.is_dir():
        return None
    found, top = {}, str(folder)
    for base, dirs, files in os.walk(top):
        for name in files:
            found[_relative(base, top, name)] = digests.sha256(os.path.join(base, name), since)
    return found


def in_place(found: dict, out: Path) -> bool:
    """Whether `out` holds exactly what the recorded build put there (and nothing a build would
    refuse or remove: files no format makes, empty folders, links)."""
    try:
        return not os.path.ismount(out) and all(_edition_in_place(edition, out) for edition in found["editions"])
    except OSError:
        return False


def _edition_in_place(edition: dict, out: Path) -> bool:
    here = out / edition["target"] if edition["target"] else out
    ours = set(edition["ours"])
    if any(name not in ours and not name.startswith(".") for name in os.listdir(here)):
        return False
    digests = Digests(str(here))        # the index build() left for this edition's folder
    try:
        for fmt in edition["formats"]:
            if fmt["loose"] is None:
                if not _same_folder(here / fmt["name"], fmt["files"], digests):
                    return False
                continue
            made = fmt["files"] or {}
            for name in fmt["loose"]:
                if name in made:
                    if not _same_file(str(here / name), made[name], digests):
                        return False
                elif os.path.lexists(here / name):
                    return False
        return True
    finally:
        digests.save()


def _same_file(path: str, digest: str, digests: Digests) -> bool:
    try:
        return digests.sha256(path) == digest
    except NotPlain:                            # a link, a folder, a FIFO where a file was
        return False


def _same_folder(folder: Path, files: dict[str, str] | None, digests: Digests) -> bool:
    if files is None:
        return not os.path.lexists(folder)
    if folder.is_symlink() or not folder.is_dir():
        return False
    seen, top = 0, str(folder)
    for base, dirs, names in os.walk(top):
        if not dirs and not names and base != top:
            return False                       # an empty folder a build would not leave
        for name in dirs:
            if os.path.islink(os.path.join(base, name)):
                return False
        for name in names:
            digest = files.get(_relative(base, top, name))
            if digest is None or not _same_file(os.path.join(base, name), digest, digests):
                return False
            seen += 1
    return seen == len(files)
