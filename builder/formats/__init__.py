"""Output formats: one Builder per format, registered here (`--format NAME` picks one).

A builder reads only the Course model and writes its files into the folder it is given;
it never reads course sources. The build command runs builders into a temporary folder and
moves the results into dist/ only when every builder succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from builder.model import Course


@dataclass(frozen=True)
class Options:
    start_date: date | None = None           # for callers that skip the CLI; the CLI dates the model itself
    module: str | None = None                 # build only this module (homework packages)
    progress: Callable[[str], None] = field(default=lambda message: None)


class Builder:
    name = ""
    description = ""
    # Most formats own a folder, dist/<name>/. A format whose output people open directly (the
    # calendar, the PDFs) names its files here instead; they go straight into dist/.
    files: tuple[str, ...] = ()
    # Laying out PDFs takes most of a whole build; such formats start first, so the quick ones
    # fill the other cores meanwhile instead of leaving one core with the slowest job at the end.
    slow = False

    def __init__(self, course: Course, options: Options):
        if options.start_date is not None and not course.timeline.dated:
            from dataclasses import replace
            course = replace(course, timeline=course.timeline.starting(options.start_date))
        self.course = course
        self.options = options

    def build(self, out: Path) -> None:
        raise NotImplementedError


def registry() -> dict[str, type[Builder]]:
    """Every format in the order `kulturskole build` runs them."""
    from builder.formats.web import WebBuilder
    builders = [WebBuilder]
    for module, cls in (("scorm.scorm12", "Scorm12Builder"), ("scorm.scorm2004", "Scorm2004Builder"), ("olx.builder", "OlxBuilder"),
                        ("homework", "HomeworkBuilder"), ("calendar", "CalendarBuilder"), ("guide", "GuideBuilder"),
                        ("moodle", "MoodleBuilder")):
        try:
            builders.append(getattr(__import__(f"builder.formats.{module}", fromlist=[cls]), cls))
        except ModuleNotFoundError as err:
            if err.name != f"builder.formats.{module}":
                raise
    return {b.name: b for b in builders}
