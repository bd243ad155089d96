"""Markdown pages and Markdown fields: front matter, rendering, and the HTML allow-list."""

from __future__ import annotations

import re
from html import escape as html_escape
from pathlib import Path

import pyromark

from builder.errors import Problems
from builder.loader import htmlpolicy, yamlsrc

# Characters that can start Markdown or HTML markup in a one-line text; without them the text is plain.
_MARKUP = re.compile(r"[*_`\[\]<>&\\#|\n]|^\s*(?:[-+]|\d+\.)\s|  $|^ {4}")
# CommonMark plus the two extensions the course uses: tables and definition lists (the glossary).
# Raw HTML passes through untouched; htmlpolicy then checks it against the allow-list.
_MARKDOWN = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_DEFINITION_LIST)


class Renderer:
    """Renders Markdown to checked HTML and remembers which media files were used."""

    def __init__(self, media_dir: Path, problems: Problems, language: str = "nb"):
        self.media_dir = media_dir
        self.language = language
        self.problems = problems
        self.used_media: set[str] = set()

    def render(self, text: str, path: Path, first_line: int, inline: bool = False) -> tuple[str, int]:
        """HTML for `text` (found at `first_line` of `path`) and its word count."""
        if inline and not _MARKUP.search(text):
            # Most option texts and explanations are plain sentences: escaping is all Markdown would do.
            return html_escape(text.strip(), quote=False), len(text.split())
        html = _MARKDOWN.html(text).strip()
        if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        findings, images, words = htmlpolicy.check(html)
        for f in findings:
            self.problems.add(path, _line_of(text, f.needle, first_line), f.message, f.hint)
        for src in images:
            self._check_image(src, text, path, first_line)
        return html, words

    def _check_image(self, src: str, text: str, path: Path, first_line: int) -> None:
        line = _line_of(text, src, first_line)
        if not src.startswith("media/") or "/" in src[len("media/"):]:
            self.problems.add(path, line, f"the image '{src}' is not in the media folder",
                              "put the file in course/media/ and write `media/<file name>`")
            return
        name = src[len("media/"):]
        if not (self.media_dir / name).is_file():
            have = sorted(p.name for p in self.media_dir.glob("*")) if self.media_dir.is_dir() else []
            from builder.errors import did_you_mean
            self.problems.add(path, line, f"the image '{src}' does not exist",
                              did_you_mean(name, have) or "add the file to course/media/ or fix the name")
            return
        self.used_media.add(name)


def _line_of(text: str, needle: str, first_line: int) -> int:
    for i, line in enumerate(text.splitlines()):
        if needle and needle in line:
            return first_line + i
    return first_line


def read_page(path: Path, problems: Problems):
    """(front matter Map, body text, line where the body starts) or None after reporting why."""
    text = yamlsrc.read_text(path, problems)
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, "the page has no front matter",
                     "start the file with three lines: `---`, `title: The page title`, `---`")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.add(path, 1, "the front matter is not closed", "add a line with `---` after `title: ...`")
        return None
    meta = yamlsrc.parse("\n".join(lines[1:end]), path, problems, first_line=2)
    body = "\n".join(lines[end + 1:])
    return meta, body, end + 2
