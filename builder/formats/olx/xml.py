"""Small XML helpers: elements with ordered attributes, HTML fragments inside XML, plain text."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from lxml import etree


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
