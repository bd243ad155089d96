"""Keep a built SCORM edition of a course folder up to date while an editor works on it.

Every build goes into a fresh folder; only a successful one replaces the served folder, in one
reference assignment, so a request never sees half a build and a broken source never takes the
preview down. A build writes the package's files as the LMS would unzip them, without zipping or
unzipping (the zip and its checks are `kulturskole build`'s), and a file whose bytes did not change
is a hard link to the previous build's: a page edit writes the pages it changed. The build reads
again only the sources that changed and renders only the pages they make (Memos). Sources are
watched by polling mtimes every 0.05 s (about 250 stat calls, 2.1 ms of CPU: 4 % of a core while
nothing happens; portable, no dependency); a browser waiting at /__preview/status?after=N hears of a
build the moment it ends.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from builder.errors import BuildFailed, Problem, printable
from builder.messages import problem, tr
from builder.formats.scorm.editions import Edition
from builder.formats.scorm.manifest import MANIFEST, LaunchItem, launch_items
from builder.loader.memo import SourceMemo
from builder.render.site import PageMemo


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its mtime and size: any save, new or deleted file changes it.
    The real course (249 files) takes 2.1 ms of CPU (os.walk and os.stat took 2.9 ms)."""
    found, folders = {}, [os.fspath(folder)]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:                    # removed while walking: the next poll sees it
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        folders.append(entry.path)
                    else:
                        st = entry.stat()
                        found[entry.path] = (st.st_mtime_ns, st.st_size)
                except OSError:            # deleted while walking, or a broken link: the next poll sees it
                    continue
    return found


# The content region of every course page (builder/render/templates/web/base.html): what a text
# edit changes, and what the preview's shell can swap in place without reloading the page.
CONTENT_START, CONTENT_END = b'<main id="innhold"', b"</main>"


def content_only(old: bytes, new: bytes) -> bool:
    """Whether two versions of a page differ only inside its content region: the same head (so the
    same scripts and stylesheets), header, menus, pager and footer. Only such a page can have its
    new text swapped into the open page; any other change needs the page loaded again."""
    start = old.find(CONTENT_START)
    if start < 0 or new.find(CONTENT_START) != start or old[:start] != new[:start]:
        return False
    old_end, new_end = old.rfind(CONTENT_END), new.rfind(CONTENT_END)
    return old_end > start and new_end > start and old[old_end:] == new[new_end:]


@dataclass
class Memos:
    """What the previous builds read and rendered, so that a save re-reads the saved files and
    re-renders the pages they make (builder/loader/memo.py, builder/render/site.py PageMemo)."""
    sources: SourceMemo = field(default_factory=SourceMemo)
    pages: PageMemo = field(default_factory=PageMemo)


def build_edition(course_dir: Path, target: Path, edition: Edition,
                  previous: tuple[Path, dict[str, bytes]] | None = None,
                  memos: Memos | None = None) -> tuple[list[LaunchItem], dict[str, bytes]]:
    """The whole-course package an LMS would receive, as files in `target`: the same build as
    `kulturskole build` (the same SCOs, the same reflection limits). Files equal to those of the
    `previous` build (its folder and files) are hard links to them. Returns what its manifest offers
    to launch, as an LMS reads it, and the files."""
    from builder.loader import load_course
    from builder.formats.scorm.package import package_files
    memos = memos or Memos()
    site, _ = package_files(load_course(course_dir, memo=memos.sources), edition=edition, memo=memos.pages)
    old_folder, old_files = previous or (None, {})
    folders = set()
    for name, data in site.items():
        path = os.path.join(target, name)          # os.path: pathlib's objects cost a third of this loop
        folder = os.path.dirname(path)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if old_folder is not None and old_files.get(name) == data:
            try:
                os.link(os.path.join(old_folder, name), path)
                continue
            except OSError:
                pass
        with open(path, "wb") as f:
            f.write(data)
    return launch_items(site[MANIFEST]), site


def shown_problem(p: Problem, course_dir: Path) -> dict:
    """A problem as the preview's overlay shows it: where, what and how, in the editor's language,
    and the file's full path (problems name it from the folder above the course folder)."""
    full = Path(course_dir).resolve().parent / p.path
    return {"where": printable(f"{p.path}:{p.line}" if p.line else p.path), "line": p.line,
            "file": printable(str(full)) if full.is_file() else "",
            "message": printable(tr(p.message)), "hint": printable(tr(p.hint)) if p.hint else ""}


@dataclass
class Status:
    attempt: int = 0              # builds tried
    served: int = 0               # the build being served (0: none succeeded yet)
    version: int = 0              # the served build as the editor counts it: failed builds get no number
    errors: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)    # the same, as where/message/hint for the overlay
    finished: str = ""            # clock time of the last attempt
    scos: tuple[LaunchItem, ...] = ()   # what the served build's manifest offers to launch, in order
    changed: tuple[str, ...] = ()       # files this build changed, added or removed against the one before
    in_place: tuple[str, ...] = ()      # the changed pages whose change is inside <main> only (content_only)

    def as_json(self) -> dict:
        return {"attempt": self.attempt, "served": self.served, "version": self.version, "ok": not self.errors,
                "errors": list(self.errors), "problems": list(self.problems), "finished": self.finished,
                "scos": [{"id": s.item, "title": s.title, "href": s.href} for s in self.scos],
                "changed": list(self.changed), "in_place": list(self.in_place)}


class Rebuilder:
    """Builds `course_dir` now and again after every change; `current` is the folder to serve."""

    def __init__(self, course_dir: Path, edition: Edition, say: Callable[[str], None], texts: dict[str, str],
                 interval: float = 0.05):
        self.course_dir, self.edition, self.say, self.texts, self.interval = course_dir, edition, say, texts, interval
        self.current: Path | None = None
        self._files: dict[str, bytes] = {}      # the served build's files, to link what a rebuild leaves as it was
        self.memos = Memos()
        self.status = Status()
        self._lock = threading.Lock()
        self._built = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Ctrl-C from the moment the folder exists (walking the course takes a while too, not only the
        # first build) leaves no temporary folder behind: one landing in snapshot() did, in a suite run
        # under load, and so did one landing just after mkdtemp() made it and before it returned (the
        # test stops the preview as soon as the folder appears). So the name is chosen first and the
        # folder made inside the `try` that removes it; mkdir's mode 0o700 and refusal of an existing
        # name are mkdtemp's.
        self.workdir = Path(tempfile.gettempdir()) / f"kulturskole-preview-{uuid.uuid4().hex}"
        try:
            self.workdir.mkdir(mode=0o700)
            self._seen = snapshot(course_dir)
            self.rebuild()
        except BaseException:
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise

    def rebuild(self) -> bool:
        attempt = self.status.attempt + 1
        target = self.workdir / f"build-{attempt}"
        scos = self.status.scos
        found: list[Problem] = []
        try:
            launch, files = build_edition(self.course_dir, target, self.edition,
                                          (self.current, self._files) if self.current else None, self.memos)
            scos = tuple(launch)
        except BuildFailed as err:
            found = err.problems
        except Exception as err:          # a builder bug must not stop the preview; show it like a problem
            traceback.print_exc()
            found = [Problem(str(self.course_dir), 0, f"the builder crashed: {err!r}",
                             "report this to the developers with the course files")]
        errors = [problem(p) for p in found]
        changed = () if errors else tuple(sorted(name for name in files.keys() | self._files.keys()
                                                 if files.get(name) != self._files.get(name)))
        in_place = tuple(name for name in changed if name.endswith(".html") and name in files
                         and name in self._files and content_only(self._files[name], files[name]))
        with self._built:
            old = self.current
            if not errors:
                self.current, self._files = target, files
            self.status = Status(attempt, attempt if not errors else self.status.served,
                                 self.status.version + (0 if errors else 1), errors,
                                 [shown_problem(p, self.course_dir) for p in found], time.strftime("%H:%M:%S"), scos,
                                 changed, in_place)
            self._built.notify_all()
        if errors:
            shutil.rmtree(target, ignore_errors=True)
            self.say(self.texts["preview_build_failed"])
            for line in errors:
                self.say(f"  {line}")
            return False
        self.say(self.texts["preview_built"].format(n=self.status.version, time=self.status.finished))
        if old is not None:
            self._remove_later(old)
        return True

    def _remove_later(self, folder: Path) -> None:
        """A request may still be reading the previous build; it goes when the next one replaces it."""
        for stale in self.workdir.glob("build-*"):
            if stale not in (folder, self.current):
                shutil.rmtree(stale, ignore_errors=True)

    def state(self, after: int = -1, wait: float = 0.0) -> dict:
        """The status now, or, with `after`, as soon as a build later than attempt `after` has
        ended (at most `wait` seconds from now): the browser asks again at once and so hears of
        every build the moment it ends, without polling."""
        with self._built:
            self._built.wait_for(lambda: self.status.attempt > after or self._stop.is_set(), timeout=wait)
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
        with self._built:
            self._built.notify_all()
        if self._thread is not None:
            self._thread.join()
        shutil.rmtree(self.workdir, ignore_errors=True)
