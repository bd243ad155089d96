"""Only the Designsystemet rules our pages and scripts can match ship (builder/render/designsystem.py,
selected()): pages styled with the shipped stylesheets look exactly as with every rule of the same
components, in Chromium's computed styles, also after the scripts ran and a quiz was answered."""

from __future__ import annotations

import re
import shutil

from builder.loader import load_course
from builder.render import designsystem
from builder.render.site import PAGE_SCRIPTS
from tests.conftest import ROOT

SHEETS = ("designsystemet.css", "designsystemet-pages.css", "designsystemet-forms.css")

# Every element's and its ::before/::after's computed style (custom properties aside: the tokens no kept rule
# reads are left out on purpose, tests/render/test_tokens.py), per element (document order) its name and a
# hash of the style (FNV-1a): the text itself, ~100,000 values per page, takes long to pass to Python.
# The property names are read once per page, by name afterwards: walking each style by index (s.length,
# s[i]) made Chromium list the ~135 inherited custom properties again at every step, 4-6× slower
# (sluttest/quiz.html, 997 elements: 29-36 s → 6-7 s at load 15) for the same values.
STYLES = """() => {
 const names = [...getComputedStyle(document.documentElement)].filter(n => !n.startsWith('--'));
 return [...document.querySelectorAll('*')].map(e => {
  const out = [];
  for (const pseudo of [null, '::before', '::after']) {
    const s = getComputedStyle(e, pseudo);
    if (pseudo && s.content === 'none') continue;
    for (const n of names) out.push(n + ':' + s.getPropertyValue(n));
  }
  const text = out.join(';');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return e.tagName + '.' + e.className + ' ' + (h >>> 0);
 });
}"""


# Styles are read once the page has settled: the fonts in and every box the same size over ten drawn
# frames. The front page's programme <details> is opened by kurs.js on wide screens and Designsystemet
# animates its opening (a 0.4 s transition of ::details-content's height, which document.getAnimations()
# does not list), so its box was read at 310, 456 or 676 px from one load to the next.
SETTLED = """async () => {
  await document.fonts.ready;
  const sizes = () => [...document.querySelectorAll('body *')].map(e => e.offsetHeight).join();
  let last = sizes(), same = 0;
  for (let frame = 0; same < 10 && frame < 600; frame++) {
    await new Promise(done => requestAnimationFrame(() => done()));
    const now = sizes();
    same = now === last ? same + 1 : 0;
    last = now;
  }
}"""


_FIRST_SCREEN = re.compile(r"<style>.*?</style>", re.S)


def _sheets(web, colour, select):
    """The site's three Designsystemet stylesheets as the build makes them from its pages and scripts
    (builder/render/site.py), with `select` as the rule selection."""
    # The pages as rendered, before the front page got its inline stylesheet (builder/render/front_style.py),
    # which the build adds once these stylesheets are made.
    texts = [_FIRST_SCREEN.sub("", p.read_text(encoding="utf-8")) for p in sorted(web.rglob("*.html"))]
    texts += [(web / "assets" / name).read_text(encoding="utf-8") for name in PAGE_SCRIPTS]
    used = frozenset().union(*(designsystem.usage(t) for t in texts))
    front = designsystem.usage(_FIRST_SCREEN.sub("", (web / "index.html").read_text(encoding="utf-8"))) | designsystem.usage(texts[-2])
    real = designsystem.selected
    try:
        designsystem.selected = select
        # Worked out, not from the build cache (which keys on the texts, not on the selection asked for).
        return designsystem._stylesheets_for(used, colour, own=[(web / "assets" / "kurs.css").read_text(encoding="utf-8")], front=front)
    finally:
        designsystem.selected = real


def _pages(web) -> list[str]:
    """Pages that together have every class, element and kind of page the site's pages have (a greedy
    cover, ~10 of ~90 pages): what a rule can match on one page it can match on one of these."""
    words = {p.relative_to(web).as_posix(): set(re.findall(r'<([a-z][\w-]*)|data-(?:kind|variant|color|size)="([^"]*)"|class="([^"]*)"',
                                                              p.read_text(encoding="utf-8"))) for p in web.rglob("*.html")}
    sizes = {p.relative_to(web).as_posix(): p.read_text(encoding="utf-8").count("<") for p in web.rglob("*.html")}
    words = {path: {w for groups in found for value in groups for w in value.split()} for path, found in words.items()}
    left, chosen = set().union(*words.values()), ["index.html"]
    left -= words["index.html"]
    while left:
        # The most new words per element: the short pages that have them (a page's styles take time to read).
        best = max(sorted(words), key=lambda path: len(words[path] & left) / sizes[path])
        chosen.append(best)
        left -= words[best]
    return chosen


def test_every_page_looks_the_same_with_only_the_selected_rules(real_web, browser, tmp_path):
    colour = load_course(ROOT / "course").colour
    """If this broke, a rule a page or a script needs would have been left out of the shipped
    stylesheets: a learner would see a button without its colour, a quiz's feedback without its box
    or a card without its border, on the page or only after answering."""
    shipped = _sheets(real_web, colour, designsystem.selected)
    for name in SHEETS:     # the stylesheets made here are the ones the build shipped
        assert shipped[name] == (real_web / "assets" / name).read_bytes(), name
    whole = tmp_path / "whole"
    shutil.copytree(real_web, whole)
    for name, data in _sheets(real_web, colour, lambda css, used: css).items():
        (whole / "assets" / name).write_bytes(data)
    assert sum(len(d) for d in shipped.values()) < sum((whole / "assets" / n).stat().st_size for n in SHEETS)
    differ = []
    pages = _pages(real_web)
    for path in pages:
        seen = []
        for site in (real_web, whole):
            # A new learner for each load (nothing stored), drawing the same quiz shuffle.
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script("Math.random = (() => { let s = 7; return () => ((s = (s * 16807) % 2147483647) / 2147483647); })();")
            page = context.new_page()
            page.goto((site / path).as_uri())
            page.wait_for_load_state("load")
            page.evaluate(SETTLED)
            styles = page.evaluate(STYLES)
            choice = page.locator("form[data-quiz] fieldset[data-question] input:visible")
            if choice.count():          # answered and checked: the feedback's classes come from quiz.js
                choice.first.check()
                page.locator("form[data-quiz] button[type=submit]").click()
                page.evaluate(SETTLED)
                styles += page.evaluate(STYLES)
            seen.append(styles)
            context.close()
        if seen[0] != seen[1]:
            first = next((i for i, (a, b) in enumerate(zip(*seen)) if a != b), 0)
            differ.append(f"{path}: {seen[0][first]} (with every rule: {seen[1][first]})")
    assert len(pages) >= 5
    assert differ == [], "\n".join(differ)


def test_a_prose_edit_keeps_the_stylesheets_and_a_new_variant_gets_its_rules(tmp_path, monkeypatch):
    """If this broke, either every prose edit would work the three stylesheets out again (the
    build cache kept them by every word of the pages: ~0.1 s of CPU in each process that renders a
    site or a package), or a page that starts using a variant of a component the pages already use
    would get the stylesheets kept for the pages before it: a learner would see a secondary button
    drawn without its secondary look."""
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    worked = []
    real = designsystem._stylesheets_for
    monkeypatch.setattr(designsystem, "_stylesheets_for", lambda *args: worked.append(args) or real(*args))
    page = '<main><p>Kulturskolen i kommunen.</p><button class="ds-button" data-variant="primary">Neste</button></main>'
    first = designsystem.stylesheets([page], "#1e6e8c")
    assert len(worked) == 1 and list((tmp_path / "cache").rglob("stylesheets/*/*"))
    prose = page.replace("Kulturskolen i kommunen", "Ny tekst om planer, budsjett og medvirkning i regionen")
    assert designsystem.stylesheets([prose], "#1e6e8c") == first
    assert len(worked) == 1, "a prose edit worked the stylesheets out again"
    secondary = designsystem.stylesheets([page.replace('"primary"', '"secondary"')], "#1e6e8c")
    assert b"data-variant=secondary" in secondary["designsystemet.css"]
    assert b"data-variant=secondary" not in first["designsystemet.css"]
