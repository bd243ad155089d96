"""Keep a built SCORM edition of a course folder up to date while an editor works on it.

Every build goes into a fresh folder; only a successful one replaces the served folder, in one
reference assignment, so a request never sees half a build and a broken source never takes the
preview down. Sources are watched by polling mtimes: portable, no dependency, and fast enough for
a course of a few hundred files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from builder.errors import BuildFailed, Problem
from builder.messages import problem
from builder.formats.scorm.editions import Edition
from builder.formats.scorm.manifest import MANIFEST, LaunchItem, launch_items

def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its mtime and size: any save, new or deleted file changes it."""
    found = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            try:
                st = os.stat(path)
            except FileNotFoundError:      # deleted while walking: the next poll sees it
                continue
            found[path] = (st.st_mtime_ns, st.st_size)
    return found


def build_edition(course_dir: Path, target: Path, edition: Edition) -> list[LaunchItem]:
    """The whole-course package an LMS would receive, unzipped into `target`: the same build as
    `kulturskole build` (the same SCOs, the same reflection limits). Returns what its manifest offers
    to launch, as an LMS reads it."""
    from builder.loader import load_course
    from builder.formats.scorm.package import build_package
    course = load_course(course_dir)
    with tempfile.TemporaryDirectory(prefix="kulturskole-preview-zip-") as tmp:
        info = build_package(course, Path(tmp) / "course.zip", edition=edition)
        with zipfile.ZipFile(info.path) as zf:
            zf.extractall(target)
    return launch_items((target / MANIFEST).read_bytes())


@dataclass
class Status:
    attempt: int = 0              # builds tried
    served: int = 0               # the build being served (0: none succeeded yet)
    errors: list[str] = field(default_factory=list)
    finished: str = ""            # clock time of the last attempt
    scos: tuple[LaunchItem, ...] = ()   # what the served build's manifest offers to launch, in order

    def as_json(self) -> dict:
        return {"attempt": self.attempt, "served": self.served, "ok": not self.errors,
                "errors": list(self.errors), "finished": self.finished,
                "scos": [{"id": s.item, "title": s.title, "href": s.href} for s in self.scos]}


class Rebuilder:
    """Builds `course_dir` now and again after every change; `current` is the folder to serve."""

    def __init__(self, course_dir: Path, edition: Edition, say: Callable[[str], None], texts: dict[str, str],
                 interval: float = 0.5):
        self.course_dir, self.edition, self.say, self.texts, self.interval = course_dir, edition, say, texts, interval
        self.workdir = Path(tempfile.mkdtemp(prefix="kulturskole-preview-"))
        self.current: Path | None = None
        self.status = Status()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen = snapshot(course_dir)
        self.rebuild()

    def rebuild(self) -> bool:
        attempt = self.status.attempt + 1
        target = self.workdir / f"build-{attempt}"
        scos = self.status.scos
        try:
            scos = tuple(build_edition(self.course_dir, target, self.edition))
            errors = []
        except BuildFailed as err:
            errors = [problem(p) for p in err.problems]
        except Exception as err:          # a builder bug must not stop the preview; show it like a problem
            traceback.print_exc()
            errors = [problem(Problem(str(self.course_dir), 0, f"the builder crashed: {err!r}",
                                      "report this to the developers with the course files"))]
        with self._lock:
            old = self.current
            if not errors:
                self.current = target
            self.status = Status(attempt, attempt if not errors else self.status.served, errors,
                                 time.strftime("%H:%M:%S"), scos)
        if errors:
            shutil.rmtree(target, ignore_errors=True)
            self.say(self.texts["preview_build_failed"])
            for line in errors:
                self.say(f"  {line}")
            return False
        self.say(self.texts["preview_built"].format(n=attempt, time=self.status.finished))
        if old is not None:
            self._remove_later(old)
        return True

    def _remove_later(self, folder: Path) -> None:
        """A request may still be reading the previous build; it goes when the next one replaces it."""
        for stale in self.workdir.glob("build-*"):
            if stale not in (folder, self.current):
                shutil.rmtree(stale, ignore_errors=True)

    def state(self) -> dict:
        with self._lock:
            return self.status.as_json()

    def watch(self) -> None:
        """Poll the sources in a background thread until stop()."""
        def loop():
            while not self._stop.wait(self.interval):
                now = snapshot(self.course_dir)
                if now == self._seen:
                    continue
                # An editor's save can take several steps (truncate, write, rename): build once the
                # files have stopped changing, not once per step.
                while not self._stop.wait(self.interval / 2):
                    settled = snapshot(self.course_dir)
                    if settled == now:
                        break
                    now = settled
                self._seen = now
                self.rebuild()
        self._thread = threading.Thread(target=loop, name="kulturskole-preview-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        shutil.rmtree(self.workdir, ignore_errors=True)
