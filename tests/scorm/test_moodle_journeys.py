"""Issue 22's learner journeys in the players learners really use, without a Moodle: the Moodle
imitation (tests/scorm/moodle-lms.js, modes "web" and "app"), scorm-again's mini-LMS and the web
edition, all in Debian's Chromium.

Each journey asserts what the site (or the browser) stores, so a report can cite the values. A
journey that reproduces a loss that is not fixed yet is marked xfail(strict=True, reason="issue 22:
…"): it runs, it must fail, and it turns the suite red the day it passes, so the marker is removed
with the fix (the status of each: /work/notes/status-i22b.md).
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from builder.formats.scorm.budget import Layout, decode, utf16_len
from builder.formats.scorm.editions import SCORM12, SCORM2004
from builder.formats.scorm.package import build_package
from builder.loader import load_course
from builder.render.site import plan
from tests.conftest import EXAMPLE, need, refuse_outside
from tests.scorm.scorm_harness import SCORM_AGAIN, MoodlePlayer, Server, prepare_www

SPEC = {"12": SCORM12, "2004": SCORM2004}
# Two long reflections with line breaks, æøå and a character outside the BMP: every one must come back.
LONG = "Vi samarbeider med biblioteket om «Kultur for alle».\nNeste år: æøå ÆØÅ – 😀 "


def figure(name: str, value) -> None:
    """Stored values for the report: appended as JSON lines when KS_SCORM_FIGURES names a file."""
    target = os.environ.get("KS_SCORM_FIGURES")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(json.dumps({name: value}, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def worst_course(tmp_path_factory):
    """The example course with two long reflections in module intro (in 1.2 they share its SCO's 4,096 characters)."""
    src = tmp_path_factory.mktemp("journeys-worst") / "course"
    shutil.copytree(EXAMPLE, src)
    (src / "modules" / "intro" / "reflections.yml").write_text("".join(
        f"- id: lang-{i}\n  title: Lang refleksjon {i}\n  goal: k2\n  prompt: Skriv mye.\n  min_length: 50\n"
        f"  max_length: 2000\n" for i in range(2)), encoding="utf-8")
    return load_course(src)


@pytest.fixture(scope="module")
def site(course, worst_course, tmp_path_factory):
    """The test server with every package of these journeys unzipped (its .info), and the builds (.builds)."""
    need(SCORM_AGAIN.joinpath("scorm12.min.js").is_file(), "scorm-again is not installed (run `npm ci`)")
    tmp = tmp_path_factory.mktemp("journeys-www")
    zips, builds = {}, {}
    for v in ("12", "2004"):
        for name, c in ((f"course{v}", course), (f"worst{v}", worst_course)):
            info = build_package(c, tmp / f"{name}.zip", edition=SPEC[v])
            zips[name], builds[name] = info.path, info
    server = Server(tmp / "www")
    server.info = prepare_www(tmp / "www", zips)
    server.builds = builds
    yield server
    server.close()


@pytest.fixture
def context(browser, site):
    """A fresh browser profile whose requests may only go to the test server."""
    ctx = browser.new_context()
    outside = refuse_outside(ctx, site.base + "/", "about:blank")
    yield ctx
    ctx.close()
    assert outside == [], f"the package asked for something outside itself: {outside}"


def sco_layout(course, module: str) -> Layout:
    """The learner-data layout of one module's SCO in the whole-course package."""
    return Layout.of(course.only(module), [p.key for p in plan(course) if p.module == module or p.kind == "my-reflections"])


def reflections(stored: dict, course, module: str, version: str) -> dict[str, str]:
    """The reflections the site holds for one module's SCO: in 1.2 inside suspend_data, in 2004 as
    long-fill-in interactions (id "refl.<reflection>", line breaks as U+2424)."""
    if version == "12":
        return decode(sco_layout(course, module), stored.get("cmi.suspend_data", ""))["refl"] if stored.get("cmi.suspend_data") else {}
    ids = {k.split(".")[2]: v for k, v in stored.items() if k.endswith(".id") and k.startswith("cmi.interactions.")}
    return {v[5:]: stored[f"cmi.interactions.{n}.learner_response"].replace("\u2424", "\n")
            for n, v in ids.items() if v.startswith("refl.")}


def walk_to_reflections(me):
    for path in ("intro/velkommen.html", "intro/samarbeid.html", "intro/refleksjon.html"):
        me.next(path)


def arrive(me, sco: str, timeout: float = 8000) -> str:
    """Wait until the player shows `sco` with a course page loaded; returns that page's path."""
    me.page.wait_for_function("s => window.currentSco === s", arg=sco, timeout=timeout)
    body = me.content.locator("body[data-path]")
    body.wait_for(timeout=timeout)
    return body.get_attribute("data-path")


def write_to_the_cap(me, site, package: str) -> dict[str, str]:
    """The learner fills each long reflection as far as its box allows, with line breaks, æøå and
    emoji; returns what the boxes hold (Chromium's maxlength counts a line break as two)."""
    texts = {}
    for rid, cap in site.builds[package].caps.items():
        me.write(rid, (LONG * 80)[: cap - 2] + "😀")
        texts[rid] = me.reflection_box(rid).input_value()
        assert cap - 80 <= utf16_len(texts[rid]) <= cap and "\n" in texts[rid]
    return texts


# ---------------------------------------------------------------------------------------------- journeys


JOURNEY_1 = [pytest.param("12", "app", id="12-app", marks=pytest.mark.xfail(strict=True, reason=(
                 "issue 22: the app relaunches module A with entry ab-initio in the same player page; the runtime "
                 "skips reading and writes a fresh state over both reflections"))),
             pytest.param("12", "web", id="12-web"),
             pytest.param("2004", "web", id="2004-web")]


@pytest.mark.parametrize("v,mode", JOURNEY_1)
def test_next_then_previous_keeps_every_character_of_two_long_reflections(v, mode, context, site, worst_course):
    """Module A: write two long reflections → our Next → module B → our Previous → module A.

    If this broke, a learner (in the Moodle app, on a phone) who went on to the next module and came
    back would find both reflections empty, and the site's copy of module A would be overwritten by
    a fresh state: the text is gone for good (issue 22 measured 3,940 characters of suspend_data
    becoming 20)."""
    package = f"worst{v}"
    run = f"j1-{v}-{mode}"
    me = MoodlePlayer(context, site, v, package, run, mode)
    me.at("index.html")
    walk_to_reflections(me)
    texts = write_to_the_cap(me, site, package)
    me.content.locator("a[rel=next]").click()                 # our Next: the next page is in module B's SCO
    assert arrive(me, "roller") == "roller/roller.html"
    before = me.stored("intro")
    assert reflections(before, worst_course, "intro", v) == texts, "the reflections did not reach the site before leaving A"
    me.content.locator("a[rel=prev]").click()                 # our Previous: back into module A's SCO
    arrive(me, "intro")
    me.page.wait_for_timeout(300)
    after = me.stored("intro")
    figure(f"j1_{v}_{mode}", {"suspend_data_before": utf16_len(before.get("cmi.suspend_data", "")),
                              "suspend_data_after": utf16_len(after.get("cmi.suspend_data", "")),
                              "reflections_after": {k: utf16_len(t) for k, t in reflections(after, worst_course, "intro", v).items()}})
    assert reflections(after, worst_course, "intro", v) == texts
    if v == "12":
        assert utf16_len(after["cmi.suspend_data"]) >= utf16_len(before["cmi.suspend_data"]) - 8
    me.content.locator("body[data-path]").wait_for()
    if me.content.locator("body").get_attribute("data-path") != "intro/refleksjon.html":
        me.page.evaluate("p => document.getElementById('scorm_object').contentWindow.frames[0].location.href = p",
                         f"/{package}/intro/refleksjon.html")
        me.at("intro/refleksjon.html")
    for rid, text in texts.items():
        assert me.reflection_box(rid).input_value() == text
    assert me.api_errors() == []
    me.close()


JOURNEY_2 = [pytest.param("12", "app", "next", id="12-app"),
             pytest.param("12", "app", "next-previous", id="12-app-back", marks=pytest.mark.xfail(strict=True, reason=(
                 "issue 22: the app never clears nav.event, so leaving module A through its menu fires A's old "
                 "'continue' again and loads module B as well"))),
             pytest.param("12", "web", "next", id="12-web"),
             pytest.param("12", "web", "next-previous", id="12-web-back"),
             pytest.param("2004", "web", "next", id="2004-web"),
             pytest.param("2004", "web", "next-previous", id="2004-web-back")]


@pytest.mark.parametrize("v,mode,route", JOURNEY_2)
def test_the_players_menu_after_our_next_opens_exactly_the_module_chosen_once(v, mode, route, context, site):
    """Module A → our Next → module B (→ our Previous → module A) → the player's own menu → module C.

    If this broke, a learner who picked the final test in the player's menu would see another
    module open as well, or instead (two SCO loads in a row): the wrong module on screen, and a
    session of a module the learner never chose, written over that module's data."""
    me = MoodlePlayer(context, site, v, f"course{v}", f"j2-{v}-{mode}-{route}", mode)
    me.at("index.html")
    walk_to_reflections(me)
    me.content.locator("a[rel=next]").click()
    arrive(me, "roller")
    if route == "next-previous":
        me.content.locator("a[rel=prev]").click()
        arrive(me, "intro")
    sessions, launches = len(me.sessions()), len(me.launches())
    me.menu("slutt")
    assert arrive(me, "slutt") == "slutt/om-testen.html"
    me.page.wait_for_timeout(1500)                # a second load would come 0-500 ms after the first
    figure(f"j2_{v}_{mode}_{route}", {"sessions": me.sessions(), "launches": me.launches()})
    assert me.sessions()[sessions:] == ["slutt"]
    assert set(me.launches()[launches:]) == {"slutt"}
    assert me.sco() == "slutt" and me.api_errors() == []
    me.close()
