"""course/gatherings/<gathering id>.yml: the facilitator's script (kjøreplan) for each gathering.

One file per gathering, named after its id in timeline.yml, so an editor finds the script of
«samling-2» in `gatherings/samling-2.yml` and two people can edit two gatherings at once."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from builder.errors import Problems, did_you_mean
from builder.loader import translation, yamlsrc
from builder.loader.markdownsrc import Renderer
from builder.model import FacilitatorScript, MaterialUse, Part, ScriptDay, Session, Source, Timeline, clock

FOLDER = "gatherings"
_TIME = re.compile(r"^(\d{1,2})[.:](\d{2})\s*[-–—]\s*(\d{1,2})[.:](\d{2})$")
_TIME_HINT = "write the start and end like `time: 10.00–10.45`"
# «10 min Innledning» or «3 × 20 min Samtale ved bordene»
_PART = re.compile(r"^(?:(\d+)\s*[×xX*]\s*)?(\d+)\s*min\.?\s+(\S.*)$")
_PART_HINT = "write each part as minutes and what happens, like `10 min Innledning` or `3 × 20 min Samtale ved bordene`"


def load_scripts(course_dir: Path, timeline: Timeline, renderer: Renderer, problems: Problems) -> Timeline:
    """The timeline with each gathering's script attached (None for a gathering without a file)."""
    folder = course_dir / FOLDER
    if not folder.is_dir():
        return timeline
    ids = [g.id for g in timeline.gatherings]
    scripts = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yml", ".yaml"):
            continue
        if path.stem not in ids:
            problems.add(path, 0, f"there is no gathering '{path.stem}' in timeline.yml",
                         did_you_mean(path.stem, ids) or
                         f"name the file after a gathering id in timeline.yml: {', '.join(f'{i}.yml' for i in ids)}")
            continue
        script = _load_script(path, renderer, problems)
        if script is not None:
            scripts[path.stem] = script
    return replace(timeline, gatherings=tuple(replace(g, script=scripts.get(g.id)) for g in timeline.gatherings))


def _load_script(path: Path, renderer: Renderer, problems: Problems) -> FacilitatorScript | None:
    data = yamlsrc.load(path, problems)   # an empty file is reported there
    if data is None:
        return None
    f = yamlsrc.Fields(data, path, problems, "a gathering's script", required={"purpose": str, "days": list},
                       optional={"preparation": list, "materials": list})
    if not f.ok:
        return None
    days = []
    items = f.get("days", [])
    for i, item in enumerate(items):
        day = _load_day(item, items.lines[i], i + 1, path, renderer, problems)
        if day is not None:
            days.append(day)
    if not items:
        problems.add(path, f.line_of("days"), "the script has no days",
                     "add `- title: Dag 1` with its `sessions:` under `days:`")
    return FacilitatorScript(
        purpose_html=_markdown(renderer, f, "purpose", path),
        preparation_html=_texts(f, "preparation", path, renderer, problems),
        materials=_materials(f, path, renderer, problems),
        days=tuple(days), source=Source(problems.show(path), f.line))


def _load_day(item, line: int, number: int, path: Path, renderer: Renderer, problems: Problems) -> ScriptDay | None:
    d = yamlsrc.Fields(item, path, problems, f"day {number}", required={"sessions": list},
                       optional={"title": str, "time": object}, line=line)
    if not d.ok:
        return None
    day_times = _times(d.map["time"], d.line_of("time"), path, problems) if "time" in d.map else None
    sessions: list[Session] = []
    items = d.get("sessions", [])
    for i, s in enumerate(items):
        session = _load_session(s, items.lines[i], path, renderer, problems)
        if session is None:
            continue
        if sessions and session.start < sessions[-1].end:
            before = sessions[-1]
            problems.add(path, session.source.line,
                         f"the session '{session.title}' starts at {clock(session.start)}, "
                         f"before '{before.title}' ends at {clock(before.end)}",
                         "list the sessions of a day in the order they happen, without overlapping times")
        sessions.append(session)
    if not items:
        problems.add(path, d.line_of("sessions"), f"day {number} has no sessions",
                     "add sessions like `- time: 10.00–10.45` / `title: Velkommen`")
    if not sessions:
        return None
    # An untitled day stays untitled in the model; the renderer names it in the edition's language.
    title = d.get("title", "")
    name = title or f"day {number}"
    if day_times is None:
        return ScriptDay(title, tuple(sessions), source=Source(problems.show(path), d.line), number=number)
    start, end = day_times
    first, last = sessions[0], sessions[-1]
    if first.start < start:
        problems.add(path, first.source.line, f"'{first.title}' starts at {clock(first.start)}, before {name} "
                     f"starts at {clock(start)}", f"start it at {clock(start)} or later, or change the day's `time:`")
    if last.end > end:
        problems.add(path, last.source.line, f"{name} overruns: '{last.title}' ends at {clock(last.end)}, "
                     f"but the day ends at {clock(end)} ({last.end - end} minutes too late)",
                     "shorten or drop sessions until the day ends in time, or change the day's `time:`")
    return ScriptDay(title, tuple(sessions), start, end, Source(problems.show(path), d.line_of("time")), number)


def _load_session(item, line: int, path: Path, renderer: Renderer, problems: Problems) -> Session | None:
    s = yamlsrc.Fields(item, path, problems, "a session", required={"time": object, "title": str},
                       optional={"lead": str, "method": str, "room": str, "notes": str, "parts": list,
                                 "per_municipality": int, "break": bool}, line=line)
    if not s.ok or "time" not in s.map:
        return None
    times = _times(s.map["time"], s.line_of("time"), path, problems)
    if times is None:
        return None
    title = s.get("title", "")
    parts = _parts(s, path, problems)
    planned = sum(p.times * p.minutes for p in parts)
    if planned > times[1] - times[0]:
        listed = " + ".join(f"{p.times} × {p.minutes}" if p.times > 1 else str(p.minutes) for p in parts)
        problems.add(path, s.line_of("parts"), f"the parts of '{title}' take {listed} = {planned} minutes, "
                     f"but the session has {times[1] - times[0]} ({clock(times[0])}–{clock(times[1])})",
                     "make the session longer, or fewer or shorter parts (rounds, table changes, summing up)")
    each = s.get("per_municipality", 0)
    if "per_municipality" in s.map and each < 1:
        problems.add(path, s.line_of("per_municipality"), "per_municipality must be at least one minute",
                     "write the minutes each municipality needs, for example `per_municipality: 6`")
    return Session(times[0], times[1], title, s.get("lead", ""),
                   _markdown(renderer, s, "method", path), _markdown(renderer, s, "room", path),
                   _markdown(renderer, s, "notes", path), Source(problems.show(path), s.line),
                   tuple(parts), max(each, 0), s.get("break", False))


def _parts(s: yamlsrc.Fields, path: Path, problems: Problems) -> list[Part]:
    out = []
    items = s.get("parts", [])
    for i, item in enumerate(items):
        m = _PART.match(item.strip()) if isinstance(item, str) else None
        if m is None:
            problems.add(path, items.lines[i], f"'{item}' is not a part with its minutes", _PART_HINT)
            continue
        times, minutes, text = int(m.group(1) or 1), int(m.group(2)), m.group(3).strip()
        if times < 1 or minutes < 1:
            problems.add(path, items.lines[i], f"'{item}' takes no time", _PART_HINT)
            continue
        translator = translation.active()      # the words are the facilitator's, the minutes stay numbers
        if translator is not None:
            text = translator.text(path, items.lines[i], text, "part (a session)")
        out.append(Part(times, minutes, text))
    return out


def _times(value, line: int, path: Path, problems: Problems) -> tuple[int, int] | None:
    # `time: 10:00` alone is read by YAML as a number (600), so anything but text gets the same hint.
    m = _TIME.match(value.strip()) if isinstance(value, str) else None
    if m is None:
        shown = f"'{value}' is" if isinstance(value, str) else "the time is"
        problems.add(path, line, f"{shown} not a start and an end time", _TIME_HINT)
        return None
    h1, m1, h2, m2 = (int(x) for x in m.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        problems.add(path, line, f"'{value}' is not a time of day", _TIME_HINT)
        return None
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end <= start:
        problems.add(path, line, f"the session ends ({clock(end)}) before it starts ({clock(start)})",
                     "write the start time first, for example `time: 10.00–10.45`")
        return None
    return start, end


def _markdown(renderer: Renderer, fields: yamlsrc.Fields, key: str, path: Path) -> str:
    text = fields.get(key, "")
    if not text:
        return ""
    return renderer.render(text, path, fields.text_line(key), inline="\n" not in text)[0]


def _materials(fields: yamlsrc.Fields, path: Path, renderer: Renderer, problems: Problems) -> tuple[MaterialUse, ...]:
    """The print list: `- material: rollekort` / `copies: ett sett per kommunegruppe` for a material
    of course/materials/, or a plain line for anything else to bring."""
    items = fields.get("materials", [])
    out = []
    for i, item in enumerate(items):
        line = items.lines[i]
        if isinstance(item, str) and item.strip():
            out.append(MaterialUse("", renderer.render(item.strip(), path, line, inline=True)[0],
                                   Source(problems.show(path), line)))
            continue
        m = yamlsrc.Fields(item, path, problems, "a material of the print list", required={"material": str},
                           optional={"copies": str}, line=line)
        if not m.ok or "material" not in m.map:
            continue
        copies = m.get("copies", "")
        out.append(MaterialUse(m.get("material", ""),
                               renderer.render(copies, path, m.line_of("copies"), inline=True)[0] if copies else "",
                               Source(problems.show(path), m.line_of("material"))))
    return tuple(out)


def _texts(fields: yamlsrc.Fields, key: str, path: Path, renderer: Renderer, problems: Problems) -> tuple[str, ...]:
    items = fields.get(key, [])
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            problems.add(path, items.lines[i], f"each line under `{key}:` must be a text",
                         "write it like `- Arbeidsboka, ett eksemplar per deltaker`")
            continue
        out.append(renderer.render(item.strip(), path, items.lines[i], inline=True)[0])
    return tuple(out)
