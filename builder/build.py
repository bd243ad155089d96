"""Run builders over one course model and put their output in place only if all succeeded."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from builder.errors import BuildFailed, Problem
from builder.formats import Options, registry
from builder.model import Course
from builder.infra.parallel import ordered_map


def build(course: Course, out: Path, formats: list[str], options: Options) -> list[Path]:
    """Build `formats` into `out/<format>/` (or, for builders that declare `files`, those files
    directly in `out/`); on any failure `out` is left exactly as it was."""
    builders = registry()
    if options.module and options.module not in [m.id for m in course.modules]:
        from builder.errors import did_you_mean
        ids = [m.id for m in course.modules]
        raise BuildFailed([Problem("--module", 0, f"there is no module '{options.module}'",
                                   did_you_mean(options.module, ids) or f"use one of: {', '.join(ids)}")])
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=out))
    try:
        # Formats are independent of each other, so they build side by side on a multi-core machine.
        ordered_map(_build_format, (course, options, staging), sorted(formats, key=lambda f: not builders[f].slow))
        done = []
        for name in formats:
            made = staging / name
            loose = builders[name].files
            if not loose:
                done += _swap(made, out / name, staging)
                continue
            stray = sorted(set(p.name for p in made.iterdir()) - set(loose)) if made.is_dir() else []
            if stray:
                raise RuntimeError(f"the {name} builder wrote files it does not declare: {stray}")
            for file in loose:
                done += _swap(made / file, out / file, staging)
        return done
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _build_format(context, name: str) -> None:
    course, options, staging = context
    options.progress(f"building {name} ...")
    registry()[name](course, options).build(staging / name)


def _swap(new: Path, target: Path, staging: Path) -> list[Path]:
    """Replace `target` by `new` (or remove it when this build made no `new`, so nothing stale stays)."""
    if target.exists():
        target.rename(staging / f".old-{target.name}")
    if not new.exists():
        return []
    new.rename(target)
    return [target]
