"""The programme as a calendar: dist/programme.ics (RFC 5545, written by icalendar).

One all-day event per gathering (over all the days of its script: a two-day gathering blocks both
days in the facilitator's and participants' calendars) and per homework deadline. UIDs are made of the region, the
gathering or homework id and the course id, never of a date, so importing an updated programme
replaces the events instead of adding new ones. Without dates (no --start-date or --programme)
there is nothing to put in a calendar: the build says how to get one and writes no file (and
removes an old one, whose dates would no longer be the programme's)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from builder.infra import strings
from builder.messages import msg
from builder.formats import Format
from builder.infra.packaging import epoch
from builder.render.plaintext import text as plain
from builder.model.programme import steps

ICS_NAME = "programme.ics"
REVISION_ORIGIN = 1577836800      # 2020-01-01T00:00:00Z; keeps SEQUENCE well inside a 32-bit integer


def slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-") or "region"


class CalendarFormat(Format):
    name = "calendar"
    page_texts = False
    description = "the dated programme as a calendar for Outlook/Google (dist/programme.ics)"
    files = ("programme.ics",)

    @classmethod
    def notices(cls, course, options) -> list[str]:
        # For the editor who runs the build, so in the messages' bokmål whatever the edition's language.
        return [] if course.timeline.dated else ["calendar: " + msg(
            "The calendar needs dates. Build again with the date of the first gathering "
            "(kulturskole build --start-date 2027-09-15) or with the region's programme file "
            "(kulturskole build --programme region.yml).")]

    def build(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        if not self.course.timeline.dated:
            return
        (out / ICS_NAME).write_bytes(self.calendar().to_ical())
        self.options.progress(f"calendar: {ICS_NAME}")

    def calendar(self):
        from icalendar import Calendar, Event
        course, ui = self.course, strings.catalogue(self.course.language)
        region = course.programme.region if course.programme else ""
        revised = course.programme.revised if course.programme else 0
        stamp = datetime.fromtimestamp(revised or epoch(), tz=timezone.utc)
        sequence = max(0, (revised - REVISION_ORIGIN) // 60)     # minutes: grows with every edit of the file
        cal = Calendar()
        cal.add("prodid", f"-//{course.organisation or course.title}//{course.id}//NO")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", f"{course.title} – {region}" if region else course.title)

        def event(uid: str, day, summary: str, description: str, location: str = "", days: int = 1):
            e = Event()
            e.add("uid", f"{uid}.{slug(region)}@{course.id}")
            e.add("dtstamp", stamp)
            e.add("sequence", sequence)
            e.add("dtstart", day)
            e.add("dtend", day + timedelta(days=days))     # DTEND of an all-day event is exclusive
            e.add("summary", summary)
            e.add("description", description)
            if location:
                e.add("location", location)
            e.add("transp", "OPAQUE" if location else "TRANSPARENT")
            cal.add_component(e)

        for step in steps(course):
            g = step.gathering
            lines = [g.agenda] if g.agenda else []
            if step.modules:
                lines.append(ui["themes"] + ": " + ", ".join(m.title for m in step.modules))
            if step.homework:
                lines.append(ui["homework_handed_out"] + ": " + ", ".join(hw.title for _, hw in step.homework))
            event(f"gathering-{g.id}", g.date, ui["gathering_numbered"].format(n=step.number, title=g.title),
                  "\n\n".join(lines), g.place, days=len(g.script.days) if g.script else 1)
            for module, hw in step.homework:
                event(f"deadline-{hw.id}", course.timeline.due_date(hw), ui["deadline_event"].format(title=hw.title),
                      "\n\n".join([ui["homework_between"].format(first=g.title, second=step.next.title),
                                   f"{ui['deliverable']}: {plain(hw.deliverable_html)}",
                                   f"{ui['participants']}: " + "; ".join(hw.participants)]))
        return cal
