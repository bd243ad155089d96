"""axe-core (WCAG 2.1 A/AA) inside Moodle 5.1's SCORM player, on the real course's whole-course SCORM 1.2
package: our launch page (in Moodle's #scorm_object frame) and the course pages in its frame, as a
student sees them. Moodle's own page around them is not ours and is not scanned.

Needs the Moodle of ../shared/moodle (setup-moodle.sh, then `source env.sh`); skips with the reason
when MOODLE_URL is unset, as in CI. Course shortnames and students are prefixed `i13d-`.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

KIT = Path(os.environ.get("MOODLE_KIT") or Path(__file__).resolve().parents[3] / "shared" / "moodle")
sys.path.insert(0, str(KIT))
mt = pytest.importorskip("moodle_test")

from builder.formats.scorm.editions import SCORM12       # noqa: E402
from builder.formats.scorm.package import build_package   # noqa: E402
from builder.loader import load_course                    # noqa: E402
from tests.a11y import axe_violations                     # noqa: E402
from tests.conftest import ROOT                           # noqa: E402
from tests.formats.moodle_player import course_page, sco_frame  # noqa: E402
from tests.scorm.scorm_harness import answer_quiz         # noqa: E402

pytestmark = pytest.mark.skipif(not mt.available(), reason=mt.SKIP_REASON)

MODULE = "roller-og-ansvar"      # a module with boxes (fact, example, key points), a reflection and a quiz




def scan(page, frame, where: str, found: dict) -> None:
    """axe in `frame` at laptop and phone width, in the light and in the dark colour scheme (the
    package follows the system's)."""
    for width, height in ((1280, 900), (375, 740)):
        page.set_viewport_size({"width": width, "height": height})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            found[f"{where} ({width} px, {scheme})"] = axe_violations(frame)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(color_scheme="light")


def test_axe_finds_nothing_in_our_package_inside_moodles_player(browser, tmp_path):
    """If this broke, a politician using a screen reader, the keyboard or a magnifier in KS Læring would
    meet barriers in the package that the web edition's checks do not see: the launch page and the
    course pages as Moodle's player frames them (front page, a page with boxes, the reflection, the quiz)."""
    course = load_course(ROOT / "course")
    package = build_package(course, tmp_path / "kurs-12.zip", edition=SCORM12)
    tag = uuid.uuid4().hex[:6]
    info = mt.add_scorm(package.path, course=f"i13d-a11y-{tag}", student=f"i13d-a11y-{tag}",
                        name="Fremtidens kulturskole")
    assert info["version"] == "SCORM_1.2" and info["notices"] == ""
    first, module = course.modules[0], course.module(MODULE)
    found = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})   # the suite's Chromium, a fresh profile
    try:
        page = context.new_page()
        mt.login(page, info["student"], mt.STUDENT_PASSWORD)
        mt.open_scorm(page, info["cmid"])
        sco = sco_frame(page, f"scorm-{first.id}.html")
        scan(page, sco, f"scorm-{first.id}.html", found)
        scan(page, course_page(sco, "index.html"), "index.html", found)
        # Moodle's course menu launches the module's SCO; the pages of one SCO are reached in its frame
        page.locator("#scorm_toc a, #scorm_tree a").filter(has_text=module.title).first.click()
        sco = sco_frame(page, f"scorm-{MODULE}.html")
        path = f"{MODULE}/{module.pages[0].id}.html"
        inner = course_page(sco, path)
        assert inner.locator(".ks-box").count(), "the page should have a box"
        scan(page, inner, path, found)
        for kind in ("refleksjon", "quiz"):
            path = f"{MODULE}/{kind}.html"
            inner.goto(inner.url.rsplit("/", 1)[0] + f"/{kind}.html")
            inner = course_page(sco, path)
            scan(page, inner, path, found)
        answer_quiz(inner, module.quiz, right=False, timeout=10_000)      # with its feedback and explanations
        scan(page, inner, f"{MODULE}/quiz.html answered", found)
        mt.leave(page, info["cmid"])
    finally:
        context.close()
    assert len(found) == 24
    assert {where: v for where, v in found.items() if v} == {}
