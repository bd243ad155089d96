"""What a facilitator should look at again in a dated programme: gatherings and deadlines on public
holidays or in school breaks, homework handed out away from its theme, gatherings before the new
kommunestyre is constituted, and a programme that runs past the term. Warnings never stop a build."""

from __future__ import annotations

from datetime import timedelta

from builder.messages import msg
from builder.errors import Problem
from builder.model import Course, dates


def warnings(course: Course) -> list[Problem]:
    """Dates a facilitator should look at again; they never stop a build."""
    timeline = course.timeline
    if not timeline.dated:
        return []
    out = []
    days = [(g.date, msg(f"the gathering '{g.id}'"), g.source) for g in timeline.gatherings]
    days += [(timeline.due_date(hw), msg(f"the deadline of the homework '{hw.id}'"), hw.source) for hw in course.homework()]
    for day, what, source in days:
        holiday = dates.public_holidays(day.year).get(day)
        if holiday:
            out.append(Problem(source.path, source.line, f"{what} is on a public holiday: {dates.norwegian(day)} is {holiday}",
                               "move it to a working day"))
        school_break = dates.break_of(day)
        if school_break:
            out.append(Problem(source.path, source.line, f"{what} ({dates.norwegian(day)}) is in {school_break}",
                               "many participants are away then; move it"))
    at = {m: g.id for g in timeline.gatherings for m in g.modules}
    for module in course.modules:
        for hw in module.homework:
            if module.id in at and at[module.id] != hw.after:
                out.append(Problem(hw.source.path, hw.source.line,
                                   f"the homework '{hw.id}' is handed out at '{hw.after}', but its module "
                                   f"'{module.id}' is worked on at '{at[module.id]}'",
                                   f"move the module to '{hw.after}' under `modules:`, or change `after:`"))
    first = min(g.date for g in timeline.gatherings)
    begin, end = dates.election_period(first)
    out += _before_constituted(course, begin.year)
    outside = sorted((day, what) for day, what, _ in days if day >= end)
    if outside:
        listed = "; ".join(f"{what} {dates.norwegian(day)}" for day, what in outside)
        where = timeline.gatherings[0].source
        out.append(Problem(where.path, where.line,
                           f"the programme does not fit in one election period ({dates.norwegian(begin)} – "
                           f"{dates.norwegian(end - timedelta(days=1))}; local elections on {dates.norwegian(end)}): {listed}",
                           "start earlier or shorten the gaps, so the same councillors follow the programme to its end"))
    return out


def _before_constituted(course: Course, year: int) -> list[Problem]:
    """Gatherings between the local election of `year` (where the programme's election period begins) and
    the end of October: the new kommunestyre may not have met yet, so there are no komitéledere and the
    newly elected have had no basic training. Gatherings after the next election are the
    past-the-term warning's."""
    out = []
    for g in course.timeline.gatherings:
        if dates.election_day(year) <= g.date <= dates.constituted_by(year):
            out.append(Problem(g.source.path, g.source.line,
                               f"the gathering '{g.id}' ({dates.norwegian(g.date)}) comes after the local elections of "
                               f"{dates.norwegian(dates.election_day(year))} but before the new kommunestyre is "
                               f"constituted (by {dates.norwegian(dates.constituted_by(year))})",
                               "start the programme after the constituting meeting and the newly elected members' "
                               "basic training, for example in January or February"))
    return out
