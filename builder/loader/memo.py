"""What the loader made of source files it has read before, for a caller that loads the same course
again and again after small edits: the preview (a save re-reads one module, not the course), and
every build, through the build cache (a build after a one-page edit parses one module).

A part of the course (a module folder, the gathering scripts with the materials, a media file) is
reused when the bytes of every file it is made from, and everything else it was made from (the
competence goals, the timeline, the names in media/, …), are what they were: the key is a digest
of all of it, never a modification time, so two saves within one clock tick cannot be mistaken
for one; a file is read again only when its stat() changed, or when it had just been written
when it was read (RACY_NS; builder/infra/digests.py keeps the digests between processes).
Parsing and rendering is what this saves (the real course: 0.2 s of loading becomes about 15 ms
of CPU in the preview; 0.8 s → 0.05 s under load for a build after a one-page edit).
In a process, the values kept are the loader's frozen model objects, so an unchanged module of the
new Course is the very object of the old one, and whatever is keyed on a module (the preview's
rendered pages) finds it again. One entry per part: an edited part replaces its entry, so the memo
never grows. Between processes, each part's value is kept in the build cache under the toolkit and
the digest of its inputs, pickled (the cache is trusted as code already: it holds compiled jinja2
templates); an entry that is damaged (its SHA-256, cache.get_blob) or cannot be unpickled is made
again, never used. --no-cache: nothing is read or kept there.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import time
from pathlib import Path
from typing import Any, Callable

from builder.infra import cache
from builder.infra.cache import Unstable, model_digest
from builder.infra.digests import RACY_NS, Digests, NotPlain

KIND = "loader"


class SourceMemo:
    """Loader results by part name, each kept with the digest of what it was made from; and the
    digest of each source file, read again only when its stat() changed (or it was new when read)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, Any]] = {}
        self._files: dict[str, tuple[tuple, bytes]] = {}     # path → (stat signature, digest)
        self._digests: Digests | None = None                # the files' bytes, between processes

    def course(self, course_dir: Path) -> None:
        """Files under `course_dir` are digested through its index in the build cache; `save()` keeps it."""
        if self._digests is None or self._digests.tree != os.path.realpath(course_dir):
            self._digests = Digests(str(course_dir))

    def save(self) -> None:
        if self._digests is not None:
            self._digests.save()

    def _sha256(self, path: str) -> bytes:
        if self._digests is not None and self._digests.holds(path):
            try:
                return bytes.fromhex(self._digests.sha256(path))
            except NotPlain:            # a link to a file: its target's bytes
                pass
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).digest()

    def file(self, path: Path | str) -> bytes:
        """A digest of the file's bytes and of what the loader checks about it (link, kind, hard links)."""
        path = os.fspath(path)
        try:
            ls, st = os.lstat(path), os.stat(path)
        except OSError as err:
            return f"error:{err.errno}".encode()
        signature = (ls.st_mode, ls.st_ino, st.st_ino, st.st_dev, st.st_nlink, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        found = self._files.get(path)
        if found is not None and found[0] == signature:
            return found[1]
        h = hashlib.sha256(f"{signature[:5]}".encode())
        try:
            if os.path.islink(path):
                h.update(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
            # Only a plain file's bytes are read: open() on a FIFO blocks for ever and a link to
            # /dev/zero never ends. Its kind is in the signature; the loader says what is wrong with it.
            if stat.S_ISREG(st.st_mode):
                h.update(self._sha256(path))
        except OSError as err:
            return f"error:{err.errno}".encode()
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
            self._files[path] = (signature, h.digest())
        return h.digest()

    def folder(self, folder: Path, *, recursive: bool = False) -> bytes:
        """The names, kinds and bytes of everything in `folder` (its subfolders with `recursive`): any
        save, new, renamed or deleted file changes it."""
        h = hashlib.sha256()
        if not folder.is_dir():
            return b"absent"
        top = len(str(folder))
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            if not recursive:
                h.update(b"dirs:" + "\0".join(dirs).encode("utf-8", "surrogateescape"))
                dirs[:] = []
            for name in sorted(names):
                path = os.path.join(root, name)
                h.update(path[top:].encode("utf-8", "surrogateescape") + b"\0" + self.file(path))
        return h.digest()

    @staticmethod
    def digest(inputs) -> str:
        """Inputs several parts share, hashed once (a part's inputs may then name this digest)."""
        try:
            return model_digest(inputs)
        except Unstable:                    # an input without a stable identity: never reuse
            return ""

    def get(self, part: str, inputs: tuple, make: Callable[[], Any]) -> Any:
        """The value `make()` returned for `part` when its `inputs` were these, or a fresh one."""
        return self.get_many([(part, inputs)], lambda missing: [make()])[0]

    def get_many(self, wanted: list[tuple[str, tuple]], make: Callable[[list[int]], list]) -> list:
        """`get` for several parts at once: `make(indexes)` makes the values of the parts not kept,
        all together (the loader loads missing modules side by side, builder/infra/parallel.py)."""
        values: list = [None] * len(wanted)
        missing: list[tuple[int, str, str, str | None]] = []
        for i, (part, inputs) in enumerate(wanted):
            digest = self.digest(inputs)
            if not digest or "" in inputs:
                missing.append((i, part, "", None))
                continue
            found = self._entries.get(part)
            if found is not None and found[0] == digest:
                values[i] = found[1]
                continue
            key = cache.key_or_none(lambda: cache.key(KIND, part, digest))
            value = _kept(key)
            if value is _NONE:
                missing.append((i, part, digest, key))
                continue
            self._entries[part] = (digest, value)
            values[i] = value
        if missing:
            for (i, part, digest, key), value in zip(missing, make([m[0] for m in missing])):
                values[i] = value
                if digest:
                    self._entries[part] = (digest, value)
                if key is not None:
                    # With each part the digests of its model objects, so a build that takes it from
                    # here digests the course without walking them (cache.remember_digest).
                    kept = [cache.kept_digest(item) for item in value] if isinstance(value, tuple) else []
                    cache.put_blob(KIND, key, pickle.dumps((value, kept), protocol=pickle.HIGHEST_PROTOCOL))
        return values


_NONE = object()


def _kept(key: str | None) -> Any:
    data = cache.get_blob(KIND, key) if key is not None else None
    if data is None:
        return _NONE
    try:
        value, kept = pickle.loads(data)
        for item, digest in zip(value, kept):
            if digest is not None:
                cache.remember_digest(item, digest)
        return value
    except Exception:           # an entry of a toolkit that pickled other classes, or garbage: make it again
        return _NONE
