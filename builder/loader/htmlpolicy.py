"""The allow-list for HTML in course sources, enforced by a sanitizer that parses as browsers do.

Every HTML fragment of the course (rendered Markdown pages, quiz texts, prompts, homework steps)
goes through `sanitize`. The HTML the model keeps is what nh3 (the Python binding of the Rust
`ammonia` sanitizer, on the html5ever parser) lets through under our allow-list, so a construct that
a browser reads differently from a simple parser — `<!--><img onerror=…>-->` — cannot smuggle a
live tag past it. An editor is never stripped silently: the fragment is also parsed with
everything allowed, and whatever the allow-list would remove from that parse becomes a finding
(an error with file and line). Comments are the one thing dropped without a word: they are notes
for editors, never text for learners.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i",
    "blockquote", "code", "pre", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
    "img", "abbr", "kbd", "details", "summary", "figure", "figcaption", "dl", "dt", "dd",
    "sup", "sub", "span", "small", "mark", "q", "cite", "caption",
}
ALLOWED_ATTRS = {
    "a": {"href", "title", "lang", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "span": {"lang"},
    "q": {"lang"},
    "p": {"lang"},
}
# Markdown tables align columns with exactly these inline styles; no other style is allowed.
_ALIGN = {f"text-align: {side}" for side in ("left", "center", "right")}
_STYLED = {"th": {"style": _ALIGN}, "td": {"style": _ALIGN}}
# Links may go to the web, to an e-mail address or to a place on the same page (#…); images are media/<name>,
# checked by the renderer.
URL_SCHEMES = {"https", "http", "mailto"}

_TEXT_ALIGN = re.compile(r"^text-align:\s*(left|right|center);?$")
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)
_SAFE_LINK = re.compile(r"^(?:(?:https?|mailto):|#|[^:]*$)", re.I)
# A link to a file beside the page (`02-side.md`, `www.ks.no`): no package has one, so it is always
# broken (tests/formats/test_links.py holds every package to links that resolve inside it).
_RELATIVE = re.compile(r"^(?![a-z][a-z0-9+.-]*:|#|//)", re.I)
# Anything a browser's tokenizer could take for a tag name, and anything that could be a URL scheme.
_TAG_NAME = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class Finding:
    """A problem in a fragment; `needle` (text or a tuple of texts to try in turn) finds its line in the source."""

    def __init__(self, message: str, hint: str, needle: str | tuple[str, ...]):
        self.message, self.hint, self.needle = message, hint, needle


def _strict(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, tag_attribute_values=_STYLED,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


def _as_parsed(html: str) -> str:
    """The fragment as a browser parses it, with nothing removed but comments: the same parser and
    serializer as `_strict`, told to keep every tag, attribute and scheme the text could contain."""
    names = {m.group(1).lower() for m in _TAG_NAME.finditer(html)}
    schemes = {m.group(1).lower() for m in _SCHEME.finditer(_INVISIBLE.sub("", unescape(html)))}
    return nh3.clean(html, tags=ALLOWED_TAGS | names, clean_content_tags=set(), attributes={"*": set()},
                     generic_attribute_prefixes={""}, url_schemes=URL_SCHEMES | schemes, link_rel=None,
                     strip_comments=True)


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\s*(/?)>|<")
_BARE_TAGS = ALLOWED_TAGS - {"img"}


def sanitize(html: str) -> tuple[str, list[Finding], list[str], int]:
    """(the sanitized fragment, findings against the allow-list, local image paths, word count).

    When there are findings the fragment must not be published: the caller reports them as errors."""
    if _nesting(html) > MAX_NESTING:
        # WeasyPrint lays a PDF out recursively: 400 nested lists ended the build with a RecursionError.
        return "", [Finding(f"lists, quotes or other elements are nested more than {MAX_NESTING} levels deep",
                            "flatten the text: a list inside a list inside a list is as deep as a reader can follow",
                            (" " * (2 * MAX_NESTING), ">" * MAX_NESTING, "> " * MAX_NESTING))], [], 0
    if all(m.group(2) and m.group(2) in _BARE_TAGS for m in _TAG.finditer(html)):
        # Most rendered Markdown is allowed tags without attributes, and no comment (a comment starts
        # with a bare '<'): the sanitizer would change nothing, so only the words are left to count.
        return html, [], [], len(unescape(_TAG.sub(" ", html)).split())
    clean = _strict(html)
    parsed = _as_parsed(html)
    # The sanitizer's own serialization has no comments and no ambiguous markup, so the simple
    # parser below reads it exactly as a browser would, and can say what is wrong in an editor's words.
    checker = _Checker()
    checker.feed(parsed)
    checker.close()
    findings = checker.findings
    if clean != parsed and not findings:
        findings.append(Finding("HTML here would be changed by the sanitizer",
                                "write it as plain Markdown, or with the simple elements course/README.md lists",
                                _first_difference(parsed, clean)))
    return clean, findings, checker.images, checker.words


MAX_NESTING = 20     # levels of elements inside one text; a table or a list in a list needs fewer than 8
_VOID = {"img", "br", "hr", "wbr", "input", "meta", "link", "source", "col", "area"}


def _nesting(html: str) -> int:
    """How deep the elements of `html` nest (open tags minus closed ones, at most)."""
    depth = deepest = 0
    for m in _ANY_TAG.finditer(html):
        closing, name = m.group(1), m.group(2).lower()
        if name in _VOID or m.group(0).endswith("/>"):
            continue
        depth += -1 if closing else 1
        deepest = max(deepest, depth)
    return deepest


_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>")


def _first_difference(a: str, b: str) -> str:
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = a.rfind("<", 0, i + 1)
    return a[start:start + 20] if start >= 0 else ""


def _relative_link(value: str, needle) -> Finding:
    if re.match(r"www\.|[\w-]+\.(no|com|org|net|eu)(/|$)", value, re.I):
        return Finding(f"the link '{_shown(value)}' has no https:// in front, so it leads nowhere",
                       f"write the whole address: https://{_shown(value)}", needle)
    return Finding(f"the link '{_shown(value)}' points at a file beside the page, which no package has",
                   "link to a web address (https://…); to send the reader to another page of the course, name the "
                   "page in the text: an LMS opens each module on its own, so a link between pages cannot work there",
                   needle)


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self.images: list[str] = []
        self.words = 0

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self.findings.append(Finding("a level-1 heading inside the text",
                                         "the page title is the only level-1 heading; start headings in the text at `##`", ("# ", "<h1")))
            return
        if tag not in ALLOWED_TAGS:
            self.findings.append(Finding(f"HTML element <{tag}> is not allowed in course text",
                                         "remove it; allowed are simple elements such as <abbr>, <kbd>, <details>", f"<{tag}"))
            return
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(Finding(f"the attribute '{name}' runs script and is not allowed",
                                             "remove it: course pages must not run their own scripts", (name, f"<{tag}")))
            elif name == "style":
                if tag not in _STYLED or not _TEXT_ALIGN.match(value):
                    self.findings.append(Finding("inline style is not allowed",
                                                 "remove it; the course stylesheet sets the look", ("style", f"<{tag}")))
            elif name not in ALLOWED_ATTRS.get(tag, set()):
                self.findings.append(Finding(f"the attribute '{name}' is not allowed on <{tag}>", "remove it", (name, f"<{tag}")))
            elif name == "href" and not _SAFE_LINK.match(_INVISIBLE.sub("", value)):
                self.findings.append(Finding(f"the link '{_shown(value)}' uses a scheme that is not allowed",
                                             "link with https://, http:// or mailto:", (_needle(value), name, f"<{tag}")))
            elif name == "href" and _RELATIVE.match(_INVISIBLE.sub("", value)):
                self.findings.append(_relative_link(value, (_needle(value), name, f"<{tag}")))
            elif name == "src":
                if _EXTERNAL.match(_INVISIBLE.sub("", value)):
                    self.findings.append(Finding(f"the image '{_shown(value)}' would be loaded from another site",
                                                 "save the image in course/media/ and write `media/<file name>`; "
                                                 "packages must work offline and send nothing to others", (_needle(value), name, f"<{tag}")))
                else:
                    self.images.append(value)
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            src = dict(attrs).get("src") or ""
            self.findings.append(Finding(f"the image '{_shown(src)}' has no alternative text",
                                         "write what the image shows between the brackets: ![what it shows](media/...)",
                                         (src, "![", "<img")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.words += len(data.split())


def _shown(value: str) -> str:
    """A value as a message can show it: control characters made visible, long values cut."""
    text = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", value)
    return text if len(text) <= 80 else text[:77] + "..."


def _needle(value: str) -> str:
    """A piece of an attribute value likely to appear as written in the source (entities undone)."""
    return value.strip()[:12]
