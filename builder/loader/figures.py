"""course/figures/<id>.yml: figures the build draws from data («Hvem bestemmer hva», the political
year, the action-learning cycle), placed on a page with `:::figur <id>`.

A figure's words are ordinary text fields: they are checked, translated (`kulturskole translate`)
and read aloud like every other text, and the text version under the drawing is made from the same
lines as the drawing, so the two cannot say different things. The drawing is the renderer's
(builder/render/figures.py)."""

from __future__ import annotations

import re
from pathlib import Path

from builder.errors import Problems, did_you_mean
from builder.loader import yamlsrc
from builder.loader.validate import ID_HINT, valid_id
from builder.model import Figure, FigureStep, Source

FOLDER = "figures"
TYPES = ("kjede", "syklus", "årshjul")
MAX_STEPS = {"kjede": 6, "syklus": 6, "årshjul": 12}      # more than this does not fit a phone screen
_MONTHS = re.compile(r"^(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?$")


def load_figures(course_dir: Path, problems: Problems) -> tuple[Figure, ...]:
    folder = course_dir / FOLDER
    if not folder.is_dir():
        return ()
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yml", ".yaml"):
            continue
        if not valid_id(path.stem):
            problems.add(path, 0, f"'{path.stem}' in the file name is not a valid figure name", ID_HINT)
            continue
        figure = _load(path, problems)
        if figure is not None:
            out.append(figure)
    return tuple(out)


def _load(path: Path, problems: Problems) -> Figure | None:
    data = yamlsrc.load(path, problems)
    if data is None:
        return None
    f = yamlsrc.Fields(data, path, problems, "a figure", required={"type": str, "title": str, "caption": str, "steps": list},
                       optional={"note": str})
    if not f.ok:
        return None
    kind = f.get("type", "kjede")
    if kind not in TYPES:
        problems.add(path, f.line_of("type"), f"unknown figure type '{kind}'",
                     did_you_mean(kind, TYPES) or f"write one of: {', '.join(TYPES)}")
        return None
    items = f.get("steps", [])
    lowest = {"kjede": 2, "syklus": 4, "årshjul": 1}[kind]
    if not lowest <= len(items) <= MAX_STEPS[kind]:
        problems.add(path, f.line_of("steps"), f"a figure of type '{kind}' needs {lowest}–{MAX_STEPS[kind]} steps, "
                     f"not {len(items)}", "split the figure in two, or join steps")
    steps = [_step(item, items.lines[i], kind, path, problems) for i, item in enumerate(items)]
    if kind == "syklus" and len(items) % 2:
        problems.add(path, f.line_of("steps"), f"a cycle is drawn in two columns and needs an even number of steps, "
                     f"not {len(items)}", "join two steps, or split one")
    return Figure(id=path.stem, type=kind, title=f.get("title", ""), caption=f.get("caption", ""),
                  steps=tuple(s for s in steps if s is not None), note=f.get("note", ""),
                  source=Source(problems.show(path), f.line_of("title")))


def _step(item, line: int, kind: str, path: Path, problems: Problems) -> FigureStep | None:
    year = kind == "årshjul"
    optional = {"text": str, "reference": str}
    optional |= {"arrow": str} if kind == "kjede" else {}
    optional |= {"by_law": bool} if year else {}
    s = yamlsrc.Fields(item, path, problems, "a figure's step",
                       required={"label": str, **({"months": object, "when": str} if year else {})}, optional=optional,
                       line=line)
    if not s.ok:
        return None
    months: tuple[int, ...] = ()
    if year:
        written = str(s.map.raw.get("months") or s.map.get("months", ""))     # a number: not a text to translate
        m = _MONTHS.match(written.strip())
        first, last = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, 0)
        if not (1 <= first <= 12 and 1 <= last <= 12):
            problems.add(path, s.line_of("months"), f"'{written}' is not a month or a span of months",
                         "write the month's number, or the first and last, for example `months: 10-11` (October–November)")
        else:
            months = tuple(range(first, last + 1)) if first <= last else tuple(range(first, 13)) + tuple(range(1, last + 1))
    return FigureStep(label=s.get("label", ""), text=s.get("text", ""), reference=s.get("reference", ""),
                      arrow=s.get("arrow", ""), by_law=s.get("by_law", False), months=months, when=s.get("when", ""))
