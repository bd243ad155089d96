"""Glossary terms linked at their first use on a page (builder/render/glossary.py)."""

from __future__ import annotations

from builder.loader import load_course
from builder.render import glossary
from builder.render.site import site_files
from tests.conftest import ROOT


def _terms(*terms: str) -> dict:
    return {t.lower(): glossary.Entry(t.lower(), "ordliste", "ordliste", t, "<p>…</p>", glossary._pattern(t)) for t in terms}


def test_the_first_use_of_a_term_links_once_and_headings_and_links_are_left_alone():
    """If this broke, a page would drown in links (every «kommunestyret»), or a heading or a link
    would get a link inside it, which screen readers read as nonsense."""
    terms = _terms("Kommunestyre", "DKS – Den kulturelle skolesekken", "Godtgjøring (for folkevalgte)")
    html = ("<h2>Kommunestyret</h2><p>Kommunestyret vedtar. Kommunestyret igjen, og <a href='x'>DKS</a> her.</p>"
            "<p>Om godtgjøringen og dks.</p>")
    linked = glossary.link_first_uses(html, terms, lambda e: "../ordliste/ordliste.html", ("m", "p"))
    assert linked.count('class="ks-term"') == 2
    assert '<h2>Kommunestyret</h2>' in linked
    assert '<a class="ks-term" href="../ordliste/ordliste.html#ord-kommunestyre">Kommunestyret</a> vedtar' in linked
    assert "godtgjøring (for folkevalgte)" in terms and '#ord-godtgjøring (for folkevalgte)">godtgjøringen</a>' in linked
    assert "og dks." in linked                        # an abbreviation only in capitals; the linked «DKS» stays as it was
    assert glossary.link_first_uses('<p><a href="#ord-kommunestyre">x</a> kommunestyret</p>', terms, lambda e: "", ("m", "p")) \
        == '<p><a href="#ord-kommunestyre">x</a> kommunestyret</p>'     # already linked by the editor


def test_the_real_course_links_most_of_its_glossary_and_a_page_can_opt_out(example_course):
    """If this broke, the glossary's 40-odd terms would again be reachable from only 4 links, or an
    editor could not keep a page (a quote, a form text) free of links."""
    course = load_course(ROOT / "course")
    _, files = site_files(course, edition="web")
    pages = [data.decode("utf-8") for name, data in files.items()
             if name.endswith(".html") and "/" in name and not name.startswith("ordliste/") and "hele-modulen" not in name]
    used = {slug for page in pages for slug in glossary.re.findall(r'class="ks-term" href="[^"#]*#ord-([a-z0-9-]+)"', page)}
    terms = glossary.entries(course)
    assert len(used) >= len(terms) * 3 // 4, f"{len(used)} of {len(terms)} terms linked"
    for page in pages:
        for slug in set(glossary.re.findall(r'class="ks-term" href="[^"#]*#ord-([a-z0-9-]+)"', page)):
            assert f'id="forklaring-{slug}"' in page                 # each link has its popover
    page_md = next((example_course / "modules" / "roller").glob("0*.md"))
    page_md.write_text(page_md.read_text(encoding="utf-8").replace("title:", "glossary_links: false\ntitle:", 1), encoding="utf-8")
    assert not load_course(example_course).module("roller").pages[0].glossary_links
