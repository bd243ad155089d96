"""The SCORM formats: one class per edition record (editions.py), the same build and checker.
dist/<edition>/<course>.zip and modules/<id>.zip; SCORM 1.2 is the default for Moodle and KS Læring."""

from __future__ import annotations

import zipfile
from pathlib import Path

from builder.errors import Problem
from builder.formats import Format
from builder.formats.scorm.checks import MANIFEST, check_zip
from builder.formats.scorm.editions import SCORM12, SCORM2004, Edition
from builder.formats.scorm.package import build_all, source_problems

# The namespaces of IMS Common Cartridge manifests (1.0–1.3): also zips with an imsmanifest.xml.
_CARTRIDGE = b"http://www.imsglobal.org/xsd/imsccv1p"


class ScormFormat(Format):
    edition: Edition

    @classmethod
    def source_problems(cls, course, options) -> list[Problem]:
        return source_problems(course, cls.edition)

    def build(self, out: Path) -> None:
        build_all(self.course, out, edition=self.edition, module_id=self.options.module, progress=self.options.progress,
                  store=self.options.store, modules=not self.options.whole_course)

    @staticmethod
    def claims(path: Path) -> bool:
        """A zip with an imsmanifest.xml (at its root, or in a folder by mistake) that is no Common Cartridge."""
        if Path(path).suffix.lower() == ".imscc" or not zipfile.is_zipfile(path):
            return False
        try:
            with zipfile.ZipFile(path) as zf:
                manifests = sorted((n for n in zf.namelist() if n == MANIFEST or n.endswith("/" + MANIFEST)),
                                   key=lambda n: n.count("/"))
                if not manifests:
                    return False
                with zf.open(manifests[0]) as manifest:      # its head only: a hostile manifest may inflate to GBs
                    return _CARTRIDGE not in manifest.read(4096)
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError, EOFError):
            return True   # a damaged SCORM zip: the checker says what is wrong with it

    @staticmethod
    def check(path: Path) -> list[Problem]:
        return check_zip(Path(path))


class Scorm12Format(ScormFormat):
    edition = SCORM12
    name = SCORM12.name
    description = SCORM12.description


class Scorm2004Format(ScormFormat):
    edition = SCORM2004
    name = SCORM2004.name
    description = SCORM2004.description
