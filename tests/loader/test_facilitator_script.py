"""The facilitator's script (kjøreplan) of each gathering, from course/gatherings/<id>.yml to the
facilitator's guide. If these break, a facilitator opens the guide the evening before a gathering
and finds no times, no room set-up or no speaker notes, or a script under the wrong gathering."""

from __future__ import annotations

import html
import re

from click.testing import CliRunner

from builder.cli import main
from builder.formats.guide import guide_html
from builder.loader import load_course
from builder.infra import typography
from tests.conftest import ROOT



def _sections(page: str) -> dict[str, str]:
    """The guide's HTML per gathering: {gathering id: its section}."""
    parts = re.split(r'(?=<section class="gathering")', page)
    out = {}
    for part in parts[1:]:
        m = re.search(r'data-script="([^"]+)"', part)
        out[m.group(1) if m else f"unscripted-{len(out)}"] = part.split("</section>")[0]
    return out


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def test_the_guide_shows_each_gathering_with_its_own_script(example_course):
    """Length, run sheet in order, lead, method, room, speaker notes and materials appear under the
    gathering the file is named after; a gathering without a file says so instead of a blank."""
    course = load_course(example_course)
    page = guide_html(course)
    sections = _sections(page)
    first, second = _text(sections["samling-1"]), _text(sections["samling-2"])
    assert "Lengde 2 dager (dag 1 10.00–12.00, dag 2 09.00–11.30)" in first
    assert "Lengde 1 dag (dag 1 09.30–11.00)" in second
    order = [first.index(t) for t in ("10.00–10.45 Velkommen", "10.45–11.00 Pause",
                                      "11.00–12.00 Kommunegruppene arbeider", "09.00–10.30 Plan for hjemmeoppgaven")]
    assert order == sorted(order)
    for shown in ("Leder: Fasilitator", "Rommet: Stoler i rader.", "Kommunestyret er øverste organ.",
                  "Skriv ut og ta med Navneskilt", "Før samlingen Send programmet til kommunene."):
        assert shown in first, shown
    assert "Kommunestyret er øverste organ." not in second
    unscripted = [s for gid, s in sections.items() if gid.startswith("unscripted")]
    assert len(unscripted) == 1 and "Denne samlingen har ingen kjøreplan ennå." in _text(unscripted[0])


def test_a_script_for_a_gathering_that_does_not_exist_is_named(example_course):
    """A file named after a gathering that is not in timeline.yml (a typo, or a gathering that was
    removed) stops the check with the file name and the gathering it probably meant."""
    (example_course / "gatherings/samling-4.yml").write_text(
        (example_course / "gatherings/samling-2.yml").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--course", str(example_course)])
    assert result.exit_code == 1
    assert ("course/gatherings/samling-4.yml: there is no gathering 'samling-4' in timeline.yml — "
            "did you mean 'samling-3'?") in result.output, result.output


def test_every_gathering_of_the_course_has_a_script_in_the_guide():
    """The real course: each gathering of timeline.yml has a script, and every session of it (time
    and title) and every speaker note is in that gathering's part of the guide."""
    course = load_course(ROOT / "course")
    sections = _sections(guide_html(course))
    for g in course.timeline.gatherings:
        assert g.script is not None, f"course/gatherings/{g.id}.yml is missing"
        assert g.script.talks(), f"{g.id} has no speaker notes"
        shown = _text(sections[g.id])
        for day in g.script.days:
            for s in day.sessions:
                assert f"{s.time} {_text(s.title)}" in shown, (g.id, s.title)
                if s.notes_html:
                    # The print renderer keeps «§ 5-3» together (builder/infra/typography.py).
                    assert _text(typography.document(s.notes_html)) in shown, (g.id, s.title)


def test_a_problem_in_a_folded_block_of_a_script_is_shown_at_the_blocks_line(example_course):
    """`method: >-` (a folded block, one paragraph without line breaks) starts on the line after its key;
    a problem in its text is reported there, not at the key: the loader reads where the block is
    instead of guessing from the text's line breaks. If this broke, an editor would be sent to the
    wrong line of a long run sheet."""
    path = example_course / "gatherings/samling-1.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("        method: Hver kommune ved sitt bord.\n",
                        "        method: >-\n          Hver kommune <script>alert(1)</script> ved sitt bord.\n")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("          Hver kommune <script>alert(1)</script> ved sitt bord.") + 1
    result = CliRunner().invoke(main, ["check", "--course", str(example_course)])
    assert result.exit_code == 1
    assert f"samling-1.yml:{line}: " in result.output and "<script>" in result.output, result.output


def test_an_untitled_day_is_named_in_the_editions_language(example_course):
    """If this broke, a day without `title:` would carry the word the loader hard-coded («Dag 1») into
    every edition, instead of the edition's own interface text (assets/i18n/<language>.json): a
    facilitator of a translated edition would read the source language in the run sheet."""
    from builder.infra import strings
    from builder.render.labels import labelled_part
    course = load_course(example_course)
    day = next(g for g in course.timeline.gatherings if g.id == "samling-2").script.days[0]
    assert (day.title, day.number) == ("", 1)          # the model holds no word of the interface
    for language in ("nb", "nn", "en"):
        assert labelled_part(day, language).title == strings.catalogue(language)["script_day"].format(n=1)
    assert labelled_part(day, "en").title == "Day 1"
    titled = next(g for g in course.timeline.gatherings if g.id == "samling-1").script.days[1]
    assert labelled_part(titled, "en").title == "Dag 2"  # a title the editor wrote is the editor's


def test_the_parts_of_a_session_are_translated_and_keep_their_minutes():
    """If this broke, the nynorsk facilitator's guide would read «Slik blir tida brukt: 10 min Gruppene
    leser hverandres oppsummering; … Hver gruppe noterer hva den tar med seg» — bokmål inside a
    nynorsk run sheet (the parts were no segments) — or a translation could change the minutes."""
    from builder.loader import segments
    found = {s.text: s.kind for s in segments(ROOT / "course")}
    assert found.get("Gruppene leser hverandres oppsummering") == "part (a session)"
    assert not any(t.startswith(("10 min", "2 × 25 min")) for t in found), "the minutes are no words to translate"
    nb, nn = (next(s for g in load_course(ROOT / "course", *lang).timeline.gatherings if g.id == "samling-2"
                   for d in g.script.days for s in d.sessions if len(s.parts) == 3)
              for lang in ((), ("nn",)))
    assert [(p.times, p.minutes) for p in nn.parts] == [(p.times, p.minutes) for p in nb.parts]
    assert [p.text for p in nn.parts] == ["Gruppene les oppsummeringa til kvarandre",
                                          "Tilbakemelding til éi gruppe om gongen", "Kvar gruppe noterer kva ho tek med seg"]


def test_a_parts_time_never_splits_over_two_lines():
    """If this broke, the guide's run sheet would print «2» at the end of one line and «× 25 min
    Tilbakemelding …» on the next (seen in the nynorsk guide PDF, page 15)."""
    page = guide_html(load_course(ROOT / "course"))
    assert "2\u00a0×\u00a025\u00a0min Tilbakemelding til én gruppe om gangen" in page
    assert not re.search(r"\d ×|× \d", page)
