"""SCORM 2004 4th edition. dist/scorm2004/<course>.zip and modules/<id>.zip."""

from builder.formats.scorm.scorm12 import Scorm12Builder


class Scorm2004Builder(Scorm12Builder):
    name = "scorm2004"
    description = "SCORM 2004 4th edition packages (dist/scorm2004/<course>.zip, modules/<id>.zip)"
    version = "2004"
