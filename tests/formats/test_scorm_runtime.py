"""The SCORM packages played for real: headless Chromium, scorm-again as the LMS, no mocks.

The mini-LMS (tests/scorm/lms.html) logs every API call with its error code and enforces the
limits of the standard that scorm-again relaxes; the test server records every commit. Every
test also fails if the browser asked for anything that is not on 127.0.0.1.
"""

from __future__ import annotations

import datetime
import json
import time

import pytest
from playwright.sync_api import expect

from builder.formats.scorm.budget import Layout, decode, utf16_len
from builder.formats.scorm.editions import SCORM12, SCORM2004
from builder.formats.scorm.package import COMMIT_SECONDS
from builder.render.site import plan
from tests.conftest import WAIT, need, report_figure
from tests.scorm import scorm_harness as harness
from tests.scorm.scorm_harness import SCORM_AGAIN, Learner, sco_layout

VERSIONS = ["12", "2004"]
SPEC = {"12": SCORM12, "2004": SCORM2004}
JOURNEY = ["intro/velkommen.html", "intro/samarbeid.html", "intro/refleksjon.html", "roller/roller.html",
           "roller/quiz.html", "roller/hjemmearbeid.html", "slutt/om-testen.html", "slutt/quiz.html",
           "mine-refleksjoner.html"]
# A fixed start for tests that install Playwright's clock (the page's time moves as the test says).
CLOCK_START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)
TEXT = "Vi samarbeider godt med biblioteket: «Kultur for alle» – også på kveldstid. 😀\nNeste år vil vi mer."


def figure(name: str, value) -> None:
    report_figure("KS_SCORM_FIGURES", name, value)


@pytest.fixture(scope="module")
def lms(course, worst_course, tmp_path_factory):
    """The test server with every package under test unzipped: {name: launch info} in .info."""
    need(SCORM_AGAIN.joinpath("scorm12.min.js").is_file(), "scorm-again is not installed (run `npm ci`)")
    packages = {f"{name}{v}": (c, SPEC[v], module) for v in VERSIONS
                for name, c, module in (("course", course, None), ("intro", course, "intro"),
                                        ("slutt", course, "slutt"), ("worst", worst_course, None))}
    with harness.serving(tmp_path_factory.mktemp("scorm-www"), packages) as server:
        yield server


@pytest.fixture
def context(browser, lms):
    """A fresh browser profile whose requests may only go to the test server."""
    with harness.guarded_context(browser, lms) as ctx:
        yield ctx


def learner(context, lms, version: str, package: str, run: str) -> Learner:
    return Learner(context, lms, version, package + version, lms.info[package + version], run=f"{run}-{version}")


def interactions(cmi: dict) -> list[dict]:
    items = cmi.get("interactions", {})
    return [items[k] for k in sorted(items, key=int)]


def reflections_of(cmi: dict, layout: Layout) -> dict:
    """What the LMS holds of the learner's reflections: in 1.2 inside suspend_data, in 2004 as
    long-fill-in interactions (id "refl.<reflection>")."""
    if "core" in cmi:
        return decode(layout, cmi["suspend_data"])["refl"]
    return {i["id"][5:]: i["learner_response"].replace("\u2424", "\n") for i in interactions(cmi) if i["id"].startswith("refl.")}


def layout_of(course, module=None) -> Layout:
    c = course.only(module) if module else course
    return Layout.of(c, [p.key for p in plan(c)])


# ---------------------------------------------------------------------------------------------- journeys


@pytest.mark.parametrize("v", VERSIONS)
def test_full_learner_journey_through_the_module_scos(v, context, lms, course):
    """If this broke, a learner going through the whole-course package (one SCO per module, in
    SCORM 1.2 and 2004) would not get from one module to the next, a failed final test could not be
    retaken in the same attempt, Moodle's default completion rule would complete the activity before
    the final test is passed (a module SCO reporting "completed"), or the LMS would show wrong
    answers, scores or reflections."""
    twelve = v == "12"

    def status(cmi):
        return cmi["core"]["lesson_status"] if twelve else (cmi["completion_status"], cmi["success_status"])

    def score(cmi):
        return cmi["core"]["score"]["raw"] if twelve else cmi["score"]["raw"]

    stored = {}
    me = learner(context, lms, v, "course", "jm-intro").launch(expect="index.html")
    # another module's SCO was never opened in this browser: said in words, not "0 of N" or "not started"
    assert me.content.locator('[data-module-state="roller"]').inner_text() == "Ikke åpnet i denne nettleseren"
    assert "denne nettleseren" in me.content.locator(".hero [data-course-progress]").inner_text()
    for path in JOURNEY[:3]:
        me.next(path)
        if path == "intro/samarbeid.html":
            source = me.content.locator('a[href^="https://lovdata.no/"]')
            expect(source).to_have_attribute("target", "_blank")     # not inside the package's frame
            expect(source).to_have_attribute("rel", "noopener noreferrer")
    me.write("int-samarbeid", TEXT)
    me.content.locator("a[rel=next]").click()                 # the next page is in the next SCO
    if twelve:
        # SCORM 1.2 has no navigation request: nav.event is Moodle's own, used only in Moodle's web
        # player (a player that keeps it, like the Moodle app, would fire it again later); elsewhere
        # the link says where the next module is
        expect(me.content.locator("#ks-notice")).to_contain_text("Åpne den fra innholdslista")
        out = me.exit()
        assert "nav.event" not in [c[1] for c in out["calls"]]
    else:
        me.page.wait_for_function("() => window.finished === true", timeout=WAIT)
        out = me.lms()
        assert ["SetValue", "adl.nav.request", "continue", "true", "0"] in out["calls"]
        # 2004 asks for stored data only when the attempt has begun (a value never set is error 403)
        assert "cmi.suspend_data" not in [c[1] for c in out["calls"] if c[0] == "GetValue"], \
            "suspend_data is read on a first launch"
    assert out["errors"] == []
    stored["intro"] = out["stored"]["cmi"]
    # read, but nothing that completes the activity under Moodle's default rule ("Completed")
    assert status(stored["intro"]) == ("passed" if twelve else ("incomplete", "passed"))
    if not twelve:
        assert stored["intro"]["exit"] == "suspend" and float(stored["intro"]["progress_measure"]) < 1
        written = interactions(stored["intro"])
        assert [(i["id"], i["type"], i["learner_response"], i["description"]) for i in written] == [
            ("refl.int-samarbeid", "long-fill-in", TEXT.replace("\n", "\u2424"), "Samarbeid i din kommune")]
    me.close()

    me = learner(context, lms, v, "course", "jm-roller").launch(sco="roller", expect="roller/roller.html")
    # the intro SCO's 3 pages, seen in this browser, count here too, and this one (slutt: not opened yet);
    # the front page is not a page of the course's 8 (a first visit has seen nothing)
    assert "sett 4 av kursets 8 sider" in me.content.locator("[data-course-progress]").inner_text()
    me.next("roller/quiz.html")
    me.answer(course.module("roller").quiz, right={"rol-overste", "rol-budsjett"})
    me.next("roller/hjemmearbeid.html")
    me.tick("hjem-kartlegging", "plan")
    me.tick("hjem-kartlegging", "observe")
    stored["roller"] = me.exit()["stored"]["cmi"]
    assert status(stored["roller"]) == ("passed" if twelve else ("incomplete", "passed")) and score(stored["roller"]) == ""
    items = interactions(stored["roller"])
    assert [i["id"] for i in items] == ["roller.rol-overste", "roller.rol-dokumenter", "roller.rol-budsjett", "roller.rol-hvem"]
    state = decode(sco_layout(course, "roller"), stored["roller"]["suspend_data"])
    assert state["hw"] == {"hjem-kartlegging": ["plan", "observe"]} and state["quiz"]["roller"]["a"]["rol-dokumenter"] == ["a", "c"]
    if twelve:
        assert [i["result"] for i in items] == ["correct", "wrong", "correct", "wrong"]
        assert items[3]["type"] == "matching" and items[3]["correct_responses"]["0"]["pattern"] == "1.a,2.b"
        assert items[2]["type"] == "true-false" and items[2]["student_response"] == "f"
        assert items[1]["student_response"] == "a,c" and items[1]["correct_responses"]["0"]["pattern"] == "a,b"
    else:
        assert [i["result"] for i in items] == ["correct", "incorrect", "correct", "incorrect"]
        assert items[3]["correct_responses"]["0"]["pattern"] == "t1[.]a[,]t2[.]b"
        assert items[1]["learner_response"] == "a[,]c"
        # no description or time: Moodle re-sends every value of every interaction with each save
        assert (items[0]["description"], items[0]["timestamp"]) == ("", "")
    me.close()

    me = learner(context, lms, v, "course", "jm-slutt").launch(sco="slutt", expect="slutt/om-testen.html")
    quiz = course.module("slutt").quiz
    me.next("slutt/quiz.html")
    me.answer(quiz, right=set(me.shown(quiz)[:5]))             # failed: the attempt stays open for a retake
    failed = me.lms()["stored"]["cmi"]
    assert status(failed) == ("incomplete" if twelve else ("incomplete", "failed")) and score(failed) == "50"
    me.retry(quiz)
    me.answer(quiz, right=True)
    me.next("mine-refleksjoner.html")
    assert "Kultur for alle" in me.content.locator("[data-my-reflections]").inner_text()   # from the intro SCO, via this browser
    out = me.exit()
    cmi = out["stored"]["cmi"]
    assert out["errors"] == []
    assert status(cmi) == ("completed" if twelve else ("completed", "passed")) and score(cmi) == "100"
    assert len([i for i in interactions(cmi) if i["result"] == "correct"]) >= 10
    if twelve:
        assert cmi["core"]["exit"] == "" and cmi["core"]["lesson_location"].split("#")[0] == "mine-refleksjoner.html"
    else:
        assert (cmi["score"]["scaled"], cmi["score"]["min"], cmi["score"]["max"]) == ("1", "0", "100")
        assert cmi["exit"] == "normal" and cmi["location"].split("#")[0] == "mine-refleksjoner.html"
        assert cmi["progress_measure"] == "1" and cmi["session_time"].startswith("PT")
    for sco, data in stored.items():          # only the final test's SCO can complete the activity
        assert "completed" not in json.dumps(data), sco
    figure(f"journey_suspend_data_{v}", max(len(data["suspend_data"]) for data in (stored | {"slutt": cmi}).values()))
    figure(f"journey_lms_{v}", {sco: {"status": status(data), "interactions": len(interactions(data)),
                                      "suspend_data": len(data["suspend_data"])} for sco, data in (stored | {"slutt": cmi}).items()})

    # Back in the intro SCO (the LMS's course menu): its front page counts the modules done in the
    # other SCOs from this browser's copies; what it reports to the LMS stays its own.
    me.close()
    me = learner(context, lms, v, "course", "jm-back").launch(prior=stored["intro"], expect="intro/refleksjon.html")
    assert me.reflection_box("int-samarbeid").input_value() == TEXT
    me.content.locator(".crumbs a").first.click()
    me.at("index.html")
    cards = {m: me.content.locator(f'[data-module-state="{m}"]').inner_text() for m in ("intro", "roller", "slutt")}
    # the final test's card says its result, read from the final test SCO's copy in this browser
    assert cards == {"intro": "Fullført", "roller": "Fullført", "slutt": "Bestått – 100\u00a0%"}
    # intro's 3 pages, roller's 3, slutt's 2; the front page and «Mine refleksjoner» are not course pages
    seen = 3 + 3 + 2
    assert me.content.locator(".hero [data-course-progress]").inner_text() == f"Du har sett {seen} av {seen} sider i kurset."
    back = me.exit()
    assert back["errors"] == [] and status(back["stored"]["cmi"]) == ("passed" if twelve else ("incomplete", "passed"))


@pytest.mark.parametrize("v", ["2004"])
def test_relaunch_resumes_where_the_learner_left_also_without_finish(v, context, lms, course):
    """If this broke, a learner who closes the course would start again from the front page and
    find their answers and reflections gone."""
    first = learner(context, lms, v, "course", "resume1").launch(expect="index.html")
    for path in JOURNEY[:3]:
        first.next(path)
    first.write("int-samarbeid", TEXT)
    stored = first.exit()
    assert stored["errors"] == []
    first.close()
    # Relaunch after a normal exit: the LMS says entry=resume and gives back location and the reflection.
    again = learner(context, lms, v, "course", "resume1b").launch(prior=stored["stored"]["cmi"], expect="intro/refleksjon.html")
    assert again.runtime()["resumed"] is True
    assert again.reflection_box("int-samarbeid").input_value() == TEXT
    expect(again.content.locator("#ks-notice")).to_contain_text("Velkommen tilbake")
    again.exit()
    again.close()

    roller = learner(context, lms, v, "course", "resume2").launch(sco="roller", expect="roller/roller.html")
    roller.next("roller/quiz.html")
    roller.answer(course.module("roller").quiz, right={"rol-hvem"})
    stored = roller.exit()
    roller.close()
    second = learner(context, lms, v, "course", "resume2b").launch(prior=stored["stored"]["cmi"], sco="roller",
                                                                    expect="roller/quiz.html")
    form = second.content.locator('form[data-quiz="roller"]')
    assert form.locator('fieldset[data-question="rol-dokumenter"] input[value="c"]').is_checked()
    assert form.locator('fieldset[data-question="rol-hvem"] [data-pair="t1"] select').input_value() == "t1.0"
    assert "1 av 4" in form.locator("[data-quiz-result]").inner_text()
    second.next("roller/hjemmearbeid.html")
    second.tick("hjem-kartlegging", "act")
    # The browser dies: no Terminate, no unload handlers. Only what was committed on the way survives.
    crashed = second.last_commit()
    assert second.lms()["errors"] == []
    second.page.close(run_before_unload=False)

    third = learner(context, lms, v, "course", "resume3").launch(prior=crashed["cmi"], sco="roller",
                                                                  expect="roller/hjemmearbeid.html")
    assert third.content.locator('input[data-step="act"]').is_checked()
    third.content.locator("a[rel=prev]").click()
    third.at("roller/quiz.html")
    assert "1 av 4" in third.content.locator("[data-quiz-result]").inner_text()
    out = third.exit()
    assert out["errors"] == []
    state = decode(sco_layout(course, "roller"), out["stored"]["cmi"]["suspend_data"])
    assert state["hw"] == {"hjem-kartlegging": ["act"]}


@pytest.mark.parametrize("v", VERSIONS)
def test_fail_retake_pass_and_never_downgrade(v, context, lms, course):
    """If this broke, a learner who failed could not retake in the same attempt, or a learner who
    passed would be shown as failed after trying again."""
    quiz = course.module("slutt").quiz

    def status(me):
        cmi = me.lms()["stored"]["cmi"]
        if v == "12":
            return cmi["core"]["lesson_status"], cmi["core"]["score"]["raw"]
        return (cmi["completion_status"], cmi["success_status"]), cmi["score"]["raw"]

    me = learner(context, lms, v, "slutt", "retake").launch(expect="index.html")
    me.next("slutt/om-testen.html")
    me.next("slutt/quiz.html")
    me.answer(quiz, right=set(me.shown(quiz)[:5]))
    # failed: never "failed"/"completed" (Moodle would open review mode and end the retake)
    failed = ("incomplete" if v == "12" else ("incomplete", "failed"), "50")
    assert status(me) == failed
    me.retry(quiz)
    me.answer(quiz, right=True)
    # passed with every page seen: "completed", which Moodle's default completion rule requires
    passed = ("completed" if v == "12" else ("completed", "passed"), "100")
    assert status(me) == passed
    me.retry(quiz)
    me.answer(quiz, right=False)
    assert status(me) == passed
    out = me.exit()
    assert out["errors"] == []

    # Relaunch after the finished attempt (exit was not "suspend"): the data is still read, so
    # nothing is overwritten, and the status stays where it was.
    again = learner(context, lms, v, "slutt", "retake2").launch(prior=out["stored"]["cmi"], expect="slutt/quiz.html")
    assert status(again) == passed
    again.retry(quiz)
    again.answer(quiz, right=False)
    assert status(again) == passed
    out = again.exit()
    assert out["errors"] == []
    assert len(interactions(out["stored"]["cmi"])) >= 3


@pytest.mark.parametrize("v", VERSIONS)
def test_module_without_quiz_is_completed_when_every_page_is_seen(v, context, lms):
    """If this broke, a reading module assigned as homework would never show as done in the LMS."""
    me = learner(context, lms, v, "intro", "noquiz").launch(expect="index.html")
    me.next("intro/velkommen.html")
    me.next("intro/samarbeid.html")
    cmi = me.lms()["stored"]["cmi"]
    assert (cmi["core"]["lesson_status"] if v == "12" else cmi["completion_status"]) == "incomplete"
    me.next("intro/refleksjon.html")
    out = me.exit()
    cmi = out["stored"]["cmi"]
    assert out["errors"] == []
    if v == "12":
        assert cmi["core"]["lesson_status"] == "completed" and cmi["core"]["score"]["raw"] == ""
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "unknown")
        assert cmi["score"]["scaled"] == ""


@pytest.mark.parametrize("v", VERSIONS)
def test_worst_case_learner_fits_the_limits(v, context, lms, worst_course):
    """If this broke, a learner who writes every reflection to the end would overflow suspend_data
    and, in a strict LMS such as Moodle, lose everything at the next launch."""
    info = lms.builds[f"worst{v}"]
    me = learner(context, lms, v, "worst", "worst").launch(expect="index.html")
    # the first SCO of the whole-course package: its module holds the long reflections
    pages = [p.path for p in plan(worst_course)[1:] if p.path.startswith("intro/")]
    for path in pages:
        me.next(path)
        if path == "intro/refleksjon.html":
            for rid, cap in info.caps.items():
                box = me.reflection_box(rid)
                assert box.get_attribute("maxlength") == str(cap) or int(box.evaluate("b => b.maxLength")) == cap
                assert f"av {cap} tegn" in me.content.locator(f'[data-counter="{rid}"]').inner_text()
                me.write(rid, "ø" * (cap - 2) + "😀")        # exactly the cap: the emoji takes two UTF-16 units
        elif path.endswith("quiz.html"):
            me.answer(worst_course.module(path.split("/")[0]).quiz, right=True)
        elif path.endswith("hjemmearbeid.html"):
            for step in ("plan", "act", "observe", "reflect"):
                me.tick("hjem-kartlegging", step)
    out = me.exit()
    data = out["stored"]["cmi"]["suspend_data"]
    assert out["errors"] == []            # includes the STRICT 4,096 / 64,000 check of the mini-LMS
    # as the LMS counts; the worst case allows 4 characters for the save counter and 3 for a best score
    # (in 2004 the reflections are not in suspend_data, so another SCO may have the worst case)
    assert info.worst_case - (6 if v == "12" else info.worst_case) <= utf16_len(data) <= info.worst_case <= SPEC[v].suspend_limit
    if v == "12":
        keys = [p.key for p in plan(worst_course) if p.path.startswith("intro/") or p.kind in ("front", "my-reflections")]
        assert decode(Layout.of(worst_course.only("intro"), keys), data)["refl"] == {
            rid: "ø" * (cap - 2) + "😀" for rid, cap in info.caps.items()}
        assert all(1500 <= cap <= 2100 for cap in info.caps.values())
    else:
        assert reflections_of(out["stored"]["cmi"], None) == {rid: "ø" * (cap - 2) + "😀" for rid, cap in info.caps.items()}
        assert set(info.caps.values()) == {4000}
    figure(f"worst_suspend_data_{v}", {"seen": utf16_len(data), "computed_worst_case": info.worst_case,
                                       "limit": info.limit, "caps": sorted(set(info.caps.values()))})


def test_without_an_lms_the_package_says_so_and_keeps_working(context, lms):
    """If this broke, a learner opening the package outside an LMS would lose work silently or see a broken page."""
    page = context.new_page()
    page.goto(f"{lms.base}/course12/scorm-intro.html")
    content = page.frame_locator("#ks-content")
    notice = content.locator("#ks-notice")
    notice.wait_for()
    assert "Ikke koblet til LMS" in notice.inner_text()
    content.locator("a[rel=next]").click()
    content.locator('body[data-path="intro/velkommen.html"]').wait_for()
    content.locator("a[rel=next]").click()
    content.locator('body[data-path="intro/samarbeid.html"]').wait_for()   # else the next click may hit the old page
    content.locator("a[rel=next]").click()
    content.locator('body[data-path="intro/refleksjon.html"]').wait_for()
    content.locator('textarea[data-reflection="int-samarbeid"]').fill(TEXT)
    content.locator('textarea[data-reflection="int-samarbeid"]').blur()
    page.reload()
    content = page.frame_locator("#ks-content")
    content.locator('body[data-path="intro/refleksjon.html"]').wait_for()
    expect(content.locator('textarea[data-reflection="int-samarbeid"]')).to_have_value(TEXT)   # restored by the page script
    assert page.evaluate("() => KSRuntime.info().connected") is False
    page.close()


def test_review_mode_shows_the_data_and_writes_nothing(context, lms, course):
    """If this broke, a learner reopening a finished course in Moodle's review mode would see empty
    reflections, or the package would try to change a closed attempt."""
    me = learner(context, lms, "12", "course", "review1").launch(expect="index.html")
    for path in JOURNEY[:3]:
        me.next(path)
    me.write("int-samarbeid", TEXT)
    stored = me.exit()["stored"]["cmi"]
    review = learner(context, lms, "12", "course", "review2").launch(prior=stored, mode="review", expect="intro/refleksjon.html")
    assert review.reflection_box("int-samarbeid").input_value() == TEXT
    expect(review.content.locator("#ks-notice")).to_contain_text("gjennomgangsmodus")
    out = review.exit()
    assert out["errors"] == []
    assert not [c for c in out["calls"] if c[0] in ("LMSSetValue", "LMSCommit")]


def test_a_refused_save_is_retried_by_the_timer(context, lms):
    """If this broke, a reflection whose save the LMS refused once (a network blip) would reach
    the LMS only at exit, which browsers often do not allow: the text would be lost."""
    context.clock.install()
    me = learner(context, lms, "12", "course", "retry").launch(expect="index.html")
    for path in JOURNEY[:3]:
        me.next(path)
    before = len(lms.commits.get(me.run, []))
    me.page.evaluate("() => { window.refuseCommits = 1; }")
    me.write("int-samarbeid", TEXT)
    me.page.clock.run_for(5_000)             # the save after a pause in writing: refused
    refused = [c for c in me.lms()["calls"] if c[4] == "refused"]
    assert len(refused) == 1 and len(lms.commits.get(me.run, [])) == before
    me.page.clock.run_for(COMMIT_SECONDS * 1000)
    me.page.wait_for_function("() => window.commits > 0", timeout=WAIT)
    bodies = wait_for_commits(lms, me.run, before + 1)[before:]
    assert len(bodies) == 1 and "Kultur for alle" in bodies[0]["cmi"]["suspend_data"]
    assert me.lms()["errors"] == []
    me.exit()


def test_a_reflection_reaches_the_lms_within_a_second_of_a_pause_never_per_keystroke(context, lms):
    """If this broke, a reflection written on the last page before the browser was closed would be
    lost (it was, when the window died within 3 s), or the LMS would get a request per keystroke."""
    context.clock.install(time=CLOCK_START)
    me = learner(context, lms, "12", "course", "pause").launch(expect="index.html")
    for path in JOURNEY[:3]:
        me.next(path)
    # From here the page's time moves only as the test moves it: a keystroke every 25 ms, then a
    # pause of one second. In real time a stall of the loaded machine between two keystrokes was a
    # pause to the page (a save while typing), and «within a second» a race with the machine.
    me.page.clock.pause_at(CLOCK_START + datetime.timedelta(minutes=30))
    before, calls_before = len(lms.commits.get(me.run, [])), len(me.lms()["calls"])
    box = me.reflection_box("int-samarbeid")
    for key in "Vi samarbeider «godt» med <b>biblioteket</b>.":
        box.press_sequentially(key)
        me.page.clock.run_for(25)
    assert commits_of(me, calls_before) == 0, "a commit while typing"
    me.page.clock.run_for(1000)                                                # one second of pause
    assert commits_of(me, calls_before) == 1, "no commit (or more than one) within a second of the pause"
    bodies = wait_for_commits(lms, me.run, before + 1)[before:]
    assert len(bodies) == 1 and "<b>biblioteket</b>" in bodies[0]["cmi"]["suspend_data"]
    sets = [c for c in me.lms()["calls"][calls_before:] if c[0] == "LMSSetValue" and c[1] == "cmi.suspend_data"]
    assert len(sets) == 1
    me.page.clock.resume()
    me.exit()


def commits_of(me, since: int) -> int:
    """How many commits the LMS answered "true" after the first `since` API calls of this session."""
    return sum(1 for c in me.lms()["calls"][since:] if c[0] == "LMSCommit" and c[3] == "true")


def wait_for_commits(lms, run: str, count: int) -> list[dict]:
    """The commit bodies the test server got for `run`, once it has `count` (the request of a commit
    the LMS already answered may still be on its way)."""
    deadline = time.monotonic() + WAIT / 1000
    while len(lms.commits.get(run, [])) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return lms.commits.get(run, [])


@pytest.mark.parametrize("v", VERSIONS)
def test_text_typed_half_a_second_before_the_window_dies_is_back_at_relaunch(v, context, lms, course):
    """If this broke, what a learner typed in the last second before the browser or laptop died
    would be gone at the next launch (the LMS never got it)."""
    me = learner(context, lms, v, "course", "kill").launch(expect="index.html")
    for path in JOURNEY[:3]:
        me.next(path)
    before = len(lms.commits.get(me.run, []))
    me.write("int-samarbeid", "Første utkast.")                  # saved at once on blur
    assert "Første utkast." in json.dumps(wait_for_commits(lms, me.run, before + 1)[-1], ensure_ascii=False)
    # From here on nothing reaches the LMS: the window dies before the save after a pause in writing
    # (kurs.js SAVE_AFTER_MS, 700 ms) could send the last words. Refusing only after the half second
    # raced that timer: on a loaded machine the save came first and the LMS had the words after all.
    # The page's own pagehide handlers may still run while Playwright closes it; the LMS refuses them too.
    me.page.evaluate("() => { window.refuseCommits = 1e9; }")
    me.reflection_box("int-samarbeid").press_sequentially(" Og så «mer» <b>æøå</b>", delay=20)
    me.page.wait_for_timeout(500)
    crashed = me.last_commit()["cmi"]
    me.page.close(run_before_unload=False)
    assert "mer" not in json.dumps(crashed, ensure_ascii=False)     # the LMS really did not get it
    again = learner(context, lms, v, "course", "kill2").launch(prior=crashed, expect="intro/refleksjon.html")
    expect(again.reflection_box("int-samarbeid")).to_have_value("Første utkast. Og så «mer» <b>æøå</b>")
    assert again.runtime()["restored"] == ["int-samarbeid"]
    out = again.exit()                                # and it is sent to the LMS in this session
    assert out["errors"] == []
    assert reflections_of(out["stored"]["cmi"], layout_of(course, "intro" if v == "12" else None)) == {
        "int-samarbeid": "Første utkast. Og så «mer» <b>æøå</b>"}
