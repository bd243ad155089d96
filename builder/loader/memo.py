"""What the loader made of source files it has read before, for a caller that loads the same course
again and again after small edits (the preview: a save re-reads one module, not the course).

A part of the course (a module folder, the gathering scripts with the materials, a media file) is
reused when the bytes of every file it is made from, and everything else it was made from (the
competence goals, the timeline, the names in media/, …), are what they were: the key is a digest
of all of it, never a modification time, so two saves within one clock tick cannot be mistaken
for one; a file is read again only when its stat() changed, or when it had just been written
when it was read (RACY_NS). Parsing and rendering is what a save saves (the real course: 0.2 s of
loading becomes about 15 ms of CPU).
The values kept are the loader's frozen model objects, so an unchanged module of the new Course is
the very object of the old one, and whatever is keyed on a module (the preview's rendered pages)
finds it again. One entry per part: an edited part replaces its entry, so the memo never grows.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path
from typing import Any, Callable

from builder.infra.cache import Unstable, model_digest
from builder.infra.digests import RACY_NS


class SourceMemo:
    """Loader results by part name, each kept with the digest of what it was made from; and the
    digest of each source file, read again only when its stat() changed (or it was new when read)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, Any]] = {}
        self._files: dict[str, tuple[tuple, bytes]] = {}     # path → (stat signature, digest)

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
                with open(path, "rb") as f:
                    h.update(f.read())
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
        digest = self.digest(inputs)
        if not digest or "" in inputs:
            return make()
        found = self._entries.get(part)
        if found is not None and found[0] == digest:
            return found[1]
        value = make()
        self._entries[part] = (digest, value)
        return value
