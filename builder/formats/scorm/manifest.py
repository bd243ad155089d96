"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th edition: written from templates/, and read back
as an LMS reads its course menu (launch_items(), which `kulturskole preview` plays)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from builder import __version__
from builder.render.templating import environment
from builder.formats.scorm import TEMPLATES
from builder.formats.scorm.editions import Edition
from builder.formats.scorm.ids import package_ids, sco_ids

MANIFEST = "imsmanifest.xml"


def href(path: str) -> str:
    """A package path as a manifest href: posix, percent-encoded where it must be."""
    return quote(path, safe="/-._~")


def render_manifest(*, edition: Edition, course_id: str, module_id: str | None, title: str, language: str,
                    package_version: str, scos: list, files: list[str], mastery: int | None) -> str:
    """The manifest text. `language`: the edition's language (nb, nn), which the manifest's LOM
    metadata states with the title as a langstring in it. `scos`: the package's SCOs (package.Sco: id, title, launch, scored,
    completes). `mastery` is a percentage, or None when the package has no counting quiz; only SCORM
    2004 states it (as the primary objective's minNormalizedMeasure of the SCOs with a counting quiz).
    A SCORM 1.2 manifest never carries adlcp:masteryscore: with it, Moodle's default "Mastery score overrides status: Yes" turns the
    package's "incomplete" into "failed" at exit, which opens review mode and ends retakes."""
    ids = package_ids(course_id, module_id, edition)
    items = [{**sco_ids(ids, s.id), "title": s.title, "launch": href(s.launch), "scored": bool(s.scored),
              "completes": s.completes} for s in scos]
    return environment(TEMPLATES).get_template(edition.manifest_template).render(
        edition=edition, ids=ids, scope=course_id + (f"/{module_id}" if module_id else ""), items=items,
        title=title, language=language, version=package_version, files=[href(f) for f in sorted(files)],
        launches={i["launch"] for i in items},
        mastery=None if mastery is None or not edition.manifest_mastery else edition.mastery(mastery),
        tool_version=__version__)


@dataclass(frozen=True)
class LaunchItem:
    """One entry of the course menu an LMS builds from a manifest: an item that launches a resource."""
    item: str          # the item's identifier: the LMS keeps a learner's data per item
    title: str
    href: str          # the launch file relative to the package root, with the item's parameters
    sco: bool          # a SCO (talks to the LMS) rather than an asset


def launch_items(data: bytes) -> list[LaunchItem]:
    """The items of a manifest's default organization (the first one when no default is named) that
    launch something, in the order an LMS lists and plays them (document order, depth first). This is
    what Moodle's player shows as its table of contents and walks with "continue"/"previous"."""
    root = etree.fromstring(data)
    ns = root.nsmap.get(None) or ""
    q = (lambda tag: f"{{{ns}}}{tag}") if ns else (lambda tag: tag)
    resources = {r.get("identifier"): r for r in root.iter(q("resource"))}
    organizations = root.find(q("organizations"))
    orgs = [] if organizations is None else organizations.findall(q("organization"))
    chosen = next((o for o in orgs if o.get("identifier") == organizations.get("default")), orgs[0] if orgs else None)
    out = []
    for item in [] if chosen is None else chosen.iter(q("item")):
        res = resources.get(item.get("identifierref"))
        if res is None or not res.get("href"):
            continue
        kind = next((v for k, v in res.attrib.items() if etree.QName(k).localname.lower() == "scormtype"), "sco")
        params = (item.get("parameters") or "").lstrip("?&")
        href = res.get("href") + (("&" if "?" in res.get("href") else "?") + params if params else "")
        title = item.find(q("title"))
        out.append(LaunchItem(item.get("identifier"), (title.text or "").strip() if title is not None else "",
                              href, kind.lower() == "sco"))
    return out
