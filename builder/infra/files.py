"""Files written whole or not at all, and files known by their SHA-256.

One owner for two things the build cache (cache.py), the build's store (store.py) and the unchanged
build (unchanged.py) all do: put a file or folder in place so that a reader, in this process or
another, sees all of it or none of it; and tell whether a file has exactly the bytes a recorded
digest names.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def written(target: Path, *, folder: bool = False) -> Iterator[Path]:
    """A new temporary file (or, with `folder`, folder) beside `target` to fill; when the block ends
    it is renamed to `target` in one step, so a reader never sees half of it. A file replaces the one
    there; a folder gives way to one another process put there first (the same entry, made twice).
    When the block fails, the temporary file or folder goes and `target` is untouched."""
    target = Path(target)
    if folder:
        tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=target.parent))
    else:
        fd, name = tempfile.mkstemp(prefix=".new-", dir=target.parent)
        os.close(fd)
        tmp = Path(name)
    try:
        yield tmp
        if not folder:
            os.replace(tmp, target)
            return
        try:
            os.rename(tmp, target)
        except OSError:           # another build put the same entry meanwhile
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        if folder:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        raise


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_checked(path, digest: str) -> bytes | None:
    """The bytes of the plain file at `path` if their SHA-256 is `digest`; None when they are not,
    or when `path` is a link, no file or unreadable."""
    try:
        if os.path.islink(path) or not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    return data if sha256(data) == digest else None


def relative(base: str, top: str, name: str) -> str:
    """`name` in folder `base` under `top`, relative to `top` with "/" (os.path.relpath is a
    tenth of an unchanged build: it makes both paths absolute for each of ~450 files)."""
    inner = base[len(top):].lstrip(os.sep)
    return f"{inner.replace(os.sep, '/')}/{name}" if inner else name


def listing(folder: Path) -> dict[str, str] | None:
    """Path (relative, "/") → SHA-256 of every file under `folder`; None when there is no such folder."""
    if not Path(folder).is_dir():
        return None
    found, top = {}, str(folder)
    for base, dirs, names in os.walk(top):
        for name in names:
            with open(os.path.join(base, name), "rb") as f:
                found[relative(base, top, name)] = sha256(f.read())
    return found
