"""Shared helpers and fixtures: where things are, the example course (as files and as a model),
a digest of a built folder, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The tests read the tool's messages as written in the code (English); tests/test_messages.py asks
# for bokmål itself. Without this, a machine with a C or Norwegian locale would get bokmål.
os.environ.setdefault("KULTURSKOLE_LANG", "en")


@pytest.fixture(autouse=True, scope="session")
def _build_cache(tmp_path_factory):
    """Builds in the tests keep their cache in pytest's temporary folder, not in ~/.cache."""
    if "KULTURSKOLE_CACHE" not in os.environ:
        os.environ["KULTURSKOLE_CACHE"] = str(tmp_path_factory.mktemp("build-cache"))
EXAMPLE = ROOT / "tests" / "example_course"
CHROMIUM = "/usr/bin/chromium"
# ms: the ceiling of every wait for something the browser will do (a page shown, a score, a save,
# a module opened), also of Playwright's expect(). Only a failing test waits this long: 5 s ceilings
# failed now and then on a loaded 2-core machine (load 20-30) where the same step passed alone.
# Never a speed requirement; a test that must prove something does NOT happen waits on its own.
WAIT = 30_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def in_ci() -> bool:
    """CI services set CI to "true", "True", "1" or "yes": any value but empty or an explicit no counts,
    so a missing browser or tool fails the run instead of skipping what it should have tested."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def need(condition: bool, reason: str) -> None:
    """Skip locally when a tool is missing; in CI a missing tool is a failure, never a silent skip."""
    if not condition:
        if in_ci():
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


def report_figure(variable: str, name: str, value) -> None:
    """A value measured by a test, for tests/bench/bench_build.py's report: appended as a JSON line to
    the file the environment variable `variable` names; nothing when it is unset."""
    target = os.environ.get(variable)
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(json.dumps({name: value}, ensure_ascii=False) + "\n")


def digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (posix path relative to it) with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def example_course(tmp_path) -> Path:
    """A private copy of the example course that a test may change."""
    target = tmp_path / "course"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture(scope="session")
def course():
    """The example course's model, loaded once: the model is frozen, so tests share it."""
    from builder.loader import load_course
    return load_course(EXAMPLE)


@pytest.fixture(scope="session")
def browser():
    need(Path(CHROMIUM).exists(), "Debian chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import expect, sync_playwright
    expect.set_options(timeout=WAIT)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@contextmanager
def fresh_page(browser):
    """A page in a fresh profile (no cookies, no storage) of the suite's Chromium. Tests that need a
    clean browser use this, never a second Playwright: Playwright's sync API refuses to start again
    while the session's `browser` is alive, so such a test fails whenever another browser test ran first."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def real_web(tmp_path_factory) -> Path:
    """The web edition of the real course (course/), built once for every test that reads it."""
    from builder.build import build
    from builder.formats import Options
    from builder.loader import load_course
    return build(load_course(ROOT / "course"), tmp_path_factory.mktemp("real-web"), ["web"], Options())[0]


def refuse_outside(context, *allowed: str) -> list[str]:
    """Let the browser context load only URLs that start with one of `allowed`; every other request
    is aborted and listed in the returned list, which a test asserts to be empty."""
    outside: list[str] = []
    context.route("**/*", outside_guard(allowed, outside))
    return outside


def outside_guard(allowed: tuple[str, ...], outside: list[str]):
    """refuse_outside()'s route handler, also for a context of Playwright's async API (`await
    context.route("**/*", outside_guard(...))`): it returns what the route call returns, which the
    async API awaits."""
    def guard(route):
        if route.request.url.startswith(allowed):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()
    return guard


@contextmanager
def served(directory: Path):
    """`directory` over http://127.0.0.1:<port>/, as a learner gets the web edition from a web server.
    Tests that reload pages and expect saved progress use it: Debian's Chromium now and then starts a
    file:// page with an empty localStorage (about 4 % of loads; 0 over http), see README.md."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def served_web(real_web, browser):
    """The real web edition over http (`served`), in a profile that fails the test if a page asks for
    anything outside it. For tests that write on one page and read the saved data on the next."""
    with served(real_web) as base:
        context = browser.new_context()
        outside = refuse_outside(context, base, "data:", "blob:")
        yield context, base
        context.close()
    assert outside == [], f"a page asked for something outside the package: {outside}"


@pytest.fixture
def offline_context(browser):
    """A browser profile for file:// pages that fails the test if a page asks for anything else."""
    context = browser.new_context()
    outside = refuse_outside(context, "file://", "data:", "blob:")
    yield context
    context.close()
    assert outside == [], f"a page asked for something outside the package: {outside}"


@pytest.fixture(scope="module")
def worst_course(tmp_path_factory):
    """The example course with two long reflections in module intro (tests/scorm/scorm_harness.py):
    the largest learner data the SCORM tests store."""
    from tests.scorm.scorm_harness import worst_course as make
    return make(tmp_path_factory.mktemp("worst") / "course")
