"""SCORM packages without a browser: manifests, official XSDs, the checks XSDs miss, the budget."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.errors import BuildFailed
from builder.formats import Options, registry
from builder.formats.scorm.editions import SCORM12, SCORM2004
from builder.formats.scorm.format import Scorm12Format, Scorm2004Format
from builder.loader import load_course
from builder.formats.scorm.checks import check_zip as check_scorm
from builder.formats.scorm import budget, xsd
from builder.formats.scorm.budget import Layout, decode, encode
from builder.formats.scorm.package import (EXIT_SAVE_BASE, EXIT_SAVE_LIMIT, EXIT_SAVE_QUESTION, build_package,
                                           exit_save_bytes)
from builder.render.site import plan
from tests.conftest import ROOT, need

BROKEN = ROOT / "tests" / "fixtures" / "scorm_broken"
CP12 = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
CP2004 = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


@pytest.fixture(scope="module")
def built(course, tmp_path_factory):
    """Both formats built once, as `kulturskole build` would: {format: out folder}."""
    out = tmp_path_factory.mktemp("dist")
    for cls in (Scorm12Format, Scorm2004Format):
        cls(course, Options()).build(out / cls.name)
    return out


def all_zips(built: Path) -> list[Path]:
    return sorted(built.rglob("*.zip"))


def manifest_of(zpath: Path):
    with zipfile.ZipFile(zpath) as zf:
        return etree.fromstring(zf.read("imsmanifest.xml"))


def test_both_formats_are_registered():
    """If this broke, `kulturskole build --format scorm12` would say the format does not exist."""
    assert {"scorm12", "scorm2004"} <= set(registry())


def test_course_and_every_module_get_a_package(built, course):
    """If this broke, a facilitator would not find the module zip to assign as homework."""
    for fmt in ("scorm12", "scorm2004"):
        assert (built / fmt / f"{course.id}.zip").is_file()
        assert sorted(p.stem for p in (built / fmt / "modules").glob("*.zip")) == sorted(m.id for m in course.modules)


def test_every_package_passes_the_official_xsds_and_our_checks(built):
    """If this broke, Moodle or another LMS could refuse the upload or lose tracking data."""
    need(xsd.available(), xsd.missing_message())
    zips = all_zips(built)
    assert len(zips) == 8
    for z in zips:
        assert check_scorm(z) == [], z


IMSMD = "{http://www.imsglobal.org/xsd/imsmd_rootv1p2p1}"
LOM = "{http://ltsc.ieee.org/xsd/LOM}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def manifest_language(root) -> tuple[str, str, str, str]:
    """What a manifest's LOM metadata says: (language, title, the title's language, the
    organization's title). SCORM 1.2 writes IMS MD 1.2.1 (langstring xml:lang), 2004 IEEE LOM
    (string language)."""
    if root.tag.startswith(CP12):
        general = root.find(f"{CP12}metadata/{IMSMD}lom/{IMSMD}general")
        title = general.find(f"{IMSMD}title/{IMSMD}langstring")
        language, title_language, org = general.findtext(f"{IMSMD}language"), title.get(XML_LANG), CP12
    else:
        general = root.find(f"{CP2004}metadata/{LOM}lom/{LOM}general")
        title = general.find(f"{LOM}title/{LOM}string")
        language, title_language, org = general.findtext(f"{LOM}language"), title.get("language"), CP2004
    return language, title.text, title_language, root.findtext(f"{org}organizations/{org}organization/{org}title")


def test_every_manifest_states_its_language_and_title_in_lom_metadata(built, course):
    """If this broke, an LMS or repository that indexes SCORM packages would not know which language
    a package is in (bokmål and nynorsk packages of one course look alike), or would show no title."""
    for z in all_zips(built):
        language, title, title_language, organization_title = manifest_language(manifest_of(z))
        assert (language, title_language) == (course.language, course.language) == ("nb", "nb"), z
        assert title == organization_title and title.startswith(course.title), z


def test_manifest_has_the_right_version_markers(built, course):
    """If this broke, an LMS would mis-detect the SCORM version (Chamilo does) and track nothing."""
    m12 = manifest_of(built / "scorm12" / f"{course.id}.zip")
    assert m12.tag == f"{CP12}manifest"
    assert m12.findtext(f"{CP12}metadata/{CP12}schemaversion") == "1.2"
    res = m12.find(f".//{CP12}resource")
    assert res.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"
    # no mastery score in 1.2: Moodle's default "Mastery score overrides status" would turn a
    # failed learner's "incomplete" into "failed" and lock them in review mode
    assert m12.find(".//{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore") is None

    m04 = manifest_of(built / "scorm2004" / f"{course.id}.zip")
    assert m04.tag == f"{CP2004}manifest"
    assert m04.findtext(f"{CP2004}metadata/{CP2004}schemaversion") == "2004 4th Edition"
    assert m04.find(f".//{CP2004}resource").get("{http://www.adlnet.org/xsd/adlcp_v1p3}scormType") == "sco"
    objective = m04.find(".//{http://www.imsglobal.org/xsd/imsss}primaryObjective")
    assert objective.get("satisfiedByMeasure") == "true"
    assert float(objective.findtext("{http://www.imsglobal.org/xsd/imsss}minNormalizedMeasure")) == course.mastery_score / 100


def test_one_sco_per_module_in_the_whole_course_package_else_one(built, course):
    """If this broke, the whole-course SCORM 1.2 package would squeeze every reflection of the course
    into one SCO's 4,096 characters again (184 characters each), the whole-course 2004 package would
    send the whole course's reflections with every save again (over 64 KiB in Moodle, the exit save
    lost), or a module package would be split."""
    for z in all_zips(built):
        root = manifest_of(z)
        ns = CP12 if root.tag.startswith(CP12) else CP2004
        items = root.findall(f".//{ns}item")
        text = zipfile.ZipFile(z).read("imsmanifest.xml").decode()
        if z.name == f"{course.id}.zip":
            assert [i.get("identifier") for i in items] == [f"ITEM-{course.id}.{m.id}" for m in course.modules]
            assert [i.findtext(f"{ns}title") for i in items] == [m.title for m in course.modules]
            assert "One SCO per module." in text
        else:
            assert len(items) == 1 and len(root.findall(f".//{ns}resource")) == 1
            assert "One SCO." in text


def test_2004_module_scos_cannot_complete_the_course_and_the_learner_can_move_between_them(built, course):
    """If this broke, an LMS that rolls status up would call the course finished when a module was
    read (or never), the final test's passing score would be missing, or the LMS would not let the
    learner move between modules through its menu (choice) and its Next/Previous (flow)."""
    imsss = "{http://www.imsglobal.org/xsd/imsss}"
    root = manifest_of(built / "scorm2004" / f"{course.id}.zip")
    org = root.find(f".//{CP2004}organization")
    mode = org.find(f"{imsss}sequencing/{imsss}controlMode")
    assert (mode.get("choice"), mode.get("flow")) == ("true", "true")
    for item in org.findall(f"{CP2004}item"):
        seq = item.find(f"{imsss}sequencing")
        rollup = seq.find(f"{imsss}rollupRules")
        objective = seq.find(f".//{imsss}primaryObjective")
        if item.get("identifier").endswith(".slutt"):           # the graded final test
            assert rollup is None
            assert float(objective.findtext(f"{imsss}minNormalizedMeasure")) == course.mastery_score / 100
        else:
            assert (rollup.get("rollupObjectiveSatisfied"), rollup.get("rollupProgressCompletion")) == ("false", "false")
            assert objective is None
        controls = seq.find(f"{imsss}deliveryControls")
        assert (controls.get("completionSetByContent"), controls.get("objectiveSetByContent")) == ("true", "true")


def test_package_without_quiz_has_no_mastery_score(built):
    """If this broke, the LMS would wait for a score that a module without a quiz never sends, and mark it failed."""
    m12 = manifest_of(built / "scorm12" / "modules" / "intro.zip")
    assert m12.find(".//{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore") is None
    m04 = manifest_of(built / "scorm2004" / "modules" / "intro.zip")
    assert m04.find(".//{http://www.imsglobal.org/xsd/imsss}primaryObjective") is None


def test_scored_quizzes_are_the_graded_ones_or_else_all(course):
    """If this broke, a practice quiz would pull the course grade down, or a module package would have no score."""
    assert course.counting_quizzes() == ("slutt",)
    assert course.counting_quizzes() == course.only("slutt").counting_quizzes()
    assert course.only("roller").counting_quizzes() == ("roller",)
    assert course.only("intro").counting_quizzes() == ()


def test_every_file_is_listed_and_the_launch_page_is_the_sco(built, course):
    """If this broke, LMS importers would drop unlisted files and pages would be blank."""
    for zpath, launches in ((built / "scorm12" / f"{course.id}.zip", [f"scorm-{m.id}.html" for m in course.modules]),
                            (built / "scorm12" / "modules" / "intro.zip", ["scorm.html"])):
        with zipfile.ZipFile(zpath) as zf:
            names = set(zf.namelist())
            root = etree.fromstring(zf.read("imsmanifest.xml"))
        listed = {f.get("href") for f in root.iter(f"{CP12}file")}
        assert listed == names - {"imsmanifest.xml"}
        scos = [r for r in root.iter(f"{CP12}resource") if r.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"]
        assert [r.get("href") for r in scos] == launches
        assert {"assets/scorm-runtime.js", "assets/kurs.js", "index.html", "mine-refleksjoner.html", *launches} <= names


def test_builds_are_byte_identical_and_identifiers_stable(course, tmp_path):
    """If this broke, every rebuild would look like a new package to the LMS and reset learners' tracking."""
    a = build_package(course, tmp_path / "a.zip", edition=SCORM12).path.read_bytes()
    b = build_package(course, tmp_path / "b.zip", edition=SCORM12).path.read_bytes()
    assert a == b
    root = manifest_of(tmp_path / "a.zip")
    idents = [el.get("identifier") for el in root.iter() if el.get("identifier")]
    assert root.get("identifier") == f"kulturskole.{course.id}.scorm12"
    assert all(i.isascii() and " " not in i and ":" not in i and not i[0].isdigit() for i in idents)
    assert len(idents) == len(set(idents))


def test_no_package_refers_to_anything_outside_itself(built):
    """If this broke, the course would try to load files from the internet and fail offline or behind a firewall."""
    for z in all_zips(built):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                if name.endswith((".html", ".js", ".css")):
                    text = zf.read(name).decode()
                    for bad in ('src="http', "src='http", 'href="//', "url(http", "@import", "fetch(", "XMLHttpRequest"):
                        assert bad not in text, (z.name, name, bad)


# ---------------------------------------------------------------------------------------------- broken packages


def _zip_fixture(folder: Path, target: Path) -> Path:
    spec = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(target, "w") as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file() and f.name != "expect.json":
                zf.write(f, spec.get("zip", {}).get("prefix", "") + f.relative_to(folder).as_posix())
        for name, content in spec.get("zip", {}).get("extra", {}).items():
            zf.writestr(name, content)
    return target


@pytest.mark.parametrize("case", sorted(p.name for p in BROKEN.iterdir() if p.is_dir()))
def test_broken_package_is_rejected_with_the_right_message(case, tmp_path):
    """If this broke, `kulturskole check` would pass a package that an LMS rejects or mis-tracks, or
    point the author at the wrong line."""
    need(xsd.available(), xsd.missing_message())
    spec = json.loads((BROKEN / case / "expect.json").read_text(encoding="utf-8"))
    problems = check_scorm(_zip_fixture(BROKEN / case, tmp_path / f"{case}.zip"))
    hits = [p for p in problems if spec["message"] in p.message]
    assert hits, "\n".join(map(str, problems))
    if "line" in spec:
        assert any(p.line == spec["line"] and p.path.endswith("imsmanifest.xml") for p in hits), "\n".join(map(str, hits))
    assert all(p.path.startswith(f"{tmp_path / case}.zip") for p in problems)


def test_check_tells_the_user_to_run_npm_ci_when_the_xsds_are_missing(built, course, monkeypatch, tmp_path):
    """If this broke, a user without node_modules would get a stack trace or, worse, a silent pass."""
    monkeypatch.setattr(xsd, "_candidates", lambda: [tmp_path / "nowhere"])
    xsd._schemas.cache_clear()
    try:
        problems = check_scorm(built / "scorm12" / f"{course.id}.zip")
    finally:
        xsd._schemas.cache_clear()
    assert len(problems) == 1 and "npm ci" in problems[0].message


def test_a_file_that_is_not_a_zip_is_reported(tmp_path):
    """If this broke, `kulturskole check` would crash on a damaged download instead of saying what is wrong."""
    bad = tmp_path / "kurs.zip"
    bad.write_bytes(b"not a zip")
    problems = check_scorm(bad)
    assert len(problems) == 1 and "not a readable zip" in problems[0].message


# ---------------------------------------------------------------------------------------------- budget


def worst_state(course, layout: Layout, caps: dict[str, int]) -> dict:
    """Every page seen, every question answered with every option, every step ticked,
    every reflection at its cap in characters that take two UTF-16 units where they can."""
    state = {"seen": {k: 1 for k in layout.pages}, "quiz": {}, "hw": {h: list(budget.ACTION_STEPS) for h in layout.homework},
             "refl": {rid: "ø" * caps[rid] for rid, _, _ in layout.reflections}, "best": 10000,
             "seq": 64 ** budget.SEQUENCE_WIDTH - 1}
    for q in layout.quizzes:
        answers = {}
        for c in q["q"]:
            answers[c["id"]] = ([f"{p}.{c['r'] - 1}" for p in c["p"]] if c["t"] == "matching" else list(c["o"][-1:])
                                if c["t"] != "multiple" else list(c["o"]))
        state["quiz"][q["id"]] = {"a": answers, "s": q["n"], "n": q["n"]}
    state["seed"] = 64 ** budget.SEED_WIDTH - 1
    state["tries"] = {q["id"]: {"t": budget.MAX_TRIES, "p": 1} for q in layout.quizzes}
    return state


def test_worst_case_is_exact_and_decodes_back(course):
    """If this broke, the build-time guarantee would not match what the runtime writes and resume could fail in an LMS."""
    pages = plan(course)
    layout = Layout.of(course, [p.key for p in pages])
    caps = layout.caps_for(4096)
    state = worst_state(course, layout, caps)
    data = encode(layout, state)
    assert len(data) == layout.worst_case(caps)
    back = decode(layout, data)
    assert back["refl"] == state["refl"] and back["quiz"] == state["quiz"] and back["best"] == 10000
    assert back["seen"] == state["seen"] and back["hw"] == state["hw"]
    assert back["seed"] == state["seed"] and back["tries"] == state["tries"]


def test_learner_data_of_the_previous_version_still_reads(course):
    """If this broke, learners who started before the update (suspend_data version 1, without the
    shuffle seed and attempt counts) would lose their reflections at their next launch, and their
    progress and answers even where the course's structure did not change."""
    layout = Layout.of(course, [p.key for p in plan(course)])
    state = {"seen": {layout.pages[1]: 1}, "refl": {"int-samarbeid": "Tekst."},
             "quiz": {"roller": {"a": {"rol-overste": ["a"]}, "s": 1, "n": 4}}}
    data = encode(layout, dict(state, seq=77))
    fingerprint, fields = data[1:5], data[data.index(".") + 1:].split(".")
    old = "1" + fingerprint + "." + ".".join(fields[:4] + fields[5:])      # version 1: no TRIES field
    back = decode(layout, old)
    assert back["seen"] == state["seen"] and back["refl"] == state["refl"] and back["tries"] == {}
    assert back["quiz"]["roller"]["a"]["rol-overste"] == ["a"] and back["seed"] == 0
    # format 2: TRIES, but no save counter in the header (format 3 has one)
    two = decode(layout, "2" + fingerprint + "." + ".".join(fields))
    assert two["seen"] == state["seen"] and two["refl"] == state["refl"] and two["seq"] == 0
    assert decode(layout, data)["seq"] == 77


def test_reflections_keep_their_text_when_the_course_changes(course):
    """If this broke, updating a course in the LMS would wipe what learners had written."""
    layout = Layout.of(course, [p.key for p in plan(course)])
    data = encode(layout, {"seen": {layout.pages[1]: 1}, "refl": {"int-samarbeid": "Tekst: med kolon og 😀."}})
    moved = Layout(layout.pages[::-1], layout.quizzes, layout.homework, layout.reflections)
    back = decode(moved, data)
    assert back["refl"] == {"int-samarbeid": "Tekst: med kolon og 😀."} and back["seen"] == {}


def long_reflections(example_course: Path, count: int, max_length: int, min_length: int = 50) -> None:
    """Give the intro module `count` reflections of `max_length` characters."""
    items = []
    for i in range(count):
        items.append(f"- id: lang-{i}\n  title: Lang refleksjon {i}\n  goal: k2\n  prompt: Skriv mye.\n"
                     f"  min_length: {min_length}\n  max_length: {max_length}\n")
    (example_course / "modules" / "intro" / "reflections.yml").write_text("".join(items), encoding="utf-8")


def test_every_reflection_holds_at_least_1500_characters_in_12_and_4000_in_2004(example_course, tmp_path):
    """If this broke, a politician's reflection would stop at a couple of hundred characters in
    SCORM 1.2 (as it once did), or the page's counter would show a limit that is not real."""
    long_reflections(example_course, 2, 2000)
    course = load_course(example_course)
    info = build_package(course, tmp_path / "k.zip", edition=SCORM12)
    assert info.worst_case <= 4096 - budget.RESERVE
    assert all(1500 <= n <= 4000 for n in info.caps.values()) and info.caps.keys() == {"lang-0", "lang-1"}
    with zipfile.ZipFile(info.path) as zf:
        html = zf.read("scorm-intro.html").decode()
    config = json.loads(html.split('id="ks-scorm-config">')[1].split("</script>")[0])
    assert config["caps"] == {rid: info.caps[rid] for rid in ("lang-0", "lang-1")}
    info04 = build_package(course, tmp_path / "k04.zip", edition=SCORM2004)
    assert info04.caps == {"lang-0": 4000, "lang-1": 4000, **{r.id: 4000 for r in course.reflections() if r.id[:5] != "lang-"}}


def test_build_fails_when_a_module_has_no_room_for_1500_characters_per_reflection(example_course, tmp_path):
    """If this broke, a package would be shipped whose reflections are cut below 1,500 characters (or
    lose learners' data in the LMS) instead of telling the author what to change."""
    long_reflections(example_course, 3, 1900, min_length=150)
    course = load_course(example_course)
    with pytest.raises(BuildFailed) as err:
        build_package(course, tmp_path / "k.zip", edition=SCORM12)
    text = str(err.value)
    assert "eksempelkurs" in text and "SCO intro" in text and "1,500 characters each" in text
    assert "move a reflection to another module" in text and "reflections.yml" in err.value.problems[0].path
    info04 = build_package(course, tmp_path / "k04.zip", edition=SCORM2004)     # reflections live in interactions
    assert info04.worst_case < 1000


def test_a_2004_sco_whose_last_save_could_outgrow_what_a_closing_page_sends_is_refused(example_course, tmp_path):
    """If this broke, a module with many long reflections or a large quiz pool would build a SCORM
    2004 SCO whose last save in Moodle (a Beacon request of all its interactions) could pass 64 KiB:
    the browser drops it, and the learner's last words and session time are lost."""
    course = load_course(example_course)
    layout = Layout.of(course.only("roller"), [p.key for p in plan(course) if p.module == "roller"])
    # the estimate errs on the large side: made the same way for the 7 values per question (with an
    # 80-character description) that Moodle 5.1 received before, it is above the 41,348 bytes measured
    # for 39 questions
    assert EXIT_SAVE_BASE + 39 * (EXIT_SAVE_QUESTION + 2 * 140 + 2 * 80) > 41_348
    assert exit_save_bytes(layout, {}, 100) < EXIT_SAVE_LIMIT
    build_package(course, tmp_path / "ok.zip", edition=SCORM2004)
    long_reflections(example_course, 6, 4000)             # six reflections of 4,000 characters in one module
    with pytest.raises(BuildFailed) as err:
        build_package(load_course(example_course), tmp_path / "big.zip", edition=SCORM2004)
    text = str(err.value)
    assert "SCO intro" in text and "could reach" in text and "64 KiB" in text and "another module" in text
    assert not (tmp_path / "big.zip").exists()


def test_check_against_says_whether_replacing_a_package_keeps_learners_data(example_course, tmp_path):
    """If this broke, an administrator replacing the package of a running Moodle activity would not
    learn beforehand that learners' answers or reflections would be lost (or would be told so wrongly)."""
    from click.testing import CliRunner
    from builder.cli import main
    course = load_course(example_course)
    old = build_package(course, tmp_path / "old.zip", edition=SCORM12, module_id="intro").path
    # a text-only change: another page text
    page = example_course / "modules" / "intro" / "01-velkommen.md"
    page.write_text(page.read_text(encoding="utf-8").replace("\n\n", "\n\nEn ny setning.\n\n", 1), encoding="utf-8")
    same = build_package(load_course(example_course), tmp_path / "same.zip", edition=SCORM12, module_id="intro").path
    result = CliRunner().invoke(main, ["check", str(same), "--against", str(old)])
    assert result.exit_code == 0 and "text-only change" in result.output
    # a reflection removed: its text would no longer be shown, so replacing is not safe
    (example_course / "modules" / "intro" / "reflections.yml").write_text(
        "- id: ny-refleksjon\n  title: Ny\n  goal: k2\n  prompt: Skriv.\n  max_length: 1500\n", encoding="utf-8")
    other = build_package(load_course(example_course), tmp_path / "other.zip", edition=SCORM12, module_id="intro").path
    result = CliRunner().invoke(main, ["check", str(other), "--against", str(old)])
    assert result.exit_code == 1
    assert "reflection int-samarbeid is no longer in it" in result.output and "loses learners' data" in result.output
    # the whole-course package against a module package: different packages, every SCO is new to Moodle
    whole = build_package(course, tmp_path / "whole.zip", edition=SCORM12).path
    result = CliRunner().invoke(main, ["check", str(whole), "--against", str(old)])
    assert result.exit_code == 1 and "not the same course and version" in result.output
    # the one-SCO whole-course package of earlier builds (manifest kulturskole.<course>.<edition>, item
    # ITEM-<course>; a one-module course still builds that shape) replaced by the one-SCO-per-module
    # package: Moodle drops the old item's data
    for edition in (SCORM12, SCORM2004):
        before = build_package(course.only("intro"), tmp_path / f"one-{edition.name}.zip", edition=edition).path
        assert [i.get("identifier") for i in manifest_of(before).iter() if i.tag.endswith("}item")] == [f"ITEM-{course.id}"]
        after = build_package(course, tmp_path / f"per-module-{edition.name}.zip", edition=edition).path
        result = CliRunner().invoke(main, ["check", str(after), "--against", str(before)])
        assert result.exit_code == 1 and "loses learners' data" in result.output, edition.name
        assert f"SCO ITEM-{course.id} is gone" in result.output and f"SCO ITEM-{course.id}.intro is new" in result.output


def test_a_manifest_kept_as_valid_does_not_pass_an_invalid_one(built, course):
    """If this broke, a package whose manifest an edit (or a tampered zip) made invalid would pass the
    build's or `check`'s XSD step because a valid manifest of that package was checked before (its
    pass is kept in the build cache), and the LMS would refuse the upload instead."""
    need(xsd.available(), xsd.missing_message())
    with zipfile.ZipFile(built / "scorm12" / f"{course.id}.zip") as zf:
        manifest = zf.read("imsmanifest.xml")
    assert xsd.validate(etree.fromstring(manifest).getroottree(), SCORM12.xsd_set) == []
    assert xsd.validate(etree.fromstring(manifest).getroottree(), SCORM12.xsd_set) == []     # kept as valid now
    broken = manifest.replace(b"</manifest>", b"<unknown/></manifest>")
    assert xsd.validate(etree.fromstring(broken).getroottree(), SCORM12.xsd_set) != []
