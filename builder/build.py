"""Run builders over one course model and put their output in place only if all succeeded."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from builder.errors import BuildFailed, Problem
from builder.messages import msg
from builder.formats import FormatsBroken, Options, load, registry
from builder.model import Course
from builder.infra import cache, outdir, unchanged
from builder.infra.digests import Digests, clock
from builder.infra.parallel import ordered_map
from builder.infra.store import Store


def build(course: Course, out: Path, formats: list[str], options: Options, record: dict | None = None) -> list[Path]:
    """Build `formats` into `out/<format>/` (or, for builders that declare `files`, those files
    directly in `out/`); on any failure, or when killed, `out` is left exactly as it was: the new
    `out` is assembled beside it and exchanged with it in one atomic step (builder/infra/outdir.py).

    A whole build replaces each format's folder (or files). A module build (`options.module`)
    replaces only the files it made and keeps every other file in `out`.

    `record`, when given, is filled with what a whole build put in `out`, for
    builder/infra/unchanged.py: the names that may be in `out` and each format's files' digests."""
    builders = load(*formats)
    if options.module and options.module not in [m.id for m in course.modules]:
        from builder.errors import did_you_mean
        ids = [m.id for m in course.modules]
        raise BuildFailed([Problem("--module", 0, f"there is no module '{options.module}'",
                                   did_you_mean(options.module, ids) or f"use one of: {', '.join(ids)}")])
    problems = source_problems(course, [builders[name] for name in formats], options)
    if problems:
        raise BuildFailed(problems)
    for name in formats:
        for line in builders[name].notices(course, options):
            options.notice(line)
    # dist/ given as a link: the folder it points at is the one replaced.
    out = Path(os.path.realpath(out)) if os.path.islink(out) else Path(os.path.abspath(out))
    # The whole folder is replaced, so it must hold builds only: `--out .` in the repository would
    # otherwise swap the repository itself away.
    ours = _owned(builders) | set(course.languages)
    found = [p.name for p in out.iterdir() if not p.name.startswith(".")] if out.is_dir() else []
    if any(name not in ours for name in found):
        try:        # made by a format not built now? Only then are the other formats imported
            ours |= _owned(registry())
        except FormatsBroken:
            pass
    foreign = sorted(name for name in found if name not in ours)
    if foreign:
        raise BuildFailed([Problem("--out", 0, f"{out} holds files that no build made ({', '.join(foreign[:4])}"
                                               f"{', ...' if len(foreign) > 4 else ''}), and a build replaces the whole folder",
                                   "give a new or empty folder with --out (the default is dist/)")])
    if out.is_dir() and os.path.ismount(out):
        # The new output is assembled beside --out and swapped with it; a mount point (a Docker volume,
        # a network share) has no "beside" on the same disk, so the swap could not be one step.
        raise BuildFailed([Problem("--out", 0, f"{out} is a mount point, and a build replaces its output folder "
                                               "in one step from beside it, on the same disk",
                                   f"give a folder inside it, for example --out {out / 'kurs'}")])
    out.parent.mkdir(parents=True, exist_ok=True)
    with stopped_on_sigterm(), outdir.exclusive(out, lambda line: print(line, file=sys.stderr, flush=True)):
        outdir.remove_stale(out)
        staging = outdir.new_staging(out)
        try:
            made, tree = staging / "made", staging / "tree"
            options = dataclasses.replace(options, store=Store(staging / "store"))
            todo = _from_cache(course, options, [(name, builders[name].page_texts) for name in formats], made)
            if todo:
                from builder.render.labels import labelled
                labelled(course)    # once here, so the forked workers inherit it instead of each labelling
                if any(builders[name].slow for name, _ in todo) and not cache.holds("pdf"):
                    from builder.render import printing
                    printing.preload()      # every PDF is laid out: WeasyPrint once here, not in every worker
            # Formats are independent of each other, so they build side by side on a multi-core machine.
            ordered_map(_build_format, (course, options, made), sorted(todo, key=lambda job: not builders[job[0]].slow))
            tree.mkdir()
            outdir.same_mode_and_owner(out, tree)
            if options.module:
                outdir.carry_over(out, tree, set())
                done = [p for name in formats for p in _merge(made / name, tree if builders[name].files else tree / name,
                                                              out if builders[name].files else out / name)]
            else:
                done = _replace(formats, builders, made, tree, out)
            if out.is_dir():
                outdir.exchange(tree, out)     # the one moment dist/ changes: old or new, never a mix
            else:
                tree.rename(out)
            if record is not None and not options.module:
                _record(record, out, sorted(ours), [(name, builders[name].files) for name in formats], staging)
            return done
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _owned(builders: dict) -> set[str]:
    """The names in --out that these formats write: their folder, or the files they declare."""
    return {entry for name, fmt in builders.items() for entry in (fmt.files or (name,))}


def _record(record: dict, out: Path, ours: list[str], formats: list[tuple[str, tuple]], staging: Path) -> None:
    """What this whole build put in `out`, for builder/infra/unchanged.py; read from `out` itself,
    so the digests' index knows each file's stat() there and the next build of an unchanged course
    checks --out without reading it (8.4 MB on the real course). The staging folder beside `out` is on
    its file system and gives its clock: a file changed since is not trusted by its stat()."""
    digests, since = Digests(str(out)), clock(str(staging))
    record.update(ours=ours, formats=[
        dict(name=name, loose=None, files=unchanged.listing(out / name, digests, since)) if not loose else
        dict(name=name, loose=list(loose),
             files={f: digests.sha256(str(out / f), since) for f in loose if os.path.lexists(out / f)})
        for name, loose in formats])
    digests.save()


class Stopped(BaseException):
    """The build was ended by a signal (`kill`, a CI timeout, systemd stopping the job); like
    KeyboardInterrupt a BaseException, so only the `finally` blocks that clean up see it."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


@contextmanager
def stopped_on_sigterm():
    """While building, SIGTERM ends the build as Ctrl-C does: `finally` removes the staging folder
    (without this, Python's default for SIGTERM is to die on the spot and leave it to the next build)."""
    if threading.current_thread() is not threading.main_thread():
        yield            # signal handlers belong to the main thread; the preview builds in its own thread
        return
    builder = os.getpid()

    def stop(signum, frame):
        if os.getpid() != builder:          # a forked worker: die, the builder cleans up
            os._exit(128 + signum)
        raise Stopped(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _replace(formats: list[str], builders, made: Path, tree: Path, out: Path) -> list[Path]:
    """A whole build: each format's output replaces its folder (or declared files) in `out`, and a
    declared file this build did not make goes, so nothing stale stays; the rest is carried over."""
    replaced, done = set(), []
    for name in formats:
        loose = builders[name].files
        if not loose:
            replaced.add(name)
            if (made / name).exists():
                (made / name).rename(tree / name)
                done.append(out / name)
            continue
        stray = sorted(set(p.name for p in (made / name).iterdir()) - set(loose)) if (made / name).is_dir() else []
        if stray:
            raise RuntimeError(f"the {name} builder wrote files it does not declare: {stray}")
        for file in loose:
            replaced.add(file)     # a declared file this build did not make goes, so nothing stale stays
            if (made / name / file).exists():
                (made / name / file).rename(tree / file)
                done.append(out / file)
    outdir.carry_over(out, tree, replaced)
    return done


def _merge(new: Path, target: Path, shown: Path) -> list[Path]:
    """Put what a module build made at `new` over `target` (the carried-over old output): a file
    replaces the file of its name, a folder `target` lacks comes whole, and nothing else is touched.
    Returns the places as they will be under `out` (`shown`)."""
    if not new.exists():
        return []
    old_folder = target.is_dir() and not target.is_symlink()
    if new.is_dir() and old_folder:
        return [p for entry in sorted(new.iterdir()) for p in _merge(entry, target / entry.name, shown / entry.name)]
    if old_folder:
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()                # the hard link in the new tree, never the old file itself
    target.parent.mkdir(parents=True, exist_ok=True)
    new.rename(target)
    return [shown]


def source_problems(course: Course, formats, options: Options) -> list[Problem]:
    """What `formats` would refuse before writing anything, named at the sources (`check` runs this
    for every format, `build` for the ones it builds); a format without such checks has none."""
    return [p for fmt in formats for p in getattr(fmt, "source_problems", lambda course, options: [])(course, options)]


def _outline(course: Course) -> str:
    from builder.render.site import outline_digest      # only for a format that shows no page text
    return outline_digest(course)


def _from_cache(course: Course, options: Options, formats: list[tuple[str, bool]], made: Path) -> list[tuple[str, str | None]]:
    """Put every format whose output the cache holds for exactly this course model (for a format
    that does not show the pages' texts, `page_texts` False: this course's outline), --module and
    toolkit into `made`; return the others as (format, cache key or None) to build."""
    digests = {}

    def digest(page_texts: bool) -> str | None:
        if page_texts not in digests:
            digests[page_texts] = cache.key_or_none(lambda: cache.model_digest(course) if page_texts else _outline(course))
        return digests[page_texts]

    todo = []
    for name, page_texts in formats:
        d = digest(page_texts)
        key = cache.key("format", name, options.module or "", options.whole_course, d) if d else None
        if key and cache.get_tree("format", key, made / name):
            options.progress(msg(f"{name}: unchanged, taken from the cache"))
        else:
            todo.append((name, key))
    return todo


def _build_format(context, job: tuple[str, str | None]) -> None:
    course, options, made = context
    name, key = job
    options.progress(msg(f"building {name} ..."))
    load(name)[name](course, options).build(made / name)
    if key and (made / name).is_dir():
        cache.put_tree("format", key, made / name)
