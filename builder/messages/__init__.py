"""The tool's messages to the course's editors in their language: bokmål by default, English when
asked for (`kulturskole --english`, KULTURSKOLE_LANG=en, or an English locale in LC_ALL/
LC_MESSAGES/LANG).

Messages are written in English where they arise (`Problem(path, line, "what", "how")`, or
`tr(f"...")` for a line of the CLI or the preview), as gettext does: the English text is the key.
`nb.json` beside this file maps each English template to its bokmål text: an f-string's
`{expression}`s become `{}` in the key, and the bokmål text has as many `{}` (or `{0}`, `{1}` when
the order changes). A finished English message is translated by matching it against the keys;
what a placeholder caught is translated too when it is a message of its own (a hint made of
"did you mean …? Otherwise …"). The preview's panel texts (builder/preview/texts.py) are keys
here too; their `{name}`s are filled in by the preview's shell, so the bokmål keeps the same
names. tests/test_messages.py fails when a message in the code has no
bokmål text, or the bokmål text reads as English.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
from functools import lru_cache
from pathlib import Path

CATALOGUE = Path(__file__).with_name("nb.json")
_ENGLISH: bool | None = None


def use_english(english: bool) -> None:
    """Set the language for this process (the CLI's --english)."""
    global _ENGLISH
    _ENGLISH = english


def english() -> bool:
    """Whether messages are shown in English (see the module docstring for how it is chosen)."""
    if _ENGLISH is not None:
        return _ENGLISH
    chosen = os.environ.get("KULTURSKOLE_LANG", "").lower()
    if chosen:
        return chosen.startswith("en")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return value.lower().startswith("en")
    return False


@lru_cache(maxsize=1)
def catalogue() -> dict[str, str]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _pattern(key: str) -> re.Pattern:
    return re.compile("(.+?)".join(re.escape(p) for p in key.split("{}")), re.DOTALL)


@lru_cache(maxsize=1)
def _templates() -> list[tuple[str, str, str, int, str]]:
    """(key, its text before the first {}, after the last {}, the least length a match has, bokmål)
    for the keys with placeholders, the most specific first. Nothing is compiled here: compiling
    all 321 patterns took 0.40 s of a one-format build for the one message it printed; a key is
    compiled only when a message starts and ends as it does (one or two per message)."""
    found = []
    for key, bokmal in catalogue().items():
        parts = key.split("{}")
        if len(parts) > 1:
            literal = len(key) - 2 * (len(parts) - 1)
            found.append((literal, key, parts[0], parts[-1], literal + len(parts) - 1, bokmal))
    return [entry[1:] for entry in sorted(found, key=lambda entry: -entry[0])]


def translated(text: str) -> str | None:
    """The bokmål of one English message, or None when the catalogue has no entry for it."""
    if not text:
        return text
    exact = catalogue().get(text)
    if exact is not None and "{}" not in text:
        return exact.format()          # the bokmål writes a literal brace as {{ or }}
    for key, head, tail, least, bokmal in _templates():
        if len(text) < least or not text.startswith(head) or not text.endswith(tail):
            continue
        found = _pattern(key).fullmatch(text)
        if found:
            values = [translated(v) or v for v in found.groups()]
            return bokmal.format(*values)
    return None


def tr(text: str) -> str:
    """`text` in the language of the messages (English stays English when no bokmål is known), with
    the commands it names written as the editor runs the tool (`program()`)."""
    if not english():
        done = translated(text)
        text = text if done is None else done
    return _COMMAND.sub(program(), text) if program() != "kulturskole" else text


# «kulturskole build …» in a message, not already a path's end (a message may pass through tr() twice)
# nor the noun (a `kulturskole` of the course's own text is never followed by a command's name).
_COMMAND = re.compile(r"(?<![\w/.-])kulturskole(?= (?:build|check|stats|translate|preview)\b)")


@lru_cache(maxsize=1)
def program() -> str:
    """How the editor runs this tool, for the commands a message tells them to type: `kulturskole` when
    that name on their PATH is this program, else its path as they typed it (`.venv/bin/kulturskole`,
    as course/README.md writes every command). «kulturskole build --start-date …» typed as the build's
    hint wrote it gave «command not found» after the README's first steps."""
    path = sys.argv[0] if sys.argv else ""
    if os.path.basename(path) != "kulturskole":
        return "kulturskole"            # `python -m builder`, or the tool called from Python (the tests)
    try:
        on_path = shutil.which("kulturskole")
        if on_path and os.path.samefile(on_path, path):
            return "kulturskole"
    except OSError:
        pass
    return shlex.quote(path if os.path.isabs(path) else os.path.relpath(path))


def problem(p) -> str:
    """A Problem as a line for the editor: `path:line: what — how`, in the language of the messages."""
    from builder.errors import printable
    where = f"{p.path}:{p.line}" if p.line else p.path
    return printable(f"{where}: {tr(p.message)}" + (f" — {tr(p.hint)}" if p.hint else ""))


def msg(text: str) -> str:
    """Marks an English message made away from a Problem(...) or tr(...) call (gettext's N_()), so
    tests/test_messages.py finds it and asks for its bokmål; returns `text` unchanged."""
    return text
