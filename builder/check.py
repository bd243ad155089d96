"""`kulturskole check PACKAGE`: validate a built package by its kind."""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path

from builder.errors import Problem


def check_package(path: Path) -> list[Problem]:
    if zipfile.is_zipfile(path):
        from builder.formats.scorm.checks import check_zip
        return check_zip(Path(path))
    if path.name.endswith(".mbz"):
        from builder.formats.moodle.checks import check_mbz
        return check_mbz(path)
    if path.name.endswith((".tar.gz", ".tgz")) and tarfile.is_tarfile(path):
        from builder.formats.olx.checks import check_olx
        return check_olx(path)
    return [Problem(str(path), 0, "not a package this tool knows",
                    "give a SCORM .zip, an Open edX .tar.gz or a Moodle .mbz built by `kulturskole build`")]
