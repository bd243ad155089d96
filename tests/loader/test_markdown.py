"""The Markdown that course/README.md teaches editors renders as learners should see it.

The renderer is a dependency we chose for speed (pyromark). If a later swap lost one of
the extensions the course relies on, the build would still pass but the glossary would turn into
loose paragraphs starting with ':' and tables into lines of '|', and nobody would notice until a
learner did."""

from __future__ import annotations

import re
from pathlib import Path

from builder.errors import Problems
from builder.loader import load_course
from builder.loader.markdownsrc import Renderer
from tests.conftest import ROOT



def _render(text: str, inline: bool = False) -> str:
    problems = Problems()
    html, _ = Renderer(ROOT / "course" / "media", problems).render(text, Path("side.md"), 1, inline=inline)
    assert not problems.items, problems.items
    return html


def test_glossary_terms_are_a_definition_list():
    """Every `**Term**` followed by a `: definition` line in the glossary source is one <dt>/<dd> pair."""
    source = (ROOT / "course" / "modules" / "ordliste" / "01-ordliste.md").read_text(encoding="utf-8")
    terms = re.findall(r"^\*\*(.+?)\*\*\n: ", source, flags=re.M)
    page = next(m for m in load_course(ROOT / "course").modules if m.id == "ordliste").pages[0]
    shown = re.findall(r"<dt(?: id=\"ord-[a-z0-9-]+\")?><strong>(.+?)</strong></dt>\s*<dd>", page.html)
    assert len(terms) >= 10 and shown == terms
    assert "<p>: " not in page.html


def test_tables_lists_links_and_emphasis():
    html = _render("Tekst med *vekt* og **sterk vekt**, og [en lenke](https://www.ks.no/).\n\n"
                   "| Tjeneste | Eksempel |\n|:--|--:|\n| Skole | Konsert |\n\n"
                   "- ett\n- to\n\n1. først\n2. så\n")
    assert "<em>vekt</em>" in html and "<strong>sterk vekt</strong>" in html
    assert '<a href="https://www.ks.no/">en lenke</a>' in html
    assert re.search(r'<th style="text-align: ?left">Tjeneste</th>', html)
    assert re.search(r'<td style="text-align: ?right">Konsert</td>', html)
    assert "<ul>" in html and "<ol>" in html and html.count("<li>") == 4


def test_inline_texts_have_no_paragraph_around_them():
    """Answer options and explanations sit inside the quiz's own markup: a <p> there would break
    the label layout and be announced as a separate paragraph."""
    assert _render("Kommunestyret, jf. *kommuneloven* § 5-1", inline=True) == \
        "Kommunestyret, jf. <em>kommuneloven</em> § 5-1"
    assert _render("Ordfører & varaordfører", inline=True) == "Ordfører &amp; varaordfører"


def test_an_inline_text_that_starts_like_a_list_or_heading_stays_text():
    """If this broke, an option such as «5. desember, en uke før møtet» would show as a numbered list
    inside its answer button (screen readers announce a list, axe reports the label broken), and
    «- eller ingen» as a bullet."""
    assert _render("5. desember, en uke før møtet.", inline=True) == "5. desember, en uke før møtet."
    assert _render("12) Tolv", inline=True) == "12) Tolv"
    assert _render("- eller *ingen*", inline=True) == "- eller <em>ingen</em>"
    assert _render("# ikke en overskrift", inline=True) == "# ikke en overskrift"
    assert _render("1. først\n2. så\n").startswith("<ol>")


def test_the_model_holds_no_interface_text_and_each_edition_labels_it(example_course):
    """If this broke, a nynorsk edition would show bokmål «Lovhjemmel»/«Sant» from the model (or no
    label at all): the loader would have written one language's interface texts into the course."""
    from dataclasses import replace
    from builder.render.labels import labelled
    page = example_course / "modules" / "intro" / "01-velkommen.md"
    page.write_text(page.read_text() + "\n\n:::lovhjemmel Kommuneloven § 5-3\nKommunestyret vedtar.\n:::\n")
    course = load_course(example_course)
    html = course.modules[0].pages[0].html
    assert '<p class="ks-box-title" data-box="law">Kommuneloven § 5-3</p>' in html and "Lovhjemmel" not in html
    truefalse = [q for q in course.questions() if q.type == "truefalse"]
    assert truefalse and all(o.html == "" and o.id in ("true", "false") for q in truefalse for o in q.options)
    for language, label in (("nb", "Lovhjemmel"), ("nn", "Lovheimel")):
        shown = labelled(replace(course, language=language))
        assert f'<p class="ks-box-title">{label}: Kommuneloven § 5-3</p>' in shown.modules[0].pages[0].html
        assert {o.html for q in shown.questions() if q.type == "truefalse" for o in q.options} == {"Sant", "Usant"}
        assert labelled(shown) == shown, "labelling twice changes nothing"
