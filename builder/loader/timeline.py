"""timeline.yml: the gatherings of the programme and the election period it should fit in."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from builder.errors import Problems, did_you_mean
from builder.loader import yamlsrc
from builder.loader.validate import ID_HINT, valid_id
from builder.model import Gathering, Source, Timeline

_PERIOD = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


def load_timeline(path: Path, problems: Problems) -> Timeline:
    empty = Timeline((0, 0), ())
    data = yamlsrc.load_required(path, problems, "timeline.yml is missing",
                                 "create it with the gatherings of the programme (see course/README.md)")
    if data is None:
        return empty
    f = yamlsrc.Fields(data, path, problems, "timeline.yml",
                       required={"election_period": str, "gatherings": list}, optional={})
    period = (0, 0)
    text = f.get("election_period")
    if text is not None:
        m = _PERIOD.match(text)
        if not m or int(m.group(2)) - int(m.group(1)) != 4:
            problems.add(path, f.line_of("election_period"), f"election_period '{text}' is not a four-year period",
                         "write the first and last year, for example `election_period: 2027-2031`")
        else:
            period = (int(m.group(1)), int(m.group(2)))

    items = f.get("gatherings", [])
    gatherings, ids = [], {}
    for i, item in enumerate(items):
        g = yamlsrc.Fields(item, path, problems, "a gathering", required={"id": str, "title": str},
                           optional={"week": yamlsrc.Number(0, 520), "date": date, "place": str, "agenda": str, "modules": list},
                           line=items.lines[i])
        gid = g.get("id", f"gathering-{i + 1}")
        if not valid_id(gid):
            problems.add(path, g.line_of("id"), f"'{gid}' is not a valid id", ID_HINT)
        if gid in ids:
            problems.add(path, g.line_of("id"), f"the gathering id '{gid}' is used twice",
                         f"give it another id (the first is on line {ids[gid]})")
        ids[gid] = g.line_of("id")
        week, when = g.get("week"), g.get("date")
        if (week is None) == (when is None) and ("week" in g.map) == ("date" in g.map):
            problems.add(path, g.line, f"the gathering '{gid}' needs either `week:` or `date:`",
                         "write `week: 16` (weeks after the start) or `date: 2028-02-10`, not both")
        gatherings.append(Gathering(gid, g.get("title", gid), week, when, g.get("place", ""), g.get("agenda", ""),
                                    Source(problems.show(path), g.line), module_list(g, problems)))

    kinds = {g.week is None for g in gatherings if (g.week is None) != (g.date is None)}
    if len(kinds) > 1:
        problems.add(path, f.line_of("gatherings"), "some gatherings use `week:` and others `date:`",
                     "use `week:` for all gatherings or `date:` for all of them")
    else:
        for a, b in zip(gatherings, gatherings[1:]):
            ka, kb = (a.week, b.week) if a.week is not None else (a.date, b.date)
            if ka is not None and kb is not None and not ka < kb:
                problems.add(path, b.source.line, f"the gathering '{b.id}' is not after '{a.id}'",
                             "list the gatherings in the order they take place, each later than the one before")
    if len(gatherings) < 2 and items:
        problems.add(path, f.line_of("gatherings"), "a programme needs at least two gatherings",
                     "add the gatherings; homework happens between two of them")
    return Timeline(period, tuple(gatherings))


def module_list(g: yamlsrc.Fields, problems: Problems) -> tuple[str, ...]:
    """The `modules:` of a gathering; whether each exists is checked once the modules are loaded."""
    items = g.get("modules", [])
    for i, item in enumerate(items):
        if not isinstance(item, str):
            problems.add(g.path, items.lines[i], "each module is written as its folder name", "for example `- roller-og-ansvar`")
    return tuple(m for m in items if isinstance(m, str))


def check_modules(timeline: Timeline, known: list[str], problems: Problems, path: Path) -> None:
    """Every module a gathering names must be a module of the course."""
    for g in timeline.gatherings:
        for module_id in g.modules:
            if module_id not in known:
                problems.add(path, g.source.line, f"the gathering '{g.id}' names an unknown module '{module_id}'",
                             did_you_mean(module_id, known) or f"use one of the modules in course.yml: {', '.join(known)}")
