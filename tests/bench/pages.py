"""Page weight and first paint of a built web edition: what a learner on a slow phone waits for.

Run: .venv/bin/python tests/bench/pages.py      (builds course/ as the web edition in a temp dir)

  * bytes per page: the page's HTML plus every stylesheet and script it references (each page
    counted as if nothing were cached), median and max over all pages; the same for the quiz pages,
    and the final test's answer file (svar.js, loaded when an attempt is checked);
  * the weight budgets: the front page's first view (HTML, CSS, JS and images, nothing
    cached) against 150 KB, and the new bytes of each following page in reading order (what its
    predecessors did not already load) against 40 KB;
  * first-contentful-paint of the first page (index.html) in Debian's headless Chromium from
    file://, median of 5 fresh browser profiles, next to the same for a plain HTML page with the
    same text and no CSS or JS: the floor no styling can beat.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RUNS = 5
FCP = """() => new Promise(done => {
  const found = () => performance.getEntriesByName("first-contentful-paint")[0];
  if (found()) return done(found().startTime);
  new PerformanceObserver(() => { if (found()) done(found().startTime); }).observe({type: "paint", buffered: true});
})"""


class _References(HTMLParser):
    """The local stylesheets and scripts one HTML page asks the browser for."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.urls.append(a["href"])


def linked_bytes(page: Path) -> int:
    """The CSS and JS files an HTML page references (local files only), in bytes."""
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    total = 0
    for url in dict.fromkeys(parser.urls):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            raise ValueError(f"{page} references {url} outside the package")
        total += (page.parent / unquote(parts.path)).resolve().stat().st_size
    return total


def loaded_files(page: Path) -> list[Path]:
    """Every local file the browser loads for an HTML page: itself, its CSS and JS, its images."""
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    files = [page]
    for url in dict.fromkeys(parser.urls + parser.images):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            raise ValueError(f"{page} references {url} outside the package")
        files.append((page.parent / unquote(parts.path)).resolve())
    return files


KB = 1000
# 150 KB for the front page's first view (a phone on a metered plan). The learner-data layer, the truthful results and
# the nynorsk edition's longer texts had brought the real course to 150.6 KB (bokmål) / 152.8 KB
# (nynorsk); since the components only the later pages use (breadcrumbs, popovers) left the front
# page's stylesheet (builder/render/designsystem.py), it is back under 150 in both editions.
FRONT_BUDGET = 150 * KB
PAGE_BUDGET = 40 * KB         # new bytes of each following page


def weight(web_dir: Path, reading_order: list[str]) -> dict:
    """The front page's first view in bytes, and per following page (reading order) the bytes of the
    files no earlier page loaded: a browser's cache counts each shared asset once."""
    web_dir = Path(web_dir)
    seen: set[Path] = set()
    new = {}
    for path in reading_order:
        files = [f for f in loaded_files(web_dir / path) if f not in seen]
        new[path] = sum(f.stat().st_size for f in files)
        seen.update(files)
    front = new.pop(reading_order[0])
    heaviest = max(new, key=new.get) if new else ""
    return {"front_bytes": front, "next_max_bytes": new.get(heaviest, 0), "next_max_page": heaviest,
            "next_median_bytes": int(statistics.median(new.values())) if new else 0, "next_bytes": new}


def page_bytes(page: Path) -> int:
    """The page's HTML plus the CSS and JS files it references."""
    return page.stat().st_size + linked_bytes(page)


def _first_paint(browser, url: str) -> float:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        return page.evaluate(FCP)
    finally:
        context.close()


def _plain_copy(page, target: Path) -> Path:
    """A page with the same visible text as the one loaded in `page`, without any CSS or JS."""
    from html import escape
    text = page.evaluate("() => document.body.innerText")
    paragraphs = "".join(f"<p>{escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    target.write_text(f'<!doctype html>\n<html lang="nb">\n<meta charset="utf-8">\n<title>floor</title>\n{paragraphs}',
                      encoding="utf-8")
    return target


def measure_pages(web_dir: Path) -> dict:
    """Bytes per page (median, max) and the first page's first-contentful-paint against the floor."""
    from playwright.sync_api import sync_playwright
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    web_dir = Path(web_dir)
    sizes = {p.relative_to(web_dir).as_posix(): page_bytes(p) for p in sorted(web_dir.rglob("*.html"))}
    heaviest = max(sizes, key=sizes.get)
    first = web_dir / "index.html"
    with tempfile.TemporaryDirectory(prefix="ks-floor-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(first.as_uri())
            floor = _plain_copy(page, Path(tmp) / "floor.html")
            context.close()
            _first_paint(browser, first.as_uri())            # warm the OS file cache for both
            _first_paint(browser, floor.as_uri())
            course_runs = [_first_paint(browser, first.as_uri()) for _ in range(RUNS)]
            floor_runs = [_first_paint(browser, floor.as_uri()) for _ in range(RUNS)]
        finally:
            browser.close()
    from builder.loader import load_course
    from builder.render.site import plan
    budget = weight(web_dir, [p.path for p in plan(load_course(ROOT / "course"))])
    quizzes = {path: size for path, size in sizes.items() if path.endswith("/quiz.html")}
    answers = {path: (web_dir / path).parent.joinpath("svar.js").stat().st_size for path in quizzes
               if (web_dir / path).parent.joinpath("svar.js").is_file()}
    return {
        **budget,
        "quiz_bytes": quizzes,
        "answers_bytes": answers,
        "pages": len(sizes),
        "bytes_median": int(statistics.median(sizes.values())),
        "bytes_max": sizes[heaviest],
        "bytes_max_page": heaviest,
        "fcp_ms": round(statistics.median(course_runs), 1),
        "fcp_floor_ms": round(statistics.median(floor_runs), 1),
        "fcp_runs": [round(x, 1) for x in course_runs],
        "fcp_floor_runs": [round(x, 1) for x in floor_runs],
    }


def main() -> None:
    from builder.build import build
    from builder.formats import Options
    from builder.loader import load_course

    with tempfile.TemporaryDirectory(prefix="ks-pages-") as tmp:
        report(build(load_course(ROOT / "course"), Path(tmp), ["web"], Options())[0])


def report(web: Path) -> None:
    m = measure_pages(web)
    print(f"web edition of course/: {m['pages']} pages")
    print(f"  HTML+CSS+JS per page: median {m['bytes_median'] / 1024:.1f} KiB, "
          f"max {m['bytes_max'] / 1024:.1f} KiB ({m['bytes_max_page']})")
    print(f"  first-contentful-paint of index.html (file://, headless Chromium, median of {RUNS}): "
          f"{m['fcp_ms']:.0f} ms; plain HTML with the same text: {m['fcp_floor_ms']:.0f} ms "
          f"(+{m['fcp_ms'] - m['fcp_floor_ms']:.0f} ms)")
    print(f"  runs: {m['fcp_runs']} / floor {m['fcp_floor_runs']}")
    modules = [n for path, n in m["quiz_bytes"].items() if path not in m["answers_bytes"]]
    if modules:
        print(f"  module quiz pages, first load (HTML+CSS+JS, nothing cached): median {statistics.median(modules) / KB:.1f} KB, "
              f"max {max(modules) / KB:.1f} KB")
    for path, n in m["answers_bytes"].items():
        print(f"  final test {path}, first load: {m['quiz_bytes'][path] / KB:.1f} KB; + its answers (svar.js) "
              f"{n / KB:.1f} KB when an attempt is checked")
    print(f"  front page, first view (HTML+CSS+JS+images, nothing cached): {m['front_bytes'] / KB:.1f} KB "
          f"(budget {FRONT_BUDGET / KB:.0f} KB)")
    print(f"  each following page, new bytes: median {m['next_median_bytes'] / KB:.1f} KB, max {m['next_max_bytes'] / KB:.1f} KB "
          f"({m['next_max_page']}; budget {PAGE_BUDGET / KB:.0f} KB)")


if __name__ == "__main__":
    main()
