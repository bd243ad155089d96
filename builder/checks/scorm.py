"""`kulturskole check PACKAGE.zip` for SCORM: any SCORM 1.2 or 2004 zip, ours or anyone's.

Validates imsmanifest.xml against the official ADL XSDs (loaded from node_modules; `npm ci`
installs them) and runs the checks the XSDs cannot do (builder/scorm/checks.py). Every problem
names its place: `PACKAGE.zip/imsmanifest.xml:LINE` or `PACKAGE.zip/FILE`."""

from __future__ import annotations

from pathlib import Path

from builder.errors import Problem
from builder.scorm.checks import check_zip


def check_scorm(path: Path) -> list[Problem]:
    return check_zip(Path(path))
