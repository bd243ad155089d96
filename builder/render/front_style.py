"""The front page's first screen painted without waiting for any stylesheet file: its CSS inline.

On the slow phone of tests/bench (150 ms round trip, 1.6 Mbit/s, CPU ×4) the front page painted only
after its render-blocking stylesheets had crossed the line (designsystemet.css, 33 KB, and before
that kurs.css too). Now its <head> links no stylesheet; it has one <style> with
  * of kurs.css, every rule the front page can use, in any state: designsystem.selected() with the
    words of the page and of its scripts (the classes and states kurs.js sets are strings in it, so
    they count; when unsure a rule stays). The front page links no kurs.css: the file is new bytes of
    the page after it;
  * of designsystemet.css, the rules that match an element of the first screen as built (cssselect2,
    WeasyPrint's selector engine, on lxml's tree of the page; :hover, :focus and the like match
    nothing there: they are not on screen before the learner acts);
  * only the --ds-* tokens those rules, the page and its scripts read.
designsystemet.css itself is linked at the end of <body>: there it does not hold up the first paint,
it brings the rest of the page's rules (and those of the states kurs.js sets: a parser-inserted
stylesheet holds the deferred scripts until it is in), and the pages after the front page find it in
the browser's cache. Worked out at every build from the page as rendered, so a class or component a
template or the course adds to the front page brings its rules.

The first screen is the page up to its first list's second item: the header, the hero and the first
module card (every card repeats the first card's markup), without what is hidden.

Measured (tests/bench/editor.py's slow phone, interleaved A/B against the front page that linked
designsystemet.css in <head>, 9 rounds under load 23–30 on 2 cores): median first contentful paint
2.60 → 1.90 s; session 10 measured the same selection at 1.04–1.42× the plain page against 1.90–2.22×
(load 10–20). Bytes of the front page's first view (tests/bench/pages.py weight(), budget 150 KB): the
<style> is 24.4 KB (29.0 in the nynorsk draft edition, whose «utkast» banner is an alert), and the
first view 139.8 KB (146.4 in the nynorsk draft); om-kurset/velkommen.html, the page after it, brings
kurs.css: 34.2 KB of new bytes (budget 40).
"""

from __future__ import annotations

from functools import lru_cache

from builder.render import designsystem

# Where base.html (its literal text) puts the front page's <style>: the rules are known once its scripts are.
PLACEHOLDER = "<!-- front page stylesheet -->"


def inline(page: str, designsystemet: str, kurs: str, scripts: list[str]) -> str:
    """The front page `page` with its first screen's stylesheet in place of PLACEHOLDER: the rules of
    `designsystemet` (designsystemet.css) its first screen matches and its rules of `kurs` (kurs.css)."""
    if PLACEHOLDER not in page:
        raise ValueError("the front page has no place for its stylesheet (base.html: front page placeholder)")
    words = (designsystem.words(page) | frozenset().union(*(designsystem.words(s) for s in scripts))) \
        & designsystem.asked(kurs)
    css = designsystem.without_unused_tokens([designsystem.matching(designsystemet, _first_screen(page)) + _selected(kurs, words)],
                                             [page, *scripts])[0]
    return page.replace(PLACEHOLDER, f"<style>{css}</style>", 1)


@lru_cache(maxsize=64)
def _selected(css: str, words: frozenset[str]) -> str:
    """Cached by the words kurs.css asks for (designsystem.asked), which are the same for the front
    pages of most packages, where the prose words of each page made every call new (20 ms a package)."""
    return designsystem.selected(css, words)


def _first_screen(page: str) -> list:
    """The elements of `page` on its first screen: up to its first list's second item, none hidden."""
    import cssselect2
    import lxml.html          # an HTML5 tree as browsers build it for our pages; 1 ms where tinyhtml5 took 130
    root = lxml.html.document_fromstring(page)
    for hidden in root.xpath("//*[@hidden]"):
        hidden.getparent().remove(hidden)
    lists = root.xpath("//main//*[self::ol or self::ul][count(li) > 1]")
    if lists:
        node = lists[0].find("li")
        while node.getparent() is not None:          # everything after its first item, in document order
            for later in list(node.itersiblings()):
                node.getparent().remove(later)
            node = node.getparent()
    return list(cssselect2.ElementWrapper.from_html_root(root).iter_subtree())
