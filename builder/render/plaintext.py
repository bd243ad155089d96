"""HTML fragments of the course model as plain text, one way for every place that cannot show markup."""

from __future__ import annotations

import html as html_entities
import re

from builder.infra import typography

_BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "tr", "figcaption", "caption"}


def text(html: str) -> str:
    """The text of an HTML fragment, for places that show no markup (XBlock fields, calendar
    descriptions): blocks become paragraphs separated by a blank line, list items start with '- ',
    table rows join their cells with ' | ', and a link keeps its address in brackets."""
    if not html.strip():
        return ""
    import lxml.html   # here, not at the top: a SCORM build needs it only for descriptions with markup
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for link in root.iter("a"):  # keep the address of a link, which plain text would lose
        href = (link.get("href") or "").strip()
        if href and not href.startswith("#") and href not in link.text_content():
            link.tail = f" ({href})" + (link.tail or "")
    parts: list[str] = []
    inline: list[str] = [root.text or ""]

    def flush():
        text = _squash("".join(inline))
        if text:
            parts.append(text)
        inline.clear()

    for child in root:
        if not isinstance(child.tag, str):
            inline.append(child.tail or "")
            continue
        if child.tag in _BLOCKS or child.tag in ("ul", "ol", "table", "dl", "figure", "details"):
            flush()
            if child.tag in _BLOCKS:
                items = [child]
            elif child.tag == "table":
                items = list(child.iter("tr"))
            else:
                items = [e for e in child if isinstance(e.tag, str)]
            for item in items:
                if item.tag == "tr":
                    text = " | ".join(_squash(cell.text_content()) for cell in item if isinstance(cell.tag, str))
                else:
                    text = _squash(item.text_content())
                if text:
                    parts.append(("- " if child.tag in ("ul", "ol") else "") + text)
            inline.append(child.tail or "")
        else:
            inline.append(child.text_content() + (child.tail or ""))
    flush()
    joined = []
    for i, part in enumerate(parts):
        if i and not (part.startswith("- ") and parts[i - 1].startswith("- ")):
            joined.append("\n")
        joined.append(part + "\n")
    return typography.text("".join(joined).strip())


def line(html: str, limit: int | None = None) -> str:
    """The text on one line, cut at `limit` characters with '…' (SCORM interaction descriptions)."""
    flat = _squash(html_entities.unescape(html)) if "<" not in html else _squash(text(html))
    return flat if limit is None or len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
