"""The Moodle course backup restored in a real Moodle (../shared/moodle/), checked in Moodle's
database and in Chromium as a student and as a teacher.

Skipped with the reason when MOODLE_URL is unset (CI has no Moodle): `source ../shared/moodle/env.sh`
first. Course short names and user names start with `i16-`. With MOODLE_SHOTS=<folder> set, the
teacher's views are also saved as screenshots at 1280 and 375 px."""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.moodle_kit import PHP, ROOT, enrol, login, mt, needs_moodle
from builder.formats import Options  # noqa: E402
from builder.formats.moodle import SCORM_SETTINGS, MoodleFormat  # noqa: E402
from builder.formats.moodle.backup import oslo_date  # noqa: E402
from builder.loader import load_course  # noqa: E402
from builder.loader.programme import load_programme  # noqa: E402
from builder.model.programme import steps  # noqa: E402
from tests.conftest import fresh_page  # noqa: E402

pytestmark = needs_moodle

RUN = f"i16-{int(time.time())}"
STUDENT, TEACHER = f"{RUN}-student", f"{RUN}-teacher"
HOMEWORK_TEXT = "Kartleggingstabellen vår: kulturskolen samarbeider med skolen, men ikke med helsestasjonen."


def programme_text(today: date) -> str:
    """A region whose first gathering was two weeks ago, so the first homework is open now."""
    days = (-14, 60, 200, 400)
    lines = ["region: Testregion", "municipalities: [Alvdal, Folldal]", "gatherings:"]
    for n, d in enumerate(days, start=1):
        lines += [f"  - id: samling-{n}", f"    date: {(today + timedelta(days=d)).isoformat()}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def restored(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("moodle-restore")
    (tmp / "region.yml").write_text(programme_text(date.today()), encoding="utf-8")
    course = load_programme(tmp / "region.yml", load_course(ROOT / "course"))
    MoodleFormat(course, Options()).build(tmp / "moodle")
    (mbz,) = (tmp / "moodle").glob("*.mbz")
    info = mt.restore_backup(mbz, RUN)
    enrol(RUN, STUDENT, "student", "Alvdal")
    enrol(RUN, TEACHER, "editingteacher")
    return course, info


def modules_of(info, kind: str) -> list[dict]:
    return [m for m in info["modules"] if m["type"] == kind]


def test_restore_gives_the_programme_in_sections(restored):
    """If this broke, the administrator would restore a course without the gatherings, activities or
    dates of the programme."""
    course, info = restored
    assert info["warnings"] == []
    plan = steps(course)
    assert len(info["sections"]) == len(plan) + 1
    for step, section in zip(plan, info["sections"][1:]):
        assert section["name"].startswith(f"Samling {step.number}: {step.gathering.title}")
        in_section = [m["name"] for m in info["modules"]     # the room kit's files: test_moodle_room_kit.py
                      if m["section"] == section["section"] and m["type"] != "resource"]
        assert in_section == [m.title for m in step.modules] + [f"Hjemmeoppgave: {hw.title}" for _, hw in step.homework]
        for m in modules_of(info, "assign"):
            hw = next((hw for _, hw in step.homework if m["name"] == f"Hjemmeoppgave: {hw.title}"), None)
            if hw:
                assert oslo_date(m["duedate"]) == course.timeline.due_date(hw)
    for m in modules_of(info, "scorm"):
        assert m["version"] == "SCORM_1.2" and m["launch"] > 0
        expected = {k: v for k, v in SCORM_SETTINGS.items() if v is not None}
        if m["settings"]["completionscorerequired"]:
            assert m["name"] == next(x.title for x in course.modules if x.quiz and x.quiz.graded)
            expected["completionscorerequired"] = course.mastery_score
        assert {k: m["settings"][k] for k in expected} == expected, m["name"]
        assert m["completion"] == 2
    rows = mt.sql(f"SELECT startdate FROM mdl_course WHERE id = {info['courseid']}")
    assert oslo_date(int(rows[0]["startdate"])) == plan[0].gathering.date
    groups = mt.sql(f"SELECT name FROM mdl_groups WHERE courseid = {info['courseid']} ORDER BY name")
    assert [g["name"] for g in groups] == sorted(course.programme.municipalities)
    criteria = mt.sql(f"SELECT count(*) AS n FROM mdl_course_completion_criteria WHERE course = {info['courseid']}")
    assert int(criteria[0]["n"]) == len(modules_of(info, "scorm"))


def test_question_bank_has_every_question(restored):
    """If this broke, a facilitator looking for a question in the course's bank would not find it."""
    course, info = restored
    rows = mt.sql(f"""SELECT qc.name AS category, q.qtype, qbe.idnumber
                        FROM mdl_question q
                        JOIN mdl_question_versions qv ON qv.questionid = q.id
                        JOIN mdl_question_bank_entries qbe ON qbe.id = qv.questionbankentryid
                        JOIN mdl_question_categories qc ON qc.id = qbe.questioncategoryid
                        JOIN mdl_context cx ON cx.id = qc.contextid AND cx.contextlevel = 70
                        JOIN mdl_course_modules cm ON cm.id = cx.instanceid
                       WHERE cm.course = {info['courseid']}""")
    source = [(m, q) for m in course.modules if m.quiz for q in m.quiz.questions]
    kinds = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse", "matching": "match"}
    assert Counter((r["category"], r["qtype"], r["idnumber"]) for r in rows) == \
        Counter((m.title, kinds[q.type], q.id) for m, q in source)


def _shots(page, name: str) -> None:
    folder = os.environ.get("MOODLE_SHOTS")
    if not folder:
        return
    skip = page.get_by_role("button", name="Skip tour")
    if skip.count() and skip.first.is_visible():      # Moodle's welcome tour for a new teacher
        skip.first.click()
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(400)
        drawer = page.locator(".drawer.show [data-action='closedrawer']")
        if width < 600 and drawer.count() and drawer.first.is_visible():   # the course index covers a phone screen
            drawer.first.click()
            page.wait_for_timeout(400)
        page.screenshot(path=str(Path(folder) / f"i16-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_student_plays_a_module_and_completes_it(browser, restored):
    """If this broke, a politician would open a module in KS Læring and find it unplayable, framed in
    Moodle's extra navigation, or never marked complete after seeing every page."""
    course, info = restored
    module = next(m for m in course.modules if not m.quiz and m.reflections)   # no quiz: all pages seen completes it
    activity = next(m for m in modules_of(info, "scorm") if m["name"] == module.title)
    uid = mt.userid(STUDENT)
    with fresh_page(browser) as page:
        login(page, STUDENT)
        sco = mt.open_scorm(page, activity["cmid"])
        assert mt.scorm_mode(page) == "normal"
        assert page.locator("#scorm_toc").count() == 0 or not page.locator("#scorm_toc").is_visible()
        assert page.locator("#scorm_nav").count() == 0 or not page.locator("#scorm_nav").is_visible()
        inner = mt.content_frame(sco)
        _shots(page, "player")
        for _ in range(40):
            nxt = inner.get_by_role("link", name=re.compile("^Neste"))
            if nxt.count() == 0:
                break
            before = inner.url
            nxt.first.click()
            inner.wait_for_url(lambda url: url != before)      # the next page, not the one being left
            inner.wait_for_load_state()
        mt.leave(page, activity["cmid"])
    data = mt.stored(activity["scormid"], uid)
    assert data.get("cmi.core.lesson_location")
    assert data.get("cmi.core.lesson_status") == "completed"
    assert mt.completion(activity["cmid"], uid) == 1


def test_student_hands_in_homework_and_teacher_sees_it(browser, restored):
    """If this broke, a municipality group could not hand in its homework before the deadline, or the
    facilitator would not find it in the grading table."""
    course, info = restored
    first_hw = steps(course)[0].homework[0][1]
    assign = next(m for m in modules_of(info, "assign") if m["name"] == f"Hjemmeoppgave: {first_hw.title}")
    assert assign["duedate"] > time.time()
    with fresh_page(browser) as page:
        login(page, STUDENT)
        page.goto(f"{mt.MOODLE_URL}/mod/assign/view.php?id={assign['cmid']}&action=editsubmission",
                  wait_until="networkidle")
        editor = page.frame_locator("iframe[id^='id_onlinetext_editor']").locator("body")
        editor.click()
        editor.fill(HOMEWORK_TEXT)
        page.wait_for_timeout(500)
        page.locator("#id_submitbutton").click()
        page.wait_for_load_state("networkidle")
    rows = mt.sql(f"""SELECT s.status, s.groupid, t.onlinetext FROM mdl_assign_submission s
                        JOIN mdl_assignsubmission_onlinetext t ON t.submission = s.id
                        JOIN mdl_course_modules cm ON cm.instance = s.assignment
                       WHERE cm.id = {assign['cmid']} AND s.latest = 1""")
    assert len(rows) == 1 and rows[0]["status"] == "submitted" and HOMEWORK_TEXT in rows[0]["onlinetext"]
    alvdal = mt.sql(f"SELECT id FROM mdl_groups WHERE courseid = {info['courseid']} AND name = 'Alvdal'")[0]["id"]
    assert rows[0]["groupid"] == alvdal                     # one submission for the municipality group
    with fresh_page(browser) as page:
        login(page, TEACHER)
        page.goto(f"{mt.MOODLE_URL}/course/view.php?id={info['courseid']}", wait_until="networkidle")
        for section in info["sections"][1:]:
            assert page.get_by_text(section["name"]).count() > 0
        _shots(page, "course")
        page.goto(f"{mt.MOODLE_URL}/mod/assign/view.php?id={assign['cmid']}&action=grading", wait_until="networkidle")
        table = page.locator("table").filter(has_text="Alvdal")
        assert table.count() > 0
        assert page.get_by_text(HOMEWORK_TEXT[:40]).count() > 0
        _shots(page, "grading")


def test_moodle_xml_imports_into_an_existing_course(restored, tmp_path):
    """If this broke, a facilitator with a course of their own could not import our questions
    (Question bank → Import, Moodle XML) without errors, or would get categories without questions."""
    import json
    course, _ = restored
    MoodleFormat(course, Options()).build(tmp_path)
    r = mt.php(PHP / "import-questions.php", f"--course={RUN}",
               f"--file={tmp_path / f'{course.id}-questions.xml'}")
    assert r.returncode == 0, r.stderr
    categories = json.loads(r.stdout)["categories"]
    for module in course.modules:
        if module.quiz:
            assert categories[module.title] == len(module.quiz.questions), module.id


def test_final_test_completes_only_at_the_pass_mark(browser, restored):
    """If this broke, a participant would get the final test (and so the course) marked complete
    without reaching the pass mark, or never get it at all. The SCO's own pass rule is tested with
    the package; here the LMS side is fed the two results through Moodle's SCORM 1.2 API directly."""
    course, info = restored
    final = next(m for m in course.modules if m.quiz and m.quiz.graded)
    activity = next(m for m in modules_of(info, "scorm") if m["name"] == final.title)
    user = f"{RUN}-finalist"
    enrol(RUN, user, "student", "Folldal")
    uid = mt.userid(user)
    below, at = course.mastery_score - 10, course.mastery_score
    with fresh_page(browser) as page:
        login(page, user)
        mt.open_scorm(page, activity["cmid"])

        def report(score: int) -> None:
            ok = page.evaluate("""score => [API.LMSSetValue('cmi.core.score.raw', String(score)),
                                            API.LMSSetValue('cmi.core.lesson_status', 'completed'),
                                            API.LMSCommit('')]""", score)
            assert ok == ["true", "true", "true"]
            page.wait_for_timeout(500)

        report(below)
        assert mt.completion(activity["cmid"], uid) in (None, 0)
        report(at)
        assert mt.completion(activity["cmid"], uid) == 1


COMPLETE = PHP / "complete_course.php"


def test_the_course_badge_is_restored_and_awarded_on_completion(browser, restored, tmp_path):
    """If this broke, a politician who finished the course in KS Læring would have nothing to show
    for it: no badge under Profil → Merker, though the course promised a kursbevis."""
    course, _ = restored
    courseid = mt.sql(f"SELECT id FROM mdl_course WHERE shortname = '{RUN}'")[0]["id"]
    (badge,) = mt.sql(f"SELECT id, name, status, type FROM mdl_badge WHERE courseid = {int(courseid)}")
    assert badge["name"] == f"Kursbevis: {course.title}" and badge["type"] == 2
    assert badge["status"] == 0                       # Moodle restores badges switched off
    kinds = {r["criteriatype"] for r in mt.sql(f"SELECT criteriatype FROM mdl_badge_criteria WHERE badgeid = {int(badge['id'])}")}
    assert kinds == {0, 4}                            # overall + «completes the course»
    images = mt.sql(f"SELECT filename FROM mdl_files WHERE component = 'badges' AND filearea = 'badgeimage' "
                    f"AND itemid = {int(badge['id'])} AND filename <> '.'")
    assert {r["filename"] for r in images} >= {"f1.png", "f3.png"}
    user = f"{RUN}-graduate"
    enrol(RUN, user, "student", "Alvdal")
    r = mt.php(COMPLETE, f"--course={RUN}", f"--user={user}")
    assert r.returncode == 0, r.stderr + r.stdout
    result = json.loads(r.stdout.strip().splitlines()[-1])     # after the completion task's own «Aggregating completions»
    assert result["completed"] == 1, result
    # Active, and locked (3) once Moodle has awarded it, so its criteria can no longer change.
    assert [(b["name"], b["status"] in (1, 3), b["issued"]) for b in result["badges"]] == [(badge["name"], True, True)], result
    with fresh_page(browser) as page:
        login(page, user)
        page.goto(f"{mt.MOODLE_URL}/badges/mybadges.php")
        assert badge["name"] in page.inner_text("body")
        shots = os.environ.get("MOODLE_SHOTS")
        if shots:
            page.screenshot(path=str(Path(shots) / "moodle-badge-student-1280.png"), full_page=True)
            page.set_viewport_size({"width": 375, "height": 812})
            page.screenshot(path=str(Path(shots) / "moodle-badge-student-375.png"), full_page=True)
