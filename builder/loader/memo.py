"""What the loader made of source files it has read before, for a caller that loads the same course
again and again after small edits (the preview: a save re-reads one module, not the course).

A part of the course (a module folder, the gathering scripts with the materials, a media file) is
reused when the bytes of every file it is made from, and everything else it was made from (the
competence goals, the timeline, the names in media/, …), are what they were: the key is a digest
of all of it, never a modification time, so two saves within one clock tick cannot be mistaken
for one. Reading and hashing the sources costs a few milliseconds; parsing and rendering them is
what a save saves (the real course: about 0.2 s of loading in 15 ms, see builder/preview/).
The values kept are the loader's frozen model objects, so an unchanged module of the new Course is
the very object of the old one, and whatever is keyed on a module (the preview's rendered pages)
finds it again. One entry per part: an edited part replaces its entry, so the memo never grows.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable

from builder.infra.cache import Unstable, model_digest


def folder_digest(folder: Path, *, recursive: bool = False) -> bytes:
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
            h.update(path[top:].encode("utf-8", "surrogateescape") + b"\0")
            try:
                if os.path.islink(path):
                    h.update(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
                with open(path, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
            except OSError as err:          # unreadable or gone: the loader says so, once per state
                h.update(f"error:{err.errno}".encode())
    return h.digest()


class SourceMemo:
    """Loader results by part name, each kept with the digest of what it was made from."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, Any]] = {}

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
