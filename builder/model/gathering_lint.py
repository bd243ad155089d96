"""What a facilitator should look at again in the gathering scripts and the room kit, without
stopping a build: a material nothing uses, a stretch of work longer than LONGEST_BLOCK minutes
without a break, minutes of a day that no session accounts for, and (with a region's programme) a
round of municipalities that gives each less time than its script asks."""

from __future__ import annotations

from builder.errors import Problem
from builder.model import Course, ScriptDay, clock

LONGEST_BLOCK = 90    # minutes of talks and group work in a row before people need a break
SHORTEST_BREAK = 10   # a gap between sessions this long counts as a break


def warnings(course: Course) -> list[Problem]:
    out = _unused_materials(course)
    municipalities = len(course.programme.municipalities) if course.programme else 0
    for g in course.timeline.gatherings:
        if g.script is None:
            continue
        for day in g.script.days:
            out += _long_blocks(day)
            out += _unaccounted(day)
            if municipalities:
                out += _rounds(day, municipalities, course.programme.source.path)
    return out


def _unused_materials(course: Course) -> list[Problem]:
    used = {u.material for g in course.timeline.gatherings if g.script for u in g.script.materials}
    used |= {t for hw in course.homework() for t in hw.templates}
    return [Problem(m.source.path, 0, f"no gathering script or homework uses the material '{m.id}'",
                    "list it under `materials:` of a script (`- material: " + m.id + "`) or under a homework's "
                    "`templates:`, or delete the file")
            for m in course.materials if m.id not in used]


def _long_blocks(day: ScriptDay) -> list[Problem]:
    out, block = [], []
    for s in day.sessions:
        gap = s.start - block[-1].end if block else 0
        if s.is_break or gap >= SHORTEST_BREAK:
            out += _too_long(block, day)
            block = []
        if not s.is_break:
            block.append(s)
    return out + _too_long(block, day)


def _too_long(block, day: ScriptDay) -> list[Problem]:
    if not block or block[-1].end - block[0].start <= LONGEST_BLOCK:
        return []
    first, last = block[0], block[-1]
    what = f"'{first.title}'" if first is last else f"from '{first.title}' to '{last.title}'"
    return [Problem(first.source.path, first.source.line,
                    f"{day.editor_name}: {clock(first.start)}–{clock(last.end)} is {last.end - first.start} minutes "
                    f"{what} without a break (more than {LONGEST_BLOCK})",
                    "put a pause of at least 10 minutes in between (a session with `break: true`)")]


def _unaccounted(day: ScriptDay) -> list[Problem]:
    """A stated day (`time:`) whose sessions leave minutes out: the run sheet does not say what happens then."""
    if not day.end:
        return []
    covered = sum(s.minutes for s in day.sessions)
    length = day.end - day.start
    if covered >= length:
        return []
    return [Problem(day.source.path, day.source.line,
                    f"{day.editor_name} is {length} minutes ({day.time}), but its sessions take {covered}: "
                    f"{length - covered} minutes are in no session",
                    "give the time to a session (or a pause), or change the day's `time:`")]


def _rounds(day: ScriptDay, municipalities: int, programme: str) -> list[Problem]:
    out = []
    for s in day.sessions:
        if s.per_municipality and s.minutes < s.per_municipality * municipalities:
            out.append(Problem(s.source.path, s.source.line,
                               f"'{s.title}' ({s.time}) gives each of the {municipalities} municipalities in {programme} "
                               f"{s.minutes / municipalities:.1f} minutes; the script asks {s.per_municipality} each",
                               f"make it {s.per_municipality * municipalities} minutes, or run it in parallel groups"))
    return out
