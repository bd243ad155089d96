"""The Moodle edition: dist/moodle/<course>.mbz (a moodle2 course backup) and the question bank
in Moodle XML, read back the way Moodle's restore reads them, and `kulturskole check` on .mbz files.

Restoring in a real Moodle is tests/formats/test_moodle_restore.py (skipped without one)."""

from __future__ import annotations

import hashlib
import io
import re
import tarfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from builder.cli import main
from builder.formats import Options
from builder.formats.moodle import SCORM_SETTINGS, MoodleFormat
from builder.formats.moodle.backup import oslo_date
from builder.formats.moodle.checks import check_mbz
from builder.formats.packs import handed_out
from builder.formats.scorm.editions import SCORM12
from builder.formats.scorm.package import build_package
from builder.loader import load_course
from builder.infra import typography
from builder.loader.programme import load_programme, with_start_date
from builder.messages import tr
from builder.model.programme import steps
from tests.conftest import EXAMPLE

PROGRAMME = """region: Testregionen
municipalities: [Alvdal, Folldal]
gatherings:
  - id: samling-1
    date: 2027-10-13
    place: Alvdal kulturhus
  - id: samling-2
    date: 2028-01-12
  - id: samling-3
    date: 2028-05-10
"""


def read(mbz: Path) -> dict[str, bytes]:
    with tarfile.open(mbz, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def xml(files: dict[str, bytes], name: str):
    return etree.fromstring(files[name])


def activities(files) -> list[tuple[str, str, str]]:
    """(cmid, modname, directory) of every activity moodle_backup.xml lists."""
    root = xml(files, "moodle_backup.xml")
    return [(a.findtext("moduleid"), a.findtext("modulename"), a.findtext("directory"))
            for a in root.iterfind("information/contents/activities/activity")]


def instance(files, modname: str, directory: str):
    return xml(files, f"{directory}/{modname}.xml").find(modname)


@pytest.fixture(scope="module")
def regional(tmp_path_factory):
    """The example course built with a region's programme file: (course model, .mbz files, folder)."""
    tmp = tmp_path_factory.mktemp("moodle-regional")
    (tmp / "region.yml").write_text(PROGRAMME, encoding="utf-8")
    course = load_programme(tmp / "region.yml", load_course(EXAMPLE))
    MoodleFormat(course, Options()).build(tmp / "moodle")
    (mbz,) = (tmp / "moodle").glob("*.mbz")
    return course, read(mbz), tmp / "moodle"


@pytest.fixture(scope="module")
def undated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("moodle-undated")
    said: list[str] = []
    course, options = load_course(EXAMPLE), Options(progress=said.append)
    # what the build says before building, in every output, in the editor's language (as the CLI's notice)
    said += [tr(line) for line in MoodleFormat.notices(course, options)]
    MoodleFormat(course, options).build(tmp / "moodle")
    return read(tmp / "moodle" / "eksempelkurs.mbz"), said, tmp / "moodle"


def test_backup_names_and_check(regional, undated):
    """If this broke, an administrator would get a backup that Moodle's restore reads with holes, or a
    file named so that two regions' backups overwrite each other."""
    _, _, folder = regional
    assert sorted(p.name for p in folder.iterdir()) == ["eksempelkurs-questions.xml", "eksempelkurs-testregionen.mbz"]
    assert check_mbz(folder / "eksempelkurs-testregionen.mbz") == []
    assert check_mbz(undated[2] / "eksempelkurs.mbz") == []


def test_every_xml_parses_and_every_file_is_there_with_its_hash(regional):
    """If this broke, a restore would stop on a broken XML file or give learners a SCORM activity with
    missing pages (Moodle copies each file by the SHA-1 hash files.xml names)."""
    _, files, _ = regional
    for name in files:
        if name.endswith(".xml"):
            etree.fromstring(files[name])
    listed = xml(files, "files.xml").findall("file")
    assert listed
    for f in listed:
        if f.findtext("filename") == ".":
            continue
        digest = f.findtext("contenthash")
        data = files[f"files/{digest[:2]}/{digest}"]
        assert hashlib.sha1(data).hexdigest() == digest and len(data) == int(f.findtext("filesize"))
    ids = {f.get("id") for f in listed}
    for name in files:
        if name.endswith("inforef.xml"):
            assert {i.text for i in xml(files, name).iterfind("fileref/file/id")} <= ids, name


def test_sections_are_the_gatherings_with_their_dates_and_activities(regional):
    """If this broke, the facilitator would find gatherings missing, misnamed or dated wrongly in Moodle,
    or a gathering with nothing to hand out would show participants a file with one empty page."""
    course, files, _ = regional
    plan = steps(course)
    main_xml = xml(files, "moodle_backup.xml")
    sections = [s.findtext("directory") for s in main_xml.iterfind("information/contents/sections/section")]
    assert len(sections) == len(plan) + 1
    by_cm = {cmid: (mod, d) for cmid, mod, d in activities(files)}
    for step, directory in zip(plan, sections[1:]):
        section = xml(files, f"{directory}/section.xml")
        assert section.findtext("name").startswith(f"Samling {step.number}: {step.gathering.title}")
        assert f"{step.gathering.date.day}.{step.gathering.date.month}.{step.gathering.date.year}" in section.findtext("name")
        if step.gathering.place:
            assert step.gathering.place in section.findtext("summary")
        names = [instance(files, *by_cm[c]).findtext("name") for c in filter(None, section.findtext("sequence").split(","))]
        # The room kit: the pack (hidden) and the participants' file, when the gathering hands something out.
        kit = ([f"Samlingspakke for fasilitator (samling {step.number})"] if step.gathering.script else []) + \
            ([f"Materiell til samling {step.number}"] if step.gathering.script and handed_out(course, step) else [])
        assert names == [m.title for m in step.modules] + [f"Hjemmeoppgave: {hw.title}" for _, hw in step.homework] + kit
    # samling-2 of the example course has a script and nothing to hand out: no empty participants' file
    assert plan[1].gathering.script and not handed_out(course, plan[1])
    intro = xml(files, f"{sections[0]}/section.xml")
    assert "@@PLUGINFILE@@/tidslinje.svg" in intro.findtext("summary")
    course_xml = xml(files, "course/course.xml")
    assert oslo_date(int(course_xml.findtext("startdate"))) == plan[0].gathering.date
    assert [g.findtext("name") for g in xml(files, "groups.xml").iterfind("group")] == list(course.programme.municipalities)


def test_assignment_dates_and_texts_equal_the_model(regional):
    """If this broke, municipalities would see a wrong deadline in Moodle, or could not hand in at all."""
    course, files, _ = regional
    homework = {hw.id: (step, hw) for step in steps(course) for _, hw in step.homework}
    assigns = [(cmid, d) for cmid, mod, d in activities(files) if mod == "assign"]
    assert len(assigns) == len(homework) > 0
    for cmid, directory in assigns:
        module = xml(files, f"{directory}/module.xml")
        step, hw = homework[module.findtext("idnumber")]
        a = instance(files, "assign", directory)
        assert oslo_date(int(a.findtext("duedate"))) == course.timeline.due_date(hw)
        assert oslo_date(int(a.findtext("allowsubmissionsfromdate"))) == step.gathering.date
        assert oslo_date(int(a.findtext("gradingduedate"))) == step.next.date
        assert oslo_date(int(module.findtext("completionexpected"))) == course.timeline.due_date(hw)
        assert a.findtext("teamsubmission") == ("1" if len(hw.participants) > 1 else "0")
        configs = {(c.findtext("plugin"), c.findtext("subtype"), c.findtext("name")): c.findtext("value")
                   for c in a.iterfind("plugin_configs/plugin_config")}
        assert configs[("onlinetext", "assignsubmission", "enabled")] == "1"
        assert configs[("file", "assignsubmission", "enabled")] == "1"
        intro = a.findtext("intro")
        assert hw.intro_html in intro and hw.deliverable_html in intro
        assert all(html in intro for _, html in hw.steps_html)


def test_scorm_activities_carry_the_module_packages_and_settings(regional, tmp_path):
    """If this broke, a SCORM activity would restore with Moodle's defaults that break our packages (or
    an old package), and the final test would complete without being passed."""
    course, files, _ = regional
    scorms = [(cmid, d) for cmid, mod, d in activities(files) if mod == "scorm"]
    assert len(scorms) == len(course.modules)
    listed = xml(files, "files.xml").findall("file")
    for cmid, directory in scorms:
        module_id = xml(files, f"{directory}/module.xml").findtext("idnumber")
        module = course.module(module_id)
        s = instance(files, "scorm", directory)
        expected = dict(SCORM_SETTINGS)
        if module.quiz and module.quiz.graded:
            expected["completionscorerequired"] = course.mastery_score
        for key, value in expected.items():
            assert s.findtext(key) == ("$@NULL@$" if value is None else str(value)), (module_id, key)
        package = next(f for f in listed if f.findtext("filearea") == "package" and f.findtext("filename") == f"{module_id}.zip")
        digest = package.findtext("contenthash")
        own = build_package(course, tmp_path / f"{module_id}.zip", edition=SCORM12, module_id=module_id)
        assert hashlib.sha1(own.path.read_bytes()).hexdigest() == digest == s.findtext("sha1hash")
        launch = {sco.get("id"): sco.findtext("launch") for sco in s.iterfind("scoes/sco")}[s.findtext("launch")]
        assert launch == "scorm.html"
        with zipfile.ZipFile(own.path) as z:
            content = {f.findtext("filepath")[1:] + f.findtext("filename") for f in listed
                       if f.findtext("filearea") == "content" and f.findtext("filename") != "."
                       and f.findtext("contextid") == xml(files, f"{directory}/scorm.xml").get("contextid")}
            assert content == {n for n in z.namelist() if not n.endswith("/")}
    criteria = [c.findtext("moduleinstance") for c in xml(files, "completion.xml").iterfind("course_completion_criteria")]
    assert sorted(criteria) == sorted(c for c, _ in scorms)


def test_every_question_is_in_the_bank_with_the_source_answer(regional):
    """If this broke, a facilitator building a Moodle quiz from the bank would mark right answers wrong."""
    course, files, folder = regional
    questions = {q.findtext("idnumber"): q for q in xml(files, "questions.xml").iter("question_bank_entry")}
    source = [q for m in course.modules if m.quiz for q in m.quiz.questions]
    assert sorted(questions) == sorted(q.id for q in source)
    imported = etree.fromstring((folder / "eksempelkurs-questions.xml").read_bytes())
    by_idnumber = {q.findtext("idnumber"): q for q in imported.iterfind("question") if q.get("type") != "category"}
    assert sorted(by_idnumber) == sorted(q.id for q in source)
    for q in source:
        entry = questions[q.id].find(".//question")
        moodle = by_idnumber[q.id]
        assert typography.text(q.reference) in entry.findtext("generalfeedback")   # «§\u00a05\u20113»
        if q.type == "matching":
            pairs = [(m.findtext("questiontext"), m.findtext("answertext")) for m in entry.iter("match") if m.findtext("questiontext")]
            assert pairs == [(f"<p>{typography.text(p.task)}</p>", typography.text(p.role)) for p in q.pairs]
            xml_pairs = [(s.findtext("text"), s.findtext("answer/text")) for s in moodle.iterfind("subquestion") if s.findtext("text")]
            assert xml_pairs == pairs
            continue
        right = {a.findtext("answertext") for a in entry.iter("answer") if float(a.findtext("fraction")) > 0}
        xml_right = {a.findtext("text") for a in moodle.iterfind("answer") if float(a.get("fraction")) > 0}
        if q.type == "truefalse":
            correct = next(o.id for o in q.options if o.correct)
            assert right == {correct.capitalize()} and xml_right == {correct}
        else:
            assert right == xml_right == {typography.document(o.html) for o in q.options if o.correct}
            assert entry.findtext(".//single") == ("1" if q.type == "single" else "0")


def test_without_dates_there_are_no_dates_and_the_build_says_so(undated):
    """If this broke, an undated course would restore with made-up deadlines in every municipality's Moodle."""
    files, said, _ = undated
    assert any("The Moodle course has no dates" in line for line in said)   # the suite runs with English messages
    for cmid, mod, directory in activities(files):
        module = xml(files, f"{directory}/module.xml")
        assert module.findtext("completionexpected") == "0"
        if mod == "assign":
            a = instance(files, "assign", directory)
            assert [a.findtext(k) for k in ("duedate", "allowsubmissionsfromdate", "gradingduedate", "cutoffdate")] == ["0"] * 4
    course_xml = xml(files, "course/course.xml")
    assert course_xml.findtext("startdate") == course_xml.findtext("enddate") == "0"


def test_two_builds_are_byte_identical_and_times_follow_source_date_epoch(tmp_path, monkeypatch):
    """If this broke, every rebuild would look like a new course to an administrator comparing checksums."""
    course = with_start_date(load_course(EXAMPLE), date(2027, 10, 13))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    MoodleFormat(course, Options()).build(tmp_path / "a")
    MoodleFormat(course, Options()).build(tmp_path / "b")
    a, b = (tmp_path / x / "eksempelkurs.mbz" for x in "ab")
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a" / "eksempelkurs-questions.xml").read_bytes() == (tmp_path / "b" / "eksempelkurs-questions.xml").read_bytes()
    assert xml(read(a), "moodle_backup.xml").findtext("information/backup_date") == "1700000000"


# -- kulturskole check COURSE.mbz: a fixture set of broken backups ------------------------------

def _first(files, modname):
    return next((c, d) for c, m, d in activities(files) if m == modname)


def _replace_first(files, name, old, new):
    """Replace the first `old` in the backup's file `name` by `new`; the line it stood on."""
    text = files[name].decode()
    at = text.index(old)
    files[name] = (text[:at] + new + text[at + len(old):]).encode()
    return text[:at].count("\n") + 1


def _content_hash(files):
    f = next(f for f in xml(files, "files.xml").iterfind("file") if f.findtext("filename") == "scorm.html")
    return f.findtext("contenthash"), f.sourceline


def _drop_content(files):
    digest, line = _content_hash(files)
    del files[f"files/{digest[:2]}/{digest}"]
    return f"files.xml:{line}: file", "is not in the backup"


def _damage_content(files):
    digest, line = _content_hash(files)
    files[f"files/{digest[:2]}/{digest}"] += b"<!-- changed -->"
    return f"files.xml:{line}:", "has the content hash"


def _cut_main(files):
    files["moodle_backup.xml"] = files["moodle_backup.xml"][:-40]
    return "moodle_backup.xml:", "not well-formed XML"


def _drop_scorm_xml(files):
    _, d = _first(files, "scorm")
    del files[f"{d}/scorm.xml"]
    return "moodle_backup.xml:", f"names {d}/scorm.xml, which is not in the backup"


def _bad_launch(files):
    _, d = _first(files, "scorm")
    launch = re.search(r"<launch>.*?</launch>", files[f"{d}/scorm.xml"].decode()).group()
    line = _replace_first(files, f"{d}/scorm.xml", launch, "<launch>9999</launch>")
    return f"{d}/scorm.xml:{line}:", "launch names SCO 9999"


def _unknown_file_ref(files):
    _, d = _first(files, "scorm")
    line = _replace_first(files, f"{d}/inforef.xml", "<id>", "<id>777")
    return f"{d}/inforef.xml:{line}:", "names file 777"


def _sequence_elsewhere(files):
    line = _replace_first(files, "sections/section_1/section.xml", "<sequence>", "<sequence>4242,")
    return f"sections/section_1/section.xml:{line}:", "names activity 4242"


def _no_questions(files):
    del files["questions.xml"]
    return "questions.xml:", "missing: a restore needs this file"


def _lost_category(files):
    cmid, d = _first(files, "qbank")
    line = _replace_first(files, f"{d}/inforef.xml", "<id>1</id>", "<id>31</id>")
    return f"{d}/inforef.xml:{line}:", "names question category 31"


BROKEN = [_drop_content, _damage_content, _cut_main, _drop_scorm_xml, _bad_launch, _unknown_file_ref,
          _sequence_elsewhere, _no_questions, _lost_category]


def _write(files: dict[str, bytes], target: Path) -> Path:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target.write_bytes(buf.getvalue())
    return target


@pytest.mark.parametrize("damage", BROKEN, ids=lambda f: f.__name__.strip("_"))
def test_check_rejects_a_broken_backup_with_file_and_line(damage, undated, tmp_path):
    """If this broke, an administrator would restore a damaged backup and find activities or files
    missing, instead of being told which file inside the backup is wrong."""
    files = dict(undated[0])
    where, what = damage(files)
    broken = _write(files, tmp_path / "broken.mbz")
    messages = [str(p) for p in check_mbz(broken)]
    assert any(m.startswith(f"broken.mbz/{where}") and what in m for m in messages), messages
    result = CliRunner().invoke(main, ["check", str(broken)])
    assert result.exit_code == 1 and what in result.output


def test_check_refuses_unsafe_paths_and_zip(tmp_path):
    """If this broke, `check` would pass an archive Moodle refuses to extract."""
    bad = _write({"../evil.xml": b"<x/>", "moodle_backup.xml": b"<moodle_backup/>"}, tmp_path / "evil.mbz")
    assert any("unsafe path" in str(p) for p in check_mbz(bad))
    z = tmp_path / "old.mbz"
    with zipfile.ZipFile(z, "w") as archive:
        archive.writestr("moodle_backup.xml", "<moodle_backup/>")
    assert "gzipped tar" in str(check_mbz(z)[0])


def test_check_accepts_a_good_backup_on_the_command_line(regional):
    """If this broke, `kulturskole check` would cry wolf over the backups we ship."""
    result = CliRunner().invoke(main, ["check", str(regional[2] / "eksempelkurs-testregionen.mbz")])
    assert result.exit_code == 0 and result.output.strip().endswith(": OK")


def test_an_image_in_a_homework_text_travels_with_the_assignment(example_course, tmp_path):
    """If this broke, a picture an editor puts in a homework text would show as a broken image in Moodle."""
    homework = example_course / "modules" / "roller" / "homework.yml"
    homework.write_text(homework.read_text(encoding="utf-8").replace(
        "  intro: Finn ut hvem som har ansvar for hva.",
        "  intro: >-\n    Finn ut hvem som har ansvar for hva.\n\n    ![Tidslinjen](media/tidslinje.svg)"), encoding="utf-8")
    MoodleFormat(load_course(example_course), Options()).build(tmp_path)
    files = read(tmp_path / "eksempelkurs.mbz")
    cmid, directory = _first(files, "assign")
    assert '<img src="@@PLUGINFILE@@/tidslinje.svg"' in instance(files, "assign", directory).findtext("intro")
    context = xml(files, f"{directory}/assign.xml").get("contextid")
    image = next(f for f in xml(files, "files.xml").iterfind("file") if f.findtext("contextid") == context
                 and f.findtext("filearea") == "intro" and f.findtext("filename") == "tidslinje.svg")
    assert image.findtext("component") == "mod_assign"
    assert files[f"files/{image.findtext('contenthash')[:2]}/{image.findtext('contenthash')}"] == \
        (example_course / "media" / "tidslinje.svg").read_bytes()
    assert check_mbz(tmp_path / "eksempelkurs.mbz") == []


def test_the_badge_pictures_from_the_cache_follow_the_course_colour(tmp_path, monkeypatch):
    """If this broke, a course whose colour was changed would restore in Moodle with a badge in the
    old colour (the pictures taken from the build cache), while a clean build draws the new one."""
    from builder.formats.moodle import badge
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    first = badge.images("#0b5c66")
    assert badge.images("#0b5c66") == first
    other = badge.images("#8a1c3c")
    assert other != first
    assert other["f2.png"] == badge._disc(35, (0x8A, 0x1C, 0x3C))
