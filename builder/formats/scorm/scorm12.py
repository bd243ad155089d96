"""SCORM 1.2: the default for Moodle and KS Læring. dist/scorm12/<course>.zip and modules/<id>.zip."""

from builder.formats import Builder
from builder.formats.scorm.package import build_all


class Scorm12Builder(Builder):
    name = "scorm12"
    description = "SCORM 1.2 packages for Moodle/KS Læring (dist/scorm12/<course>.zip, modules/<id>.zip)"
    version = "1.2"

    def build(self, out):
        self.packages = build_all(self.course, out, version=self.version, module_id=self.options.module,
                                  progress=self.options.progress)
