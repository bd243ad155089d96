"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th edition, from templates/."""

from __future__ import annotations

from urllib.parse import quote

from builder import __version__
from builder.render.templating import environment
from builder.formats.scorm import TEMPLATES
from builder.formats.scorm.editions import Edition
from builder.formats.scorm.ids import package_ids, sco_ids

MANIFEST = "imsmanifest.xml"


def href(path: str) -> str:
    """A package path as a manifest href: posix, percent-encoded where it must be."""
    return quote(path, safe="/-._~")


def render_manifest(*, edition: Edition, course_id: str, module_id: str | None, title: str, package_version: str,
                    scos: list[tuple[str, str, str]], files: list[str], mastery: int | None) -> str:
    """The manifest text. `scos`: (module id or "", title, launch file) per SCO. `mastery` is a
    percentage, or None when the package has no counting quiz; only SCORM 2004 states it (as the
    primary objective's minNormalizedMeasure). A SCORM 1.2 manifest never carries
    adlcp:masteryscore: with it, Moodle's default "Mastery score overrides status: Yes" turns the
    package's "incomplete" into "failed" at exit, which opens review mode and ends retakes."""
    ids = package_ids(course_id, module_id, edition)
    items = [{"item": sco_ids(ids, sco)["item"], "resource": sco_ids(ids, sco)["resource"], "title": t,
              "launch": href(launch)} for sco, t, launch in scos]
    return environment(TEMPLATES).get_template(edition.manifest_template).render(
        edition=edition, ids=ids, scope=course_id + (f"/{module_id}" if module_id else ""), items=items,
        title=title, version=package_version, files=[href(f) for f in sorted(files)],
        launches={i["launch"] for i in items},
        mastery=None if mastery is None or not edition.manifest_mastery else edition.mastery(mastery),
        tool_version=__version__)
