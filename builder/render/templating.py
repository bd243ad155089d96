"""The jinja2 environments of the builders: one per template folder, compiled once
per process, so the many packages of one build reuse the compiled templates."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from builder.model import dates, naming
from builder.infra.paths import TEMPLATES


@lru_cache(maxsize=None)
def environment(folder: str | Path) -> jinja2.Environment:
    """`folder`: a folder of builder/render/templates/, or a format's own templates folder (a Path)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / folder), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, auto_reload=False, bytecode_cache=_bytecode_cache())
    # auto_reload=False: templates ship with the builder and do not change during a build, and
    # checking them costs a stat() per rendered page.
    env.globals["names"] = naming      # the file names the site writes (names.MY_REFLECTIONS …)
    env.filters["norsk_date"] = lambda d: dates.norwegian(d) if d else ""
    env.filters["duration"] = duration
    env.filters["study_time"] = study_time
    env.filters["named"] = gathering_name
    env.filters["effort"] = effort
    env.filters["participant"] = participant
    return env


@lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the build cache, so each build process does not compile them
    again: measured 13:25 (cProfile, warm build after a page edit, every format, one core, load ~18),
    26 compilations took 3.8 s of 48 s. jinja2 checks each entry against its template's source and
    writes it whole (a temporary file renamed into place); the folder is per toolkit digest, which
    covers jinja2's version. None when the build cache is off (--no-cache)."""
    from builder.infra import cache
    base = cache.root()
    if base is None:
        return None
    toolkit = cache.toolkit_digest()
    folder = base / f"v{cache.VERSION}" / "jinja" / toolkit[:2] / toolkit[:20]     # an entry, as cache.prune sees entries
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    cache.used(folder)
    return _BytecodeCache(str(folder))


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:     # the folder went meanwhile (cache.prune by another build): compiled next time
            pass


def _hours(n: float) -> str:
    return f"{n:g}".replace(".", ",")


def effort(hw, ui: dict) -> str:
    """«ca. 7 timer per person (66 timer til sammen for 9 personer)»: a reader asks first what the
    homework costs them, so a person's share comes before the group's total. The
    share is the average, «ca.» unless everyone in the list gives the same hours; each line of the
    participant list then says who spends how many. Without hours per participant, only the group's."""
    if not (hw.crew and all(p.hours for p in hw.crew)):
        return ui["effort_group"].format(n=_hours(hw.effort_hours))
    each = hw.effort_hours / hw.people
    same = len({p.hours for p in hw.crew}) == 1
    shown = _hours(each) if same else _hours(int(each + 0.5) or round(each, 1))
    return ui["effort_each" if same else "effort_about"].format(each=shown, n=_hours(hw.effort_hours),
                                                                  people=hw.people)


def participant(p, ui: dict) -> str:
    """«Kulturskolerektor: 14 timer» or «Medlemmer av ungdomsrådet: 3 personer, 4 timer hver»."""
    if not p.hours:
        return p.who
    if p.people > 1:
        return ui["participant_people_hours"].format(who=p.who, people=p.people, n=_hours(p.hours))
    return ui["participant_hours"].format(who=p.who, n=_hours(p.hours))


def gathering_name(gathering, ui: dict, timeline) -> str:
    """«samling 2 («Fra dialog til tiltak»)»: a gathering's title inside a sentence reads as one only
    with its number and quotes («Mellom Fra dialog til tiltak og …» did not)."""
    number = next(i for i, g in enumerate(timeline.gatherings, start=1) if g.id == gathering.id)
    return ui["gathering_named"].format(n=number, title=gathering.title)


def duration(minutes: int, ui: dict) -> str:
    """«45 min», «2 timer», «5 t 10 min»."""
    if minutes < 60:
        return ui["minutes"].format(n=minutes)
    if minutes % 60 == 0:
        return ui["hours"].format(n=minutes // 60)
    return ui["hours_minutes"].format(h=minutes // 60, m=minutes % 60)


def study_time(reading: int, writing: int, ui: dict) -> str:
    """«39 min lesing + 10 min skriving», or only the reading when there is nothing to write."""
    if not writing:
        return ui["time_reading"].format(reading=duration(reading, ui))
    return ui["time_split"].format(reading=duration(reading, ui), writing=duration(writing, ui))
