"""Run builders over one course model and put their output in place only if all succeeded."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from builder.errors import BuildFailed, Problem
from builder.formats import Options, registry
from builder.model import Course


def build(course: Course, out: Path, formats: list[str], options: Options) -> list[Path]:
    """Build `formats` into `out/<format>/`; on any failure `out` is left exactly as it was."""
    builders = registry()
    if options.module and options.module not in [m.id for m in course.modules]:
        from builder.errors import did_you_mean
        ids = [m.id for m in course.modules]
        raise BuildFailed([Problem("--module", 0, f"there is no module '{options.module}'",
                                   did_you_mean(options.module, ids) or f"use one of: {', '.join(ids)}")])
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=out))
    try:
        for name in formats:
            options.progress(f"building {name} ...")
            builders[name](course, options).build(staging / name)
        done = []
        for name in formats:
            target = out / name
            old = staging / f".old-{name}"
            if target.exists():
                target.rename(old)
            (staging / name).rename(target)
            done.append(target)
        return done
    finally:
        shutil.rmtree(staging, ignore_errors=True)
