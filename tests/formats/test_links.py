"""Every relative link in every package we build leads to a file inside that same package.

A SCORM package runs inside the LMS from its own folder, an OLX course inside Open edX, a Moodle
backup restores each SCORM activity's files on their own: a link to a file the package does not
hold is a 404 in the middle of the course («Se hele ordlisten» in a module package pointed at
`../ordliste/ordliste.html`, which only the whole-course package has). If this broke, a learner
would click a glossary link, a picture or a stylesheet and get «Not found» inside Moodle.

Checked: href, src, srcset, poster, data, xlink:href and SVG <use>/<image> in HTML and SVG,
url() and @import in CSS and in style attributes/elements; a link's #fragment must be an id of the
page it leads to (a glossary link to a page without the term would open at the top). Links that
scripts build at run time are not seen here (the SCORM runtime tests follow those in Chromium)."""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import tarfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest

from builder.build import build
from builder.formats import Options
from builder.loader import load_course

LINKING = {"href", "src", "poster", "data", "xlink:href", "action", "formaction", "background"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


class _Links(HTMLParser):
    """The links and ids of one HTML or SVG file."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in LINKING:
                self.links.append(value)
            elif name in ("srcset", "imagesrcset"):
                self.links += [part.strip().split()[0] for part in value.split(",") if part.strip()]
            elif name == "style":
                self.links += css_links(value)
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.links += css_links(data)


def css_links(text: str) -> list[str]:
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in CSS_URL.finditer(text)]


def _parsed(data: bytes) -> _Links:
    parser = _Links()
    parser.feed(data.decode("utf-8", "replace"))
    parser.close()
    return parser


def broken_links(files: dict[str, bytes], where: str, absolute=lambda path: None) -> list[str]:
    """Every link of `files` (path inside the package → bytes) that leads nowhere inside it.
    `absolute(path)` maps a root-relative address ("/static/x" in OLX) to a file of the package,
    or None for an address the platform itself serves."""
    parsed = {name: _parsed(data) for name, data in files.items() if name.endswith((".html", ".htm", ".svg", ".xml"))}
    links = {name: p.links for name, p in parsed.items()}
    links.update({name: css_links(data.decode("utf-8", "replace")) for name, data in files.items() if name.endswith(".css")})
    broken = []
    for name, found in sorted(links.items()):
        for link in found:
            parts = urlsplit(link.strip())
            if parts.scheme or parts.netloc or link.startswith("//"):
                continue                     # another site, mailto:, data:, javascript:
            path = unquote(parts.path)
            if not path:
                if link.strip() == "":
                    broken.append(f'{where}!{name}: an empty link (href="")')
                elif parts.fragment and name in parsed and parts.fragment not in parsed[name].ids:
                    broken.append(f"{where}!{name}: #{parts.fragment} is no id of the page")
                continue
            if path.startswith("/"):
                target = absolute(path)
                if target is None:
                    continue
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
            if target.startswith("../") or target == ".." or target not in files:
                broken.append(f"{where}!{name}: {link} (no file {target} in the package)")
            elif parts.fragment and target.endswith((".html", ".htm", ".svg")) and parts.fragment not in parsed[target].ids:
                broken.append(f"{where}!{name}: {link} (no id {parts.fragment} in {target})")
    return broken


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def _tar(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tf:
        return {m.name.removeprefix("./"): tf.extractfile(m).read() for m in tf.getmembers() if m.isfile()}


def _olx_absolute(files: dict[str, bytes]):
    """Open edX serves /static/<name> from the course's static/ folder and /jump_to_id/<url_name>
    as the block of that url_name."""
    root = next(n.rsplit("course.xml", 1)[0] for n in files if n.endswith("course.xml") and n.count("/") <= 1)
    blocks = {posixpath.splitext(posixpath.basename(n))[0]: n for n in files if n.endswith(".xml")}

    def absolute(path: str) -> str | None:
        if path.startswith("/static/"):
            return root + "static/" + path.removeprefix("/static/")
        if path.startswith("/jump_to_id/"):
            return blocks.get(path.removeprefix("/jump_to_id/").strip("/"), "(no block " + path + ")")
        return "(an address of the platform: " + path + ")"
    return absolute


def _mbz_scorm_contents(mbz: Path) -> dict[str, dict[str, bytes]]:
    """Per SCORM activity of a Moodle backup, the files Moodle serves it from (its content area)."""
    archive = _tar(mbz)
    by_context: dict[str, dict[str, bytes]] = {}
    for f in ElementTree.fromstring(archive["files.xml"]).iter("file"):
        if (f.findtext("component"), f.findtext("filearea")) != ("mod_scorm", "content") or f.findtext("filename") == ".":
            continue
        digest = f.findtext("contenthash")
        path = (f.findtext("filepath") + f.findtext("filename")).lstrip("/")
        by_context.setdefault(f.findtext("contextid"), {})[path] = archive[f"files/{digest[:2]}/{digest}"]
    return by_context


def packages(dist: Path):
    """(name, files) of every package a build wrote into `dist`, and the web edition as one."""
    for path in sorted(dist.rglob("*")):
        if path.suffix == ".zip":
            yield path.relative_to(dist).as_posix(), _zip(path.read_bytes()), lambda p: None
        elif path.name.endswith(".tar.gz"):
            files = _tar(path)
            yield path.relative_to(dist).as_posix(), files, _olx_absolute(files)
        elif path.suffix == ".mbz":
            for context, files in sorted(_mbz_scorm_contents(path).items()):
                yield f"{path.relative_to(dist).as_posix()} (SCORM activity, context {context})", files, lambda p: None
    web = dist / "web"
    if web.is_dir():
        yield "web", {p.relative_to(web).as_posix(): p.read_bytes() for p in web.rglob("*") if p.is_file()}, lambda p: None


GLOSSARY = """---
title: Ordliste
---

Ord som går igjen.

**Formannskap**
: Et politisk utvalg som kommunestyret velger.
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The example course with what made links break: a glossary in a module of its own that
    another module links to ([[term]] and by first use), and a picture only one module shows."""
    from tests.conftest import EXAMPLE
    root = tmp_path_factory.mktemp("links")
    course = root / "course"
    shutil.copytree(EXAMPLE, course)
    (course / "modules" / "slutt" / "02-ordliste.md").write_text(GLOSSARY, encoding="utf-8")
    page = course / "modules" / "roller" / "01-roller.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSaken går til [[formannskap]] før kommunestyret. "
                    "Formannskap igjen.\n\n![Rollekart](media/rollekart.svg)\n", encoding="utf-8")
    (course / "media" / "rollekart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>', encoding="utf-8")
    out = root / "dist"
    build(load_course(course), out, ["scorm12", "scorm2004", "homework", "olx", "moodle", "web"], Options())
    return out


def test_every_relative_link_in_every_package_leads_inside_it(dist):
    """If this broke, a learner in Moodle, KS Læring or Open edX would click a link (the glossary,
    a picture, the course's own pages) and get a 404 inside the course."""
    seen, broken = [], []
    for name, files, absolute in packages(dist):
        seen.append(name)
        broken += broken_links(files, name, absolute)
    assert any(n.startswith("scorm12/modules/") for n in seen) and any(n.startswith("homework/") for n in seen)
    assert any("SCORM activity" in n for n in seen) and "web" in seen and any(n.endswith(".tar.gz") for n in seen)
    assert broken == [], "\n".join(broken)


def test_the_checker_sees_a_broken_link():
    """If this broke, the test above would pass on packages full of 404s."""
    files = {"a/page.html": b'<a href="../ordliste/ordliste.html#ord-x">x</a><img src="../media/b.svg" srcset="../media/c.svg 2x">'
                            b'<style>.x{background:url("../media/d.png")}</style><svg><use href="#nope"/></svg>',
             "media/b.svg": b"<svg/>"}
    assert broken_links(files, "p") == [
        "p!a/page.html: ../ordliste/ordliste.html#ord-x (no file ordliste/ordliste.html in the package)",
        "p!a/page.html: ../media/c.svg (no file media/c.svg in the package)",
        "p!a/page.html: ../media/d.png (no file media/d.png in the package)",
        "p!a/page.html: #nope is no id of the page"]


def test_a_module_package_carries_its_own_pictures_and_the_glossary_it_links_to(dist):
    """If this broke, every module's package would carry every other module's pictures (all 17
    covers of the real course in each zip), or a learner in Moodle would lose the glossary that
    «Se hele ordlisten» opens."""
    roller = _zip((dist / "scorm12" / "modules" / "roller.zip").read_bytes())
    intro = _zip((dist / "scorm12" / "modules" / "intro.zip").read_bytes())
    assert "media/rollekart.svg" in roller and "media/rollekart.svg" not in intro
    assert "media/tidslinje.svg" in intro and "media/tidslinje.svg" not in roller
    assert b'id="ord-formannskap"' in roller["slutt/ordliste.html"]
    assert not any(name.startswith("slutt/") for name in intro)      # intro links no term
    whole = _zip((dist / "scorm12" / "eksempelkurs.zip").read_bytes())
    assert {"media/rollekart.svg", "media/tidslinje.svg"} <= set(whole)
