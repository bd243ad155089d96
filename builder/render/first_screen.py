"""The front page's first screen painted without waiting for a stylesheet file: its CSS inline.

On the slow phone of tests/bench (150 ms round trip, 1.6 Mbit/s, CPU ×4) the front page painted
only after its two render-blocking stylesheets had arrived (53 KB: designsystemet.css and kurs.css),
1.9–2.6× later than the same text as plain HTML. Now its <head> has one <style> instead:
  * of kurs.css, every rule the front page can use, in any state: selected() with the words of the
    page and of its scripts (classes kurs.js sets count), so the front page links no kurs.css at all;
  * of designsystemet.css, the rules that match an element of the first screen as built (static
    matching with cssselect2, WeasyPrint's selector engine, on lxml's tree of the page: :hover, :focus and the like match nothing
    there, they are not on screen before the learner acts);
  * only the --ds-* tokens those rules (or the page and its scripts) read.
designsystemet.css itself is linked at the end of <body>: it is not render-blocking there, it brings the
rest of the page's rules (and the states kurs.js sets: the parser-inserted link holds the deferred
scripts until it is in), and it is in the cache for the pages after the front page.

The first screen is the page up to its first list's second item: the header, the hero and the first
module card (every card repeats the first card's markup), without what is hidden. Worked out at every
build from the page as rendered, so a component a template adds to the first screen brings its rules.

Measured (interleaved A/B, 5 rounds, tests/bench's slow phone, load 10–16): front page first contentful
paint 1.90× → 1.04× the plain-HTML floor. Bytes of the front page's first view (tests/bench/pages.py
weight(), budget 150 KB): 141.3 → 146.2 KB; the <style> is 25.0 KB (12.8 of Designsystemet with the
tokens, 12.2 of kurs.css), and kurs.css (20.1 KB) is no longer loaded by the front page but by the page
after it (om-kurset/velkommen.html: 14.0 → 34.1 KB of new bytes, budget 40).
"""

from __future__ import annotations

from functools import lru_cache

from builder.render import designsystem

# Where base.html (its literal text) puts the front page's <style> (the rules are known only once every page is rendered).
PLACEHOLDER = "<!-- first-screen stylesheet -->"


def inline(page: str, designsystemet: str, kurs: str, scripts: list[str]) -> str:
    """The front page `page` with its first screen's stylesheet in place of PLACEHOLDER."""
    if PLACEHOLDER not in page:
        raise ValueError("the front page has no place for its stylesheet (base.html: first-screen placeholder)")
    return page.replace(PLACEHOLDER, f"<style>{stylesheet(page, designsystemet, kurs, tuple(scripts))}</style>", 1)


def stylesheet(page: str, designsystemet: str, kurs: str, scripts: tuple[str, ...]) -> str:
    """The front page's own stylesheet (see the module's docstring), from the build cache when these
    inputs were seen before (working it out reads every selector of the two sheets: ~0.1 s)."""
    from builder.infra import cache
    key = cache.key("first-screen", page, designsystemet, kurs, *scripts) if cache.root() is not None else None
    found = cache.get_blob("first-screen", key) if key else None
    if found is not None:
        return found.decode("utf-8")
    words = designsystem.usage(page).union(*(_usage(s) for s in scripts))
    css = designsystem.without_unused_tokens(
        [_matching(designsystemet, _first_screen(page)) + _selected(kurs, words & _asked(kurs))], [page, *scripts])[0]
    if key:
        cache.put_blob("first-screen", key, css.encode("utf-8"))
    return css


@lru_cache(maxsize=8)
def _usage(script: str) -> frozenset[str]:
    return designsystem.usage(script)


@lru_cache(maxsize=64)
def _selected(css: str, words: frozenset[str]) -> str:
    return designsystem.selected(css, words)


@lru_cache(maxsize=8)
def _asked(css: str) -> frozenset[str]:
    """Every word a selector of `css` can ask for (designsystem._may_match): selected(css, used) is
    selected(css, used & _asked(css)), which is the same for the front pages of most packages, so
    cached, where the prose words of each page made every call new (20 ms a package)."""
    import tinycss2
    found = set()

    def walk(tokens):
        for t in tokens:
            if t.type in ("ident", "string"):
                found.add(f"w:{t.value}")
                found.update(f"w:{w}" for w in designsystem._WORD.findall(t.value))
            elif t.type in ("function", "[] block", "() block"):
                walk(t.arguments if t.type == "function" else t.content)

    def rules(nodes):
        for rule in nodes:
            if rule.type == "qualified-rule":
                walk(rule.prelude)
                if any(t.type == "{} block" for t in rule.content):      # nested rules: kept whole anyway
                    continue
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in designsystem._GROUPS:
                rules(tinycss2.parse_rule_list(rule.content))
    rules(designsystem._rules(css))
    return frozenset(found)


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


@lru_cache(maxsize=16)
def _indexed(css: str):
    """`css` as a tree of (rule, its selectors) and a cssselect2 Matcher of every selector (payload: its
    number), made once per stylesheet: a page then asks the Matcher per element, which looks only at
    the selectors of that element's id, classes and name (35 → 5 ms per package of a build)."""
    import cssselect2
    import tinycss2
    matcher, always = cssselect2.Matcher(), set()

    numbered: dict[str, int] = {}

    def _number(alternative: str) -> int:
        if alternative not in numbered:
            numbered[alternative] = n = len(numbered)
            try:
                for compiled in cssselect2.compile_selector_list(alternative):
                    matcher.add_selector(compiled, n)
            except cssselect2.SelectorError:
                always.add(n)            # a selector cssselect2 cannot read (::details-content): kept
        return numbered[alternative]

    def tree(rules):
        for rule in rules:
            if rule.type == "qualified-rule" and not any(t.type == "{} block" for t in rule.content):
                alternatives = [tinycss2.serialize(a).strip() for a in designsystem._alternatives(rule.prelude)]
                yield ("rule", rule, [(a, _number(a)) for a in alternatives])
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in designsystem._GROUPS:
                yield ("group", rule, list(tree(tinycss2.parse_rule_list(rule.content))))
            elif rule.type not in ("error", "comment", "whitespace"):
                yield ("kept", rule, None)       # @layer statements, @property, rules with nested rules

    return list(tree(designsystem._rules(css))), matcher, frozenset(always)


def _matching(css: str, elements) -> str:
    """The rules of `css` (and the selectors of a list) that match one of `elements`, in their order;
    at-rules around them kept, rules with nested rules kept whole (as designsystem.selected() does)."""
    import tinycss2
    tree, matcher, always = _indexed(css)
    hit = set(always)
    for element in elements:
        hit.update(payload for *_, payload in matcher.match(element))

    def out(nodes):
        for kind, rule, inner in nodes:
            if kind == "rule":
                kept = [alternative for alternative, n in inner if n in hit]
                if kept:
                    yield ",".join(kept) + "{" + tinycss2.serialize(rule.content) + "}"
            elif kind == "group":
                body = "".join(out(inner))
                if body:
                    yield f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{body}}}"
            else:
                yield rule.serialize()
    return "".join(out(tree))
