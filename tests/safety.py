"""What a built course must never contain, checked by parsing every output as a browser would.

`unsafe(folder, secrets)` opens every file a build wrote (inside zips and tar.gz archives too) and
lists what could hurt a learner: an event handler attribute, a javascript:/vbscript:/data: URL, a
<script> we did not write, a resource loaded from another host (an image, a style, a frame), or the
bytes of a file from outside the course. HTML is parsed with tinyhtml5 (the WHATWG HTML5 parsing
algorithm, html5lib's successor, which WeasyPrint already brings), never with a regular expression.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
import zipfile
from pathlib import Path

import tinyhtml5
from lxml import etree

# The scripts our templates write: the site's, a graded quiz's answers (svar.js), and the SCORM runtime;
# plus the JSON config of scorm.html and a quiz page's questions (its form is made from them).
OUR_SCRIPTS = {"kurs.js", "quiz.js", "kurs-data.js", "svar.js", "scorm-runtime.js", "scorm-course.js"}
# scorm-course.js: what every SCO of a SCORM package shares, JSON merged into the launch page's configuration
# by this fixed code; anything else in that file is not ours.
_SCORM_COURSE = re.compile(r'^\(function\(\)\{var e=document\.getElementById\("ks-scorm-config"\),c=JSON\.parse\(e\.textContent\),'
                           r's=(.*);for\(var k in s\)if\(!\(k in c\)\)c\[k\]=s\[k\];e\.textContent=JSON\.stringify\(c\);\}\)\(\);\s*$',
                           re.S)
OUR_JSON_SCRIPTS = {"ks-scorm-config", "ks-quiz-questions"}
OUR_FRAMES = {"ks-content"}          # scorm.html shows the package's own pages in this frame
URL_ATTRS = {"href", "src", "action", "formaction", "background", "poster", "data", "lowsrc", "dynsrc", "srcset",
             "cite", "longdesc", "xlink:href", "codebase", "manifest", "icon", "ping"}
# Attributes that make the browser fetch something by itself (a link, <a href>, is only followed when clicked).
FETCHING = {"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "codebase", "manifest", "icon"}
# Elements that embed or redirect to other documents; our templates use none of them.
FOREIGN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "isindex", "bgsound",
                    "portal"}
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data|file):", re.I)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.I)
_CSS_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^'\")\s]*)|@import\s+['\"]([^'\"]+)", re.I)
# CSS as a browser reads it: `u\72l(` is `url(` (a hex escape, one optional space after it), `\(` is `(`,
# and a comment is nothing. Written here again, not imported from the builder: this scanner checks it.
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-f]{1,6})(?:\r\n|[ \t\r\n\f])?|(.))", re.I | re.S)
# SMIL: an element that sets another element's attribute while the picture is shown.
_SMIL = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def _attr_name(name: str) -> str:
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:href" if name.endswith("}href") else "xlink:" + name.rpartition("}")[2]
    return name.rpartition("}")[2].lower()


def _css_unescaped(text: str) -> str:
    def one(m):
        if m.group(2) is not None:
            return m.group(2)
        code = int(m.group(1), 16)
        return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
    return _CSS_ESCAPE.sub(one, _CSS_COMMENT.sub("", text))


def _css_outside(text: str) -> list[str]:
    out = []
    for m in _CSS_URL.finditer(_css_unescaped(text)):
        url = m.group(1) or m.group(2) or ""
        clean = _INVISIBLE.sub("", url).lower()
        if _OUTSIDE.match(clean) and not clean.startswith("data:"):     # data: is inline, it fetches nothing
            out.append(url)
    return out


def scan_tree(root, where: str, json_ok=lambda text: True) -> list[str]:
    """Findings in one parsed document (an ElementTree element from tinyhtml5 or lxml)."""
    found = []
    for el in root.iter():
        tag = _local(el.tag)
        if not tag:
            continue
        attrs = {_attr_name(k): v for k, v in el.attrib.items()}
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{where}: event handler {name}= on <{tag}>")
            clean = _INVISIBLE.sub("", value or "")
            if name in URL_ATTRS or name.endswith(":href"):
                if _BAD_SCHEME.match(clean) and not (tag == "img" and clean.startswith("data:image/")):
                    found.append(f"{where}: {name}='{value[:60]}' on <{tag}>")
                if (name in FETCHING or (tag in ("link", "use", "image", "feimage", "script") and name.endswith("href"))) \
                        and _OUTSIDE.match(clean) and not clean.startswith("data:image/"):
                    found.append(f"{where}: <{tag} {name}='{value[:60]}'> loads from another host")
            if name == "style":
                found += [f"{where}: style on <{tag}> loads {u}" for u in _css_outside(value or "")]
        if tag in FOREIGN_ELEMENTS and not (tag == "iframe" and attrs.get("id") in OUR_FRAMES and "srcdoc" not in attrs):
            found.append(f"{where}: <{tag}> element")
        if tag == "meta" and attrs.get("http-equiv", "").lower() in ("refresh", "link", "set-cookie"):
            found.append(f"{where}: <meta http-equiv='{attrs['http-equiv']}'>")
        if tag == "script":
            src = attrs.get("src", "")
            if src:
                if src.rsplit("/", 1)[-1] not in OUR_SCRIPTS or _OUTSIDE.match(src):
                    found.append(f"{where}: <script src='{src}'> we did not write")
                elif (el.text or "").strip():
                    found.append(f"{where}: <script src='{src}'> with code inside")
            elif attrs.get("type") == "application/json" and attrs.get("id") in OUR_JSON_SCRIPTS:
                try:
                    json.loads(el.text or "")
                except ValueError:
                    found.append(f"{where}: our JSON <script> is not JSON (something broke out of it)")
            else:
                found.append(f"{where}: inline <script> we did not write: {(el.text or '')[:60]!r}")
        if tag == "style":
            found += [f"{where}: <style> loads {u}" for u in _css_outside(el.text or "")]
        if tag in _SMIL:
            target = attrs.get("attributename", "").lower()
            values = " ".join(attrs.get(k, "") for k in ("to", "from", "values", "by"))
            if target in URL_ATTRS or target.endswith("href") or target.startswith("on") or \
                    _BAD_SCHEME.search(_INVISIBLE.sub("", values)) or "javascript:" in _INVISIBLE.sub("", values).lower():
                found.append(f"{where}: <{tag}> animates '{target}' to '{values[:60]}'")
    return found


def scan_file(name: str, data: bytes, secrets: list[bytes]) -> list[str]:
    found = [f"{name}: holds the bytes of a file from outside the course" for s in secrets if s in data]
    low = name.lower()
    if low.endswith((".html", ".htm", ".xhtml")):
        found += scan_tree(tinyhtml5.parse(data.decode("utf-8", "replace"), namespace_html_elements=False), name)
    elif low.endswith((".xml", ".svg")):
        try:
            root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
        except etree.XMLSyntaxError as err:
            return found + [f"{name}: not well-formed XML ({err})"]
        found += scan_tree(root, name)
        for el in root.iter():
            # HTML kept as text inside XML (Moodle's question texts in CDATA): read it as HTML too.
            if isinstance(el.tag, str) and el.text and "<" in el.text:
                found += scan_tree(tinyhtml5.parse(el.text, namespace_html_elements=False), f"{name} <{_local(el.tag)}>")
        if low.endswith(".svg") and any(_local(e.tag) in ("script", "foreignobject") for e in root.iter()):
            found.append(f"{name}: an SVG with script")
    elif low.endswith(".css"):
        found += [f"{name}: loads {u}" for u in _css_outside(data.decode("utf-8", "replace"))]
    elif low.endswith(".js"):
        base = low.rsplit("/", 1)[-1]
        if base not in OUR_SCRIPTS:
            found.append(f"{name}: a script we did not write")
        elif base == "scorm-course.js":
            m = _SCORM_COURSE.match(data.decode("utf-8", "replace"))
            try:
                json.loads(m.group(1)) if m else json.loads("<not our wrapper>")
            except ValueError:
                found.append(f"{name}: the shared SCORM configuration is not our code around plain JSON")
        elif base == "kurs-data.js":
            # Generated data: a comment, then `window.NAME = <JSON>;` lines and nothing else.
            for line in data.decode("utf-8").splitlines():
                if not line.strip() or line.startswith("//"):
                    continue
                m = re.match(r"^window\.[A-Z_]+ = (.*);$", line)
                try:
                    json.loads(m.group(1)) if m else json.loads("<not an assignment>")
                except ValueError:
                    found.append(f"{name}: the course data is not plain JSON (something broke out of it): {line[:60]!r}")
        elif base == "svar.js":
            # A graded quiz's answers: a comment, then one call with a JSON id and JSON data whose
            # explanations are HTML that the page inserts once they may be shown: scanned as HTML too.
            for line in data.decode("utf-8").splitlines():
                if not line.strip() or line.startswith("//"):
                    continue
                m = re.match(r'^window\.KSAnswers && window\.KSAnswers\(("[^"\\]*"), (.*)\);$', line)
                try:
                    answers = json.loads(m.group(2)) if m else json.loads("<not a call>")
                except ValueError:
                    found.append(f"{name}: the answers are not plain JSON (something broke out of it): {line[:60]!r}")
                    continue
                for qid, entry in answers.items():
                    for html in entry.get("x", {}).values():
                        found += scan_tree(tinyhtml5.parse(html, namespace_html_elements=False), f"{name} {qid}")
    elif low.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                found += scan_file(f"{name}!{info.filename}", zf.read(info), secrets)
    elif low.endswith((".tar.gz", ".tgz", ".mbz")):
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
            for member in tf.getmembers():
                if member.issym() or member.islnk():
                    found.append(f"{name}!{member.name}: a link inside the archive")
                elif member.isfile():
                    found += scan_file(f"{name}!{member.name}", tf.extractfile(member).read(), secrets)
    return found


def unsafe(folder: Path, secrets: list[bytes] = ()) -> list[str]:
    """Every finding in every file under `folder`."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found.append(f"{path.relative_to(folder)}: a link in the output")
        elif path.is_file():
            found += scan_file(path.relative_to(folder).as_posix(), path.read_bytes(), list(secrets))
    return found
