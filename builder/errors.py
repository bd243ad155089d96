"""Problems found in course sources, reported all at once as `path:line: what — how to fix`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return printable(f"{where}: {self.message}" + (f" — {self.hint}" if self.hint else ""))


# Control characters (a terminal escape sequence starts with ESC, 0x1b) and the invisible
# direction overrides that reorder what the editor reads: a message quotes the sources, and these
# would act on the terminal instead of being shown.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character shown as its code (`\\x1b`), for a terminal or a log."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


class BuildFailed(Exception):
    """Raised after validation with every problem of the run, so an editor fixes them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class Problems:
    """Collects problems; paths are shown relative to a base folder so messages stay short."""

    def __init__(self, base: Path | None = None):
        self.base = base
        self.items: list[Problem] = []
        self._prefix = os.path.join(str(base.parent), "") if base is not None and base.is_absolute() else ""

    def add(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        self.items.append(Problem(self.show(path), line or 0, message, hint))

    def show(self, path: Path | str) -> str:
        path = path if isinstance(path, Path) else Path(path)
        text = str(path)
        if self._prefix and text.startswith(self._prefix):
            return text[len(self._prefix):]   # under the course folder as written: no resolve() needed
        if self.base is not None and path.is_absolute():
            try:
                # Reached through a symlink, perhaps: resolve() costs a system call per part of the path.
                return str(path.resolve().relative_to(self.base.resolve().parent))
            except ValueError:
                pass
        return text

    def raise_if_any(self) -> None:
        if self.items:
            raise BuildFailed(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def did_you_mean(word: str, choices) -> str:
    """A 'did you mean' hint for a misspelt key or id, or '' when nothing is close."""
    import difflib      # imported when a hint is needed: every process imports this module (difflib: ~4 % of an unchanged build's imports)
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    from builder.messages import msg
    return msg(f"did you mean '{close[0]}'?") if close else ""
