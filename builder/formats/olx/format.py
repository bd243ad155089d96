"""Open edX OLX: a course tarball for Studio's Import (dist/olx/<course id>.tar.gz).

The tree is made in memory by export.py and packed with builder.infra.packaging.targz_bytes under
a single course/ folder, as Studio exports it, so two builds of the same sources are
byte-identical. `kulturskole check` validates the tarball with checks.py."""

from __future__ import annotations

import tarfile
from pathlib import Path

from builder.messages import msg, tr
from builder.errors import Problem
from builder.formats import Format
from builder.formats.olx.checks import check_olx
from builder.formats.olx.export import Export
from builder.infra.packaging import targz_bytes


class OlxFormat(Format):
    name = "olx"
    description = "Open edX course import (dist/olx/<course id>.tar.gz)"

    @staticmethod
    def claims(path: Path) -> bool:
        return Path(path).name.endswith((".tar.gz", ".tgz")) and tarfile.is_tarfile(path)

    @staticmethod
    def check(path: Path) -> list[Problem]:
        return check_olx(Path(path))

    def target_name(self) -> str:
        module = self.options.module
        return f"{self.course.id}-{module}" if module else self.course.id

    def build(self, out: Path) -> None:
        course, module = self.course, self.options.module
        display_name = course.title
        if module:
            course = course.only(module)
            display_name = f"{course.title}: {course.modules[0].title}"
        export = Export(course, number=self.target_name(), display_name=display_name)
        target = Path(out) / f"{self.target_name()}.tar.gz"
        summary = export.tree()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(targz_bytes(export.files, root="course"))
        say = self.options.progress
        say(f"olx: {summary.chapters} chapters, {summary.problems} problems, run {summary.run} -> {target.name}")
        if not self.course.timeline.dated:
            missing = []
            if summary.due_dates < summary.homework:
                missing.append(msg("homework has no due dates"))
            if not export.dates:
                missing.append(msg("the course start/end is the election period"))
            if missing:
                say(f"olx: no --start-date, so {' and '.join(tr(m) for m in missing)}; set the dates in Studio "
                    "(Schedule & Details) or build again with --start-date")
