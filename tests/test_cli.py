"""The `kulturskole` command as a user meets it: help, version, stats and package checks."""

from __future__ import annotations

import json

import pytest

from click.testing import CliRunner

from builder import __version__
from builder.cli import main


def test_help_and_version():
    """Every command explains itself; --version says which toolkit built a package."""
    runner = CliRunner()
    assert __version__ in runner.invoke(main, ["--version"]).output
    for command in ("build", "check", "stats", "preview"):
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "--course" in result.output


def test_stats_json_counts_the_example_course(example_course):
    """The inventory an editor or facilitator reads matches what the sources hold."""
    result = CliRunner().invoke(main, ["stats", "--json", "--course", str(example_course)])
    inv = json.loads(result.output)
    assert inv["modules"] == 3 and inv["assignments"] == 1 and inv["gaps"] == 2
    # the roller quiz (4) and the final test's own pool (20)
    assert inv["questions"] == {"total": 24, "single": 13, "multiple": 3, "truefalse": 7, "matching": 1, "scenarios": 9}
    assert inv["goals"]["k2"] == {"title": "Samarbeid", "questions": 11, "reflections": 1}
    # every goal of the final test, with its own pool and how many an attempt draws
    (final,) = inv["final_test"]
    assert final["per_attempt"] == sum(g["drawn"] for g in final["goals"].values())
    assert all(g["pool"] >= g["drawn"] > 0 for g in final["goals"].values()), final


def test_stats_names_the_final_test_once_in_bokmal(example_course):
    """If this broke, an editor would read «sluttest sluttest: 20 spørsmål per forsøk» (the word and then the
    module's id, which in the real course is also «sluttest») or a line in English."""
    result = CliRunner().invoke(main, ["stats", "--course", str(example_course)], env={"KULTURSKOLE_LANG": "nb"})
    (line,) = [line for line in result.output.splitlines() if "per forsøk" in line]
    final = json.loads(CliRunner().invoke(main, ["stats", "--json", "--course", str(example_course)]).output)["final_test"][0]
    assert line == f"sluttesten (modulen {final['id']}): {final['per_attempt']} spørsmål per forsøk, trukket per mål", line


def test_check_warns_about_answer_patterns_without_failing(example_course):
    """If this broke, an editor whose quiz always has the right answer first (or mostly «Usant») would
    not hear about it, and a source-reading or printed quiz would teach learners to guess; or the
    warning would stop a build that is valid."""
    quiz = example_course / "modules" / "roller" / "quiz.yml"
    singles = "".join(f"""  - id: rol-ekstra-{i}
    type: single
    goals: [k1]
    reference: Kommuneloven § 5-{i}
    text: Spørsmål nummer {i}?
    options:
      - {{text: Kommunestyret, correct: true, explanation: Slik står det i loven.}}
      - {{text: Formannskapet, explanation: Slik står det ikke i loven.}}
""" for i in range(4))
    statements = "".join(f"""  - id: rol-usant-{i}
    type: truefalse
    goals: [k1]
    reference: Kommuneloven § 13-{i}
    text: Påstand nummer {i}.
    correct: false
    if_true: Loven sier noe annet.
    if_false: Loven sier noe annet.
""" for i in range(4))
    quiz.write_text(quiz.read_text(encoding="utf-8") + singles + statements, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--course", str(example_course)])
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code == 0, output
    assert ("warning: course/modules/roller/quiz.yml:1: in 5 of 5 single-choice questions the correct answer is "
            "option 1 — vary where the correct option stands") in output
    assert "warning: course/modules/roller/quiz.yml:1: 5 of 5 true/false answers are «Usant»" in output
    assert "slutt/quiz.yml" not in output                    # 10 questions per goal for 5 per attempt: no warning


def test_check_validates_built_packages(example_course, tmp_path):
    """`check` accepts the packages we build and rejects a file that is no package, with a reason."""
    runner = CliRunner()
    out = tmp_path / "dist"
    result = runner.invoke(main, ["build", "--course", str(example_course), "--out", str(out), "--format", "olx"])
    assert result.exit_code == 0, result.output
    archives = sorted(out.glob("olx/*.tar.gz"))
    assert archives
    result = runner.invoke(main, ["check", *map(str, archives)])
    assert result.exit_code == 0 and result.output.count(": OK") == len(archives), result.output

    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello", encoding="utf-8")
    result = runner.invoke(main, ["check", str(bogus)])
    assert result.exit_code == 1
    assert "not a package this tool knows: no format claims it — give a package of a format that checks files " \
           "(moodle, olx, scorm12, scorm2004;" in result.output


def test_unknown_format_is_refused_with_a_suggestion(example_course, tmp_path):
    """A typo in --format names the formats that exist instead of building nothing."""
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(tmp_path), "--format", "scorm21"])
    assert result.exit_code == 2
    assert "unknown format 'scorm21'" in result.output


def test_whole_course_builds_the_course_package_without_one_per_module(example_course, tmp_path):
    """`--whole-course` is the switch for a large course that goes into the LMS as one activity.
    If this broke, it would again zip every module on its own (1,000 extra zips for a 1,000-module
    course), or build nothing and say nothing; `--module` with it is a contradiction and refused."""
    out = tmp_path / "dist"
    help_text = CliRunner().invoke(main, ["build", "--help"]).output
    assert "--whole-course" in help_text and "without a package per module" in " ".join(help_text.split())
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(out),
                                       "--format", "scorm12", "--format", "scorm2004", "--whole-course"])
    assert result.exit_code == 0, result.output
    for edition in ("scorm12", "scorm2004"):
        assert sorted(p.name for p in (out / edition).iterdir()) == ["eksempelkurs.zip"]
    both = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(out),
                                     "--whole-course", "--module", "intro"])
    assert both.exit_code == 2 and "--whole-course" in both.output
    assert sorted(p.name for p in (out / "scorm12").iterdir()) == ["eksempelkurs.zip"]   # nothing changed


@pytest.mark.parametrize("value, expected", [("true", True), ("True", True), ("1", True), ("yes", True),
                                             ("", False), ("false", False), ("0", False), ("no", False)])
def test_ci_is_recognised_for_any_truthy_value(monkeypatch, value, expected):
    """If this broke, a CI service that sets CI=True or CI=yes would silently skip the browser,
    spelling and XSD tests when a tool is missing, and a broken package could land."""
    from tests.conftest import in_ci
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_check_stats_and_the_front_page_count_the_same_pages(example_course, tmp_path):
    """If this broke, `check` and `stats` would say one number of pages and the learner's front
    page («du har sett 3 av kursets N sider») another."""
    import json
    import re
    from builder.build import build
    from builder.formats import Options
    from builder.loader import load_course
    said = CliRunner().invoke(main, ["check", "--course", str(example_course)])
    assert said.exit_code == 0, said.output
    checked = int(re.search(r"(\d+) pages, of which", said.output).group(1))
    stats = json.loads(CliRunner().invoke(main, ["stats", "--json", "--course", str(example_course)]).output)
    build(load_course(example_course), tmp_path / "dist", ["web"], Options())
    data = (tmp_path / "dist" / "web" / "assets" / "kurs-data.js").read_text(encoding="utf-8")
    pages = json.loads(re.search(r"^window\.KS_COURSE = (\{.*\});$", data, re.M).group(1))["pages"]
    front_page_total = sum(1 for _key, _path, module in pages if module)     # as assets/js/kurs.js counts
    assert checked == stats["learner_pages"]["total"] == front_page_total
