"""Small XML helpers: elements with ordered attributes, HTML fragments inside XML, plain text."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

_BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "tr", "figcaption", "caption"}


def element(tag: str, attrs: dict | None = None, parent=None):
    """An element (or sub-element of `parent`) with attributes in the given order; None values are left out."""
    attrs = {k: str(v) for k, v in (attrs or {}).items() if v is not None}
    return etree.Element(tag, attrs) if parent is None else etree.SubElement(parent, tag, attrs)


def append_html(parent, html: str) -> None:
    """Append an HTML fragment (text and elements) to `parent` as well-formed XML."""
    if not html.strip():
        return
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    if wrapper.text:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + wrapper.text
        else:
            parent.text = (parent.text or "") + wrapper.text
    for child in list(wrapper):
        parent.append(child)


def to_bytes(root) -> bytes:
    return etree.tostring(root, encoding="utf-8", pretty_print=True)


def write(path: Path, root) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_bytes(root))


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def plain(html: str) -> str:
    """The text of an HTML fragment for XBlock fields that show plain text: blocks become
    paragraphs separated by a blank line, list items start with '- '."""
    if not html.strip():
        return ""
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
    return "".join(joined).strip()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
