"""The facilitator's room kit: materials (course/materials/<id>.md) that gathering scripts and
homework name by id, and the timing check of the scripts. If these break, a facilitator prints
the pack the evening before and finds a card set missing, or runs a day that cannot end on time."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.errors import BuildFailed
from builder.loader import load_course
from builder.model import gathering_lint
from builder.model.programme import steps
from builder.render import printing
from tests.conftest import ROOT


def _check(course_dir, *args):
    return CliRunner().invoke(main, ["check", "--course", str(course_dir), *args])


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_materials_load_with_their_paper_and_cards(course):
    """Each material keeps its paper size, cards per sheet and whether participants may see it, so
    the pack prints role cards cut-ready and keeps the answer key out of participants' hands."""
    cards, key = course.material("rollekort"), course.material("fasit")
    assert (cards.paper, cards.cards_per_page, cards.facilitator_only) == ("A4", 4, False)
    assert key.facilitator_only and "§ 14-3" in key.html
    uses = course.timeline.gatherings[0].script.materials
    assert [u.material for u in uses] == ["", "rollekort", "fasit"]


def test_check_refuses_a_script_that_names_a_missing_material(example_course):
    """A misspelt material id stops the check with the file, the line and the id it probably meant,
    instead of a pack that silently lacks the role cards."""
    _edit(example_course / "gatherings/samling-1.yml", "material: rollekort", "material: rolekort")
    result = _check(example_course)
    assert result.exit_code == 1
    assert ("course/gatherings/samling-1.yml:6: there is no material 'rolekort' in materials/ — "
            "did you mean 'rollekort'?") in result.output


def test_check_refuses_a_homework_template_that_does_not_exist(example_course):
    """A homework that points at a template nobody wrote stops the check: the group would be told
    to fill in a form that is not in its handout."""
    path = next(example_course.glob("modules/*/homework.yml"))
    _edit(path, "  deliverable:", "  templates: [fasitt]\n  deliverable:")
    result = _check(example_course)
    assert result.exit_code == 1
    assert "there is no material 'fasitt' in materials/ — did you mean 'fasit'?" in result.output


def test_an_unused_material_is_a_warning_not_an_error(example_course):
    """A material no script or homework uses is reported (it would never reach a pack), but the
    check still passes, so an editor can write a material before the script that needs it."""
    (example_course / "materials/plakat.md").write_text("---\ntitle: Plakat\npaper: A3\n---\n\nFelt.\n",
                                                        encoding="utf-8")
    result = _check(example_course)
    assert result.exit_code == 0, result.output
    assert ("warning: course/materials/plakat.md: no gathering script or homework uses the material "
            "'plakat'") in result.output


def test_a_day_that_overruns_its_stated_end_is_refused(example_course):
    """A day stated as 10.00–11.30 whose last session ends at 12.00 stops the check with how late it
    runs: the facilitator would otherwise promise a bus time the programme cannot keep."""
    _edit(example_course / "gatherings/samling-1.yml", "  - title: Dag 1\n", "  - title: Dag 1\n    time: 10.00–11.30\n")
    result = _check(example_course)
    assert result.exit_code == 1
    assert "Dag 1 overruns: 'Kommunegruppene arbeider' ends at 12.00, but the day ends at 11.30 (30 minutes too late)" \
        in result.output


def test_parts_that_do_not_fit_their_session_are_refused(example_course):
    """Three 20-minute rounds plus table changes in a 60-minute slot is caught with the sum."""
    _edit(example_course / "gatherings/samling-1.yml", "        method: Hver kommune ved sitt bord.\n",
          "        method: Hver kommune ved sitt bord.\n        parts:\n          - 3 × 20 min Runder\n"
          "          - 2 × 3 min Bytte bord\n")
    with pytest.raises(BuildFailed) as err:
        load_course(example_course)
    assert "take 3 × 20 + 2 × 3 = 66 minutes, but the session has 60 (11.00–12.00)" in str(err.value)


def test_a_block_longer_than_90_minutes_without_a_break_is_a_warning(example_course):
    """Day 2 without its pause is 150 minutes in one stretch and is flagged; day 1's two sessions
    around a pause are not, and the example as written (with the pause) gives no warning at all."""
    assert "without a break" not in _check(example_course).output
    _edit(example_course / "gatherings/samling-1.yml", "        title: Pause\n        break: true\n      - time: 10.45",
          "        title: Felles samtale\n        method: Plenum.\n      - time: 10.45")
    result = _check(example_course)
    assert result.exit_code == 0, result.output
    assert ("warning: course/gatherings/samling-1.yml:28: Dag 2: 09.00–11.30 is 150 minutes from "
            "'Plan for hjemmeoppgaven' to 'Oppsummering' without a break (more than 90)") in result.output
    assert "Dag 1: 10.00" not in result.output


def test_minutes_no_session_accounts_for_are_a_warning(example_course):
    """A stated day with a hole in it (a session missing from the run sheet) is pointed out."""
    _edit(example_course / "gatherings/samling-1.yml", "  - title: Dag 1\n", "  - title: Dag 1\n    time: 10.00–12.30\n")
    course = load_course(example_course)
    found = [str(w) for w in gathering_lint.warnings(course)]
    assert any("Dag 1 is 150 minutes (10.00–12.30), but its sessions take 120: 30 minutes are in no session" in w
               for w in found), found


def test_a_round_of_municipalities_is_checked_against_the_programme(example_course, tmp_path):
    """With a region of 8 municipalities, a 60-minute round that asks 10 minutes each is too short;
    the same script passes for a region of 4."""
    _edit(example_course / "gatherings/samling-1.yml", "        method: Hver kommune ved sitt bord.\n",
          "        method: Hver kommune ved sitt bord.\n        per_municipality: 10\n")
    names = ["Tolga", "Tynset", "Os", "Rendalen", "Alvdal", "Folldal", "Stor-Elvdal", "Engerdal"]

    def programme(n):
        path = tmp_path / f"region-{n}.yml"
        path.write_text(f"region: Fjellregionen\nmunicipalities: [{', '.join(names[:n])}]\ngatherings:\n"
                        "  - {id: samling-1, date: 2028-02-02}\n  - {id: samling-2, date: 2028-04-26}\n"
                        "  - {id: samling-3, date: 2028-10-18}\n",
                        encoding="utf-8")
        return str(path)

    big = _check(example_course, "--programme", programme(8))
    assert "'Kommunegruppene arbeider' (11.00–12.00) gives each of the 8 municipalities" in big.output
    assert "7.5 minutes; the script asks 10 each — make it 80 minutes" in big.output
    small = _check(example_course, "--programme", programme(4))
    assert "gives each of the" not in small.output


def test_homework_hours_come_from_the_participant_list_once(example_course):
    """The group's hours are the participants' hours added up, shown with each person's share and
    never a package file name; a file that also states effort_hours is refused, so the two figures
    cannot disagree as «30 timer for seks til sju personer» did for a list of nine."""
    course = load_course(ROOT / "course")
    trial = next(hw for hw in course.homework() if hw.id == "med-prov-tiltaket")
    assert (trial.effort_hours, trial.people) == (66, 9)
    html = printing.render("handout.html", course, step=steps(course)[1], hw=trial, deadline=None)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "ca. 7 timer per person (66 timer til sammen for 9 personer)" in text
    assert "Kulturskolerektor og de lærerne som gjennomfører tiltaket, i arbeidstiden: 3 personer, 12 timer hver" in text
    assert ".zip" not in text and "SCORM" not in text
    path = next(example_course.glob("modules/*/homework.yml"))
    _edit(path, "    - Ordfører\n", "    - who: Ordfører\n      hours: 2\n")
    result = _check(example_course)
    assert result.exit_code == 1
    assert "the hours are stated twice: in effort_hours and in the participant list (2 hours in all)" in result.output


def test_a_trial_that_finds_no_school_weeks_in_a_row_is_warned_about(tmp_path):
    """With samling 2 in June and samling 3 in September, the four-week trial of homework 2 has only
    the summer holidays between planning and writing: the check says so. The example region's dates
    (samling 2 in April) leave room and give no such warning."""
    tight = tmp_path / "region.yml"
    tight.write_text("region: Fjellregionen\nmunicipalities: [Tolga, Os]\ngatherings:\n"
                     "  - {id: samling-1, date: 2028-02-02}\n  - {id: samling-2, date: 2028-06-07}\n"
                     "  - {id: samling-3, date: 2028-09-20}\n  - {id: samling-4, date: 2029-05-09}\n", encoding="utf-8")
    result = _check(ROOT / "course", "--programme", str(tight))
    assert ("the tiltak of 'med-prov-tiltaket' needs 4 school weeks in a row, but between 14.6.2028 and "
            "30.8.2028 there are at most 1 (the summer break)") in result.output
    roomy = _check(ROOT / "course", "--programme", str(ROOT / "course/region-eksempel.yml"))
    assert "school weeks in a row" not in roomy.output
