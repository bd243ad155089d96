"""The front page's own rules of kurs.css, inline: one render-blocking stylesheet file fewer.

On the slow phone of tests/bench (150 ms round trip, 1.6 Mbit/s, CPU ×4) the front page painted only
after its two render-blocking stylesheets had arrived (designsystemet.css 33 KB and kurs.css 20 KB).
Now its <head> links designsystemet.css only and has one <style> with every rule of kurs.css the front
page can use, in any state: designsystem.selected() with the words of the page and of its scripts (the
classes and states kurs.js sets are strings in it, so they count; when unsure a rule stays). The front
page links no kurs.css: the file is new bytes of the page after it. Worked out at every build from the
page as rendered, so a class a template or the course adds to the front page brings its rules.

Measured (interleaved A/B, 7 rounds, tests/bench's slow phone, load 18–20): front page first contentful
paint 2.22× → 1.78× the plain-HTML floor. Bytes of the front page's first view (tests/bench/pages.py
weight(), budget 150 KB): 141.3 → 133.3 KB (the <style> is 12.2 KB, kurs.css 20.1); the page after it,
om-kurset/velkommen.html, 14.0 → 34.1 KB of new bytes (budget 40).

Tried and measured, not kept: Designsystemet's rules that match the first screen inline as well (cssselect2
on the page up to its first module card) and designsystemet.css linked at the end of <body> reached
1.42× in the same A/B, but that <style> is 25 KB (29.7 KB in the nynorsk draft edition, whose banner is an
alert), and the nynorsk draft's first view 152.8 KB, over the budget (commit 9f36c4d has the code).
"""

from __future__ import annotations

from functools import lru_cache

from builder.render import designsystem

# Where base.html (its literal text) puts the front page's <style>: the rules are known once its scripts are.
PLACEHOLDER = "<!-- front page stylesheet -->"


def inline(page: str, kurs: str, scripts: list[str]) -> str:
    """The front page `page` with its rules of `kurs` (kurs.css) in place of PLACEHOLDER."""
    if PLACEHOLDER not in page:
        raise ValueError("the front page has no place for its stylesheet (base.html: front page placeholder)")
    words = (designsystem.words(page) | frozenset().union(*(designsystem.words(s) for s in scripts))) \
        & designsystem.asked(kurs)
    return page.replace(PLACEHOLDER, f"<style>{_selected(kurs, words)}</style>", 1)


@lru_cache(maxsize=64)
def _selected(css: str, words: frozenset[str]) -> str:
    """Cached by the words kurs.css asks for (designsystem.asked), which are the same for the front
    pages of most packages, where the prose words of each page made every call new (20 ms a package)."""
    return designsystem.selected(css, words)
