"""Learner data read back from storage is never trusted (a hostile learner's cases, replayed in
Chromium on the web edition): a saved bookmark that is a `javascript:` URL or another host's address,
progress with `"seen": null`, and ids that are JavaScript property names (`constructor`).

If one of these broke, anything that can write the site's localStorage (another page on the same
origin, an unrelated local HTML file over file://) could run script when the learner clicks
«Fortsett der du slapp», send them to another site, or stop every page's script."""

from __future__ import annotations

import json
import shutil

import pytest

from builder.build import build
from builder.formats import Options
from builder.loader import load_course
from tests.conftest import EXAMPLE, refuse_outside, served

KEY = "kulturskole:eksempelkurs"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example course, with a reflection whose id is a JavaScript property name, served over http."""
    course = tmp_path_factory.mktemp("tamper") / "course"
    shutil.copytree(EXAMPLE, course)
    reflections = course / "modules" / "intro" / "reflections.yml"
    reflections.write_text(reflections.read_text(encoding="utf-8").replace("id: int-samarbeid", "id: constructor", 1),
                           encoding="utf-8")
    out = build(load_course(course), tmp_path_factory.mktemp("web"), ["web"], Options())[0]
    with served(out) as base:
        yield base


@pytest.fixture
def page(browser, site):
    context = browser.new_context()
    outside = refuse_outside(context, site, "data:", "blob:")
    page = context.new_page()
    page.errors, page.dialogs = [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()
    assert outside == [], f"a page asked for something outside the site: {outside}"


def _plant(page, site, change) -> None:
    """Visit a page so the site saves its data, then change the saved data as an attacker would."""
    page.goto(site + "intro/samarbeid.html")
    saved = json.loads(page.evaluate(f"localStorage.getItem({KEY!r})") or "{}")
    change(saved)
    page.evaluate(f"v => localStorage.setItem({KEY!r}, v)", json.dumps(saved))


@pytest.mark.parametrize("bookmark", ["javascript:alert(document.domain)", "//evil.example/fisk", "https://evil.example/",
                                      " javascript:alert(1)", "data:text/html,<script>alert(1)</script>"])
def test_a_planted_bookmark_neither_runs_script_nor_leaves_the_site(page, site, bookmark):
    """«Fortsett der du slapp» built from a planted bookmark stays on the site and runs nothing."""
    _plant(page, site, lambda saved: saved.update(loc=bookmark))
    page.goto(site + "index.html")
    links = page.locator("[data-resume]")
    for i in range(links.count()):
        href = links.nth(i).evaluate("a => a.href")
        assert href.startswith(site), f"the resume link points at {href}"
        if links.nth(i).is_visible():
            links.nth(i).click()
            page.wait_for_load_state()
    assert page.url.startswith(site)
    assert page.dialogs == [] and page.errors == []


def test_progress_with_seen_null_breaks_no_page(page, site):
    """Saved progress whose `seen` is null (or of another kind) is discarded, and every page still works."""
    for bad in (None, "alle", 7, ["intro/samarbeid.html"]):
        _plant(page, site, lambda saved: saved.update(seen=bad))
        for path in ("index.html", "intro/velkommen.html", "roller/quiz.html"):
            page.goto(site + path)
            page.wait_for_load_state()
        assert page.errors == [], f"seen={bad!r}: {page.errors}"


def test_a_reflection_with_the_id_constructor_is_kept(page, site):
    """A reflection whose id is `constructor` is saved and shown again like any other."""
    page.goto(site + "intro/refleksjon.html")
    box = page.locator("textarea").first
    assert "constructor" in page.locator("[data-reflection]").first.evaluate("e => e.outerHTML")
    text = "Samarbeidet med skolen fungerer godt. " * 5
    box.fill(text)
    box.blur()
    page.reload()
    assert page.locator("textarea").first.input_value() == text
    assert page.errors == []
