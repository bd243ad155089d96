"""Honest time: each module's minutes come from its content (builder/model/studytime.py), and an
editor cannot state a time far from that without saying why."""

from __future__ import annotations

from click.testing import CliRunner

from builder.cli import main
from builder.loader import load_course
from builder.model import studytime


def _page(words: int) -> str:
    return "---\ntitle: Lang side\n---\n\n" + " ".join(["kommunestyret"] * words) + "\n"


def test_minutes_follow_the_words_the_quiz_and_the_reflections(example_course):
    """If this broke, the front page would promise a time that has nothing to do with what the
    learner is asked to read and write (the old course said 8 t 25 min for about 5 hours' work)."""
    before = {m.id: m for m in load_course(example_course).modules}["roller"]
    (example_course / "modules/roller/02-lang.md").write_text(_page(1800), encoding="utf-8")
    (example_course / "course.yml").write_text(
        (example_course / "course.yml").read_text(encoding="utf-8") + "reading_speed: 180\n", encoding="utf-8")
    after = {m.id: m for m in load_course(example_course).modules}["roller"]
    assert after.reading_minutes - before.reading_minutes == 10          # 1,800 words at 180 a minute
    assert after.writing_minutes == before.writing_minutes == 0
    assert after.minutes == after.reading_minutes
    (example_course / "modules/roller/reflections.yml").write_text(
        "- id: r1\n  title: Tenk etter\n  goal: k1\n  prompt: Hva betyr rollen for deg?\n  min_length: 150\n  max_length: 2000\n", encoding="utf-8")
    written = {m.id: m for m in load_course(example_course).modules}["roller"]
    assert written.writing_minutes == 150 // studytime.WRITING_SPEED
    assert written.minutes == written.reading_minutes + written.writing_minutes


def test_a_stated_time_far_from_the_content_needs_a_reason(example_course):
    """If this broke, an editor could again write `minutes: 65` for 40 minutes of content and every
    learner would plan their evening around a wrong number."""
    module_yml = example_course / "modules/roller/module.yml"
    source = module_yml.read_text(encoding="utf-8")
    module_yml.write_text(source + "minutes: 60\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--course", str(example_course)])
    assert result.exit_code == 1
    assert "modules/roller/module.yml:4: minutes: 60 is more than 25% away from the" in result.output, result.output
    assert "minutes_reason:" in result.output
    module_yml.write_text(source + "minutes: 60\nminutes_reason: Modulen har en film på 55 minutter.\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["check", "--course", str(example_course)]).exit_code == 0
    roller = {m.id: m for m in load_course(example_course).modules}["roller"]
    assert roller.minutes == 60 and roller.reading_minutes == 60 - roller.writing_minutes


def test_the_front_page_shows_the_total_as_reading_plus_writing(course):
    """If this broke, the learner would see one number again, not how much of it is writing."""
    from builder.render.site import site_files
    _, files = site_files(course, edition="web")
    front = files["index.html"].decode("utf-8")
    reading = sum(m.reading_minutes for m in course.modules)
    assert f"{reading}\u00a0min lesing" in front
    for m in course.modules:
        assert m.minutes == m.reading_minutes + m.writing_minutes > 0
