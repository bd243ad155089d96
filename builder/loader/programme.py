"""Dating the programme: a region's programme file (`--programme region.yml`) or a start date
(`--start-date`) turns the timeline's weeks into real dates, once, in the model.

Every builder then reads the dated timeline; none counts weeks itself. What a facilitator should
look at again in a dated programme, without stopping the build, is `builder.model.lint`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from builder.errors import Problems, did_you_mean
from builder.loader import yamlsrc
from builder.loader.timeline import check_modules, module_list
from builder.model import Course, Programme, Source, Timeline

def with_start_date(course: Course, start: date) -> Course:
    """The course with its timeline dated from `start`, the day of the first gathering."""
    problems = Problems()
    timeline = course.timeline.starting(start)
    _check_order(timeline, start, "--start-date", problems)
    problems.raise_if_any()
    return replace(course, timeline=timeline)


def load_programme(path: Path, course: Course, start: date | None = None) -> Course:
    """The course with the gatherings' dates, places and themes from the programme file at `path`.

    `start` (from --start-date) overrides the file's `start_date`; no gathering may come before it."""
    problems = Problems()
    data = yamlsrc.load_required(path, problems, "the programme file does not exist",
                                 "give the path of the region's .yml file")
    problems.raise_if_any()
    f = yamlsrc.Fields(data, path, problems, "the programme file",
                       required={"region": str, "municipalities": list, "gatherings": list},
                       optional={"start_date": date})
    if start is None and "start_date" in f.map:
        start = f.get("start_date")

    municipalities = []
    listed = f.get("municipalities", [])
    for i, name in enumerate(listed):
        if not isinstance(name, str) or not name.strip():
            problems.add(path, listed.lines[i], "each municipality is written as its name", "for example `- Tynset`")
        elif name.strip() in municipalities:
            problems.add(path, listed.lines[i], f"the municipality '{name}' is listed twice", "remove one of the lines")
        else:
            municipalities.append(name.strip())
    if "municipalities" in f.map and not listed:
        problems.add(path, f.line_of("municipalities"), "the programme has no municipalities",
                     "list the participating municipalities, for example `municipalities: [Tolga, Tynset]`")

    known = {g.id: g for g in course.timeline.gatherings}
    given = {}
    items = f.get("gatherings", [])
    for i, item in enumerate(items):
        g = yamlsrc.Fields(item, path, problems, "a gathering of the programme", required={"id": str, "date": date},
                           optional={"place": str, "modules": list}, line=items.lines[i])
        gid = g.get("id")
        if gid is None:
            continue
        if gid not in known:
            problems.add(path, g.line_of("id"), f"the timeline has no gathering '{gid}'",
                         did_you_mean(gid, known) or f"use the ids in timeline.yml: {', '.join(known)}")
            continue
        if gid in given:
            problems.add(path, g.line_of("id"), f"the gathering '{gid}' is given twice",
                         f"keep one of them (the first is on line {given[gid].source.line})")
            continue
        when = g.get("date")
        base = known[gid]
        given[gid] = replace(base, date=when, place=g.get("place", base.place),
                             modules=module_list(g, problems) if "modules" in g.map else base.modules,
                             source=Source(problems.show(path), g.line))
    for gid, base in known.items():
        if gid not in given and items:
            problems.add(path, f.line_of("gatherings"), f"the programme has no date for the gathering '{gid}'",
                         f"add `- {{id: {gid}, date: YYYY-MM-DD}}` under `gatherings:`")

    # Checked even when something above is wrong, so the facilitator fixes the file in one pass.
    timeline = Timeline(course.timeline.election_period, tuple(given[g] for g in known if g in given))
    check_modules(timeline, [m.id for m in course.modules], problems, path)
    _check_order(timeline, start, "start_date", problems)
    problems.raise_if_any()
    programme = Programme(f.get("region"), tuple(municipalities), Source(problems.show(path), f.line),
                          revised=int(path.stat().st_mtime))
    return replace(course, timeline=timeline, programme=programme)


def _check_order(timeline: Timeline, start: date | None, start_name: str, problems: Problems) -> None:
    """Gatherings come one after the other, on different days, none before the programme starts."""
    seen: dict[date, str] = {}
    previous = None
    for g in timeline.gatherings:
        if g.date is None:
            continue
        where = (g.source.path, g.source.line)
        if start is not None and g.date < start:
            problems.add(*where, f"the gathering '{g.id}' ({g.date}) is before the start date {start} ({start_name})",
                         "move the gathering or the start date")
        if g.date in seen:
            problems.add(*where, f"the gathering '{g.id}' is on the same date as '{seen[g.date]}' ({g.date})",
                         "give each gathering its own date")
        elif previous is not None and g.date < previous.date:
            problems.add(*where, f"the gathering '{g.id}' ({g.date}) is before '{previous.id}' ({previous.date})",
                         "the gatherings come in the order of timeline.yml: give them dates in that order")
        seen.setdefault(g.date, g.id)
        previous = g
