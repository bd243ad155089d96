"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th edition, from templates/."""

from __future__ import annotations

from urllib.parse import quote

from builder import __version__
from builder.render.templating import environment
from builder.formats.scorm import TEMPLATES
from builder.formats.scorm.ids import package_ids

MANIFEST = "imsmanifest.xml"


def href(path: str) -> str:
    """A package path as a manifest href: posix, percent-encoded where it must be."""
    return quote(path, safe="/-._~")


def render_manifest(*, version: str, course_id: str, module_id: str | None, title: str, package_version: str,
                    launch: str, files: list[str], mastery: int | None) -> str:
    """The manifest text. `mastery` is a percentage, or None when the package has no quiz."""
    if version == "1.2":
        value = None if mastery is None else str(mastery)
    else:
        value = None if mastery is None else f"{mastery / 100:.2f}"
    return environment(TEMPLATES).get_template(f"imsmanifest-{version}.xml").render(
        ids=package_ids(course_id, module_id, version), scope=course_id + (f"/{module_id}" if module_id else ""),
        title=title, version=package_version, launch=href(launch), files=[href(f) for f in sorted(files)],
        mastery=value, tool_version=__version__)
