"""Outputs that several formats of one build need, made once per build.

The SCORM 1.2 package of a module is a file of the scorm12 format (modules/<id>.zip), the package
of a homework (dist/homework/) and an activity of the Moodle backup: three formats, one package.
A build gives its formats one Store (Options.store): the first format that asks for a name makes
it, a format that asks meanwhile waits for it, and the others read it.

Formats build side by side in forked worker processes, so the store is a folder (in the build's
staging folder, gone with it) with a lock file per name (fcntl.flock: released by the kernel when
a worker dies). A value is pickled, written under a temporary name and renamed into place, so a
reader sees it whole or not at all. A Store without a folder (a format run on its own, the
preview) keeps what it made in memory, for this process only.

The build cache (builder/infra/cache.py) is the other half: it keeps outputs across builds by a
digest of their inputs; the store keeps them across the formats of one build, by name, because
within one build a name (format edition + module) says exactly what it is.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, TypeVar

try:
    import fcntl
except ImportError:          # Windows: builds run serially there (builder/infra/parallel.py), no lock needed
    fcntl = None

T = TypeVar("T")


class Store:
    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self._here: dict[str, Any] = {}

    def get(self, name: str, make: Callable[[], T]) -> T:
        """The value called `name` in this build: `make()` by the first format that asks."""
        if self.folder is None:
            if name not in self._here:
                self._here[name] = make()
            return self._here[name]
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / hashlib.sha256(name.encode()).hexdigest()
        with _locked(path.with_suffix(".lock")):
            if path.exists():
                return pickle.loads(path.read_bytes())
            value = make()
            fd, tmp = tempfile.mkstemp(prefix=".new-", dir=self.folder)
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            return value


@contextmanager
def _locked(path: Path):
    if fcntl is None:
        yield
        return
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
