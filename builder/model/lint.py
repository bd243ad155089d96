"""What a facilitator should look at again in a dated programme: gatherings and deadlines on public
holidays or in school breaks, homework handed out away from its theme, gatherings before the new
kommunestyre is constituted, and a programme that runs past the term. Warnings never stop a build."""

from __future__ import annotations

from datetime import timedelta

from builder.messages import msg, tr
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
            out.append(Problem(source.path, source.line, f"{what} is on a public holiday: {dates.norwegian(day)} is {tr(holiday)}",
                               "move it to a working day"))
        school_break = dates.break_of(day)
        if school_break:
            out.append(Problem(source.path, source.line, f"{what} ({dates.norwegian(day)}) is in {tr(school_break)}",
                               "many participants are away then; move it"))
    at = {m: g.id for g in timeline.gatherings for m in g.modules}
    for module in course.modules:
        for hw in module.homework:
            if module.id in at and at[module.id] != hw.after:
                out.append(Problem(hw.source.path, hw.source.line,
                                   f"the homework '{hw.id}' is handed out at '{hw.after}', but its module "
                                   f"'{module.id}' is worked on at '{at[module.id]}'",
                                   f"move the module to '{hw.after}' under `modules:`, or change `after:`"))
    out += _trial_windows(course)
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


PLAN_DAYS = 7         # after the gathering: the week the group plans the tiltak
REPORT_DAYS = 14      # before the deadline: the reflection meeting and the notat


def _trial_windows(course: Course) -> list[Problem]:
    """A homework whose tiltak needs `trial_weeks` school weeks in a row must find them between the
    gathering it is handed out at (plus a week to plan) and its deadline (less two weeks to reflect
    and write); school breaks split the window."""
    out = []
    for hw in course.homework():
        start_at = course.timeline.dates().get(hw.after)
        due = course.timeline.due_date(hw)
        if not hw.trial_weeks or start_at is None or due is None:
            continue
        first, last = start_at + timedelta(days=PLAN_DAYS), due - timedelta(days=REPORT_DAYS)
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        run, best, breaks = 0, 0, []
        while monday + timedelta(days=4) <= last:
            off = next((dates.break_of(monday + timedelta(days=d)) for d in range(5)
                        if dates.break_of(monday + timedelta(days=d))), None)
            if off:
                run = 0
                if off not in breaks:
                    breaks.append(off)
            else:
                run += 1
                best = max(best, run)
            monday += timedelta(days=7)
        if best < hw.trial_weeks:
            why = f" ({', '.join(tr(b) for b in breaks)})" if breaks else ""
            out.append(Problem(hw.source.path, hw.source.line,
                               f"the tiltak of '{hw.id}' needs {hw.trial_weeks} school weeks in a row, but between "
                               f"{dates.norwegian(first)} and {dates.norwegian(last)} there are at most {best}{why}",
                               f"move '{hw.before}' later, or ask for fewer weeks (`trial_weeks:`)"))
    return out
