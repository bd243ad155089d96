"""The programme as a facilitator plans it: numbered gatherings, the homework handed out at each,
and the modules worked on. Read by the calendar, the homework packages and the guide, so they
number, name and date things the same way."""

from __future__ import annotations

from dataclasses import dataclass

from builder.model import Course, Gathering, Homework, Module


@dataclass(frozen=True)
class Step:
    """One gathering, with what follows it until the next."""
    number: int
    gathering: Gathering
    modules: tuple[Module, ...]                       # worked on at the gathering
    homework: tuple[tuple[Module, Homework], ...]     # handed out at it, due before the next
    next: Gathering | None


def steps(course: Course) -> list[Step]:
    gatherings = course.timeline.gatherings
    known = {m.id: m for m in course.modules}
    out = []
    for i, g in enumerate(gatherings):
        homework = tuple((m, hw) for m in course.modules for hw in m.homework if hw.after == g.id)
        out.append(Step(i + 1, g, tuple(known[m] for m in g.modules if m in known), homework,
                        gatherings[i + 1] if i + 1 < len(gatherings) else None))
    return out


def package_name(step: Step, module: Module) -> str:
    """hjemmearbeid-1-roller-og-ansvar: the gathering it is handed out at, and its theme."""
    return f"hjemmearbeid-{step.number}-{module.id}"
