"""SHA-256 of files, taken again only when a file's stat() changed: kept in the build cache
between processes, as git's index keeps the stat of every tracked file.

Every build digests three trees before it does anything else: the toolkit (cache keys), the
course (the unchanged-build key) and, for an unchanged build, everything in --out. Reading and
hashing them took 0.05–0.1 s each on the real course (2.5, 2.1 and 8.4 MB); stat() of their ~650
files takes a few milliseconds.

A file's digest is reused only when its signature (kind, inode, device, size, modification and
change time in nanoseconds) is exactly the one it had when it was read. An edit that keeps size
and modification time (`touch -r`, os.utime) still changes the change time, which no program can
set. A file modified in the same tick of the file system's clock as it was read could keep its
whole signature, so a digest is kept only for a file that was older than the moment it was read
(«racily clean» in git): by RACY_NS on the wall clock, or exactly, by the file system's own clock,
when the caller gives a time stamp read from a file it just made on the same file system (`since`).

Each tree's index is one file in the cache, stored with its SHA-256: a damaged one is ignored (the
files are read again) and replaced. An entry is a fact about one signature, never wrong while the
file keeps it: so the unchanged-build key and the loader (which look at different files of the
course) add to one index, an entry of a deleted file is harmless, and concurrent builds may both
write it (either index is true). --no-cache: nothing is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from pathlib import Path

from builder.infra import cache, files

# A file modified less than this long before it was read may be written again within the same
# tick of the file system's clock, keeping its signature: it is read again next time. 2 s covers
# the coarsest clocks (FAT); ext4's tick is a few milliseconds.
RACY_NS = 2_000_000_000


class NotPlain(OSError):
    """Not a plain file (a FIFO, a device, a folder): its bytes are not read."""


def signature(st: os.stat_result) -> list[int]:
    return [st.st_mode, st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class Digests:
    """The SHA-256 (hex) of files under `tree`, by path; `save()` keeps what was learnt. The index
    is the tree's wherever it is named from (`dist` or /home/…/dist): paths are kept relative to it."""

    def __init__(self, tree: str):
        self._top = os.path.join(tree, "")
        self.tree = os.path.realpath(tree)
        self._path = self._where()
        self._known: dict[str, list] = self._read()
        self._changed = False

    def _where(self) -> str | None:
        base = cache.root()
        if base is None:
            return None
        name = hashlib.sha256(self.tree.encode("utf-8", "surrogateescape")).hexdigest()
        return os.path.join(base, f"v{cache.VERSION}", "digests", name[:2], name)

    def _read(self) -> dict[str, list]:
        if self._path is None:
            return {}
        try:
            with open(self._path, "rb") as f:
                data = files.unsealed(f.read())
            if data is None:
                return {}
            cache.used(self._path)
            known = json.loads(data)
            return known if isinstance(known, dict) else {}
        except (OSError, ValueError):
            return {}

    def holds(self, path: str) -> bool:
        """Whether `path` is named from this tree (as the tree was named)."""
        return path.startswith(self._top)

    def sha256(self, path: str, since: int | None = None) -> str:
        """The SHA-256 of the plain file `path` (NotPlain for anything else: a FIFO would block
        open() for ever, a device never end). `since`: a time stamp of this file system's clock
        taken before the call; a file changed at or after it is read now and not kept."""
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            raise NotPlain(path)
        sig = signature(st)
        name = path[len(self._top):] if path.startswith(self._top) else path
        found = self._known.get(name)
        if found is not None and found[:-1] == sig:
            return found[-1]
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        changed = max(st.st_mtime_ns, st.st_ctime_ns)
        if (changed < since) if since is not None else (time.time_ns() - changed > RACY_NS):
            self._known[name] = sig + [digest]
            self._changed = True
        elif self._known.pop(name, None) is not None:
            self._changed = True
        return digest

    def save(self) -> None:
        """Keep what was learnt (quietly nothing when the cache cannot be written)."""
        if self._path is None or not self._changed:
            return
        data = json.dumps(self._known, separators=(",", ":")).encode()
        try:
            os.makedirs(os.path.dirname(self._path), exist_ok=True)
            with files.written(Path(self._path)) as tmp:
                tmp.write_bytes(files.sealed(data))
        except OSError:
            return


def clock(folder: str) -> int:
    """Now by the clock of the file system `folder` is on: the change time of a file made there."""
    fd, probe = tempfile.mkstemp(prefix=".clock-", dir=folder)
    try:
        return os.fstat(fd).st_ctime_ns
    finally:
        os.close(fd)
        os.unlink(probe)
