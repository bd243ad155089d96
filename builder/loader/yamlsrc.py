"""YAML that remembers where each value came from, so every problem can name its line."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import yaml

from builder.messages import msg
from builder.errors import Problems, did_you_mean
from builder.loader import files, translation


class Map(dict):
    """A YAML mapping; `line` is where it starts, `lines[key]` where each key is, and `raw[key]` the
    value as written when YAML read it as something other than text (`1.10`, `010`, `yes`, a date)."""

    line: int = 0
    lines: dict
    raw: dict = {}
    blocks: set = set()


class Seq(list):
    """A YAML sequence; `lines[i]` is the line of item i, `raw[i]` item i as written (or None, as in Map)."""

    line: int = 0
    lines: list
    raw: list = []


def read_text(path: Path, problems: Problems) -> str | None:
    """The file as UTF-8 text, or None after reporting why it cannot be read (outside the course,
    not a plain file, too big, not UTF-8)."""
    raw = files.read(path, problems, files.MAX_TEXT)
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        problems.add(path, line, "the file is not UTF-8 text",
                     "save it as UTF-8 (in most editors: 'Save with encoding' → UTF-8)")
        return None


MAX_DEPTH = 20    # course sources nest four or five levels; a deeper file is a mistake or an attack


def _refuse_unsafe(text: str, path: Path, problems: Problems, first_line: int) -> bool:
    """Report anchors, aliases, merge keys and deep nesting; True when the text is safe to compose.

    Editors never need `&anchor`/`*alias`, and an alias is how a small file becomes a huge value
    ("billion laughs"), so they are refused from the event stream, before anything is built."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + first_line
            if isinstance(event, yaml.AliasEvent):
                problems.add(path, line, f"'*{event.anchor}' repeats another part of the file (a YAML alias)",
                             "write the value out in full; the course sources do not use `&` anchors or `*` aliases")
                return False
            if getattr(event, "anchor", None):
                problems.add(path, line, f"'&{event.anchor}' marks a part of the file for repeating (a YAML anchor)",
                             "remove `&" + event.anchor + "` and write repeated values out in full")
                return False
            if getattr(event, "tag", None) and not isinstance(event, (yaml.DocumentStartEvent, yaml.DocumentEndEvent)):
                problems.add(path, line, f"'{event.tag}' is a YAML type tag",
                             "remove it; write the value as plain text, a number, true/false or a list")
                return False
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.add(path, line, f"the values are nested more than {MAX_DEPTH} levels deep",
                                 "check the indentation and the brackets; course files need a few levels only")
                    return False
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and event.value == "<<" and event.implicit[0]:
                problems.add(path, line, "'<<' merges another mapping into this one (a YAML merge key)",
                             "write the keys out in full")
                return False
    except yaml.MarkedYAMLError:
        return True          # compose() reports the syntax error with its line
    except yaml.reader.ReaderError as err:
        _control_character(err, text, path, problems, first_line)
        return False
    return True


def _control_character(err, text: str, path: Path, problems: Problems, first_line: int) -> None:
    code = err.character if isinstance(err.character, int) else ord(err.character)
    problems.add(path, text.count("\n", 0, err.position) + first_line,
                 f"the file contains a control character (code {code:#04x}) that YAML does not allow",
                 "delete the invisible character (it often comes from copying text out of another program)")


# What the YAML parser says (libyaml's words, or PyYAML's where they differ) names its grammar in
# English («mapping values», «simple key»); an editor is told instead what the mistake looks like and
# how to write it. (the start of the parser's problem, what we say, how to fix it); the line is the parser's.
# libyaml says «did not find expected …» and «block sequence …» where PyYAML says «expected …» and
# «sequence …»: `_syntax` drops those prefixes, so each row serves both.
_SYNTAX = (
    ("mapping values are not allowed", msg("a ': ' (colon and space) where YAML expects none"),
     msg("put a text that contains ': ' in quotes (`title: \"Om kurset: for alle\"`); otherwise check that the line "
         "is indented as the lines above it and that the line above has its ': '")),
    ("expected key", msg("the line is not indented as the lines above it, or a text goes on after its closing quote"),
     msg("indent the line as the others of the same list or section; a text that starts with a quote must end with it "
         "(`title: '«Hva» sa hun'`)")),
    ("found a tab character", msg("a tab in the indentation: YAML indents with spaces only"), msg("replace the tab with spaces")),
    ("found unexpected end of stream", msg("a quote that is never closed"), msg("close the quote at the end of the text")),
    ("found character", msg("the value begins with a character YAML keeps for itself (@, ` or %)"),
     msg("put the text in quotes: `title: \"@ks\"`")),
    ("expected ',' or ']'", msg("a list in [ ] that is not closed"),
     msg("close it with ] on the same line, or write the list with one «- » line per item")),
    ("expected ',' or '}'", msg("a { } that is not closed"), msg("close it with }, or put a text that contains { in quotes")),
    ("expected alphabetic or numeric character",
     msg("the value begins with * or &, which YAML reads as a reference to another part of the file"),
     msg("put the text in quotes: `title: \"*viktig* ting\"`")),
    ("could not find expected ':'", msg("a line without ': ' after its name, or lines under `|` or `>` that are not indented"),
     msg("write `name: value`, and indent every line of a text that starts with `|` or `>`")),
    ("but found another document", msg("a line `---` in the middle of the file"),
     msg("remove the `---` line: a YAML file holds one document")),
    ("sequence entries are not allowed", msg("a list item («- ») where YAML expects a value"),
     msg("indent every «- » of a list the same, under the name the list belongs to")),
    ("exceeded maximum nesting depth", msg("the values are nested too deep for YAML to read"),
     msg("write the lists and sections at most 20 levels deep")),
    ("expected '-' indicator", msg("a list item («- ») that is not indented as the others"),
     msg("indent every «- » of a list the same, under the name the list belongs to")),
)
_SYNTAX_ELSE = (msg("YAML cannot read the file from here"),
                msg("check indentation and that a value containing ': ' or starting with a quote is put in quotes"))


def _syntax(problem: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) for the YAML parser's `problem`."""
    problem = problem.strip().removeprefix("did not find ").removeprefix("block ")
    return next(((what, hint) for start, what, hint in _SYNTAX if problem.startswith(start)), _SYNTAX_ELSE)


def parse(text: str, path: Path, problems: Problems, first_line: int = 1):
    """Parse YAML text; returns Map/Seq/scalars, or None after reporting a syntax error."""
    # Without '&' a file has no anchor, so no alias either (an alias needs one): only files with an '&'
    # pay for the scan of the event stream; merge keys, tags and depth are checked while converting.
    if "&" in text and not _refuse_unsafe(text, path, problems, first_line):
        return None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.reader.ReaderError as err:
        _control_character(err, text, path, problems, first_line)
        return None
    except yaml.MarkedYAMLError as err:
        if "alias" in (err.problem or "") and not _refuse_unsafe(text, path, problems, first_line):
            return None          # an alias to no anchor: said as what it is, not as a syntax error
        mark = err.problem_mark or err.context_mark
        if err.context and "simple key" in err.context and err.context_mark:
            # A name without its ': ' (`summary Hva kurset …`) is noticed only on the next line; the
            # mistake is on the name's own line.
            mark = err.context_mark
        line = (mark.line + first_line) if mark else first_line
        what, hint = _syntax(err.problem or "")
        # Where an unclosed quote or [ ] starts is worth saying; a «block mapping» that starts on line 1 is not.
        opened = err.context and err.context_mark and ("quoted" in err.context or "flow" in err.context)
        start = err.context_mark.line + first_line if opened else line
        problems.add(path, line, f"YAML syntax error: {what}" + (f" (it starts on line {start})" if start != line else ""), hint)
        return None
    if node is None:
        return None
    try:
        return _convert(node, path, problems, first_line - 1, text)
    except _Refused as refused:
        problems.add(path, *refused.args)
        return None


def load(path: Path, problems: Problems, required: bool = False):
    """The data of a YAML source; None after a reported problem. Every YAML file of the course must
    hold data, so an empty or comment-only file is a problem, never a silently missing part."""
    text = read_text(path, problems)
    if text is None:
        return None
    before = len(problems.items)
    data = parse(text, path, problems)
    if data is None and len(problems.items) == before:
        problems.add(path, 1, "the file is empty" if not text.strip() else "the file holds no data (only comments)",
                     "write what it must hold (see course/README.md)" if required else
                     "write what it must hold (see course/README.md), or delete the file if it is not needed")
    return data


def load_required(path: Path, problems: Problems, missing: str, hint: str):
    """Like `load`, for a file that must exist: reports `missing` (with `hint`) when it does not."""
    if not path.is_file():
        problems.add(path, 0, missing, hint)
        return None
    return load(path, problems, required=True)


_scalars = yaml.SafeLoader("")
# libyaml's C parser is ~10x faster than the pure-Python one and gives the same marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"


class _Refused(Exception):
    """(line, message, hint) of a construct the course's YAML does not allow."""


_MERGE = "tag:yaml.org,2002:merge"
_COLLECTIONS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


# A line of a plain (unquoted) text that starts with «- »: YAML reads `- a` followed by a deeper `  - b` as
# the one text «a - b», which is valid YAML but never what an editor meant.
_ITEM_IN_TEXT = re.compile(r"\n[ \t]*-(?:[ \t]|$)", re.MULTILINE)


def _convert(node, path, problems, offset, text, depth=0):
    line = node.start_mark.line + 1 + offset
    if depth > MAX_DEPTH:
        raise _Refused(line, f"the values are nested more than {MAX_DEPTH} levels deep",
                       "check the indentation and the brackets; course files need a few levels only")
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTIONS:
        raise _Refused(line, f"'{node.tag}' is a YAML type tag",
                       "remove it; write the value as plain text, a number, true/false or a list")
    if isinstance(node, yaml.MappingNode):
        out = Map()
        out.line, out.lines, out.raw, out.blocks = line, {}, {}, set()
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                raise _Refused(key_node.start_mark.line + 1 + offset,
                               "'<<' merges another mapping into this one (a YAML merge key)", "write the keys out in full")
            key = _convert(key_node, path, problems, offset, text, depth + 1)
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key, (str, int, bool)):
                problems.add(path, key_line, "a key must be a plain word", "write it as `name: value`")
                continue
            if key in out:
                problems.add(path, key_line, f"'{key}' is given twice here",
                             f"keep one of the two (the first is on line {out.lines[key]})")
                continue
            out[key] = _convert(value_node, path, problems, offset, text, depth + 1)
            out.lines[key] = key_line
            if _as_written(value_node) is not None:
                out.raw[key] = value_node.value
            if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
                out.blocks.add(key)      # its text starts on the line after the key
        return out
    if isinstance(node, yaml.SequenceNode):
        out = Seq()
        out.line, out.lines, out.raw = line, [], []
        for item in node.value:
            out.append(_convert(item, path, problems, offset, text, depth + 1))
            out.lines.append(item.start_mark.line + 1 + offset)
            out.raw.append(_as_written(item))
        return out
    if not node.style and node.end_mark.line > node.start_mark.line:
        _item_in_text(node, path, problems, offset, text)
    if node.tag == _STR:
        return node.value   # what the constructor would return, without its bookkeeping (most scalars are text)
    try:
        return _scalars.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        raise _Refused(line, f"'{node.tag}' is a YAML type tag",
                       "remove it; write the value as plain text, a number, true/false or a list") from None
    except ValueError:
        # A date-shaped value that is no date (2027-13-01): keep the text so the caller can say which.
        return node.value


def _item_in_text(node, path, problems, offset, text) -> None:
    """Report a plain text that runs on over a line starting with «- » (a list item indented deeper than
    the one above it), at that line: YAML joins them into one text without a word."""
    written = text[node.start_mark.index:node.end_mark.index]
    found = _ITEM_IN_TEXT.search(written)
    if found is None:
        return
    line = node.start_mark.line + 1 + offset + written.count("\n", 0, found.start() + 1)
    item = written[found.start():].strip().split("\n")[0].strip()
    item = item if len(item) <= 40 else item[:40].rstrip() + "…"
    problems.add(path, line, f"'{item}' is indented deeper than the line above it, so YAML reads it as more of the text "
                 f"on line {node.start_mark.line + 1 + offset}, not as a list item of its own",
                 "indent every «- » of a list the same, under the name the list belongs to; if the «- » belongs to the "
                 "text, put the whole text in quotes")


def _as_written(node) -> str | None:
    """The text of a plain scalar that YAML 1.1 reads as a number, boolean, date or null, else None."""
    if isinstance(node, yaml.ScalarNode) and not node.style and node.tag != _STR:     # plain: libyaml says "", PyYAML None
        return node.value
    return None


# Text fields that are Markdown, rendered and sanitized as HTML (builder/loader/htmlpolicy.py), by
# (what the mapping is, key). Every other text field is plain text and may not look like markup: a
# title or a role is put into many places (XML, LMS backups, calendars), and not all of them escape it.
MARKDOWN_FIELDS = {
    ("a question", "text"), ("a question", "if_true"), ("a question", "if_false"),
    ("an option", "text"), ("an option", "explanation"), ("a pair", "explanation"),
    ("a reflection", "prompt"), ("a reflection", "guidance"),
    ("a homework assignment", "intro"), ("a homework assignment", "deliverable"),
    ("steps", "plan"), ("steps", "act"), ("steps", "observe"), ("steps", "reflect"),
    ("a gathering's script", "purpose"), ("a session", "method"), ("a session", "room"), ("a session", "notes"),
}
# Text fields that are no text but names the course uses as identifiers or settings: never translated.
NOT_TEXT = {"id", "type", "goal", "after", "url", "language", "version", "colour", "date", "time", "start_date",
            "material", "paper"}
# Lists of plain texts (not Markdown, not ids), translated item by item in a translated edition.
PLAIN_TEXT_LISTS = {("module.yml", "dialogue_questions"), ("a homework assignment", "participants"), ("a question", "roles")}
_LOOKS_LIKE_MARKUP = re.compile(r"<[A-Za-z/!?]")


def plain_text_problem(value: str) -> str:
    """What is wrong with `value` as plain text (a tag or comment in it), or ''."""
    m = _LOOKS_LIKE_MARKUP.search(value)
    return f"'{value[m.start():m.start() + 12]}…' looks like HTML, but this is plain text" if m else ""


PLAIN_HINT = "remove the `<…>` (write the text only; 'mindre enn' for <)"


TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a set of `key: value` lines",
              date: "a date"}


class Fields:
    """Typed access to one YAML mapping, reporting unknown, missing and mistyped keys."""

    def __init__(self, mapping, path: Path, problems: Problems, what: str,
                 required: dict[str, type], optional: dict[str, type], line: int = 0):
        self.path, self.problems, self.what = path, problems, what
        self.ok = isinstance(mapping, Map)
        if not self.ok:
            problems.add(path, getattr(mapping, "line", 0) or line,
                         f"{what} must be a set of `key: value` lines", "see course/README.md for an example")
            self.map = Map()
            self.map.line, self.map.lines, self.map.raw = line, {}, {}
            return
        self.map = mapping
        known = {**required, **optional}
        for key in mapping:
            if key not in known:
                hint = did_you_mean(key, known) or f"allowed here: {', '.join(sorted(known))}"
                if isinstance(key, str) and " " in key.strip():
                    hint = ("a comma inside `{...}` starts a new key: put the text in quotes, "
                            "or write each key on its own line")
                problems.add(path, mapping.lines[key], f"unknown key '{key}' in {what}", hint)
        for key in required:
            if key not in mapping:
                problems.add(path, mapping.line, f"{what} is missing '{key}'", f"add a line `{key}: ...`")
        self.types = known

    @property
    def line(self) -> int:
        return self.map.line

    def line_of(self, key: str) -> int:
        return self.map.lines.get(key, self.map.line)

    def text_line(self, key: str) -> int:
        """The line where the text of `key` starts: the key's own line, or the next for a `|` or `>` block."""
        return self.line_of(key) + (1 if key in getattr(self.map, "blocks", ()) else 0)

    def get(self, key: str, default=None):
        if key not in self.map:
            return default
        value, want = self.map[key], self.types.get(key, object)
        if isinstance(want, Number):
            return want.read(self, key, value, self.map.raw.get(key) if isinstance(self.map, Map) else None, default)
        if want is date:
            return self._date(key, value, default)
        if want is str:
            return self._text(key, value, default)
        ok = (isinstance(value, want) and not (want is int and isinstance(value, bool))) or want is object
        if want is list and isinstance(value, Seq):
            ok = True
        if not ok:
            self.problems.add(self.path, self.line_of(key),
                              f"'{key}' in {self.what} must be {TYPE_NAMES.get(want, want.__name__)}",
                              f"write for example `{key}: {_example(want)}`")
            return default
        if want is list and (self.what, key) in PLAIN_TEXT_LISTS and translation.active() is not None:
            translator = translation.active()
            out = Seq(translator.text(self.path, value.lines[i], item, f"{key} ({self.what})") if isinstance(item, str) else item
                      for i, item in enumerate(value))
            out.line, out.lines, out.raw = value.line, value.lines, value.raw
            value = out
        return value

    def _text(self, key: str, value, default):
        """Text exactly as written: `version: 1.10` is '1.10', not the number 1.1, and `010` is '010'."""
        line = self.line_of(key)
        if isinstance(value, (Map, Seq)) or value is None:
            if isinstance(value, Map):
                first = next(iter(value), "")
                self.problems.add(self.path, line, f"'{key}' in {self.what} must be text, but YAML read it as "
                                  f"`{first}: …` because the text holds ': '", f'put the whole text in quotes: `{key}: "…"`')
            else:
                self.problems.add(self.path, line, f"'{key}' in {self.what} must be text",
                                  f"write for example `{key}: {_example(str)}`")
            return default
        if not isinstance(value, str):
            value = self.map.raw.get(key, str(value))
        value = value.strip()
        if not value:
            self.problems.add(self.path, line, f"'{key}' in {self.what} is empty", "write the text or remove the line")
            return default
        markdown = (self.what, key) in MARKDOWN_FIELDS
        translator = translation.active()
        if translator is not None and not markdown and key not in NOT_TEXT:
            value = translator.text(self.path, line, value, f"{key} ({self.what})")
        wrong = control_character(value) or (not markdown and plain_text_problem(value))
        if wrong:
            self.problems.add(self.path, line, f"'{key}' in {self.what}: {wrong}",
                              CONTROL_HINT if wrong.startswith("the text contains") else PLAIN_HINT)
            return default
        return value

    def _date(self, key: str, value, default):
        """A day: `2027-09-15`. A time or time zone (`2027-09-15 10:00+02:00`) is not a day of the programme."""
        if isinstance(value, datetime):
            self.problems.add(self.path, self.line_of(key), f"'{key}' in {self.what} is a date with a time "
                              f"('{self.map.raw.get(key, value)}'), but only the day is used here",
                              f"write the date only, for example `{key}: {value.date().isoformat()}`")
            return default
        if not isinstance(value, date):
            self.problems.add(self.path, self.line_of(key), f"'{value}' is not a date ('{key}' in {self.what})",
                              f"write the date as YYYY-MM-DD, for example `{key}: 2027-09-15`")
            return default
        return value


class Number:
    """A number field with the range that makes sense for it, written in plain digits: `010` (octal 8
    in YAML 1.1), `1_000`, `1:30` (90 in YAML 1.1), `.nan` and `.inf` are refused, not read as numbers."""

    _WHOLE = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
    _DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")

    def __init__(self, lo, hi, whole: bool = True):
        self.lo, self.hi, self.whole = lo, hi, whole

    def __repr__(self) -> str:
        return f"{'a whole number' if self.whole else 'a number'} from {self.lo:g} to {self.hi:g}"

    def read(self, fields: "Fields", key: str, value, raw: str | None, default):
        written = raw if raw is not None else (value if isinstance(value, str) else None)
        pattern = self._WHOLE if self.whole else self._DECIMAL
        line, where = fields.line_of(key), f"'{key}' in {fields.what}"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or written is None \
                or not pattern.match(written.strip()):
            shown = written if written is not None else value
            if isinstance(shown, str) and re.match(r"^[-+]?\d+,\d+$", shown.strip()):
                hint = f"write the decimal with a point: `{key}: {shown.strip().replace(',', '.')}`"
            elif isinstance(shown, str) and re.match(r"^[-+]?0\d+$", shown.strip()):
                hint = f"write it without the leading zero: `{key}: {int(shown.strip()):d}` (YAML reads 010 as 8)"
            else:
                hint = f"write {self!r} in plain digits, for example `{key}: {self.lo if self.lo > 0 else self.hi:g}`"
            fields.problems.add(fields.path, line, f"{where} must be {self!r}, not '{str(shown)[:40]}'", hint)
            return default
        if not self.lo <= value <= self.hi:
            fields.problems.add(fields.path, line, f"{where} is {str(written)[:40]}; it must be {self!r}",
                                         f"write a number from {self.lo:g} to {self.hi:g}")
            return default
        return value


# A character that no text of the course needs and that breaks XML (NUL, form feed), a terminal
# (ESC) or the reading order (direction overrides); a tab and a line break are fine.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_HINT = "delete the invisible character (it often comes from copying text out of another program)"


def control_character(value: str) -> str:
    """What is wrong with a text that holds a control character, or ''."""
    m = _CONTROL.search(value)
    return f"the text contains a control character (code {ord(m.group()):#04x})" if m else ""


def seq_of(items: list, lines: list[int]) -> Seq:
    """A Seq of `items` found at `lines` (for checking a few items of a larger list with `texts`)."""
    out = Seq(items)
    out.line, out.lines, out.raw = (lines[0] if lines else 0), list(lines), [None] * len(items)
    return out


def texts(items, path: Path, problems: Problems, what: str, plain: bool = True) -> list[str]:
    """A list of texts (dialogue questions, participants, roles) exactly as written; an item YAML read as
    a mapping (an unquoted ': '), a list or nothing is a problem at its line, never dropped silently."""
    out = []
    raw = getattr(items, "raw", [None] * len(items))
    for i, item in enumerate(items):
        line = items.lines[i] if hasattr(items, "lines") else 0
        if isinstance(item, Map):
            first = next(iter(item), "")
            problems.add(path, line, f"{what} must be text, but YAML read it as `{first}: …` because the text holds ': '",
                         'put the whole text in quotes: `- "…"`')
            continue
        if isinstance(item, (Seq, list)) or item is None:
            problems.add(path, line, f"{what} must be text", "write the text after `- `")
            continue
        text = (item if isinstance(item, str) else raw[i] if raw[i] is not None else str(item)).strip()
        wrong = ("is empty" if not text else control_character(text) or (plain and plain_text_problem(text)))
        if wrong:
            problems.add(path, line, f"{what}: {wrong}", PLAIN_HINT if "HTML" in wrong else
                         CONTROL_HINT if "control" in wrong else "write the text or remove the line")
            continue
        out.append(text)
    return out


def _example(want):
    return {str: "Some text", int: "10", bool: "true", list: "[a, b]"}.get(want, "...")
