"""The allow-list for HTML in course sources: what may appear, and nothing loaded from outside."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

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
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "ol": {"start"},
    "span": {"lang"},
    "q": {"lang"},
    "p": {"lang"},
}
_TEXT_ALIGN = re.compile(r"^text-align:\s*(left|right|center);?$")
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)
_SAFE_LINK = re.compile(r"^\s*(?:https?:|mailto:|tel:|#|[^:]*$)", re.I)


class Finding:
    def __init__(self, message: str, hint: str, needle: str):
        self.message, self.hint, self.needle = message, hint, needle


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self.images: list[str] = []
        self.words = 0

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self.findings.append(Finding("a level-1 heading inside the text",
                                         "the page title is the only level-1 heading; start headings in the text at `##`", "# "))
            return
        if tag not in ALLOWED_TAGS:
            self.findings.append(Finding(f"HTML element <{tag}> is not allowed in course text",
                                         "remove it; allowed are simple elements such as <abbr>, <kbd>, <details>", f"<{tag}"))
            return
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(Finding(f"the attribute '{name}' runs script and is not allowed",
                                             "remove it: course pages must not run their own scripts", name))
            elif name not in ALLOWED_ATTRS.get(tag, set()):
                self.findings.append(Finding(f"the attribute '{name}' is not allowed on <{tag}>", "remove it", name))
            elif name == "style" and not _TEXT_ALIGN.match(value):
                self.findings.append(Finding("inline style is not allowed", "remove it; the course stylesheet sets the look", "style"))
            elif name == "href" and not _SAFE_LINK.match(value):
                self.findings.append(Finding(f"the link '{value}' uses a scheme that is not allowed",
                                             "link with https://, mailto: or a relative address", value))
            elif name == "src":
                if _EXTERNAL.match(value):
                    self.findings.append(Finding(f"the image '{value}' would be loaded from another site",
                                                 "save the image in course/media/ and write `media/<file name>`; "
                                                 "packages must work offline and send nothing to others", value))
                else:
                    self.images.append(value)
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            src = dict(attrs).get("src") or ""
            self.findings.append(Finding(f"the image '{src}' has no alternative text",
                                         "write what the image shows between the brackets: ![what it shows](media/...)", src or "!["))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.words += len(data.split())


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\s*(/?)>|<")
_BARE_TAGS = ALLOWED_TAGS - {"img"}


def check(html: str) -> tuple[list[Finding], list[str], int]:
    """Findings against the allow-list, the local image paths used, and the word count."""
    bare = [m for m in _TAG.finditer(html)]
    if all(m.group(2) and m.group(2) in _BARE_TAGS for m in bare):
        # Most rendered Markdown is allowed tags without attributes: nothing to check, only words to count.
        return [], [], len(unescape(_TAG.sub(" ", html)).split())
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.findings, checker.images, checker.words
