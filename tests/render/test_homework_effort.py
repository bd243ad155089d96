"""How long a homework takes, as each edition states it: a person's share first, then the group's
hours («ca. 7 timer per person (66 timer til sammen for 9 personer)»). If this broke, a politician
opening the homework would read «66 timer» first and think the 66 hours were theirs, or an edition
(OLX, the workbook) would state the group's hours alone again."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from builder.formats.guide import _context, guide_html
from builder.formats.moodle import TEMPLATES as MOODLE_TEMPLATES
from builder.formats.olx.export import Export
from builder.infra import strings
from builder.loader import load_course
from builder.model import Participant
from builder.model.programme import steps
from builder.model.naming import MODULE_PAGES
from builder.render import printing
from builder.render.templating import effort, environment
from tests.conftest import ROOT

TRIAL = "med-prov-tiltaket"   # homework 2: 66 hours for 9 people, 4 to 12 hours each
SAID = {"nb": "ca. 7 timer per person (66 timer til sammen for 9 personer)",
        "nn": "om lag 7 timar per person (66 timar til saman for 9 personar)"}


def _text(html: str) -> str:
    """What a reader sees: tags out, every kind of space one plain space (typography adds no-break ones)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module", params=["nb", "nn"])
def edition(request):
    course = load_course(ROOT / "course", None if request.param == "nb" else request.param)
    plan = steps(course)
    step, module, hw = next((s, m, h) for s in plan for m, h in s.homework if h.id == TRIAL)
    return request.param, course, step, module, hw


def test_every_edition_states_a_persons_hours_before_the_groups(edition):
    """The handout, the guide, the workbook, the OLX unit and the Moodle assignment each say the
    per-person hours, and say them before the group's total."""
    language, course, step, module, hw = edition
    ui = strings.catalogue(course.language)
    context = _context(course)
    rendered = {
        "handout": printing.render("handout.html", course, step=step, hw=hw, deadline=None),
        "guide": guide_html(course),
        "workbook": printing.render("workbook.html", course, reflection_lines=1, step_lines=1, **context),
        "olx": Export(course, "KS101", course.title).homework_html(hw),
        "moodle": environment(MOODLE_TEMPLATES).get_template("homework.html").render(
            hw=hw, step=step, ui=ui, due=None, module=module, timeline=course.timeline),
    }
    for where, html in rendered.items():
        text = _text(html)
        assert SAID[language] in text, f"{where}: {text[:3000]}"
        total = {"nb": "66 timer til sammen", "nn": "66 timar til saman"}[language]
        assert text.index(total) > text.index("per person"), where


def test_the_web_homework_page_states_a_persons_hours_first(real_web):
    """The learner's homework page in the web edition (and the SCORM packages made from it)."""
    course = load_course(ROOT / "course")
    module = next(m for m in course.modules if any(h.id == TRIAL for h in m.homework))
    page = _text((real_web / module.id / f"{MODULE_PAGES['homework']}.html").read_text(encoding="utf-8"))
    assert f"Tidsbruk {SAID['nb']}" in page


def test_the_share_is_exact_when_everyone_spends_the_same_and_the_group_alone_otherwise(edition):
    """«ca.» only where people's hours differ; a list without hours per person gives the group's
    hours and says that they are the whole group's."""
    language, course, step, module, hw = edition
    ui = strings.catalogue(course.language)
    even = replace(hw, crew=(Participant("A", 3, 4), Participant("B", 1, 4)), effort_hours=16)
    assert _text(effort(even, ui)) == {"nb": "4 timer per person (16 timer til sammen for 4 personer)",
                                       "nn": "4 timar per person (16 timar til saman for 4 personar)"}[language]
    uneven = replace(hw, crew=(Participant("A", 1, 1), Participant("B", 1, 2)), effort_hours=3)
    assert _text(effort(uneven, ui)).startswith({"nb": "ca. 2 timer per person", "nn": "om lag 2 timar per person"}[language])
    group = replace(hw, crew=(Participant("A"), Participant("B")), effort_hours=30)
    assert _text(effort(group, ui)) == {"nb": "30 timer for hele gruppa", "nn": "30 timar for heile gruppa"}[language]
