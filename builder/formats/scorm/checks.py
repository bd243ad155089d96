"""Check any SCORM 1.2 or SCORM 2004 zip: the official XSDs plus what they cannot see.

The XSDs miss dangling references, missing or unlisted files, the wrong spelling of scormType
in 2004, a non-numeric 1.2 mastery score, zips with a wrapper folder or backslashes, and mixed
1.2/2004 namespaces. Every problem names its place:
`package.zip/imsmanifest.xml:LINE` or `package.zip/FILE`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from lxml import etree

from builder.errors import Problem
from builder.formats.scorm import xsd
from builder.formats.scorm.editions import EDITIONS, Edition
from builder.infra import archives

MANIFEST = "imsmanifest.xml"
XML_NS = "http://www.w3.org/XML/1998/namespace"
JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.I)
MAX_UNLISTED = 20


class _Report:
    def __init__(self, package: str):
        self.package = package
        self.manifest = f"{package}/{MANIFEST}"
        self.items: list[Problem] = []

    def at(self, node, message: str, hint: str = "") -> None:
        line = node if isinstance(node, int) else (node.sourceline or 0) if node is not None else 0
        self.items.append(Problem(self.manifest, line, message, hint))

    def file(self, name: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(f"{self.package}/{name}" if name else self.package, 0, message, hint))


def check_zip(path: Path | IO[bytes], *, label: str | None = None, require_xsd: bool = True) -> list[Problem]:
    """Every problem of the SCORM package at `path` (or in a file object); [] when it is fine.

    `require_xsd=False` turns missing XSDs (no node_modules) into a silent skip of that one step."""
    report = _Report(label or str(path))
    hint = "build it again, or re-create the zip"
    try:
        with zipfile.ZipFile(path) as zf:
            infos = archives.zip_members(zf, hint)
            names = [i.filename for i in infos if not i.is_dir()]
            manifest = archives.zip_read(zf, MANIFEST, hint) if MANIFEST in names else None
    except (zipfile.BadZipFile, OSError) as err:
        report.file("", f"not a readable zip file ({err})", hint)
        return report.items
    except archives.Refused as refused:
        report.file(refused.member, refused.message, refused.hint)
        return report.items
    _check_names(names, report)
    if manifest is None:
        nested = [n for n in names if n.endswith("/" + MANIFEST)]
        if nested:
            report.file(nested[0], f"imsmanifest.xml is in the folder '{posixpath.dirname(nested[0])}/', "
                                   "not at the root of the zip",
                        "zip the contents of the package folder, not the folder itself; LMSes look only at the root")
        else:
            report.file("", "there is no imsmanifest.xml in the zip, so this is not a SCORM package",
                        "a SCORM zip has imsmanifest.xml at its root")
        return sorted(report.items)
    check_manifest(manifest, set(names), report, require_xsd=require_xsd)
    return sorted(set(report.items))


def _check_names(names: list[str], report: _Report) -> None:
    seen: dict[str, str] = {}
    for name in names:
        if "\\" in name:
            report.file(name, "the file name contains a backslash",
                        "zip with forward slashes (/) as folder separators; some LMSes flatten such packages")
        if JUNK.search(name):
            report.file(name, "operating-system clutter in the package", "leave __MACOSX, .DS_Store and Thumbs.db out of the zip")
        if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
            report.file(name, "the path leaves the package (absolute path or '..')", "use paths relative to the zip root")
        low = name.lower()
        if low in seen:
            if seen[low] == name:
                report.file(name, "the zip holds this file twice", "re-create the zip")
            else:
                report.file(name, f"the names '{seen[low]}' and '{name}' differ only in upper/lower case",
                            "rename one of them; servers on Windows treat them as the same file")
        seen[low] = name


def _edition(root, report: _Report) -> Edition | None:
    """The edition whose namespace <manifest> declares."""
    ns = etree.QName(root).namespace
    if etree.QName(root).localname != "manifest":
        report.at(root, f"the root element is <{etree.QName(root).localname}>, not <manifest>", "this is not an IMS manifest")
        return None
    for edition in EDITIONS.values():
        if ns == edition.namespace:
            return edition
    known = " nor ".join(f"{e.title} ({e.namespace})" for e in EDITIONS.values())
    report.at(root, f"the manifest namespace '{ns}' is neither {known}",
              "declare xmlns on <manifest> as the SCORM version requires")
    return None


def check_manifest(data: bytes, names: set[str], report: _Report, *, require_xsd: bool = True) -> None:
    """Every check of the manifest, each named for what it looks at."""
    try:
        tree = archives.xml(data).getroottree()
    except etree.XMLSyntaxError as err:
        report.at(err.lineno or 0, f"imsmanifest.xml is not well-formed XML: {err.msg}", "fix the XML at this line")
        return
    except archives.Refused as refused:
        report.at(1, refused.message, refused.hint)
        return
    root = tree.getroot()
    edition = _edition(root, report)
    if edition is None:
        return
    manifest = _Manifest(tree, root, edition)
    for check in (_schema_version, _one_edition_only, _official_schemas, _identifiers, _references, _scorm_type,
                  _mastery_score, _files):
        check(manifest, names, report, require_xsd)


class _Manifest:
    """A parsed manifest and the edition its namespace says it is."""

    def __init__(self, tree, root, edition: Edition):
        self.tree, self.root, self.edition = tree, root, edition
        self.schemaversion = root.find(f"{self.q('metadata')}/{self.q('schemaversion')}")
        self.resources = {r.get("identifier"): r for r in root.iter(self.q("resource"))}

    def q(self, tag: str) -> str:
        return f"{{{self.edition.namespace}}}{tag}"

    def adlcp(self, name: str) -> str:
        return f"{{{self.edition.adlcp}}}{name}"


def _schema_version(m: _Manifest, names, report: _Report, require_xsd) -> None:
    """The metadata says the same version as the namespaces."""
    sv, accepted = m.schemaversion, sorted(m.edition.schemas)
    if sv is not None and (sv.text or "").strip() not in accepted:
        report.at(sv, f"<schemaversion> is '{(sv.text or '').strip()}' but the namespaces are those of {m.edition.title}",
                  f"write {' or '.join(repr(v) for v in accepted)}, or use the namespaces of the other version")


def _one_edition_only(m: _Manifest, names, report: _Report, require_xsd) -> None:
    """No namespace of the other edition: LMSes mis-detect mixed packages."""
    others = [e for e in EDITIONS.values() if e is not m.edition]
    foreign = {ns: (e, prefix) for e in others for ns, prefix in e.only_here.items()}
    reported = set()
    for el in m.root.iter(etree.Element):
        spaces = [etree.QName(el).namespace] + [etree.QName(a).namespace for a in el.attrib]
        for ns in spaces:
            if ns in foreign and ns not in reported:
                reported.add(ns)
                other, prefix = foreign[ns]
                report.at(el, f"a {other.title} namespace ({prefix}) is used in a {m.edition.title} manifest",
                          "use the elements and attributes of one SCORM version only; LMSes mis-detect mixed packages")


def _official_schemas(m: _Manifest, names, report: _Report, require_xsd: bool) -> None:
    """The ADL XSDs of the edition (of 2004 3rd edition when the manifest says so)."""
    sv = (m.schemaversion.text or "").strip() if m.schemaversion is not None else ""
    try:
        for line, message in xsd.validate(m.tree, m.edition.schemas.get(sv, m.edition.xsd_set)):
            report.at(line, f"XSD: {message}", f"the {m.edition.title} schema does not allow this")
    except xsd.SchemasMissing as err:
        if require_xsd:
            report.file("", str(err))


def _identifiers(m: _Manifest, names, report: _Report, require_xsd) -> None:
    """Identifiers are ASCII and unique in one ID space."""
    ids: dict[str, object] = {}
    for el in m.root.iter(etree.Element):
        ident = el.get("identifier")
        if ident is None:
            continue
        if not ident.isascii() or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", ident):
            report.at(el, f"the identifier '{ident}' is not a plain ASCII identifier",
                      "use letters a–z/A–Z, digits, '.', '-' and '_', starting with a letter; no spaces, colons or æøå")
        if ident in ids:
            report.at(el, f"the identifier '{ident}' is used twice (line {ids[ident].sourceline})",
                      "organizations, items and resources share one identifier space; make each unique")
        ids.setdefault(ident, el)


def _references(m: _Manifest, names, report: _Report, require_xsd) -> None:
    """The default organization, items' resources and dependencies exist; titles are not empty."""
    root, q, resources = m.root, m.q, m.resources
    orgs = {o.get("identifier"): o for o in root.iter(q("organization"))}
    organizations = root.find(q("organizations"))
    if organizations is not None:
        default = organizations.get("default")
        if default is not None and default not in orgs:
            report.at(organizations, f"organizations/@default points to '{default}', which is no organization",
                      f"use one of: {', '.join(filter(None, orgs)) or '(add an <organization>)'}")
        if not orgs:
            report.at(organizations, "there is no <organization>, so the LMS has nothing to show", "add one with an item that launches a SCO")
    for title_el in list(root.iter(q("title"))):
        if not (title_el.text or "").strip():
            report.at(title_el, "empty <title>", "LMSes show this title in their table of contents")
    for item in root.iter(q("item")):
        ref = item.get("identifierref")
        if ref is None:
            continue
        if ref not in resources:
            report.at(item, f"item '{item.get('identifier')}' points to resource '{ref}', which does not exist",
                      f"use one of: {', '.join(filter(None, resources)) or '(no resources)'}")
        elif not resources[ref].get("href"):
            report.at(item, f"item '{item.get('identifier')}' launches resource '{ref}', which has no href",
                      "give the resource an href to its launch page")
        if item.find(q("item")) is not None:
            report.at(item, f"item '{item.get('identifier')}' has both an identifierref and child items",
                      "only leaf items may launch a resource")
    for dep in root.iter(q("dependency")):
        if dep.get("identifierref") not in resources:
            report.at(dep, f"dependency points to resource '{dep.get('identifierref')}', which does not exist")


def _scorm_type(m: _Manifest, names, report: _Report, require_xsd) -> None:
    """Every resource says sco or asset, with scormtype spelt as this edition spells it."""
    right = m.edition.scorm_type
    wrong = next(e.scorm_type for e in EDITIONS.values() if e.scorm_type != right)
    for res in m.resources.values():
        if res.get(m.adlcp(wrong)) is not None:
            report.at(res, f"resource '{res.get('identifier')}' has adlcp:{wrong}; {m.edition.title} spells it adlcp:{right}",
                      "LMSes ignore the misspelt attribute and treat the resource as an asset, so nothing is tracked")
        elif res.get(m.adlcp(right)) is None:
            report.at(res, f"resource '{res.get('identifier')}' has no adlcp:{right}",
                      f"add adlcp:{right}=\"sco\" (tracked) or \"asset\"")
        elif res.get(m.adlcp(right)) not in ("sco", "asset"):
            report.at(res, f"adlcp:{right} is '{res.get(m.adlcp(right))}'", "use \"sco\" or \"asset\"")


def _mastery_score(m: _Manifest, names, report: _Report, require_xsd) -> None:
    """A 1.2 masteryscore is a number from 0 to 100 (2004's minNormalizedMeasure is typed by its XSD)."""
    for ms in m.root.iter(m.adlcp("masteryscore")):
        text = (ms.text or "").strip()
        try:
            ok = 0 <= float(text) <= 100
        except ValueError:
            ok = False
        if not ok:
            report.at(ms, f"adlcp:masteryscore is '{text}', not a number from 0 to 100",
                      "write the passing score in percent, for example 80")


def _files(m: _Manifest, names: set[str], report: _Report, require_xsd) -> None:
    """Every href exists, every file is listed."""
    _check_files(m.root, m.q, names, report)


def _base(el, q) -> str:
    """The xml:base that applies to hrefs inside `el` (manifest, resources, resource)."""
    parts = []
    node = el
    while node is not None:
        b = node.get(f"{{{XML_NS}}}base")
        if b:
            parts.append(b)
        node = node.getparent()
    out = ""
    for b in reversed(parts):
        out = posixpath.join(out, b) if out else b
    return out


def _local(href: str) -> str | None:
    """The package path an href names, or None when it points outside the package."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or path.startswith("/"):
        return None
    norm = posixpath.normpath(path) if path else "."
    if norm == ".." or norm.startswith("../"):
        return None
    return "" if norm == "." else norm


def _check_files(root, q, names: set[str], report: _Report) -> None:
    listed: set[str] = set()
    lower = {n.lower(): n for n in names}

    def exists(el, href: str, what: str) -> None:
        base = _base(el, q)
        path = _local(href if urlsplit(href).scheme or not base else posixpath.join(base, href))
        if path is None:
            report.at(el, f"{what} '{href}' points outside the package",
                      "a SCORM package must contain every file it uses; a launch page on another server cannot reach the LMS API")
            return
        listed.add(path)
        if path not in names:
            near = lower.get(path.lower())
            report.at(el, f"{what} '{href}' is not in the zip" + (f" (there is '{near}': upper/lower case differs)" if near else ""),
                      "add the file to the package or correct the href")

    for res in root.iter(q("resource")):
        if res.get("href"):
            exists(res, res.get("href"), "the launch file")
        for f in res.iter(q("file")):
            if f.get("href") is None:
                report.at(f, "<file> without href")
                continue
            exists(f, f.get("href"), "the file")
    unlisted = sorted(n for n in names if n not in listed and n != MANIFEST
                      and not (("/" not in n) and n.lower().endswith((".xsd", ".dtd"))) and not JUNK.search(n))
    for name in unlisted[:MAX_UNLISTED]:
        report.file(name, "this file is in the zip but not listed in imsmanifest.xml",
                    "list every file in a <file href> of its resource; LMSes and repositories drop unlisted files")
    if len(unlisted) > MAX_UNLISTED:
        report.file("", f"{len(unlisted) - MAX_UNLISTED} more files are in the zip but not listed in imsmanifest.xml")
