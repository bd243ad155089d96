"""The Open edX edition: dist/olx/<course id>.tar.gz for Studio's Import, and `kulturskole check` on it.

Without an Open edX install here, "Studio accepts it" is approximated by olxcleaner (the
validator Studio itself runs on import) plus our own checks in builder.formats.olx.checks."""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
from collections import Counter
from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import olxcleaner
import pytest
from lxml import etree

from builder.formats.olx.checks import check_olx
from builder.formats.olx.export import drawn_once
from builder.errors import BuildFailed
from builder.formats import Options
from builder.formats.olx.format import OlxFormat
from builder.loader import load_course
from builder.loader.programme import with_start_date
from builder.formats.olx import FINAL_TEST, HOMEWORK, HOMEWORK_TAG, OUR_XBLOCKS, REFLECTION_TAG, SELF_TEST, assignment_types
from builder.formats.olx.labels import labels
from builder.infra.packaging import write_targz
from builder.infra import typography
from tests.conftest import ROOT

BROKEN = ROOT / "tests" / "fixtures" / "olx_broken"
START = date(2027, 10, 15)
OSLO = ZoneInfo("Europe/Oslo")

TYPES = assignment_types(labels("nb"))      # the assignment types as the bokmål edition names them


def build(course, out: Path, start_date=None, **options) -> Path:
    """Build `course` (dated from `start_date`, as the CLI dates it) into `out` and return the tarball."""
    if start_date is not None:
        course = with_start_date(course, start_date)
    OlxFormat(course, Options(**options)).build(out)
    (tarball,) = sorted(out.glob("*.tar.gz"))
    return tarball


def unpack(tarball: Path, into: Path) -> Path:
    """Extract a tarball we built ourselves; returns the course/ folder."""
    with tarfile.open(tarball, "r:gz") as tar:
        tar.extractall(into, filter="data")
    return into / "course"


def olxcleaner_errors(folder: Path) -> list[str]:
    _course, errors, _names = olxcleaner.validate(str(folder / "course.xml"), steps=8, allowed_xblocks=list(OUR_XBLOCKS))
    return [f"{e.name} {e.filename}: {e.description}" for e in errors.errors if e.level == "ERROR"]


def xml(path: Path):
    return etree.parse(str(path)).getroot()


@pytest.fixture(scope="module")
def dated(course, tmp_path_factory) -> tuple[Path, Path]:
    """The example course built with a start date: (tarball, extracted course/ folder)."""
    tmp = tmp_path_factory.mktemp("olx-dated")
    tarball = build(course, tmp / "dist", start_date=START)
    return tarball, unpack(tarball, tmp / "x")


@pytest.fixture(scope="module")
def undated(course, tmp_path_factory) -> tuple[Path, Path, list[str]]:
    tmp = tmp_path_factory.mktemp("olx-undated")
    said: list[str] = []
    tarball = build(course, tmp / "dist", progress=said.append)
    return tarball, unpack(tarball, tmp / "x"), said


# -- Studio would accept it -----------------------------------------------------------------

def test_example_course_passes_olxcleaner_and_our_checks(dated, undated):
    """If this broke, Studio's import of the example course would fail (or lose content) with an error in its log."""
    for tarball, folder, *_ in (dated, undated):
        assert tarball.name == "eksempelkurs.tar.gz"
        assert olxcleaner_errors(folder) == []
        assert check_olx(tarball) == []


def test_real_course_passes_olxcleaner_and_our_checks(tmp_path):
    """If this broke, the course the writers are making could not be imported into Studio."""
    try:
        real = load_course(ROOT / "course")
    except BuildFailed as err:
        pytest.skip(f"course/ does not load yet ({len(err.problems)} problems); the OLX check waits for it")
    tarball = build(real, tmp_path / "dist", start_date=START)
    assert olxcleaner_errors(unpack(tarball, tmp_path / "x")) == []
    assert check_olx(tarball) == []


def test_tarball_layout(dated, course):
    """If this broke, Studio would not find the course in the archive, or would import it under another key."""
    tarball, folder = dated
    with tarfile.open(tarball, "r:gz") as tar:
        names = tar.getnames()
    assert all(n == "course" or n.startswith("course/") for n in names)
    top = xml(folder / "course.xml")
    assert dict(top.attrib) == {"url_name": "v0", "org": "KS", "course": course.id}
    policy = json.loads((folder / "policies" / "v0" / "policy.json").read_text(encoding="utf-8"))["course/v0"]
    assert policy["language"] == "nb" and policy["self_paced"] is False
    assert policy["display_name"] == course.title
    assert sorted(policy["advanced_modules"]) == sorted(OUR_XBLOCKS)
    assert (folder / "static" / policy["course_image"]).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert json.loads((folder / "policies" / "assets.json").read_text()) == {}
    for name in ("about/overview.html", "info/updates.html", "info/handouts.html", "static/tidslinje.svg"):
        assert (folder / name).is_file(), name
    assert [c.get("url_name") for c in xml(folder / "course" / "v0.xml")] == [m.id for m in course.modules]
    overview = (folder / "about" / "overview.html").read_text(encoding="utf-8")
    assert course.title in overview and all(m.title in overview for m in course.modules)
    page = (folder / "html" / "intro_tekst_velkommen.html").read_text(encoding="utf-8")
    assert 'src="/static/tidslinje.svg"' in page, "images must point at the course's static files"


def test_every_url_name_is_ascii_and_names_its_file(dated):
    """If this broke, Studio would refuse odd block ids or silently drop blocks whose file it cannot find."""
    _tarball, folder = dated
    for path in sorted(folder.rglob("*.xml")):
        for node in xml(path).iter():
            name = node.get("url_name") if isinstance(node.tag, str) else None
            if name is None:
                continue
            assert name.isascii() and all(c.isalnum() or c in "-_" for c in name), name
            if node.tag in ("chapter", "sequential", "vertical", "html", "problem"):
                assert (folder / node.tag / f"{name}.xml").is_file(), f"{path}: {name}"


# -- check_olx finds what Studio would trip over --------------------------------------------------

CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def good_tree(dated) -> Path:
    return dated[1]


@pytest.mark.parametrize("case", CASES)
def test_broken_export_is_reported(case, good_tree, tmp_path):
    """If this broke, `kulturskole check` would pass a package that Studio refuses or imports wrongly."""
    expect = json.loads((BROKEN / case / "expect.json").read_text(encoding="utf-8"))
    tree = tmp_path / "course"
    shutil.copytree(good_tree, tree)
    overlay = BROKEN / case / "course"
    for src in sorted(overlay.rglob("*")) if overlay.exists() else []:
        if src.is_file():
            rel = src.relative_to(overlay)
            assert (tree / rel).is_file(), f"{case}: {rel} is not a file of the good export (did the builder rename it?)"
            shutil.copyfile(src, tree / rel)
    for rel in expect.get("delete", []):
        (tree / rel).unlink()
    tarball = tmp_path / "broken.tar.gz"
    write_targz(tree, tarball, root="course")
    problems = check_olx(tarball)
    assert any(p.path == expect["path"] and expect["message"] in p.message for p in problems), \
        "\n".join(str(p) for p in problems) or "no problems reported"
    assert all(p.hint for p in problems)


def _tar_with(tmp_path: Path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    path = tmp_path / "unsafe.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        ok = tarfile.TarInfo("course/course.xml")
        body = b'<course url_name="v0" org="KS" course="x"/>'
        ok.size = len(body)
        tar.addfile(ok, io.BytesIO(body))
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data) if member.isfile() else None)
    return path


@pytest.mark.parametrize("name, kind, message", [
    ("/etc/evil.xml", tarfile.REGTYPE, "it is absolute"),
    ("course/../../evil.xml", tarfile.REGTYPE, "climbs out with '..'"),
    ("course/static/link.png", tarfile.SYMTYPE, "a link to '/etc/passwd'"),
    ("course/static/hard.png", tarfile.LNKTYPE, "a link to '/etc/passwd'"),
])
def test_unsafe_archive_is_refused(tmp_path, name, kind, message):
    """If this broke, checking a hostile package could write outside the temporary folder."""
    member = tarfile.TarInfo(name)
    member.type = kind
    if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
        member.linkname = "/etc/passwd"
    problems = check_olx(_tar_with(tmp_path, member, b"x" if kind == tarfile.REGTYPE else b""))
    assert [(p.path, message in p.message) for p in problems] == [(name, True)]
    assert not (tmp_path.parent / "evil.xml").exists()


def test_not_a_tarball_is_reported(tmp_path):
    """If this broke, `kulturskole check` would crash on a wrong file instead of saying what is wrong."""
    bad = tmp_path / "course.tar.gz"
    bad.write_bytes(b"PK\x03\x04 not a tarball")
    (problem,) = check_olx(bad)
    assert "not a readable .tar.gz" in problem.message


# -- dates --------------------------------------------------------------------------------------

def _sequentials(folder: Path) -> dict[str, etree._Element]:
    return {p.stem: xml(p) for p in sorted((folder / "sequential").glob("*.xml"))}


def test_homework_due_is_the_timeline_deadline(dated, course):
    """If this broke, learners would see a wrong deadline for their homework in the LMS."""
    _tarball, folder = dated
    seqs = _sequentials(folder)
    homework = [s for s in seqs.values() if s.get("format") == TYPES[HOMEWORK]]
    assert len(homework) == len(course.homework()) > 0
    for module in course.modules:
        for hw in module.homework:
            seq = seqs[f"{module.id}_hjem_{hw.id}"]
            deadline = datetime.combine(course.timeline.starting(START).due_date(hw), time(23, 59), OSLO)
            opens = datetime.combine(course.timeline.starting(START).dates()[hw.after], time(0, 0), OSLO)
            assert seq.get("due") == deadline.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            assert seq.get("start") == opens.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            assert seq.get("graded") == "true"
    # samling-2 is week 12 after 15 Oct 2027 = 7 Jan 2028; 7 days before = 31 Dec, 23:59 CET = 22:59Z
    assert seqs["roller_hjem_hjem-kartlegging"].get("due") == "2027-12-31T22:59:00Z"


def test_without_start_date_there_are_no_due_dates(undated):
    """If this broke, a package built without --start-date would carry invented deadlines."""
    _tarball, folder, said = undated
    for path in folder.rglob("*.xml"):
        assert all("due" not in node.attrib for node in xml(path).iter() if isinstance(node.tag, str)), path
    assert any("no --start-date" in line and "due dates" in line for line in said)
    block = xml(folder / "vertical" / "roller_hjemenhet_hjem-kartlegging.xml").find(HOMEWORK_TAG)
    assert block.get("due_text") == "7 dager før samling 2 («Oppfølging»)"


# -- grading ------------------------------------------------------------------------------------

def test_grading_policy_matches_the_course(dated, course):
    """If this broke, Studio would refuse the grading policy, or learners would pass or fail at the wrong score."""
    _tarball, folder = dated
    grading = json.loads((folder / "policies" / "v0" / "grading_policy.json").read_text(encoding="utf-8"))
    graders = grading["GRADER"]
    assert abs(sum(g["weight"] for g in graders) - 1) < 1e-9
    assert grading["GRADE_CUTOFFS"] == {"Pass": course.mastery_score / 100}
    types = [g["type"] for g in graders]
    assert types == [TYPES[FINAL_TEST], TYPES[SELF_TEST], TYPES[HOMEWORK]] == ["Sluttest", "Egentest", "Hjemmeoppgave"]
    assert [g["weight"] for g in graders] == [1.0, 0.0, 0.0], "only the graded final test counts (course/README.md)"
    for name, seq in _sequentials(folder).items():
        if seq.get("graded") == "true" or seq.get("format"):
            assert seq.get("format") in types, name
    formats = [s.get("format") for s in _sequentials(folder).values() if s.get("format")]
    assert {g["type"]: g["min_count"] for g in graders} == {t: formats.count(t) for t in types}


# -- questions ------------------------------------------------------------------------------------

def _quiz_problems(folder: Path, module_id: str) -> list[etree._Element]:
    for pointer in xml(folder / "chapter" / f"{module_id}.xml"):
        seq = xml(folder / "sequential" / f"{pointer.get('url_name')}.xml")
        if seq.get("format") in (TYPES[FINAL_TEST], TYPES[SELF_TEST]):
            vertical = xml(folder / "vertical" / f"{seq[0].get('url_name')}.xml")
            return [xml(folder / "problem" / f"{p.get('url_name')}.xml") for p in vertical if p.tag == "problem"]
    return []


def test_every_question_is_a_capa_problem_with_its_answers(dated, course):
    """If this broke, a quiz in the LMS would miss questions, mark the wrong answers right, or lose its explanations."""
    _tarball, folder = dated
    responses = {"single": "multiplechoiceresponse", "truefalse": "multiplechoiceresponse",
                 "multiple": "choiceresponse", "matching": "optionresponse"}
    count = 0
    for module in course.modules:
        questions = drawn_once(module.quiz) if module.quiz else ()
        problems = _quiz_problems(folder, module.id)
        assert len(problems) == len(questions), module.id
        for question, problem in zip(questions, problems):
            count += 1
            (response,) = [e for e in problem if e.tag.endswith("response")]
            assert response.tag == responses[question.type], question.id
            if question.type == "matching":
                dropdowns = response.findall("optioninput")
                assert [d.get("label") for d in dropdowns] == [p.task for p in question.pairs]
                right = [[o.text for o in d if o.get("correct") == "True"] for d in dropdowns]
                assert right == [[p.role] for p in question.pairs]
                assert all(o.find("optionhint") is not None for d in dropdowns for o in d)
            else:
                choices = response.find("choicegroup" if response.tag != "choiceresponse" else "checkboxgroup")
                correct = [c for c in choices if c.get("correct") == "true"]
                assert len(correct) == sum(o.correct for o in question.options), question.id
                assert all(c.find("choicehint") is not None for c in choices)
                if response.tag == "choiceresponse":
                    assert all({h.get("selected") for h in c.findall("choicehint")} == {"true", "false"} for c in choices)
                # Open edX shuffles single-choice options per learner; «Sant, Usant» keeps its order.
                assert choices.get("shuffle") == ("true" if question.type == "single" else None), question.id
            solution = "".join(response.find("solution").itertext())
            assert typography.text(question.reference) in solution    # «§\u00a05\u20113»
    assert count == sum(len(drawn_once(m.quiz)) for m in course.modules if m.quiz) > 0
    final = next(m.quiz for m in course.modules if m.quiz and m.quiz.draw)   # one fixed draw, every goal in it
    assert Counter(q.goals[0] for q in drawn_once(final)) == Counter(dict(final.draw))


# -- our XBlocks ------------------------------------------------------------------------------------

def test_xblock_attributes_are_fields_of_our_blocks(dated):
    """If this broke, Studio would drop what the compiler wrote into the reflection and homework blocks."""
    blocks = pytest.importorskip("kulturskole_xblocks.reflection.block"), pytest.importorskip("kulturskole_xblocks.homework.block")
    classes = {REFLECTION_TAG: blocks[0].ReflectionXBlock, HOMEWORK_TAG: blocks[1].HomeworkXBlock}
    _tarball, folder = dated
    seen = set()
    for path in sorted((folder / "vertical").glob("*.xml")):
        for node in xml(path):
            if node.tag not in classes:
                continue
            seen.add(node.tag)
            fields = classes[node.tag].fields
            assert node.get("xblock-family") == "xblock.v1"
            for name, value in node.attrib.items():
                if name in ("url_name", "xblock-family"):
                    continue
                assert name in fields, f"{node.tag} has no field {name}"
                field = fields[name]
                if field.__class__.__name__ in ("List", "Dict"):
                    field.from_json(json.loads(value))
                elif field.__class__.__name__ == "Integer":
                    int(value)
    assert seen == set(classes)


# -- determinism and module builds ------------------------------------------------------------------

def test_two_builds_are_byte_identical(course, tmp_path, monkeypatch):
    """If this broke, every build would look like a new version to an LMS admin comparing checksums."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build(course, tmp_path / "a", start_date=START)
    second = build(course, tmp_path / "b", start_date=START)
    assert first.read_bytes() == second.read_bytes()


def test_module_build_has_only_that_module(course, tmp_path):
    """If this broke, `--module roller` would hand out the whole course instead of one module's package."""
    tarball = build(course, tmp_path / "dist", module="roller", start_date=START)
    assert tarball.name == "eksempelkurs-roller.tar.gz"
    folder = unpack(tarball, tmp_path / "x")
    assert [c.get("url_name") for c in xml(folder / "course" / "v0.xml")] == ["roller"]
    assert xml(folder / "course.xml").get("course") == "eksempelkurs-roller"
    assert olxcleaner_errors(folder) == []
    assert check_olx(tarball) == []
    graders = json.loads((folder / "policies" / "v0" / "grading_policy.json").read_text())["GRADER"]
    assert [(g["type"], g["weight"]) for g in graders] == [(TYPES[SELF_TEST], 1.0), (TYPES[HOMEWORK], 0.0)]


def test_chapters_kept_in_the_cache_follow_every_edit(course, tmp_path, monkeypatch):
    """If this broke, an Open edX course built after an edit would carry chapters kept in the build
    cache from before it: a page's old text, or homework without the due dates a new start date
    gives it (the dates live in the timeline, not in the module), where a clean build has the new ones."""
    from dataclasses import replace
    build(course, tmp_path / "before")
    module = course.modules[0]
    page = replace(module.pages[0], html=module.pages[0].html + "<p>En setning redaktøren la til.</p>")
    edited = replace(course, modules=(replace(module, pages=(page, *module.pages[1:])), *course.modules[1:]))
    warm = [build(edited, tmp_path / "warm"), build(edited, tmp_path / "warm-dated", start_date=START)]
    assert list(Path(os.environ["KULTURSKOLE_CACHE"]).rglob("olx-chapter/*/*")), "no chapter was kept"
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    assert [t.read_bytes() for t in warm] == [build(edited, tmp_path / "clean").read_bytes(),
                                              build(edited, tmp_path / "clean-dated", start_date=START).read_bytes()]
    assert "redaktøren la til" in (unpack(warm[0], tmp_path / "x") / "html" / f"{module.id}_tekst_{page.id}.html").read_text()
