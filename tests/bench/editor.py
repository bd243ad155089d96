"""The editor's loop and the learner's slow phone, measured in headless Chromium.

  * preview: `kulturskole preview` on a copy of a course; one page's Markdown is saved with a new
    word, and the time from the save to that word being on screen in the course pane is taken,
    median of `saves`; then a broken YAML file, and the time until the error is on screen.
  * slow phone: 150 ms round trip, 1.6 Mbit/s down, CPU 4× slower (Chromium's DevTools
    emulation), pages served uncompressed over HTTP from 127.0.0.1: first contentful paint of the
    front page and a module quiz's first answer being usable, each next to a plain-HTML page with
    the same text (the floor); and the first paint of the course page inside the SCORM 1.2 package's
    first SCO (launch page, runtime, then the page in its frame) next to the same page of the web edition.

Each function takes `root`, the source tree whose builder runs, so a baseline tree is measured the
same way (bench_build.py --baseline). The preview's lines alone, with their floor and the load
average: `.venv/bin/python tests/bench/editor.py [--saves 10]`.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

FCP = """() => new Promise(done => {
  const found = () => performance.getEntriesByName("first-contentful-paint")[0];
  if (found()) return done(found().startTime);
  new PerformanceObserver(() => { if (found()) done(found().startTime); }).observe({type: "paint", buffered: true});
})"""
# The course page inside a SCORM launch page's frame: its first contentful paint, in the launch page's
# time (the launch page itself has nothing to paint but the frame).
FRAME_FCP = """() => new Promise(done => {
  const look = () => {
    for (let i = 0; i < window.frames.length; i++) {
      try {
        const f = window.frames[i];
        const e = f.performance.getEntriesByName("first-contentful-paint")[0];
        if (e && f.location.pathname.endsWith(".html"))
          return done([e.startTime + f.performance.timeOrigin - performance.timeOrigin, f.location.pathname]);
      } catch (err) { /* the frame is between two documents */ }
    }
    setTimeout(look, 20);
  };
  look();
})"""
# A quiz is usable when its first answer is on screen and can be chosen: laid out, enabled, and the page
# painted (a layout query answers before the stylesheets arrive, while nothing is on screen yet).
QUIZ_USABLE = """() => { const i = document.querySelector('form input[type=radio], form input[type=checkbox], form select');
  return i && i.offsetParent !== null && !i.disabled && performance.getEntriesByName("first-contentful-paint").length
    ? performance.now() : false; }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _frame_text(page) -> str:
    texts = []
    for frame in page.frames[1:]:
        try:
            texts.append(frame.evaluate("() => document.body ? document.body.innerText : ''"))
        except Exception:      # a frame navigating away meanwhile
            pass
    return "\n".join(texts)


def _shown_page(course: Path, page) -> Path:
    """The Markdown file of the page in the course pane, found by its address (<module>/<slug>.html)."""
    for frame in page.frames[::-1]:
        parts = frame.url.split("?")[0].split("/")
        if parts[-1].endswith(".html") and len(parts) >= 2:
            found = sorted(course.glob(f"modules/{parts[-2]}/*{parts[-1][:-5]}.md"))
            if found:
                return found[0]
    raise RuntimeError("none of the course's pages is on screen in the preview")


def preview_times(root: Path, course_src: Path, saves: int = 10) -> dict:
    """Median seconds from a save to the new word on screen, and from a broken save to its error."""
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="ks-bench-preview-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(course_src, course)
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-m", "builder", "preview", "--course", str(course), "--port", str(port)],
                                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env=os.environ | {"XDG_CACHE_HOME": str(Path(tmp) / "cache")})
        try:
            for line in proc.stdout:          # the first build done and the server listening
                if "127.0.0.1" in line:
                    break
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"http://127.0.0.1:{port}/")
                # The first SCO opens the front page; a module's SCO opens its first page.
                page.locator(".toc-sco").nth(2).click(timeout=60000)
                deadline = time.time() + 30
                while len(_frame_text(page)) < 200 and time.time() < deadline:
                    time.sleep(0.05)
                time.sleep(1)
                md = _shown_page(course, page)
                original = md.read_text(encoding="utf-8")
                runs = []
                for i in range(saves):
                    word = f"Benchmerke{i}x{os.getpid()}"
                    text = original.rstrip("\n") + f"\n\n{word} står her.\n"
                    started = time.perf_counter()
                    md.write_text(text, encoding="utf-8")
                    runs.append(_until(lambda: word in _frame_text(page), started))
                    time.sleep(0.3)
                # An error: a module.yml that is no YAML. On screen = anywhere in the preview window.
                yml = md.parent / "module.yml"
                good = yml.read_text(encoding="utf-8")
                errors = []
                for i in range(3):
                    started = time.perf_counter()
                    yml.write_text(good + f"\nsummary: [ikke lukket {i}\n", encoding="utf-8")
                    errors.append(_until(lambda: "module.yml" in page.evaluate("() => document.body.innerText")
                                         + _frame_text(page), started))
                    yml.write_text(good, encoding="utf-8")
                    _until(lambda: "module.yml" not in page.evaluate("() => document.body.innerText"), time.perf_counter())
                    time.sleep(0.3)
                browser.close()
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return {"save_to_screen_s": statistics.median(runs), "save_runs": runs,
            "error_to_screen_s": statistics.median(errors), "error_runs": errors}


def _until(condition, started: float, timeout: float = 20.0) -> float:
    while time.perf_counter() - started < timeout:
        if condition():
            return time.perf_counter() - started
        time.sleep(0.01)
    return float("nan")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A measurement closes its page at first paint, mid-download: no broken-pipe tracebacks."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(folder: Path):
    """An uncompressed HTTP server on 127.0.0.1 for `folder`; returns (server, base URL)."""
    httpd = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def _slow_phone(context, page) -> None:
    cdp = context.new_cdp_session(page)
    # No cache is disabled: every run is a fresh browser context, so nothing is cached when it starts,
    # and within a run a file is fetched once, as on a phone (a SCORM launch page's preloads reach its frame).
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                  "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})


def _measure(browser, url: str, script: str, runs: int) -> float:
    found = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 375, "height": 800})
        page = context.new_page()
        _slow_phone(context, page)
        page.goto(url, wait_until="commit")
        if script == "fcp":
            found.append(page.evaluate(FCP))
        elif script == "frame-fcp":
            found.append(page.evaluate(FRAME_FCP)[0])
        else:
            found.append(page.wait_for_function(script, polling="raf", timeout=30000).json_value())
        context.close()
    return statistics.median(found) / 1000


def _frame_page(browser, url: str) -> str:
    """The address of the page a SCORM launch page opens in its frame."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        return page.evaluate(FRAME_FCP)[1]
    finally:
        context.close()


def _plain(page_url: str, browser, folder: Path, name: str) -> str:
    """A plain-HTML page with the visible text of the page at `page_url` (and a radio button per
    answer of a quiz's first question, so 'usable' has a meaning), written into `folder`."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(page_url)
    text = page.evaluate("() => document.body.innerText")
    context.close()
    body = "".join(f"<p>{escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    (folder / name).write_text(f'<!doctype html>\n<html lang="nb">\n<meta charset="utf-8">\n<title>floor</title>\n'
                               f'<form><input type="radio" name="a"> A <input type="radio" name="a"> B</form>\n{body}',
                               encoding="utf-8")
    return name


def phone_times(web: Path, scorm12_zip: Path | None, runs: int = 5) -> dict:
    """Slow-phone seconds of the front page, a module quiz and the SCORM launch page, with their floors."""
    import zipfile
    from playwright.sync_api import sync_playwright
    quiz = sorted(p for p in web.glob("*/quiz.html") if "sluttest" not in p.parts)[0].relative_to(web).as_posix()
    with tempfile.TemporaryDirectory(prefix="ks-bench-phone-") as tmp, sync_playwright() as p:
        tmp = Path(tmp)
        site = tmp / "site"
        shutil.copytree(web, site / "web")
        if scorm12_zip is not None:
            with zipfile.ZipFile(scorm12_zip) as zf:
                zf.extractall(site / "scorm")
        httpd, base = serve(site)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            front_floor = _plain(base + "web/index.html", browser, site, "floor-front.html")
            quiz_floor = _plain(base + "web/" + quiz, browser, site, "floor-quiz.html")
            out = {
                "front_fcp": _measure(browser, base + "web/index.html", "fcp", runs),
                "front_fcp_floor": _measure(browser, base + front_floor, "fcp", runs),
                "quiz_usable": _measure(browser, base + "web/" + quiz, QUIZ_USABLE, runs),
                "quiz_usable_floor": _measure(browser, base + quiz_floor, QUIZ_USABLE, runs),
                "quiz_page": quiz,
            }
            if scorm12_zip is not None:
                # The course's first SCO, as an LMS opens it (without an LMS here: its runtime says so
                # and shows the course from this browser's copy), against the same page of the web edition.
                manifest = (site / "scorm" / "imsmanifest.xml").read_text(encoding="utf-8")
                launch = re.search(r'<resource [^>]*href="([^"]+)"', manifest).group(1)
                out["scorm_launch_fcp"] = _measure(browser, base + "scorm/" + launch, "frame-fcp", runs)
                out["scorm_page"] = _frame_page(browser, base + "scorm/" + launch).split("/scorm/", 1)[1]
                out["web_fcp_same_run"] = _measure(browser, base + "web/" + out["scorm_page"], "fcp", runs)
        finally:
            browser.close()
            httpd.shutdown()
            httpd.server_close()
    return out


def main() -> None:
    """The preview's two lines of the issue-28 table alone, with the floor of the same run
    (zipping the real course's web edition, as bench_build.py does) and the load average:
    .venv/bin/python tests/bench/editor.py [--saves 10]"""
    import argparse
    import json
    from tests.bench.bench_build import build_cmd, floor_zip, run
    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ks-bench-editor-") as tmp:
        tmp = Path(tmp)
        run(build_cmd(ROOT / "course", tmp / "out", ["web"]), ROOT, os.environ | {"XDG_CACHE_HOME": str(tmp / "cache")})
        floor = floor_zip(tmp / "out" / "web", tmp / "floor.zip", 5)
        load = os.getloadavg()[0]
        fig = preview_times(ROOT, ROOT / "course", args.saves)
        fig.update(floor=floor, load_average=[load, os.getloadavg()[0]])
    print(f"floor: zip the web edition (zipfile)            {floor:.3f} s")
    print(f"preview: save → text on screen, median of {args.saves:<3}   {fig['save_to_screen_s']:.2f} s "
          f"({fig['save_to_screen_s'] / floor:.1f}× floor)  target ≤ 0.3 s")
    print(f"preview: YAML error on screen, median of 3     {fig['error_to_screen_s']:.2f} s "
          f"({fig['error_to_screen_s'] / floor:.1f}× floor)  target ≤ 0.3 s")
    print(f"load average at start / end: {load:.1f} / {fig['load_average'][1]:.1f}")
    print(json.dumps(fig))


if __name__ == "__main__":
    main()
