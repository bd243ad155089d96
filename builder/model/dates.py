"""The Norwegian calendar facts a programme is planned against: public holidays, school breaks
and local election periods, and the one way every edition writes a date.

Public holidays are computed rather than taken from the `holidays` package: the list is fixed by
law (helligdagsloven and 1 and 17 May), it is eleven days, and `holidays` counts every Sunday as a
Norwegian holiday by default, which is not what a facilitator planning a weekday gathering means.
"""

from __future__ import annotations

from datetime import date, timedelta

from builder.messages import msg

# School breaks vary a little by county; these are the weeks nearly every municipality is closed.
SUMMER_BREAK = ((6, 20), (8, 15))          # 20 June – 15 August
CHRISTMAS_BREAK = ((12, 20), (1, 3))       # 20 December – 3 January
ELECTION_YEAR = 2027                       # a Norwegian local election year; they come every four years


def norwegian(day: date) -> str:
    """How every edition writes a date (15.9.2027), so a deadline reads the same everywhere."""
    return f"{day.day}.{day.month}.{day.year}"


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the letters of the Meeus/Jones/Butcher algorithm)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> dict[date, str]:
    """Norway's public holidays of `year` (Sundays left out). The names are messages to the editor
    (builder/model/lint.py's warnings), so they are keys of the editor's catalogue, builder/messages:
    «Whit Sunday» there reads «første pinsedag». No learner or facilitator page names a holiday."""
    easter = easter_sunday(year)
    moving = {-3: msg("Maundy Thursday"), -2: msg("Good Friday"), 0: msg("Easter Sunday"), 1: msg("Easter Monday"),
              39: msg("Ascension Day"), 49: msg("Whit Sunday"), 50: msg("Whit Monday")}
    days = {date(year, 1, 1): msg("New Year's Day"), date(year, 5, 1): msg("Labour Day"),
            date(year, 5, 17): msg("Constitution Day"), date(year, 12, 25): msg("Christmas Day"),
            date(year, 12, 26): msg("Boxing Day")}
    days.update({easter + timedelta(days=n): name for n, name in moving.items()})
    return days


# One week off in many counties (the week varies a little; these are the most common).
WINTER_BREAK_WEEK = 8                      # vinterferie, ISO week 8
AUTUMN_BREAK_WEEK = 40                     # høstferie, ISO week 40


def break_of(day: date) -> str | None:
    """The school break `day` falls in ('the Easter break' … 'the Christmas break': keys of the
    editor's catalogue, as the holidays' names are), else None."""
    easter = easter_sunday(day.year)
    if easter - timedelta(days=6) <= day <= easter + timedelta(days=1):
        return msg("the Easter break")
    week = day.isocalendar()[1]
    if week == WINTER_BREAK_WEEK:
        return msg("the winter break")
    if week == AUTUMN_BREAK_WEEK:
        return msg("the autumn break")
    (sm, sd), (em, ed) = SUMMER_BREAK
    if date(day.year, sm, sd) <= day <= date(day.year, em, ed):
        return msg("the summer break")
    (cm, cd), (jm, jd) = CHRISTMAS_BREAK
    if day >= date(day.year, cm, cd) or day <= date(day.year, jm, jd):
        return msg("the Christmas break")
    return None


def election_day(year: int) -> date:
    """Local elections are held on a Monday in September; by custom the second Monday."""
    first = date(year, 9, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7)


def constituted_by(year: int) -> date:
    """The last day the kommunestyre elected in `year` can hold its constituting meeting: by the end
    of October of the election year (kommuneloven § 7-1, as nkrf.no gives it)."""
    return date(year, 10, 31)


def election_period(day: date) -> tuple[date, date]:
    """The election period `day` falls in: from one local election day up to (not including) the next."""
    year = day.year - (day.year - ELECTION_YEAR) % 4
    if day < election_day(year):
        year -= 4
    return election_day(year), election_day(year + 4)
