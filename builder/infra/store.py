"""What several formats of one build need is made once in that build: the build-scoped store.

The packs format and the Moodle backup's room kit print the very same 29 PDFs (the materials,
each gathering's pack and participants' materials, made one gathering at a time by
builder/formats/packs), and the SCORM 1.2 module packages go into scorm12, homework
and the Moodle backup. build() gives every format one `Store` in `Options.store`; the first format
(in whichever worker process) that asks for a name makes it, the others read what it made.

The store lives in the build's staging folder and goes with it, so it never outlives a build
(across builds, builder/infra/cache.py keeps outputs by the digest of their inputs). Values are
pickled to `<folder>/<digest of the name>` under a temporary name and renamed into place, so a
reader sees a whole value or none; an fcntl lock per name makes sure that two worker processes
never make the same value at once. Without fcntl (not Linux/macOS) values are made where asked.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable

from builder.infra import files

try:
    import fcntl
except ImportError:          # Windows: builds are serial there (builder/infra/parallel.py)
    fcntl = None


class Store:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def get(self, name: str, make: Callable[[], Any]) -> Any:
        """The value called `name` in this build: made by `make()` by the first who asks."""
        return self.get_many([(name, make)])[0]

    def get_many(self, jobs: Iterable[tuple[str, Callable[[], Any]]]) -> list:
        """[get(name, make) for name, make in jobs], shared out: a first pass makes only values no
        other process is making at that moment and skips the rest, a second pass waits for those.
        So two formats asking for the same 21 materials at the same time make about half each
        instead of one waiting for the other."""
        jobs = list(jobs)
        values: dict[int, Any] = {}
        for blocking in (False, True):
            for i, (name, make) in enumerate(jobs):
                if i in values:
                    continue
                path = self._path(name)
                with self._locked(path, blocking) as mine:
                    if not mine:
                        continue
                    found = self._read(path)
                    if found is _MISSING:
                        found = make()
                        self._write(path, found)
                    values[i] = found
        return [values[i] for i in range(len(jobs))]

    def _path(self, name: str) -> Path:
        return self.folder / hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()

    @contextmanager
    def _locked(self, path: Path, blocking: bool):
        if fcntl is None:
            yield True
            return
        fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)          # closing the file releases the lock

    @staticmethod
    def _read(path: Path):
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            return _MISSING

    @staticmethod
    def _write(path: Path, value: Any) -> None:
        with files.written(path) as tmp, open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)


_MISSING = object()


def get(store: Store | None, name: str, make: Callable[[], Any]) -> Any:
    """`store.get(name, make)`, or just `make()` outside a build (a format built on its own)."""
    return make() if store is None else store.get(name, make)


def get_many(store: Store | None, jobs: Iterable[tuple[str, Callable[[], Any]]]) -> list:
    return [make() for _, make in jobs] if store is None else store.get_many(jobs)
