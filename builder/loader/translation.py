"""Translated editions: every editor text the loader reads, looked up in a PO catalogue.

The loader reads a text at two places only: a YAML text field (`yamlsrc.Fields.get`) and Markdown
(`markdownsrc.Renderer.render`). While a `Translator` is active both hand each *segment* to it:
a plain YAML text whole; Markdown block by block (a paragraph, a heading, a list item, a table
cell, a box title, a glossary term or explanation), so that a changed paragraph changes one
segment, never a whole page. Ids, option ids, dates and numbers are never segments: learner data,
SCORM interactions and the Moodle question bank stay the same in every language.

A Translator either *records* the segments as the loader meets them (`kulturskole translate`
writes them into PO files, builder/translate/) or *looks them up* in the catalogue of a language
(`build --language nn`): one PO file per source file, `course/locale/<language>/<source>.po`, the
bokmål text as msgid. A segment whose text the catalogue lacks is stale (the bokmål changed after
the last `kulturskole translate`); one with an empty msgstr is missing; a `#, fuzzy` one is a draft.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from builder.messages import msg, tr

LOCALE = "locale"          # course/locale/<language>/<source path>.po


def po_path(course_dir: Path, language: str, source: str) -> Path:
    """Where the catalogue of one source file (course-relative posix path) lives."""
    return course_dir / LOCALE / language / f"{source}.po"


@dataclass(frozen=True)
class Segment:
    source: str          # the source file, relative to the course folder (posix)
    line: int
    text: str            # the source text (whitespace of a wrapped paragraph made single spaces)
    kind: str            # what it is, for the translator: "title (module.yml)", "paragraph", "list item" …


@dataclass(frozen=True)
class Entry:
    """A catalogue's entry as the build needs it."""
    text: str            # msgstr
    fuzzy: bool
    line: int            # the entry's line in its PO file


@dataclass(frozen=True)
class Untranslated:
    """A segment the build cannot use as reviewed translation, and why."""
    segment: Segment
    state: str           # "missing" | "fuzzy" | "stale"
    po: str              # the PO file, course-relative
    po_line: int         # 0 when the catalogue has no entry for it (stale)


@dataclass
class Translator:
    """`catalogue` None: record segments. Else look them up: source file → msgid → Entry; with
    `draft`, a fuzzy translation is used and a missing one falls back to the source text."""
    course_dir: Path
    language: str = ""
    catalogue: dict | None = None
    draft: bool = False
    segments: list[Segment] = field(default_factory=list)
    untranslated: list[Untranslated] = field(default_factory=list)
    given: set = field(default_factory=set)     # (source, line, translation) handed out

    def child(self) -> "Translator":
        """A translator for one module's worker: the same catalogue, its own findings."""
        return Translator(self.course_dir, self.language, self.catalogue, self.draft)

    def adopt(self, child: "Translator") -> None:
        self.segments += child.segments
        self.untranslated += child.untranslated

    def mark(self) -> tuple[int, int, frozenset]:
        """Where the findings stand now, for `since`."""
        return len(self.segments), len(self.untranslated), frozenset(self.given)

    def since(self, mark: tuple[int, int, frozenset]) -> "Translator":
        """What this translator learnt since `mark`, as a translator without the catalogue (the
        loader's memo keeps it with the part that was loaded meanwhile, builder/loader/__init__.py)."""
        segments, untranslated, given = mark
        return Translator(self.course_dir, self.language, None, self.draft, self.segments[segments:],
                          self.untranslated[untranslated:], set(self.given - given))

    def learn(self, learnt: "Translator") -> None:
        """Learn again what `since` returned (a part reused from the memo)."""
        self.adopt(learnt)
        self.given |= learnt.given

    def lacking(self) -> list[Untranslated]:
        """Each untranslated segment once, in source order."""
        return sorted(set(self.untranslated), key=lambda u: (u.segment.source, u.segment.line, u.segment.text))

    def source_of(self, path: Path) -> str | None:
        try:
            return Path(path).resolve().relative_to(self.course_dir.resolve()).as_posix()
        except ValueError:
            return None        # a file outside the course (a region's programme file) is not translated

    def text(self, path: Path, line: int, text: str, kind: str) -> str:
        """The translation of one segment (the source text itself while recording)."""
        msgid = normalise(text)
        source = self.source_of(path)
        if source is None or not is_text(msgid) or (source, line, msgid) in self.given:
            return text          # not course text, or already this segment's translation (read as text, then rendered)
        segment = Segment(source, line, msgid, kind)
        if self.catalogue is None:
            self.segments.append(segment)
            return text
        entry = self.catalogue.get(source, {}).get(msgid)
        po = f"{LOCALE}/{self.language}/{source}.po"
        if entry is None:
            self._lacks(Untranslated(segment, "stale", po, 0))
            return text
        if not entry.text:
            self._lacks(Untranslated(segment, "missing", po, entry.line))
            return text
        if entry.fuzzy:
            self._lacks(Untranslated(segment, "fuzzy", po, entry.line))
        self.given.add((source, line, normalise(entry.text)))
        return entry.text

    def _lacks(self, item: Untranslated) -> None:
        if item not in self.untranslated[-8:]:      # a field read twice is one segment (read in a row)
            self.untranslated.append(item)


_active: Translator | None = None


@contextmanager
def translating(translator: Translator | None):
    """Make `translator` the one the loader's text readers ask, for the duration of the block."""
    global _active
    before, _active = _active, translator
    try:
        yield translator
    finally:
        _active = before


def active() -> Translator | None:
    return _active


def normalise(text: str) -> str:
    """A segment's text as the catalogue keys it: surrounding space gone, line breaks as spaces,
    so that re-wrapping a bokmål paragraph does not make its translation stale."""
    return " ".join(text.split())


_LETTER = re.compile(r"[^\W\d_]")


def is_text(text: str) -> bool:
    """Only a text with a letter in it is a segment: «15 minutter» is; «2027», «10.00» and «§ 5-3»
    are not, and stay as written in every language."""
    return bool(_LETTER.search(text))


# --- Markdown, block by block ------------------------------------------------------------------

_CODE_FENCE = re.compile(r"^\s*(```|~~~)")
_BOX_FENCE = re.compile(r"^(:::\s*[A-Za-zæøåÆØÅ]+(?:[ \t]+|$))(.*?)\s*$")
_HEADING = re.compile(r"^(\s{0,3}#{1,6}\s+)(.*?)(\s+#+)?\s*$")
_ITEM = re.compile(r"^(\s*(?:[-+*]|\d{1,9}[.)])\s+)(.*)$")
_DEFINITION = re.compile(r"^(:\s+)(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|")
_TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?\s*)?\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
# A word that would start a list, a heading, a quote, a table or a definition at the start of a line.
_BLOCK_START = re.compile(r"^(?:[-+*>#:|=]|\d{1,9}[.)]$|```|~~~)")


_ORDERED = re.compile(r"^\s*(\d{1,9})[.)]\s")


def _starts_block(line: str, content_indent: int) -> bool:
    """Whether `line` ends the block above it. As in CommonMark, inside a paragraph only an ordered
    item numbered 1 starts a list, so «…innen\n22. februar» goes on; a sibling item of a list
    (`2.` below `1.`, at the list's own indentation, less than its items' text) starts a new item."""
    s = line.strip()
    ordered = _ORDERED.match(line)
    if ordered and ordered.group(1) != "1" and len(line) - len(line.lstrip()) >= content_indent:
        return False
    return bool(not s or _CODE_FENCE.match(line) or s.startswith(":::") or _HEADING.match(line)
                or _ITEM.match(line) or _DEFINITION.match(line) or _TABLE_ROW.match(line) or s.startswith("<!--"))


def rewrite(text: str, first_line: int, translate) -> str:
    """`text` (Markdown starting at `first_line`) with every segment replaced by
    `translate(segment text, line, kind)`. A paragraph keeps its number of lines where its words
    allow, so that what the renderer reports in a translation points near the source line."""
    lines = text.split("\n")
    out: list[str] = []
    i, in_code, in_comment = 0, False, False
    while i < len(lines):
        line = lines[i]
        where = first_line + i
        if in_code or _CODE_FENCE.match(line):
            if _CODE_FENCE.match(line):
                in_code = not in_code
            out.append(line)
            i += 1
            continue
        if in_comment or line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            out.append(line)
            i += 1
            continue
        if not line.strip() or line.strip() == ":::":
            out.append(line)
            i += 1
            continue
        m = _BOX_FENCE.match(line)
        if m:
            # `:::figur <id>` names a file: the figure's words are translated in its own catalogue.
            named = m.group(1).strip()[3:].strip().lower() == "figur"
            out.append(m.group(1) + translate(m.group(2), where, "box title") if m.group(2) and not named else line)
            i += 1
            continue
        m = _HEADING.match(line)
        if m:
            out.append(m.group(1) + translate(m.group(2), where, "heading") + (m.group(3) or ""))
            i += 1
            continue
        if _TABLE_RULE.match(line):
            out.append(line)
            i += 1
            continue
        if _TABLE_ROW.match(line):
            cells = _CELL_SPLIT.split(line)
            out.append("|".join(_cell(c, where, translate) for c in cells))
            i += 1
            continue
        m = _ITEM.match(line) or _DEFINITION.match(line)
        kind = "list item" if _ITEM.match(line) else "explanation"
        start = i
        i += 1
        content_indent = len(m.group(1)) if m else 0
        while i < len(lines) and not _starts_block(lines[i], content_indent):
            i += 1
        block = lines[start:i]
        if m:
            prefix = m.group(1)
            body = [m.group(2)] + [b.strip() for b in block[1:]]
            wrapped = _wrap(translate("\n".join(body), where, kind), len(block))
            out.append(prefix + wrapped[0])
            out += [" " * len(prefix) + w for w in wrapped[1:]]
        else:
            indent = re.match(r"\s*", block[0]).group(0)
            wrapped = _wrap(translate("\n".join(b.strip() for b in block), where, "paragraph"), len(block))
            out += [indent + w for w in wrapped]
    return "\n".join(out)


def _cell(cell: str, line: int, translate) -> str:
    inner = cell.strip()
    if not is_text(inner):
        return cell
    lead = cell[:len(cell) - len(cell.lstrip())]
    trail = cell[len(cell.rstrip()):]
    return lead + translate(inner, line, "table cell") + trail


def _wrap(text: str, lines: int) -> list[str]:
    """`text` on (at most) `lines` lines, never starting a line with a word that would begin
    another Markdown block."""
    text = normalise(text)
    words = text.split(" ")
    if lines <= 1 or len(words) <= 1:
        return [text]
    target = len(text) / lines
    out, current = [], []
    for k, word in enumerate(words):
        current.append(word)
        rest = words[k + 1:]
        if (len(out) < lines - 1 and rest and len(" ".join(current)) >= target
                and not _BLOCK_START.match(rest[0])):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


# --- the catalogue of a language, as the build reads it ------------------------------------------

def source_language(course_dir: Path) -> str:
    """The language course.yml says the sources are written in ('' when it cannot be read; the
    load that follows reports why)."""
    import yaml
    try:
        data = yaml.safe_load((course_dir / "course.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    return str(data.get("language", "")) if isinstance(data, dict) else ""


def read_catalogue(course_dir: Path, language: str, memo=None) -> dict[str, dict[str, Entry]]:
    """Source file → msgid → Entry, from every PO file under course/locale/<language>/. A PO
    file that cannot be read stops the build with its name and line. With a `memo` (the loader's,
    builder/loader/memo.py), a PO file whose bytes did not change is not parsed again: polib
    parsing the real course's 117 files took 0.29 s of CPU per build of the nynorsk edition."""
    from builder.errors import BuildFailed
    folder = course_dir / LOCALE / language
    catalogue: dict[str, dict[str, Entry]] = {}
    broken = []
    for path in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
        source = path.relative_to(folder).as_posix()[:-len(".po")]
        if memo is None:
            entries, problem = _read_po(path)
        else:
            entries, problem = memo.get(f"po:{path}", (memo.file(path),), lambda path=path: _read_po(path))
        if problem is not None:
            broken.append(problem)
        else:
            catalogue[source] = entries
    if broken:
        raise BuildFailed(broken)
    return catalogue


def _read_po(path: Path) -> tuple[dict[str, Entry] | None, object]:
    """msgid → Entry of one PO file, or (None, the Problem that says why it cannot be read)."""
    import polib
    from builder.errors import Problem
    try:
        po = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as err:
        line = re.search(r"line (\d+)", str(err))
        return None, Problem(str(path), int(line.group(1)) if line else 0, f"the PO file cannot be read: {err}",
                             "fix the line, or delete the file and run `kulturskole translate` to write it again")
    return {e.msgid: Entry(e.msgstr, e.fuzzy, e.linenum) for e in po if not e.obsolete}, None


MAX_LISTED = 3       # untranslated segments named per source file in a build's refusal


def raise_if_untranslated(translator: Translator, course_dir: Path) -> None:
    """Refuse an edition with segments that are missing, fuzzy or stale: per source file, how many
    of each and where the first ones are (the source line and the PO entry)."""
    from builder.errors import Problems
    if not translator.untranslated:
        return
    shown = Problems(course_dir)
    by_file: dict[str, list[Untranslated]] = {}
    for u in translator.lacking():
        by_file.setdefault(u.segment.source, []).append(u)
    for source, items in sorted(by_file.items()):
        said = counted(items)
        where = "; ".join(describe(u, shown.show(course_dir / u.po)) for u in items[:MAX_LISTED])
        if len(items) > MAX_LISTED:
            where += tr(f"; and {len(items) - MAX_LISTED} more")
        shown.add(course_dir / source, items[0].segment.line,
                                f"{len(items)} segment(s) of the {translator.language} edition are not translated ({said}): {where}",
                                f"run `kulturskole translate --language {translator.language}`, translate them in "
                                f"{shown.show(course_dir / items[0].po)} and remove their `#, fuzzy` lines "
                                f"(`kulturskole check --language {translator.language}` lists every one); "
                                "or build a draft with --draft")
    shown.raise_if_any()


STATES = ("missing", "fuzzy", "stale")
# The states as an editor reads them; the word order around them is the same in bokmål
# («2 missing» / «2 mangler»), so a state is translated on its own and placed by a template.
STATE_WORDS = {"missing": msg("missing"), "fuzzy": msg("fuzzy"), "stale": msg("stale")}


def counted(items: list[Untranslated]) -> str:
    """«2 missing, 1 fuzzy» in the editor's language (builder/messages)."""
    return ", ".join(f"{n} {tr(STATE_WORDS[state])}" for state in STATES
                     if (n := sum(u.state == state for u in items)))


def state_at(u: Untranslated, po: str = "") -> str:
    """«fuzzy (course/locale/nn/x.md.po:40)» in the editor's language; a stale segment has no PO entry."""
    po = po or u.po
    at = f"{po}:{u.po_line}" if u.po_line else tr(f"not in {po}: run `kulturskole translate`")
    return f"{tr(STATE_WORDS[u.state])} ({at})"


def describe(u: Untranslated, po: str = "") -> str:
    """«line 12 fuzzy (course/locale/nn/x.md.po:40)» for a message."""
    return tr(f"line {u.segment.line}: {state_at(u, po)}")
