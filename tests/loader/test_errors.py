"""The error catalogue: each broken source stops the build with file, line, what is wrong and how
to fix it, exits non-zero, and leaves dist/ exactly as it was.

If one of these broke, an editor at KS would get a package that fails inside an LMS weeks later,
or a message that does not say where to look."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.conftest import digest

# (name, file in the course, text to replace, replacement, expected message, text marking the expected line)
CASES = [
    ("yaml-syntax", "course.yml", "title: Eksempelkurs", "title: [Eksempelkurs",
     "YAML syntax error: a list in [ ] that is not closed (it starts on line 3)", None),
    # YAML notices a missing ': ' on the next line; the editor must be sent to the line with the mistake.
    ("key-without-colon", "modules/intro/module.yml", "summary: Hva kurset handler om.", "summary Hva kurset handler om.",
     "YAML syntax error: a line without ': ' after its name, or lines under `|` or `>` that are not indented",
     "summary Hva"),
    # `- roller` indented under `- intro` is valid YAML: the one text «intro - roller», never what was meant.
    ("list-item-indented-deeper", "course.yml", "  - roller\n", "    - roller\n",
     "'- roller' is indented deeper than the line above it, so YAML reads it as more of the text on line 18, "
     "not as a list item of its own", "    - roller"),
    ("front-matter-item-in-text", "modules/intro/01-velkommen.md", "title: Velkommen\n", "title: Velkommen\n  - til kurset\n",
     "'- til kurset' is indented deeper than the line above it, so YAML reads it as more of the text on line 2, "
     "not as a list item of its own", "  - til kurset"),
    ("unknown-module", "course.yml", "  - roller\n", "  - rollr\n",
     "there is no module folder 'rollr' in modules/ — did you mean 'roller'?", "- rollr"),
    ("module-twice", "course.yml", "  - slutt\n", "  - slutt\n  - intro  # igjen\n",
     "the module 'intro' is listed twice — remove one of the lines (the first is line 18)", "intro  # igjen"),
    ("duplicate-question-id", "modules/roller/quiz.yml", "id: rol-dokumenter", "id: rol-overste",
     "the id 'rol-overste' is used twice", "- id: rol-overste\n    type: multiple"),
    ("misspelt-key", "modules/roller/quiz.yml", "reference: Kommuneloven § 5-3", "refrence: Kommuneloven § 5-3",
     "unknown key 'refrence' in a question — did you mean 'reference'?", "refrence:"),
    ("no-correct-option", "modules/roller/quiz.yml",
     'Økonomiplanen, correct: true, explanation: "Ja, kommunestyret vedtar økonomiplanen."}\n      - {text: Årsbudsjettet, correct: true,',
     'Økonomiplanen, explanation: "Ja, kommunestyret vedtar økonomiplanen."}\n      - {text: Årsbudsjettet,', None, None),
    ("option-without-explanation", "modules/roller/quiz.yml",
     "        explanation: Formannskapet har bare myndighet som kommunestyret gir det.\n", "",
     "an option is missing 'explanation' — add a line `explanation: ...`", "- text: Formannskapet"),
    ("explanation-with-verdict", "modules/roller/quiz.yml", "explanation: Kommunestyret er øverste organ.",
     "explanation: Riktig. Kommunestyret er øverste organ.",
     "the explanation starts with 'Riktig' — leave the verdict out (the page already says whether the choice is right)",
     "explanation: Riktig."),
    ("single-two-correct", "modules/roller/quiz.yml", "      - text: Formannskapet\n",
     "      - text: Formannskapet\n        correct: true\n",
     "a single-choice question needs exactly one correct option, this one has 2", "options:"),
    ("unknown-question-type", "modules/roller/quiz.yml", "type: single", "type: singel",
     "unknown question type 'singel' — did you mean 'single'?", "type: singel"),
    ("matching-unknown-role", "modules/roller/quiz.yml", "role: Kommunedirektøren", "role: Kommunedirektør",
     "the role 'Kommunedirektør' is not in `roles:` — did you mean 'Kommunedirektøren'?", "role: Kommunedirektør"),
    ("empty-page", "modules/intro/02-samarbeid.md", None, "---\ntitle: Samarbeid\n---\n\n",
     "the page has no text", None),
    ("missing-image", "modules/intro/01-velkommen.md", "media/tidslinje.svg", "media/tidslinja.svg",
     "the image 'media/tidslinja.svg' does not exist — did you mean 'tidslinje.svg'?", "tidslinja"),
    ("script-in-markdown", "modules/intro/02-samarbeid.md", "hver for seg.",
     "hver for seg.\n\n<script>alert('x')</script>", "HTML element <script> is not allowed", "<script>"),
    ("unclosed-bold", "modules/intro/02-samarbeid.md", "hver for seg.", "hver for seg. Det er **viktig.",
     "'**' shows as two stars: a bold text that is opened and not closed", "**viktig"),
    ("iframe-in-markdown", "modules/intro/02-samarbeid.md", "hver for seg.",
     "hver for seg.\n\n<iframe src=\"media/x.html\"></iframe>", "HTML element <iframe> is not allowed", "<iframe"),
    ("event-handler", "modules/intro/02-samarbeid.md", "hver for seg.",
     "hver for seg. <span onclick=\"go()\">Klikk</span>", "the attribute 'onclick' runs script", "onclick"),
    ("external-image", "modules/intro/01-velkommen.md", "(media/tidslinje.svg)", "(https://example.com/tidslinje.png)",
     "the image 'https://example.com/tidslinje.png' would be loaded from another site", "https://example.com"),
    ("image-without-alt", "modules/intro/01-velkommen.md", "![En tidslinje med tre samlinger]", "![]",
     "the image 'media/tidslinje.svg' has no alternative text", "![]"),
    ("deadline-outside-gap", "modules/roller/homework.yml", "due_days_before: 7", "due_days_before: 90",
     "the deadline of 'hjem-kartlegging' (90 days before 'samling-2') falls outside the 84 days between "
     "'samling-1' and 'samling-2' — set due_days_before to a number from 0 to 83", "due_days_before"),
    ("gatherings-out-of-order", "timeline.yml", "week: 12", "week: 40",
     "the gathering 'samling-3' is not after 'samling-2'", "- id: samling-3"),
    ("unknown-goal", "modules/intro/reflections.yml", "goal: k2", "goal: k3",
     "there is no competence goal 'k3'", "goal: k3"),
    ("homework-after-last-gathering", "modules/roller/homework.yml", "after: samling-1", "after: samling-3",
     "there is no gap after a gathering 'samling-3' — 'samling-3' is the last gathering", "after: samling-3"),
    ("script-bad-time", "gatherings/samling-1.yml", "time: 10.00–10.45", "time: 10.00 til 10.45",
     "'10.00 til 10.45' is not a start and an end time — write the start and end like `time: 10.00–10.45`",
     "time: 10.00 til"),
    # YAML reads `10:30` as a number (630), not as text: the message must still make sense.
    ("script-time-without-end", "gatherings/samling-2.yml", "time: 09.30–11.00", "time: 10:30",
     "the time is not a start and an end time — write the start and end like `time: 10.00–10.45`", "time: 10:30"),
    ("script-sessions-overlap", "gatherings/samling-1.yml", "time: 11.00–12.00", "time: 10.50–12.00",
     "the session 'Kommunegruppene arbeider' starts at 10.50, before 'Pause' ends at 11.00 — list the sessions "
     "of a day in the order they happen", "- time: 10.50"),
    ("script-ends-before-it-starts", "gatherings/samling-1.yml", "time: 09.00–10.30", "time: 10.30–09.00",
     "the session ends (09.00) before it starts (10.30)", "time: 10.30–09.00"),
    ("script-misspelt-key", "gatherings/samling-1.yml", "room: Stoler i rader.", "rom: Stoler i rader.",
     "unknown key 'rom' in a session — did you mean 'room'?", "rom: Stoler"),
    ("script-without-days", "gatherings/samling-2.yml", "days:", "dager:",
     "a gathering's script is missing 'days' — add a line `days: ...`", "purpose:"),
    ("draw-old-form", "modules/slutt/quiz.yml", "draw:\n  k1: 5\n  k2: 5\n", "draw:\n  count: 10\n",
     "`draw:` now counts the questions per competence goal, from this quiz's own questions", "draw:"),
    ("draw-more-than-the-pool", "modules/slutt/quiz.yml", "k1: 5", "k1: 12",
     "each attempt draws 12 questions of k1, but the quiz has 10 — write at least 2 more question(s) with "
     "`goals: [k1]`, or lower the number", "k1: 12"),
    ("draw-question-with-two-goals", "modules/slutt/quiz.yml", "goals: [k2]\n    reference: Barnekonvensjonen artikkel 12",
     "goals: [k1, k2]\n    reference: Barnekonvensjonen artikkel 12",
     "the question 'slutt-k2-barn' has 2 competence goals; in a quiz with `draw:` each question belongs to exactly one",
     "- id: slutt-k2-barn"),
    ("no-attempts", "course.yml", "final_test_attempts: 2", "final_test_attempts: 0",
     "'final_test_attempts' in course.yml is 0; it must be a whole number from 1 to 100", "final_test_attempts"),
    ("non-utf8", "modules/intro/02-samarbeid.md", None, "---\ntitle: Samarbeid\n---\n\nBl\xe5b\xe6r".encode("latin-1"),
     "the file is not UTF-8 text", None),
]


def _line_of(path: Path, marker: str) -> int:
    """The line where `marker` starts (markers may span lines to be unique)."""
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(marker)) + 1


@pytest.mark.parametrize("name,file,old,new,message,marker", CASES, ids=[c[0] for c in CASES])
def test_broken_source_is_reported_and_dist_untouched(example_course, tmp_path, name, file, old, new, message, marker):
    """A broken source names its file and line, says what to write instead, and changes nothing in dist/."""
    path = example_course / file
    if isinstance(new, bytes):
        path.write_bytes(new)
    elif old is None:
        path.write_text(new, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text not found: {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    dist = tmp_path / "dist"
    (dist / "web").mkdir(parents=True)
    (dist / "web" / "index.html").write_text("the previous, good build", encoding="utf-8")
    before = digest(dist)

    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(dist), "--format", "web"])
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")

    assert result.exit_code == 1, output
    assert digest(dist) == before, "a failed build changed dist/"
    assert output.rstrip().endswith(("problem found", "problems found")), output
    shown = f"course/{file}"
    if name == "no-correct-option":
        message = "the question has no correct option"
        line = _line_of(path, "options:\n      - {text: Økonomiplanen,")
    elif name == "yaml-syntax":
        line = _line_of(path, "title: [") + 1  # PyYAML notices the open bracket on the next line
    elif name in ("empty-page",):
        line = 4
    elif name == "non-utf8":
        line = 5
    else:
        line = _line_of(path, marker)
    assert f"{shown}:{line}: {message}" in output, output
    # every message says what to do: the part after the dash is never empty
    for row in output.splitlines():
        if row.startswith("course/"):
            assert " — " in row and row.split(" — ", 1)[1].strip(), row


def test_all_problems_of_a_run_are_reported_together(example_course, tmp_path):
    """An editor fixes every problem in one pass instead of one per build."""
    quiz = example_course / "modules/roller/quiz.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("type: single", "type: singel"), encoding="utf-8")
    page = example_course / "modules/intro/02-samarbeid.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<script>x()</script>\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--course", str(example_course)])
    assert result.exit_code == 1
    assert "course/modules/roller/quiz.yml:" in result.output and "course/modules/intro/02-samarbeid.md:" in result.output
    assert "2 problems found" in result.output


def test_missing_required_files_are_named(example_course, tmp_path):
    """A module folder without module.yml, or a course without timeline.yml, is named with what the
    file must hold, instead of a crash or a silently empty module."""
    (example_course / "modules/intro/module.yml").unlink()
    (example_course / "timeline.yml").unlink()
    result = CliRunner().invoke(main, ["check", "--course", str(example_course)])
    assert result.exit_code == 1
    assert ("course/modules/intro/module.yml: module.yml is missing — add it with at least "
            "`title:` and `summary:`") in result.output, result.output
    assert "course/timeline.yml: timeline.yml is missing — create it with the gatherings" in result.output
    missing = CliRunner().invoke(main, ["check", "--course", str(tmp_path / "no-course")])
    assert missing.exit_code == 1 and "no-course/course.yml: course.yml is missing" in missing.output


def test_unknown_module_option_fails_cleanly(example_course, tmp_path):
    """`--module` with a typo says which modules exist instead of building an empty package."""
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(tmp_path / "d"),
                                       "--format", "web", "--module", "rollr"])
    assert result.exit_code == 1
    assert "there is no module 'rollr' — did you mean 'roller'?" in result.output


@pytest.mark.parametrize("name", ["hele-modulen", "quiz", "refleksjon", "hjemmearbeid"])
def test_a_page_named_like_a_page_the_site_writes_is_refused(example_course, tmp_path, name):
    """If this broke, a page file `03-hele-modulen.md` would silently be overwritten by the module's
    print page (the loader's own list of the site's page names lacked it), and a SCORM package whose
    reading order holds a page that no longer exists can never report completed."""
    (example_course / "modules" / "intro" / f"03-{name}.md").write_text("---\ntitle: Side\n---\nTekst.\n", encoding="utf-8")
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(out), "--format", "web"])
    assert result.exit_code == 1 and not out.exists()
    assert (f"course/modules/intro/03-{name}.md:1: a page cannot be called '{name}'; the course writes a page "
            f"of that name itself — rename the file, for example to `03-om-{name}.md`") in result.output, result.output
