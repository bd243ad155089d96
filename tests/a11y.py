"""axe-core run inside a real page: the one way every accessibility test checks WCAG 2.1 A/AA.

axe-core comes from node_modules (package.json), is injected as a script into the page or frame
under test and runs there; nothing is fetched from outside.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(target, include: str | None = None) -> list[str]:
    """WCAG 2.1 A/AA violations of a Playwright Page or Frame, one readable line per failing node.

    `include` limits the scan to a CSS selector (for a block embedded in someone else's page)."""
    if not target.evaluate("() => !!window.axe"):
        # A file:// page may load axe by URL, which lets Chromium reuse the compiled script from page
        # to page (about twice as fast over a whole course); a page served over http may not.
        if target.url.startswith("file://"):
            target.add_script_tag(url=AXE.as_uri())
        else:
            target.add_script_tag(path=str(AXE))
    results = target.evaluate(
        """([tags, include]) => axe.run(include ? {include: [include]} : document,
                                        {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [WCAG_TAGS, include])
    return [f"{v['id']} ({v['impact']}): {v['help']} — {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}"
            for v in results["violations"] for node in v["nodes"]]


def horizontal_overflow(target) -> int:
    """How many CSS px the page is wider than its viewport (0 when nothing scrolls sideways)."""
    return target.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
