"""`kulturskole stats --references`: every legal reference in the course in one table for the editors.

If this broke, an editor reviewing the law in the course would get a table that misses citations,
points at the wrong line, or stops flagging a rule cited only to a chapter or a proposition, so a
KS course owner would publish a course with claims nobody can check against the paragraph.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from builder.cli import main
from builder.loader.references import references_in
from tests.conftest import ROOT


def _refs(text: str, yaml: bool = False):
    return references_in(text, "x.md", yaml=yaml)


def test_a_paragraph_gets_its_law_and_line():
    """If this broke, the table would name the wrong law or line for «kommuneloven § 5-13»."""
    text = "Innledning.\n\nRådet kan få myndighet til å fordele en pott\n(kommuneloven § 5-13).\n"
    (ref,) = _refs(text)
    assert (ref.law, ref.cited, ref.kind, ref.source.line, ref.flagged) == (
        "kommuneloven", "§ 5-13", "paragraph", 3, False)


def test_abbreviations_and_several_paragraphs():
    """If this broke, «fvl. §§ 28 ff.» or «§ 6 første ledd bokstav b» would be lost or cut short."""
    refs = _refs("Du er inhabil (fvl. § 6 første ledd bokstav b). Klagen går etter fvl. §§ 28 ff. til klageorganet.")
    assert [(r.law, r.cited) for r in refs] == [
        ("forvaltningsloven", "§ 6 første ledd bokstav b"), ("forvaltningsloven", "§§ 28 ff")]


def test_a_law_named_after_the_paragraph_and_an_article():
    """If this broke, «artikkel 31 i barnekonvensjonen» would be filed under no law."""
    (ref,) = _refs("Barn har rett til kunst og kultur, se artikkel 31 i barnekonvensjonen.")
    assert (ref.law, ref.cited, ref.kind) == ("barnekonvensjonen", "artikkel 31", "article")


def test_a_chapter_or_proposition_for_a_rule_is_flagged():
    """If this broke, a rule cited only to «kapittel 14» or to a proposition would pass unnoticed."""
    chapter, proposition = _refs("Budsjettet skal vedtas før nyttår (kommuneloven kapittel 14). "
                                 "Plikten gjelder skolen (Prop. 100 L (2020–2021)).")
    assert chapter.kind == "chapter" and chapter.flagged
    assert proposition.kind == "proposition" and proposition.cited == "Prop. 100 L (2020–2021)"
    assert proposition.flagged


def test_a_proposition_beside_a_paragraph_or_without_a_rule_is_not_flagged():
    """If this broke, the flag list would fill with harmless background citations and editors would ignore it."""
    refs = _refs("Budsjettet skal vedtas før nyttår (kommuneloven § 14-3; Prop. 46 L (2017–2018) kapittel 14). "
                 "Proposisjonen Prop. 57 L (2022–2023) kapittel 47 beskriver bakgrunnen.")
    assert [r.kind for r in refs] == ["paragraph", "proposition", "proposition"]
    assert not any(r.flagged for r in refs)


def test_editors_notes_are_not_references():
    """If this broke, notes only editors read (HTML comments, front-matter and YAML comments) would fill the table."""
    page = "---\ntitle: T\n# kommuneloven § 5-7 er bekreftet\n---\n<!-- fvl. § 6 -->\nTekst (pbl. § 10-1).\n"
    assert [(r.cited, r.source.line) for r in _refs(page)] == [("§ 10-1", 6)]
    yml = "- id: a\n  # koml. § 5-9\n  text: Hva sier kommuneloven § 5-3?\n"
    assert [(r.cited, r.source.line) for r in _refs(yml, yaml=True)] == [("§ 5-3", 3)]


def test_stats_references_lists_the_course_with_file_and_line():
    """If this broke, `kulturskole stats --references` would not show the course's citations where they are."""
    result = CliRunner().invoke(main, ["stats", "--references", "--json", "--course", str(ROOT / "course")])
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)
    assert table["total"] == len(table["references"]) > 100
    assert table["by_law"]["kommuneloven"] > 50
    # Each row's file and line really hold what the row cites.
    for row in table["references"][::7]:
        path, line = row["where"].rsplit(":", 1)
        lines = (ROOT / path).read_text(encoding="utf-8").split("\n")
        window = " ".join(" ".join(lines[int(line) - 1:int(line) + 6]).split())
        assert (row["cited"] in window) if row["cited"] else (row["law"][:6].lower() in window.lower()), row
    text = CliRunner().invoke(main, ["stats", "--references", "--course", str(ROOT / "course")]).output
    assert "references; by law:" in text and "flagged (!)" in text


def test_a_bare_article_keeps_the_convention_named_earlier_in_the_file():
    """If this broke, «Artikkel 31 gir ...» in a later paragraph would be filed under no law."""
    refs = _refs("Barnekonvensjonen artikkel 3 gjelder.\n\nSenere: Artikkel 31 gir barn rett til kultur.\n")
    assert [(r.law, r.cited) for r in refs] == [("barnekonvensjonen", "artikkel 3"), ("barnekonvensjonen", "Artikkel 31")]


def test_the_law_card_gives_paragraphs_for_questions_in_meetings_and_every_complaint_body():
    """The lovhjemmelkort (and the template for a grunngitt spørsmål) cite the paragraph for a member's
    question in a meeting, not «kommuneloven kapittel 11», and the card names formannskapet beside
    kommunestyret and a klagenemnd as possible complaint bodies (forvaltningsloven § 28 second ledd).
    If this broke, a politician would hunt through a whole chapter for the rule, or tell a parent that
    only kommunestyret or a klagenemnd can decide the complaint when the council gave it to formannskapet."""
    for name in ("lovhjemmelkort", "grunngitt-sporsmal"):
        text = (ROOT / "course" / "materials" / f"{name}.md").read_text(encoding="utf-8")
        cited = [(r.law, r.cited) for r in references_in(text, f"materials/{name}.md", yaml=False)]
        assert ("kommuneloven", "§ 11-2 fjerde ledd") in cited, (name, cited)
        assert not [c for law, c in cited if law == "kommuneloven" and c.startswith("kapittel")], (name, cited)
    card = (ROOT / "course" / "materials" / "lovhjemmelkort.md").read_text(encoding="utf-8")
    row = next(line for line in card.splitlines() if "Forvaltningsloven § 28" in line)
    assert all(body in row for body in ("kommunestyret", "formannskapet", "klagenemnd", "§ 28 andre ledd")), row
