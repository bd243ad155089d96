"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th edition, from templates/."""

from __future__ import annotations

from urllib.parse import quote

from builder import __version__
from builder.render.templating import environment
from builder.formats.scorm import TEMPLATES
from builder.formats.scorm.editions import Edition
from builder.formats.scorm.ids import package_ids

MANIFEST = "imsmanifest.xml"


def href(path: str) -> str:
    """A package path as a manifest href: posix, percent-encoded where it must be."""
    return quote(path, safe="/-._~")


def render_manifest(*, edition: Edition, course_id: str, module_id: str | None, title: str, package_version: str,
                    launch: str, files: list[str], mastery: int | None) -> str:
    """The manifest text. `mastery` is a percentage, or None when the package has no quiz."""
    return environment(TEMPLATES).get_template(edition.manifest_template).render(
        edition=edition, ids=package_ids(course_id, module_id, edition), scope=course_id + (f"/{module_id}" if module_id else ""),
        title=title, version=package_version, launch=href(launch), files=[href(f) for f in sorted(files)],
        mastery=None if mastery is None else edition.mastery(mastery), tool_version=__version__)
