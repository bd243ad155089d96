"""axe-core run inside a real page: the one way every accessibility test checks WCAG 2.1 A/AA.

axe-core comes from node_modules (package.json), is injected as a script into the page or frame
under test and runs there; nothing is fetched from outside. Each check is here once for Playwright's
sync API and once for its async API (a scan that drives two tabs at once); both run the same scripts.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_HAS_AXE = "() => !!window.axe"
_RUN = """([tags, include]) => axe.run(include ? {include: [include]} : document,
                                   {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"""
_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _script(url: str) -> dict:
    """How axe is injected into the page at `url`: a file:// page may load it by URL, which lets Chromium
    reuse the compiled script from page to page (about twice as fast over a whole course); a page served
    over http may not."""
    return {"url": AXE.as_uri()} if url.startswith("file://") else {"path": str(AXE)}


def _lines(results: dict) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}"
            for v in results["violations"] for node in v["nodes"]]


def axe_violations(target, include: str | None = None) -> list[str]:
    """WCAG 2.1 A/AA violations of a Playwright Page or Frame, one readable line per failing node.

    `include` limits the scan to a CSS selector (for a block embedded in someone else's page)."""
    if not target.evaluate(_HAS_AXE):
        target.add_script_tag(**_script(target.url))
    return _lines(target.evaluate(_RUN, [WCAG_TAGS, include]))


async def axe_violations_async(target, include: str | None = None) -> list[str]:
    """axe_violations() for a page or frame of Playwright's async API."""
    if not await target.evaluate(_HAS_AXE):
        await target.add_script_tag(**_script(target.url))
    return _lines(await target.evaluate(_RUN, [WCAG_TAGS, include]))


def horizontal_overflow(target) -> int:
    """How many CSS px the page is wider than its viewport (0 when nothing scrolls sideways)."""
    return target.evaluate(_OVERFLOW)


async def horizontal_overflow_async(target) -> int:
    """horizontal_overflow() for a page or frame of Playwright's async API."""
    return await target.evaluate(_OVERFLOW)
