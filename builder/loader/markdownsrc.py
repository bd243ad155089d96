"""Markdown pages and Markdown fields: front matter, rendering, and the HTML allow-list."""

from __future__ import annotations

import re
from html import escape as html_escape, unescape
from pathlib import Path
from urllib.parse import unquote

import pyromark

from builder.errors import Problems, did_you_mean
from builder.loader import files, htmlpolicy, translation, yamlsrc
from builder.model import markup

# Characters that can start Markdown or HTML markup in a one-line text; without them the text is plain.
_MARKUP = re.compile(r"[*_`\[\]<>&\\#|\n]|^\s*(?:[-+]|\d+\.)\s|  $|^ {4}")
# CommonMark plus the two extensions the course uses: tables and definition lists (the glossary).
# Raw HTML passes through; htmlpolicy then sanitizes it and reports whatever the allow-list removes.
# A one-line text (a question, an option, an explanation) that starts like a list item or a heading
# means the words: «5. desember, en uke før møtet» is a date. Left to Markdown it became
# <ol start="5"> inside the option's <label> (axe: 9 critical «label» findings on the forankring quiz).
_INLINE_BLOCK_START = re.compile(r"^(\s*)(\d{1,9})([.)])(?=\s)|^(\s*)([-+*#>])(?=\s)")
_MARKDOWN = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_DEFINITION_LIST)


# `:::word title` opens a box, `:::` alone closes it (docs: course/README.md, "Bokser og figurer").
_FENCE = re.compile(r"^:::\s*([A-Za-zæøåÆØÅ]+)?[ \t]*(.*?)\s*$")
BOXES = {"lovhjemmel": "law", "refleksjon": "reflection", "eksempel": "example", "viktig": "keypoints",
         "tidslinje": "timeline", "figur": "figure"}
# An image alone in its paragraph, with a title: a figure whose caption is the title.
_FIGURE = re.compile(r'<p><img src="([^"]*)" alt="([^"]*)" title="([^"]*)" ?/?></p>')


def _figure(m: re.Match) -> str:
    src, alt, caption = m.groups()
    return f'<figure class="ks-figure"><img src="{src}" alt="{alt}"><figcaption>{caption}</figcaption></figure>'


# [[term]] or [[shown text|term]]: a link to the term in the glossary (a <dt> in some page).
_TERM = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
# Code shows what it holds: `**` inside it is meant.
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
_DT = re.compile(r"<dt>(.*?)</dt>", re.S)
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})


def term_slug(term: str) -> str:
    """A glossary term as an ASCII id: «Kommune 3.0» → kommune-3-0."""
    return re.sub(r"[^a-z0-9]+", "-", unescape(term).lower().translate(_FOLD)).strip("-")


class Renderer:
    """Renders Markdown to sanitized HTML and remembers which media files were used."""

    def __init__(self, media_dir: Path, problems: Problems, language: str = "nb", figures: frozenset = frozenset()):
        self.media_dir = media_dir
        self.figures = figures          # ids of course/figures/<id>.yml that `:::figur <id>` may name
        self.language = language
        self.problems = problems
        self.used_media: set[str] = set()
        self.terms_defined: list[tuple[str, str, str]] = []    # glossary (slug of <dt id="ord-...">, term, file:line)
        self.terms_used: list[tuple[str, str, Path, int]] = []  # (slug, as written, file, line)

    def render(self, text: str, path: Path, first_line: int, inline: bool = False, page: bool = False) -> tuple[str, int]:
        """HTML for `text` (found at `first_line` of `path`) and its word count; in a translated
        edition, of its translation (builder/loader/translation.py). Only a page (`page`) shows the
        course timeline (`:::tidslinje`); in another field it would vanish, so it is refused there."""
        translator = translation.active()
        if translator is not None:
            if inline:
                text = translator.text(path, first_line, text, "text")
            else:
                text = translation.rewrite(text, first_line, lambda segment, line, kind: translator.text(path, line, segment, kind))
        if not inline and ":::" in text:
            return self._render_blocks(text, path, first_line, page)
        return self._render(text, path, first_line, inline)

    def _render_blocks(self, text: str, path: Path, first_line: int, page: bool) -> tuple[str, int]:
        """Text with `:::` boxes: each stretch between them rendered on its own, each box's inside
        too (and checked like any text), then wrapped in the box markup, which is ours, not the editor's."""
        out, words = [], 0
        lines = text.split("\n")
        chunk_start, box = 0, None          # box: (kind, title, line index of its fence)
        in_code = False
        one_liners = set()                  # what a one-line box (:::tidslinje, :::figur id) left in `out`

        def flush(end):
            nonlocal words
            part = "\n".join(lines[chunk_start:end])
            if part.strip():
                html, n = self._render(part, path, first_line + chunk_start)
                words += n
                return html
            return ""

        for i, line in enumerate(lines):
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            m = None if in_code else _FENCE.match(line)
            if not m:
                continue
            word, title = (m.group(1) or "").lower(), m.group(2).strip()
            if box is None and not word:
                if out and out[-1] in one_liners and not "\n".join(lines[chunk_start:i]).strip():
                    chunk_start = i + 1          # a closing line after :::tidslinje or :::figur is harmless
                    continue
                self.problems.add(path, first_line + i, "a `:::` line closes no box",
                                  "remove the line, or open a box above it, for example `:::refleksjon`")
                chunk_start = i + 1
                continue
            if box is None:
                if word not in BOXES:
                    self.problems.add(path, first_line + i, f"unknown box ':::{word}'",
                                      did_you_mean(word, list(BOXES)) or f"use one of: {', '.join(':::' + b for b in BOXES)}")
                    chunk_start = i + 1
                    continue
                out.append(flush(i))
                chunk_start = i + 1
                if BOXES[word] == "timeline":
                    if not page:
                        self.problems.add(path, first_line + i, "the timeline (`:::tidslinje`) can only be shown on a page",
                                          "move `:::tidslinje` to one of the module's pages, or remove it here")
                    out.append(markup.TIMELINE_SLOT)
                    one_liners.add(markup.TIMELINE_SLOT)
                    continue
                if BOXES[word] == "figure":
                    if title not in self.figures:
                        self.problems.add(path, first_line + i, f"there is no figure '{title}' in figures/" if title
                                          else "a :::figur line needs the figure's name after the word",
                                          (title and did_you_mean(title, sorted(self.figures))) or
                                          "write the name of a file in course/figures/ without .yml, for example "
                                          f"`:::figur {min(self.figures, default='hvem-bestemmer')}`")
                        continue
                    out.append(markup.figure_slot(title))
                    one_liners.add(out[-1])
                    continue
                if BOXES[word] == "law" and not title:
                    self.problems.add(path, first_line + i, "a :::lovhjemmel box needs the legal provision after the word",
                                      "for example `:::lovhjemmel Kommuneloven § 5-3`")
                box = (BOXES[word], title, i)
                continue
            if word:
                self.problems.add(path, first_line + i, "a box cannot start inside another box",
                                  f"close the box from line {first_line + box[2]} with a line `:::` first")
                continue
            kind, title, start = box
            inner = flush(i)
            if not inner:
                self.problems.add(path, first_line + start, "the box is empty", "write its text between the two `:::` lines")
            out.append(markup.box(kind, title, inner))
            chunk_start, box = i + 1, None
        if box is not None:
            self.problems.add(path, first_line + box[2], "the box is never closed",
                              "end it with a line that holds only `:::`")
        out.append(flush(len(lines)))
        return "\n".join(part for part in out if part), words

    def _render(self, text: str, path: Path, first_line: int, inline: bool = False) -> tuple[str, int]:
        if "[[" in text:
            text = _TERM.sub(lambda m: self._term(m, text, path, first_line), text)
        if inline and not _MARKUP.search(text):
            # Most option texts and explanations are plain sentences: escaping is all Markdown would do.
            return html_escape(text.strip(), quote=False), len(text.split())
        if inline:
            text = _INLINE_BLOCK_START.sub(_escape_block_start, text)
        html = _MARKDOWN.html(text).strip()
        if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        html, findings, images, words = htmlpolicy.sanitize(html)
        for f in findings:
            self.problems.add(path, _line_of(text, f.needle, first_line), f.message, f.hint)
        for src in images:
            name = self._check_image(src, text, path, first_line)
            if name and f'src="{src}"' in html:
                html = html.replace(f'src="{src}"', f'src="media/{files.published_name(name)}"')
        if not inline and "<img" in html:
            html = _FIGURE.sub(_figure, html)
        if "**" in html and "**" in _CODE.sub("", html):
            self._unclosed_bold(text, path, first_line)
        html = markup.term_link_class(html)
        if "<dt>" in html:
            html = _DT.sub(lambda m: self._dt(m, text, path, first_line), html)
        return html, words

    def _unclosed_bold(self, text: str, path: Path, first_line: int) -> None:
        """`**` left in the page as two stars: a bold text opened and never closed (Markdown shows the
        stars and no bold), reported at the first line with an odd number of `**`."""
        lines = text.splitlines()
        odd = next((i for i, line in enumerate(lines) if line.count("**") % 2), None)
        line = first_line + odd if odd is not None else _line_of(text, "**", first_line)
        self.problems.add(path, line, "'**' shows as two stars: a bold text that is opened and not closed",
                          "close the bold text with ** where it ends (`**viktig**`), or write `\\*\\*` to show the stars")

    def _term(self, m: re.Match, text: str, path: Path, first_line: int) -> str:
        shown, _, term = m.group(1).partition("|")
        term = term or shown
        slug = term_slug(term)
        self.terms_used.append((slug, term.strip(), path, _line_of(text, m.group(0), first_line)))
        return f"[{shown.strip()}]({markup.term_target(slug)})"

    def _dt(self, m: re.Match, text: str, path: Path, first_line: int) -> str:
        term = unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
        slug = term_slug(term)
        line = _line_of(text, term, first_line)
        where = f"{self.problems.show(path)}:{line}"
        for other, other_term, other_where in self.terms_defined:
            if other == slug:
                # Both would get the anchor #ord-{slug}: a link to one would open the other.
                self.problems.add(path, line, f"the glossary term '{term}' has the same anchor ('{slug}') as "
                                  f"'{other_term}' at {other_where}",
                                  "explain both in one entry, or give one of them a word more (the anchor ignores "
                                  "æøå accents and case)")
                break
        self.terms_defined.append((slug, term, where))
        return markup.glossary_entry(slug, m.group(1))


    def _check_image(self, src: str, text: str, path: Path, first_line: int) -> str:
        """The media file's name (as in course/media/) when the image is one, else '' after a problem."""
        line = _line_of(text, (src, unquote(src)), first_line)
        # Markdown writes `media/Blåbær i skogen.png` (or with %20) as a URL: the file's name is the decoded one.
        name = unquote(src[len("media/"):]) if src.startswith("media/") else ""
        if not name or "/" in name or "\\" in name or name.startswith("."):
            self.problems.add(path, line, f"the image '{src}' is not in the media folder",
                              "put the file in course/media/ and write `media/<file name>`")
            return ""
        if not (self.media_dir / name).is_file():
            have = sorted(p.name for p in self.media_dir.glob("*")) if self.media_dir.is_dir() else []
            from builder.errors import did_you_mean
            self.problems.add(path, line, f"the image '{src}' does not exist",
                              did_you_mean(name, have) or "add the file to course/media/ or fix the name")
            return ""
        self.used_media.add(name)
        return name


def _line_of(text: str, needle: str | tuple[str, ...], first_line: int) -> int:
    """The line of the first needle found (HTML is case-insensitive, so the search is too); else the
    first line with text, which for a one-line field is the field's line."""
    lines = text.lower().splitlines()
    for one in (needle,) if isinstance(needle, str) else needle:
        one = one.lower()
        for i, line in enumerate(lines):
            if one and one in line:
                return first_line + i
    return first_line + next((i for i, line in enumerate(lines) if line.strip()), 0)


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


def _escape_block_start(m: re.Match) -> str:
    """The marker of a list item or heading at the start of a one-line text, escaped so it stays text."""
    if m.group(2) is not None:
        return f"{m.group(1)}{m.group(2)}\\{m.group(3)}"
    return f"{m.group(4)}\\{m.group(5)}"
