"""The learner journeys that lost reflections, in the players learners really use, without a
Moodle: the Moodle imitation (tests/scorm/moodle-lms.js, modes "web" and "app"), scorm-again's
mini-LMS and the web edition, all in Debian's Chromium.

Each journey asserts what the site (or the browser) stores, so a report can cite the values. A
journey that reproduces a loss that is not fixed yet is marked xfail(strict=True, reason="…"): it
runs, it must fail, and it turns the suite red the day it passes, so the marker is removed with the
fix. None is marked now: every journey below passes.
"""

from __future__ import annotations

import json

import pytest

from builder.formats.scorm.budget import Layout, decode, encode, line_breaks_out, to36, utf16_len
from builder.formats.scorm.editions import SCORM12, SCORM2004
from builder.render.site import plan
from tests.conftest import WAIT, need, report_figure
from tests.scorm import scorm_harness as harness
from tests.scorm.scorm_harness import SCORM_AGAIN, MoodlePlayer, sco_layout

SPEC = {"12": SCORM12, "2004": SCORM2004}
# Two long reflections with line breaks, æøå and a character outside the BMP: every one must come back.
LONG = "Vi samarbeider med biblioteket om «Kultur for alle».\nNeste år: æøå ÆØÅ – 😀 "


def figure(name: str, value) -> None:
    report_figure("KS_SCORM_FIGURES", name, value)


@pytest.fixture(scope="module")
def site(course, worst_course, tmp_path_factory):
    """The test server with every package of these journeys unzipped (its .info), and the builds (.builds)."""
    need(SCORM_AGAIN.joinpath("scorm12.min.js").is_file(), "scorm-again is not installed (run `npm ci`)")
    packages = {f"{name}{v}": (c, SPEC[v], module) for v in ("12", "2004")
                for name, c, module in (("course", course, None), ("worst", worst_course, None), ("roller", course, "roller"),
                                        ("intro", course, "intro"))}
    with harness.serving(tmp_path_factory.mktemp("journeys-www"), packages) as server:
        yield server


@pytest.fixture
def context(browser, site):
    """A fresh browser profile whose requests may only go to the test server."""
    with harness.guarded_context(browser, site) as ctx:
        yield ctx


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


def arrive(me, sco: str, timeout: float = WAIT) -> str:
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


# ---------------------------------------------------------------------------------------------- the imitation itself


def running(me, sco: str):
    """Wait until `sco`'s runtime began its session in the player."""
    me.page.wait_for_function("s => window.currentSco === s", arg=sco, timeout=WAIT)
    me.content.locator("body[data-path]").wait_for(timeout=WAIT)


def test_the_web_mode_saves_with_a_beacon_when_the_page_is_left_and_line_breaks_become_crlf(context, site):
    """If this broke, the CI journeys would no longer meet what Moodle 5.1 does to the last save of
    a closing page (request.js: sendBeacon with FormData), and a runtime that stored line breaks
    as they are (lengths no longer matching) would pass CI and lose text in Moodle."""
    me = MoodlePlayer(context, site, "12", "course12", "imit-beacon", "web", sco="intro")
    running(me, "intro")
    assert me.page.evaluate("() => API.LMSSetValue('cmi.comments', 'linje 1\\nlinje 2')") == "true"
    assert me.leave() == []
    assert "beacon" in [s["api"] for s in site.saves["imit-beacon"]]
    assert me.stored("intro")["cmi.comments"] == "linje 1\r\nlinje 2"


def test_the_web_mode_refuses_initialize_after_terminate_in_2004(context, site):
    """If this broke, CI would not notice a runtime that starts a second SCO session in one Moodle
    2004 player page, which Moodle refuses for good (error 104): the learner's work there would
    never reach the site."""
    me = MoodlePlayer(context, site, "2004", "course2004", "imit-104", "web", sco="intro")
    running(me, "intro")
    me.page.evaluate("() => { document.getElementById('scorm_object').src = 'about:blank'; }")
    me.page.wait_for_function("() => window.lmsLog.some(c => c[0] === 'Terminate' && c[3] === 'true')")
    assert me.page.evaluate("() => [API_1484_11.Initialize(''), API_1484_11.GetLastError()]") == ["false", "104"]
    me.close()


@pytest.mark.parametrize("mode,count", [("app", "18"), ("web", "20")])
def test_interactions_count_as_each_player_reports_it_for_20_stored(mode, count, context, site):
    """If this broke, the retake journey would no longer meet the app's count of stored
    interactions (rebuilt from tracks sorted by name: 18 for 20) or Moodle's web player's (20)."""
    run = f"imit-count-{mode}"
    site.site[run] = {"slutt": {"cmi.core.lesson_status": "incomplete", "cmi.core.exit": "suspend"} | {
        f"cmi.interactions_{n}.{field}": value for n in range(20)
        for field, value in (("id", f"q{n}"), ("type", "choice"), ("result", "wrong"), ("student_response", "a"),
                             ("correct_responses_0.pattern", "b"))}}
    me = MoodlePlayer(context, site, "12", "course12", run, mode, sco="slutt")
    running(me, "slutt")
    assert me.page.evaluate("() => window.lmsApi.values('slutt')['cmi.interactions._count']") == count
    me.close()


@pytest.mark.parametrize("mode,entry", [("app", "ab-initio"), ("web", "resume")])
def test_entry_of_a_module_opened_again_as_each_player_gives_it(mode, entry, context, site):
    """If this broke, the journeys would no longer meet the app's entry fixed when its player opens
    (ab-initio for a module opened again in the same player page) or Moodle's web player, whose
    page is reloaded by the runtime and then says resume."""
    run = f"imit-entry-{mode}"
    me = MoodlePlayer(context, site, "12", "course12", run, mode, sco="intro")
    running(me, "intro")
    me.menu("roller")
    running(me, "roller")
    me.menu("intro")
    running(me, "intro")
    me.page.wait_for_timeout(300)
    got = [c[3] for c in me.page.evaluate("() => window.lmsLog") if c[0] == "LMSGetValue" and c[1] == "cmi.core.entry" and c[5] == "intro"]
    assert got[-1] == entry and me.sessions().count("intro") == 2
    me.close()


# ---------------------------------------------------------------------------------------------- journeys


JOURNEY_1 = [pytest.param("12", "app", id="12-app"),
             pytest.param("12", "web", id="12-web"),
             pytest.param("2004", "web", id="2004-web")]


@pytest.mark.parametrize("v,mode", JOURNEY_1)
def test_next_then_previous_keeps_every_character_of_two_long_reflections(v, mode, context, site, worst_course):
    """Module A: write two long reflections → our Next → module B → our Previous → module A.

    If this broke, a learner (in the Moodle app, on a phone) who went on to the next module and came
    back would find both reflections empty, and the site's copy of module A would be overwritten by
    a fresh state: the text is gone for good (3,940 characters of suspend_data became 20 before
    the fix)."""
    package = f"worst{v}"
    run = f"j1-{v}-{mode}"
    me = MoodlePlayer(context, site, v, package, run, mode)
    me.at("index.html")
    walk_to_reflections(me)
    texts = write_to_the_cap(me, site, package)
    route = [me.to_module("next", "roller")]                  # our Next: the next page is in module B's SCO
    assert arrive(me, "roller") == "roller/roller.html"
    before = me.stored("intro")
    assert reflections(before, worst_course, "intro", v) == texts, "the reflections did not reach the site before leaving A"
    route.append(me.to_module("prev", "intro"))               # our Previous: back into module A's SCO
    arrive(me, "intro")
    me.page.wait_for_timeout(300)
    after = me.stored("intro")
    figure(f"j1_{v}_{mode}", {"route": route, "suspend_data_before": utf16_len(before.get("cmi.suspend_data", "")),
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
             pytest.param("12", "app", "next-previous", id="12-app-back"),
             pytest.param("12", "web", "next", id="12-web"),
             pytest.param("2004", "web", "next", id="2004-web")]
# (Next then Previous in Moodle's web player: the reflections journey above goes that way.)


@pytest.mark.parametrize("v,mode,route", JOURNEY_2)
def test_the_players_menu_after_our_next_opens_exactly_the_module_chosen_once(v, mode, route, context, site):
    """Module A → our Next → module B (→ our Previous → module A) → the player's own menu → module C.

    If this broke, a learner who picked the final test in the player's menu would see another
    module open as well, or instead (two SCO loads in a row): the wrong module on screen, and a
    session of a module the learner never chose, written over that module's data."""
    me = MoodlePlayer(context, site, v, f"course{v}", f"j2-{v}-{mode}-{route}", mode)
    me.at("index.html")
    walk_to_reflections(me)
    ways = [me.to_module("next", "roller")]
    arrive(me, "roller")
    if route == "next-previous":
        ways.append(me.to_module("prev", "intro"))
        arrive(me, "intro")
    sessions, launches = len(me.sessions()), len(me.launches())
    me.menu("slutt")
    assert arrive(me, "slutt") == "slutt/om-testen.html"
    me.page.wait_for_timeout(1500)                # a second load would come 0-500 ms after the first
    figure(f"j2_{v}_{mode}_{route}", {"ways": ways, "sessions": me.sessions(), "launches": me.launches()})
    assert me.sessions()[sessions:] == ["slutt"]
    assert set(me.launches()[launches:]) == {"slutt"}
    assert me.sco() == "slutt" and me.api_errors() == []
    me.close()


JOURNEY_3 = [pytest.param("12", "app", id="12-app"),
             pytest.param("12", "web", id="12-web"),
             pytest.param("2004", "web", id="2004-web")]


@pytest.mark.parametrize("v,mode", JOURNEY_3)
def test_a_retake_in_a_later_session_keeps_the_earlier_interactions(v, mode, context, site, course):
    """Session 1: the final test, failed twice (20 answers). Session 2, a new player page: a retake.

    If this broke, a facilitator reading Moodle's interactions report would find answers of the
    first session replaced by answers of the retake (the report shows the wrong answer to a
    question, or a question the learner never saw in that attempt)."""
    quiz = course.module("slutt").quiz
    run = f"j3-{v}-{mode}"
    me = MoodlePlayer(context, site, v, f"course{v}", run, mode, sco="slutt")
    me.at("slutt/om-testen.html")
    me.next("slutt/quiz.html")
    for _ in range(2):
        me.answer(quiz, right=set(me.shown(quiz)[:3]))
        me.retry(quiz)
    assert me.leave() == []
    first = me.interactions("slutt")
    assert len(first) == 20 if v == "12" else 10 <= len(first) <= 20     # 1.2: one per answer; 2004: one per question drawn
    again = MoodlePlayer(context, site, v, f"course{v}", run, mode, sco="slutt")
    again.at("slutt/quiz.html")
    if v == "12":
        count = again.page.evaluate("() => window.lmsApi.values('slutt')['cmi.interactions._count']")
        figure(f"j3_{v}_{mode}_count_reported", {"stored": len(first), "reported": int(count)})
    again.answer(quiz, right=True)
    assert again.leave() == []
    after = again.interactions("slutt")
    figure(f"j3_{v}_{mode}", {"before": len(first), "after": len(after),
                              "changed": [n for n, i in enumerate(first) if after[n] != i]})
    if v == "12" and mode == "app":
        # The app reports _count 18 for 20 and refuses any index above it: every index it accepts
        # holds an earlier answer, so the retake writes no interactions; its answers and score are in
        # suspend_data (what remains: the app's interactions report lacks the retake)
        assert after == first
        retake = decode(sco_layout(course, "slutt"), again.stored("slutt")["cmi.suspend_data"])["quiz"]["slutt"]
        assert retake["s"] == 10
    elif v == "12":    # write-only in 1.2: a new interaction per answer, the earlier ones untouched
        assert after[:len(first)] == first and len(after) == len(first) + 10
    else:              # 2004: one interaction per question, its response updated; none lost or taken over
        assert [i["id"] for i in after[:len(first)]] == [i["id"] for i in first]


@pytest.fixture(scope="module")
def example_web(course, tmp_path_factory):
    """The web edition of the example course, built once."""
    from builder.build import build
    from builder.formats import Options
    return build(course, tmp_path_factory.mktemp("journeys-web"), ["web"], Options())[0]


def test_two_tabs_of_the_web_edition_keep_both_changes(browser, example_web, course):
    """Tab B shows the homework page (opened first); tab A, opened later, saves a reflection; then
    the learner ticks a homework step in tab B.

    If this broke, a learner with the course open in two tabs would lose the reflection written in
    one of them as soon as they ticked a step in the other, without any sign of it."""
    from tests.conftest import served
    from tests.scorm.scorm_harness import Learner
    with served(example_web) as base:
        ctx = browser.new_context()
        try:
            tab_b = Learner.in_frame(ctx.new_page(), None)
            tab_b.content = tab_b.page
            tab_b.page.goto(base + "roller/hjemmearbeid.html")
            tab_b.at("roller/hjemmearbeid.html")
            tab_a = Learner.in_frame(ctx.new_page(), None)
            tab_a.content = tab_a.page
            tab_a.page.goto(base + "intro/refleksjon.html")
            tab_a.at("intro/refleksjon.html")
            tab_a.write("int-samarbeid", LONG)
            tab_a.page.wait_for_timeout(200)
            tab_b.tick("hjem-kartlegging", "plan")
            tab_b.page.wait_for_timeout(200)
            stored = json.loads(tab_a.page.evaluate("k => localStorage.getItem(k)", f"kulturskole:{course.id}"))
            figure("j4_web_two_tabs", {"refl": {k: utf16_len(t) for k, t in stored["refl"].items()}, "hw": stored["hw"]})
            later = Learner.in_frame(ctx.new_page(), None)
            later.content = later.page
            later.page.goto(base + "intro/refleksjon.html")
            later.at("intro/refleksjon.html")
            both = (later.reflection_box("int-samarbeid").input_value(), stored["hw"].get("hjem-kartlegging"))
            assert both == (LONG, ["plan"])
            assert stored["refl"] == {"int-samarbeid": LONG}
        finally:
            ctx.close()


def test_a_reflection_moved_to_another_module_never_cuts_the_current_one(context, site, worst_course):
    """SCORM 1.2 in Moodle: the site holds module A's data from an earlier edition with a reflection
    that has since moved to another module; the learner fills both of A's reflections to the cap.

    If this broke, the learner's newest text would be cut short when it was saved (before the fix:
    4,000 characters typed, 2,539 stored), with no notice at the box: lost for good at the next
    session."""
    run = "j5-12-web"
    first = MoodlePlayer(context, site, "12", "worst12", run, "web")
    first.at("index.html")
    walk_to_reflections(first)
    first.write("lang-0", "Et kort utkast.")
    assert first.leave() == []
    moved = (LONG * 30)[:1500]                            # written in an earlier edition, where it belonged to A
    held = site.site[run]["intro"]
    held["cmi.suspend_data"] += f"flyttet:{to36(utf16_len(line_breaks_out(moved)))}:{line_breaks_out(moved)}"
    planted = decode(sco_layout(worst_course, "intro"), held["cmi.suspend_data"])
    assert planted["refl"] == {"lang-0": "Et kort utkast."} and planted["orphans"] == {"flyttet": moved}

    me = MoodlePlayer(context, site, "12", "worst12", run, "web")
    me.at("intro/refleksjon.html")
    texts = write_to_the_cap(me, site, "worst12")
    known = me.page.frame_locator("#scorm_object").locator("body").evaluate("b => b.ownerDocument.defaultView.KSRuntime.known()")
    assert me.leave() == []
    data = me.stored("intro")["cmi.suspend_data"]
    kept = decode(sco_layout(worst_course, "intro"), data)["refl"]
    figure("j5_12_web", {"suspend_data": utf16_len(data), "typed": {k: utf16_len(t) for k, t in texts.items()},
                         "stored": {k: utf16_len(t) for k, t in kept.items()}})
    assert utf16_len(data) <= 4096
    assert {rid: kept.get(rid) for rid in texts} == texts          # the current reflections, every character
    assert known.get("flyttet") == moved                           # the moved one is still there for the learner


JOURNEY_6 = [pytest.param("12", id="12"), pytest.param("2004", id="2004")]


@pytest.mark.parametrize("v", JOURNEY_6)
def test_a_module_quiz_at_75_percent_leaves_the_module_package_incomplete(v, context, site, course):
    """A module package (module roller alone, as a facilitator assigns it): its quiz answered 3 of 4.

    If this broke, Moodle would mark the module done for a learner below the pass mark of 80 %, or
    mark it failed (which ends retakes: Moodle opens review mode)."""
    me = MoodlePlayer(context, site, v, f"roller{v}", f"j6-{v}", "web")
    me.at("index.html")
    me.next("roller/roller.html")
    me.next("roller/quiz.html")
    quiz = course.module("roller").quiz
    me.answer(quiz, right={"rol-overste", "rol-dokumenter", "rol-budsjett"})
    me.next("roller/hjemmearbeid.html")
    assert me.leave() == []
    held = me.stored("roller")
    status = held["cmi.core.lesson_status"] if v == "12" else (held["cmi.completion_status"], held.get("cmi.success_status"))
    figure(f"j6_{v}", {"status": status, "score": held.get("cmi.core.score.raw" if v == "12" else "cmi.score.raw")})
    assert status == ("incomplete" if v == "12" else ("incomplete", "failed"))


@pytest.mark.parametrize("v", JOURNEY_6)
def test_a_module_quiz_at_75_percent_says_ikke_bestatt_on_the_page(v, context, site, course):
    """The same module package: the quiz page after 3 of 4.

    If this broke, a learner at 75 % would see their score but not that the module needs 80 %, and
    would not know why the LMS still says the module is not done."""
    me = MoodlePlayer(context, site, v, f"roller{v}", f"j6-page-{v}", "web")
    me.at("index.html")
    me.next("roller/roller.html")
    me.next("roller/quiz.html")
    me.answer(course.module("roller").quiz, right={"rol-overste", "rol-dokumenter", "rol-budsjett"})
    form = me.content.locator('form[data-quiz="roller"]')
    result = form.locator("[data-quiz-result]").inner_text()
    figure(f"j6_page_{v}", result)
    assert "75" in result and "ikke bestått" in result.lower()      # the verdict next to the score
    assert "80 %" in form.inner_text().replace("\u00a0", " ")        # and the pass mark it is measured against
    me.close()


JOURNEY_7 = [pytest.param("12", "score", id="12-score"),
             pytest.param("2004", "score", id="2004-score"),
             pytest.param("12", "alphabet", id="12-alphabet"),
             pytest.param("2004", "alphabet", id="2004-alphabet")]


@pytest.mark.parametrize("v,garbage", JOURNEY_7)
def test_garbage_in_stored_data_never_passes_the_course_and_never_crashes(v, garbage, context, site, course):
    """The final test's SCO: the site holds a failed attempt (5 of 10) whose suspend_data is
    damaged (a score of 63 out of 10, or characters outside the alphabet); a new session opens it.

    If this broke, a learner (or anyone who can edit their stored data) would get the course
    passed and a certificate without passing the final test, or a broken page that loses what the
    learner had."""
    run = f"j7-{v}-{garbage}"
    layout = sco_layout(course, "slutt")
    seen_before = {k for k in layout.pages[:2]}
    data = encode(layout, {"seen": dict.fromkeys(seen_before, 1), "quiz": {"slutt": {"s": 5, "a": {}}}, "seed": 4242,
                           "tries": {"slutt": {"t": 1}}, "seq": 7})
    head, seen, quizzes, rest = data.split(".", 3)
    assert quizzes[0] == "5"                                 # the score of the attempt: 5 (of 10)
    if garbage == "score":
        data = ".".join([head, seen, "_" + quizzes[1:], rest])
    else:
        data = ".".join([head, "!" * len(seen), quizzes, rest])
    # what the site holds after a first session that failed the test and was left (exit suspend)
    site.site[run] = {"slutt": {"cmi.core.lesson_status": "incomplete", "cmi.core.exit": "suspend", "cmi.core.score.raw": "50",
                                "cmi.suspend_data": data} if v == "12" else
                      {"cmi.completion_status": "incomplete", "cmi.success_status": "failed", "cmi.score.scaled": "0.5",
                       "cmi.score.raw": "50", "cmi.exit": "suspend", "cmi.suspend_data": data}}

    me = MoodlePlayer(context, site, v, f"course{v}", run, "web", sco="slutt")
    path = arrive(me, "slutt")
    assert path in ("slutt/quiz.html", "slutt/om-testen.html")
    errors = me.leave()
    after = me.stored("slutt")
    state = decode(layout, after["cmi.suspend_data"])
    status = after["cmi.core.lesson_status"] if v == "12" else (after["cmi.completion_status"], after["cmi.success_status"])
    figure(f"j7_{v}_{garbage}", {"status": status, "errors": errors, "seen_before": len(seen_before), "seen_after": len(state["seen"]),
                                 "score_raw": after.get("cmi.core.score.raw" if v == "12" else "cmi.score.raw")})
    assert errors == []                                      # no out-of-range score sent
    assert status == ("incomplete" if v == "12" else ("incomplete", "failed"))
    assert set(state["seen"]) <= seen_before | {p.key for p in plan(course) if p.path == path}


JOURNEY_8 = [pytest.param("12", id="12"),
             pytest.param("2004", id="2004")]


@pytest.mark.parametrize("v", JOURNEY_8)
def test_a_finished_module_opened_again_on_another_device_keeps_its_reflection(v, browser, site, course):
    """A module package (intro): every page read and the reflection written, so the module is
    completed and the session ends with exit "normal" (2004) / "" (1.2). Later, on another device
    (no copy in that browser), the learner opens it again.

    If this broke, the learner would find the reflection box empty and the module's pages unread,
    and the site's copy would be overwritten by a fresh state when the learner moved on."""
    run = f"j8-{v}"
    layout = Layout.of(course.only("intro"), [p.key for p in plan(course.only("intro"))])
    with harness.guarded_context(browser, site) as laptop:
        me = MoodlePlayer(laptop, site, v, f"intro{v}", run, "web")
        me.at("index.html")
        walk_to_reflections(me)
        me.write("int-samarbeid", LONG)
        assert me.leave() == []
    first = me.stored("intro")
    assert (first["cmi.core.lesson_status"] if v == "12" else (first["cmi.completion_status"], first["cmi.exit"])) == \
        ("completed" if v == "12" else ("completed", "normal"))
    seen_first = set(decode(layout, first["cmi.suspend_data"])["seen"])
    with harness.guarded_context(browser, site) as phone:
        again = MoodlePlayer(phone, site, v, f"intro{v}", run, "web")
        path = arrive(again, "intro")
        entry = [c[3] for c in again.page.evaluate("() => window.lmsLog") if c[1] in ("cmi.entry", "cmi.core.entry")]
        shown = None
        if path == "intro/refleksjon.html":
            shown = again.reflection_box("int-samarbeid").input_value()
        if path == "index.html":                                     # the learner reads on
            again.next("intro/velkommen.html")
        assert again.leave() == []
    after = again.stored("intro")
    state = decode(layout, after["cmi.suspend_data"])
    figure(f"j8_{v}", {"entry": entry, "path": path, "suspend_data": [utf16_len(first["cmi.suspend_data"]), utf16_len(after["cmi.suspend_data"])],
                       "seen": [len(seen_first), len(state["seen"])], "reflections": list(reflections(after, course, "intro", v))})
    assert path == "intro/refleksjon.html" and shown == LONG         # resumed where the learner left, text shown
    assert set(state["seen"]) >= seen_first
    assert reflections(after, course, "intro", v) == {"int-samarbeid": LONG}


def test_when_our_next_cannot_open_the_next_module_the_learner_sees_why_where_they_tapped(context, site):
    """In the Moodle app (whose player our package cannot ask to open another module), the learner
    taps our «Neste steg» at the bottom of a module's last page.

    If this broke, nothing would seem to happen at the link: the sentence that says to use the
    app's own menu would be at the top of the page, out of view, and the learner would think the
    course is broken."""
    me = MoodlePlayer(context, site, "12", "course12", "j9-12-app", "app")
    me.at("index.html")
    walk_to_reflections(me)
    me.content.locator("a[rel=next]").click()
    notice = me.content.locator("#ks-notice")
    notice.wait_for(state="visible", timeout=WAIT)
    me.page.wait_for_timeout(300)
    assert me.sco() == "intro" and notice.inner_text().strip()
    in_view = notice.evaluate("n => { const r = n.getBoundingClientRect(), h = n.ownerDocument.defaultView.innerHeight;"
                              " return r.bottom > 0 && r.top < h; }")
    focused = notice.evaluate("n => n.ownerDocument.activeElement === n || n.contains(n.ownerDocument.activeElement)")
    assert in_view or focused
    me.close()
