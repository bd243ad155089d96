"""`kulturskole preview` played for real: the server on a free port of 127.0.0.1, Debian's Chromium,
the package's own scorm-runtime.js talking to the preview's LMS (builder/preview/preview-lms.js).

Every test fails if the browser asked for anything that is not on the preview server.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.formats.scorm.editions import EDITIONS, SCORM12
from builder.formats.scorm.package import build_package
from builder.loader import load_course
from tests.conftest import ROOT, digest
from tests.scorm.scorm_harness import Learner

WAIT = 20_000      # ms; a generous ceiling for a rebuild on a busy machine, never a speed requirement
JOURNEY = ["intro/velkommen.html", "intro/samarbeid.html", "intro/refleksjon.html", "roller/roller.html",
           "roller/quiz.html", "roller/hjemmearbeid.html", "slutt/om-testen.html", "slutt/quiz.html"]


def start(course_dir: Path, edition: str = "scorm12"):
    from builder.preview.server import Preview
    lines: list[str] = []
    server = Preview(course_dir, edition=EDITIONS[edition], port=0, say=lines.append, interval=0.2).start()
    server.lines = lines
    return server


@pytest.fixture(autouse=True)
def _bokmal(monkeypatch):
    """The preview as an editor runs it: in bokmål (tests/conftest.py sets English for the suite), from a
    terminal that is not VS Code's, with no editor named in the environment."""
    monkeypatch.setenv("KULTURSKOLE_LANG", "nb")
    for name in ("TERM_PROGRAM", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def preview(example_course):
    server = start(example_course)
    yield server
    server.close()


@contextlib.contextmanager
def open_shell(browser, server):
    """The preview shell in a fresh browser profile whose requests may only go to the preview server."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    outside = []

    def guard(route):
        url = route.request.url
        if url.startswith(server.url) or url == "about:blank":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    ctx.route("**/*", guard)
    page = ctx.new_page()
    page.goto(server.url)
    try:
        yield page
    finally:
        ctx.close()
    assert outside == [], f"the preview asked for something outside 127.0.0.1: {outside}"


@pytest.fixture
def shell(browser, preview):
    with open_shell(browser, preview) as page:
        yield page


def course_in(page) -> Learner:
    return Learner.in_frame(page, page.frame_locator("#preview-course").frame_locator("#ks-content"))


def on_the_welcome_page(page) -> Learner:
    me = course_in(page)
    me.at("index.html")
    me.next("intro/velkommen.html")
    return me


def interaction_ids(page) -> list[str]:
    return page.locator("#preview-interactions tbody th").all_inner_texts()


@pytest.mark.parametrize("edition", ["scorm12", "scorm2004"])
def test_panel_shows_status_score_interactions_and_suspend_data(edition, browser, example_course):
    """If this broke, an editor would see a panel that does not match what Moodle would record:
    no answers, a wrong status or score, or no idea how full the learner data is."""
    server = start(example_course, edition)
    try:
        with open_shell(browser, server) as page:
            _journey(page, example_course, edition)
    finally:
        server.close()


def _journey(page, example_course, edition):
    expect(page.get_by_role("heading", name="Dette får LMS-et")).to_be_visible()
    me = course_in(page)
    me.at("index.html")
    expect(page.locator("#preview-no-interactions")).to_be_visible()
    course = load_course(example_course)
    for path in JOURNEY:
        me.next(path)
        if path == "roller/quiz.html":
            me.answer(course.module("roller").quiz, right={"rol-overste"})
            expect(page.locator("#preview-interactions tbody tr")).to_have_count(4)
        elif path == "slutt/quiz.html":
            me.answer(course.module("slutt").quiz, right=True)
    # The panel shows the SCO that is open: with one SCO per module that is the final test's SCO,
    # which holds only the 10 answers the final test drew; with one SCO, the roller quiz's 4 too.
    one_sco = page.locator("#preview-toc li").count() == 1
    expect(page.locator("#preview-interactions tbody tr")).to_have_count(10 + (4 if one_sco else 0))
    assert all(i.startswith("slutt.") for i in interaction_ids(page)[-10:])
    if one_sco:
        assert interaction_ids(page)[:2] == ["roller.rol-overste", "roller.rol-dokumenter"]
    if not one_sco:
        page.get_by_role("button", name="Roller og ansvar").click()     # the course menu: back to the roller part
        me.at("roller/hjemmearbeid.html")
    assert interaction_ids(page)[:2] == ["roller.rol-overste", "roller.rol-dokumenter"]
    first = page.locator("#preview-interactions tbody tr").first.locator("td")
    assert first.all_inner_texts()[2] == "correct"
    wrong = "wrong" if edition == "scorm12" else "incorrect"
    assert page.locator("#preview-interactions tbody tr").nth(1).locator("td").all_inner_texts()[2] == wrong
    if not one_sco:
        page.get_by_role("button", name="Sluttest").click()
        me.at("slutt/quiz.html")
    status = "fullført" if edition == "scorm12" else "fullført, bestått"     # SCORM's words in Norwegian
    expect(page.locator("#preview-summary")).to_have_text(f"Status: {status}. Poeng: 100.")
    limit = "4\u00a0096" if edition == "scorm12" else "64\u00a0000"
    suspend = page.locator("#preview-suspend").inner_text()
    size = re.fullmatch(rf"(\d+) av {limit} tegn brukt \(\d+ %\)", suspend)
    assert size and int(size.group(1)) > 10, suspend
    location = "cmi.core.lesson_location" if edition == "scorm12" else "cmi.location"
    expect(page.locator("#preview-values")).not_to_contain_text("cmi.")         # SCORM names: details view only
    expect(page.locator("#preview-values")).to_contain_text("slutt/quiz.html")
    expect(page.locator("#preview-raw")).to_contain_text(location)
    assert page.locator("#preview-api-errors").is_hidden()


ROLLER_REFLECTION = """\
- id: rol-ansvar
  title: Ansvar i din kommune
  goal: k1
  prompt: Hvem har ansvaret for kulturskolen hos dere?
  guidance: Nevn både politisk og administrativt nivå.
  min_length: 20
  max_length: 4000
- id: rol-moter
  title: Møter og saker
  goal: k1
  prompt: Hvilken sak om kulturskolen kom sist til kommunestyret?
  guidance: Ett konkret eksempel holder.
  min_length: 20
  max_length: 4000
"""     # two reflections share the roller SCO's 4,096 characters: a limit of their own, not intro's


def test_the_preview_plays_every_sco_of_the_package_with_its_own_data(browser, example_course, tmp_path):
    """If this broke, an editor would preview another course than learners get in KS Læring: one SCO
    instead of one per module, other reflection limits than the package has, a Next link on a module's
    last page that leads nowhere, or one module's data mixed into another's."""
    (example_course / "modules" / "roller" / "reflections.yml").write_text(ROLLER_REFLECTION, encoding="utf-8")
    shipped = build_package(load_course(example_course), tmp_path / "kurs.zip", edition=SCORM12)
    assert shipped.scos == ("intro", "roller", "slutt")
    server = start(example_course)
    try:
        with open_shell(browser, server) as page:
            toc = page.locator("#preview-toc button")
            expect(toc).to_have_text(["Om kurset", "Roller og ansvar", "Sluttest"])    # the manifest's items, in order
            expect(toc.nth(0)).to_have_attribute("aria-current", "step")
            me = course_in(page)
            me.at("index.html")
            for path in ("intro/velkommen.html", "intro/samarbeid.html", "intro/refleksjon.html"):
                me.next(path)
            expect(me.reflection_box("int-samarbeid")).to_have_attribute("maxlength", str(shipped.caps["int-samarbeid"]))
            me.write("int-samarbeid", "Vi samarbeider med korpset om øving i skolens lokaler.")

            me.next("roller/roller.html")        # Next on the module's last page: the package asks for "continue"
            expect(page.locator("#preview-nav")).to_contain_text("«continue»")
            expect(toc.nth(1)).to_have_attribute("aria-current", "step")
            expect(page.locator("#preview-sco")).to_have_text("Del 2 av 3: Roller og ansvar")
            assert page.frames[1].url.split("?")[0].endswith("/course/scorm-roller.html")
            expect(page.locator("#preview-values")).to_contain_text("første gang")          # a record of its own
            me.next("roller/refleksjon.html")
            cap = shipped.caps["rol-ansvar"]
            assert cap >= 1500 and cap != shipped.caps["int-samarbeid"]
            box = me.reflection_box("rol-ansvar")
            expect(box).to_have_attribute("maxlength", str(cap))          # the limit of the roller SCO, as shipped
            full = ("Kommunestyret «eier» kulturskolen; rektor leder den. " * 100)[:cap]
            me.write("rol-ansvar", full)
            expect(page.locator("#preview-suspend")).to_contain_text("av 4\u00a0096 tegn brukt")
            used = int(re.match(r"\d+", page.locator("#preview-suspend").inner_text().replace("\u00a0", "")).group())
            assert cap < used <= 4096
            assert page.locator("#preview-api-errors").is_hidden()

            page.reload()                         # the shell resumes the SCO that was open, with its data
            me = course_in(page)
            me.at("roller/refleksjon.html")
            expect(me.reflection_box("rol-ansvar")).to_have_value(full)
            expect(page.locator("#preview-values")).to_contain_text("fortsetter")

            me.content.locator("a[rel=prev]").click()
            me.at("roller/roller.html")
            me.content.locator("a[rel=prev]").click()    # into the previous module: the package asks for "previous"
            me.at("intro/refleksjon.html")
            expect(page.locator("#preview-nav")).to_contain_text("«previous»")
            expect(toc.nth(0)).to_have_attribute("aria-current", "step")
            expect(me.reflection_box("int-samarbeid")).to_have_value("Vi samarbeider med korpset om øving i skolens lokaler.")
            expect(me.reflection_box("int-samarbeid")).to_have_attribute("maxlength", str(shipped.caps["int-samarbeid"]))

            toc.nth(2).click()                    # the course menu opens any SCO
            me.at("slutt/om-testen.html")
            expect(page.locator("#preview-sco")).to_have_text("Del 3 av 3: Sluttest")
            expect(page.locator("#preview-toc-section")).to_contain_text("Status: bestått")   # intro's and roller's records
    finally:
        server.close()


def test_the_preview_follows_a_2004_choice_request_after_terminate(browser, example_course):
    """If this broke, a SCORM 2004 package that asks the LMS for another SCO ({target=…}choice, or
    continue/previous) would stay where it is in the preview, and editors could not try its navigation."""
    server = start(example_course, "scorm2004")
    try:
        with open_shell(browser, server) as page:
            me = course_in(page)
            me.at("index.html")
            me.next("intro/velkommen.html")
            toc = page.locator("#preview-toc button")
            last = toc.count() - 1
            target = server.rebuilder.state()["scos"][last]
            answers = page.evaluate("""(id) => [
                API_1484_11.GetValue("adl.nav.request_valid.continue"),
                API_1484_11.GetValue("adl.nav.request_valid.choice.{target=" + id + "}"),
                API_1484_11.GetValue("adl.nav.request_valid.choice.{target=no-such-item}"),
                API_1484_11.SetValue("adl.nav.request", "sideways"), API_1484_11.GetLastError(),
                API_1484_11.SetValue("adl.nav.request", "{target=" + id + "}choice"),
                API_1484_11.Terminate("")]""", target["id"])
            assert answers == [str(last > 0).lower(), "true", "false", "false", "406", "true", "true"]
            expect(page.locator("#preview-nav")).to_contain_text(f"«{{target={target['id']}}}choice»")
            expect(page.locator("#preview-nav")).to_contain_text(target["title"])
            expect(toc.nth(last)).to_have_attribute("aria-current", "step")
            me.at("intro/velkommen.html" if last == 0 else "slutt/om-testen.html")    # a new session of that SCO
            expect(page.locator("#preview-values")).to_contain_text("fortsetter" if last == 0 else "første gang")
    finally:
        server.close()


def test_reloading_resumes_and_start_again_forgets(shell, preview, example_course):
    """If this broke, an editor who reloads the preview would lose the learner's place and answers,
    or "Start på nytt" would not give a clean first launch."""
    me = course_in(shell)
    me.at("index.html")
    for path in JOURNEY[:5]:
        me.next(path)
    me.answer(load_course(example_course).module("roller").quiz, right=True)
    expect(shell.locator("#preview-interactions tbody tr")).to_have_count(4)
    shell.reload()
    me = course_in(shell)
    me.at("roller/quiz.html")
    expect(me.content.locator("#ks-notice")).to_contain_text("Velkommen tilbake")
    expect(shell.locator("#preview-interactions tbody tr")).to_have_count(4)
    expect(shell.locator("#preview-values")).to_contain_text("fortsetter")

    shell.get_by_role("button", name="Start på nytt").click()
    me.at("index.html")
    expect(shell.locator("#preview-no-interactions")).to_be_visible()
    expect(shell.locator("#preview-values")).to_contain_text("første gang")
    expect(shell.locator("#preview-summary")).to_have_text("Status: påbegynt. Poeng: ikke satt.")


def test_the_preview_lms_refuses_what_a_strict_lms_refuses(shell):
    """If this broke, a package that sends too much learner data or breaks the SCORM rules would look
    fine in the preview and fail in Moodle."""
    course_in(shell).at("index.html")                           # the package has started its session
    answers = shell.evaluate("""() => [
        API.LMSSetValue("cmi.suspend_data", "x".repeat(4097)), API.LMSGetLastError(),
        API.LMSSetValue("cmi.core.entry", "resume"), API.LMSGetLastError(),
        API.LMSSetValue("cmi.interactions.5.id", "q"), API.LMSGetLastError()]""")
    assert answers == ["false", "405", "false", "403", "false", "201"]
    refused = shell.locator("#preview-api-errors")
    expect(refused).to_contain_text("LMS-et avviste disse kallene")
    expect(refused).to_contain_text("4097 > 4096")
    expect(refused).to_contain_text("cmi.core.entry")
    assert int(re.match(r"\d+", shell.locator("#preview-suspend").inner_text()).group()) < 4096


def test_a_saved_change_shows_in_the_frame_without_reloading(shell, preview, example_course):
    """If this broke, an editor would have to rebuild and reload by hand to see a change."""
    me = on_the_welcome_page(shell)
    page_file = example_course / "modules" / "intro" / "01-velkommen.md"
    page_file.write_text(page_file.read_text(encoding="utf-8").replace(
        "Dette kurset handler om", "Nå handler kurset om kulturskolen og"), encoding="utf-8")
    expect(me.content.get_by_text("Nå handler kurset om kulturskolen og")).to_be_visible(timeout=WAIT)
    me.at("intro/velkommen.html")                               # the editor stays on the page they changed
    expect(shell.locator("#preview-build")).to_contain_text("Versjon 2")


def _content_frame(page, path: str):
    """The course page's own frame (inside the SCO's launch page), to run script in it."""
    return next(f for f in page.frames if f.url.split("?")[0].endswith("/course/" + path))


def test_a_text_edit_is_swapped_into_the_open_page_keeping_its_place(shell, preview, example_course):
    """If this broke, every save would load the page again: the editor would lose their place in a
    long page (it jumps to the top) and wait for the whole page instead of seeing the new words."""
    me = on_the_welcome_page(shell)
    page_file = example_course / "modules" / "intro" / "01-velkommen.md"
    original = page_file.read_text(encoding="utf-8")
    # A long page with a drawn figure, whose «Figuren som tekst» is a <details> the editor may open.
    (example_course / "figures").mkdir()
    shutil.copy(ROOT / "course" / "figures" / "aksjonslaering.yml", example_course / "figures")
    long = original + "\n:::figur aksjonslaering\n" + "".join(
        f"\nAvsnitt {n} om samarbeid i kommunen og kulturskolen.\n" for n in range(60))
    page_file.write_text(long, encoding="utf-8")
    expect(me.content.get_by_text("Avsnitt 59 om samarbeid")).to_be_visible(timeout=WAIT)
    expect(shell.locator("#preview-build")).to_contain_text("Versjon 2")
    frame = _content_frame(shell, "intro/velkommen.html")
    # A mark the page keeps only while it is not loaded again, an opened figure text, a place far down the page.
    frame.evaluate("() => { window.notReloaded = 'ja'; document.querySelector('main details').open = true;"
                   " window.scrollTo(0, 900); }")
    kept = frame.evaluate("() => window.scrollY")
    assert kept > 400, "the page must be long enough to scroll for this test to mean anything"

    page_file.write_text(long.replace("Avsnitt 30 om", "Avsnitt 30 handler nå om"), encoding="utf-8")
    expect(me.content.get_by_text("Avsnitt 30 handler nå om")).to_be_visible(timeout=WAIT)
    expect(shell.locator("#preview-build")).to_contain_text("Versjon 3")
    assert frame.evaluate("() => window.notReloaded") == "ja", "the page was loaded again instead of updated in place"
    assert abs(frame.evaluate("() => window.scrollY") - kept) <= 2, "the page lost its scroll position"
    assert frame.evaluate("() => document.querySelector('main details').open"), "the opened figure text closed"
    # The swapped text is a working page: its glossary terms and links are as in a page loaded anew.
    me.next("intro/samarbeid.html")

    # A new title changes the pager and menus, outside <main>: that page is loaded again and shows it.
    _content_frame(shell, "intro/samarbeid.html").evaluate("() => { window.notReloaded = 'ja'; }")
    page_file.write_text(long.replace("title: Velkommen", "title: Velkommen hit"), encoding="utf-8")
    expect(me.content.locator("a[rel=prev]")).to_contain_text("Velkommen hit", timeout=WAIT)
    me.at("intro/samarbeid.html")
    assert _content_frame(shell, "intro/samarbeid.html").evaluate("() => window.notReloaded") is None


def test_the_overlay_shows_what_to_type_as_code_and_goes_when_fixed(shell, preview, example_course, monkeypatch):
    """If this broke, an editor would read raw backticks (`title: ...`) in the error over the course,
    or the error would stay on screen after they fixed the file, or an editor who does not use VS Code
    would get «Åpne i VS Code» (a link that opens nothing) and no path they can open in their own editor."""
    me = on_the_welcome_page(shell)
    frame = _content_frame(shell, "intro/velkommen.html")
    frame.evaluate("() => { window.notReloaded = 'ja'; }")
    module = example_course / "modules" / "intro" / "module.yml"
    good = module.read_text(encoding="utf-8")
    module.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    overlay = shell.locator("#preview-overlay")
    expect(overlay).to_be_visible(timeout=WAIT)
    expect(overlay.locator(".overlay-where").first).to_contain_text("intro/module.yml:1")
    expect(overlay.locator(".overlay-how code").first).to_contain_text("title:")
    assert "`" not in overlay.inner_text(), overlay.inner_text()
    assert "`" not in shell.locator("#preview-errors").inner_text()

    # Started outside VS Code: no vscode:// link, and the file's full path goes to the clipboard.
    assert overlay.locator("a[href^='vscode:']").count() == 0, overlay.inner_html()
    shell.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = overlay.locator(".overlay-where button").first
    copy.click()
    expect(copy).to_contain_text("Kopiert")
    assert shell.evaluate("() => navigator.clipboard.readText()") == str(module.resolve())
    # Started in VS Code's terminal: the link opens the file at its line (a second tab; this one stays).
    monkeypatch.setenv("TERM_PROGRAM", "vscode")
    other = shell.context.new_page()
    other.goto(preview.url)
    expect(other.locator("#preview-overlay a").first).to_have_attribute(
        "href", "vscode://file/" + urllib.request.quote(str(module.resolve()), safe="/") + ":1", timeout=WAIT)
    other.close()

    module.write_text(good, encoding="utf-8")
    expect(overlay).to_be_hidden(timeout=WAIT)
    expect(shell.locator("#preview-errors")).to_be_hidden()
    me.at("intro/velkommen.html")
    assert frame.evaluate("() => window.notReloaded") == "ja", "a fix that gives back the same pages reloaded the page"


def test_a_broken_source_shows_the_error_and_keeps_the_last_build(shell, preview, example_course):
    """If this broke, a typo would blank the preview or hide what is wrong and where, or the version
    after the fix would skip a number (Versjon 1, a failed build, then «Versjon 3»: a version the editor
    never saw)."""
    me = on_the_welcome_page(shell)
    quiz = example_course / "modules" / "roller" / "quiz.yml"
    good = quiz.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(good.splitlines(), 1) if "reference:" in text)
    quiz.write_text(good.replace("reference:", "refrence:", 1), encoding="utf-8")

    errors = shell.locator("#preview-errors")
    expect(errors).to_be_visible(timeout=WAIT)
    expect(errors).to_contain_text(f"roller/quiz.yml:{line}:")
    expect(errors).to_contain_text("refrence")
    expect(errors).to_contain_text("reference")                  # the hint: what to write instead
    assert any(f"quiz.yml:{line}:" in text for text in preview.lines), "the terminal must name the error too"
    overlay = shell.locator("#preview-overlay")                  # over the course, where the editor looks
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text(f"roller/quiz.yml:{line}")
    expect(overlay.locator(".overlay-what")).to_contain_text(["reference", "refrence"])
    expect(overlay.locator(".overlay-how").first).not_to_be_empty()
    assert urllib.request.urlopen(preview.url + "course/imsmanifest.xml").status == 200
    shell.locator("#preview-overlay-hide").click()
    me.at("intro/velkommen.html")
    me.next("intro/samarbeid.html")                              # the last good build still works

    quiz.write_text(good, encoding="utf-8")
    expect(errors).to_be_hidden(timeout=WAIT)
    expect(overlay).to_be_hidden()
    expect(shell.locator("#preview-build")).to_contain_text("Versjon 2")
    me.at("intro/samarbeid.html")


def test_the_panel_passes_axe_and_is_usable_by_keyboard(shell, preview, example_course):
    """If this broke, an editor using a screen reader or only a keyboard could not use the panel."""
    me = course_in(shell)
    me.at("index.html")
    for path in JOURNEY[:5]:
        me.next(path)
    me.answer(load_course(example_course).module("roller").quiz, right=False)
    quiz = example_course / "modules" / "roller" / "quiz.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("reference:", "refrence:", 1), encoding="utf-8")
    expect(shell.locator("#preview-errors")).to_be_visible(timeout=WAIT)     # every part of the panel is shown
    expect(shell.locator("#preview-interactions tbody tr")).to_have_count(4)
    shell.add_script_tag(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
    result = shell.evaluate("""() => axe.run(document, {iframes: false,
        runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]})""")
    assert [(v["id"], v["help"]) for v in result["violations"]] == []

    shell.locator("#preview-course").focus()
    for _ in range(60):
        shell.keyboard.press("Tab")
        if shell.evaluate("() => document.activeElement.id") == "preview-restart":
            break
    else:
        pytest.fail("the Start på nytt button cannot be reached with Tab")
    shell.keyboard.press("Enter")
    expect(shell.locator("#preview-no-interactions")).to_be_visible()
    me.at("index.html")


def test_the_server_listens_only_on_127_0_0_1_and_answers_only_to_that_name(preview):
    """If this broke, anyone on the network, or a web page using DNS rebinding, could read the course
    being edited."""
    assert preview.httpd.socket.getsockname()[0] == "127.0.0.1"
    port = preview.httpd.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/__preview/status", headers={"Host": f"evil.example:{port}"})
    assert conn.getresponse().status == 403
    conn.close()
    assert urllib.request.urlopen(preview.url + "__preview/status").status == 200


def test_the_package_in_the_preview_is_the_one_an_lms_gets(preview, example_course, tmp_path):
    """If this broke, the preview would show something else than the package built for Moodle, or the
    editors' texts would be shipped to every learner."""
    served = preview.rebuilder.current
    shipped = build_package(load_course(example_course), tmp_path / "kurs.zip", edition=SCORM12).path
    with zipfile.ZipFile(shipped) as zf:
        zf.extractall(tmp_path / "shipped")
    assert digest(served) == digest(tmp_path / "shipped")          # byte for byte the whole-course zip
    data = urllib.request.urlopen(preview.url + "course/assets/kurs-data.js").read().decode("utf-8")
    assert "window.KS_STRINGS" in data and "preview_" not in data


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["Ctrl-C", "SIGTERM", "SIGHUP"])
def test_the_command_prints_the_url_and_stops_cleanly(signum, example_course, tmp_path):
    """If this broke, an editor would not know where to open the preview, or Ctrl-C, `kill` or closing
    the terminal would leave a process, a traceback or temporary files behind. The preview starts with
    SIGINT ignored, as a script's background job (`… &`, an IDE task) passes it on: Ctrl-C must stop
    it all the same (it did not, and this test then hung for 60 s, when the suite ran as `.ci/run &`)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "builder", "preview", "--course", str(example_course), "--port", "0"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            env={**os.environ, "TMPDIR": str(tmp)},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        assert b'"ok": true' in urllib.request.urlopen(url.group(0) + "__preview/status").read()
        assert list(tmp.iterdir()), "the build should be in the temporary folder, not in dist/"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Forhåndsvisningen er stoppet." in out
    assert "Traceback" not in err
    assert list(tmp.iterdir()) == []


def test_a_course_broken_from_the_start_appears_once_it_is_fixed(browser, example_course):
    """If this broke, an editor who starts the preview on a broken course would see an empty page
    with no hint, or would have to restart the preview after fixing it."""
    quiz = example_course / "modules" / "roller" / "quiz.yml"
    good = quiz.read_text(encoding="utf-8")
    quiz.write_text(good.replace("correct: true", "correct: ja", 1), encoding="utf-8")
    server = start(example_course)
    try:
        with open_shell(browser, server) as page:
            errors = page.locator("#preview-errors")
            expect(errors).to_contain_text("Kurset vises her når disse feilene er rettet")
            expect(errors).to_contain_text("roller/quiz.yml:")
            quiz.write_text(good, encoding="utf-8")
            expect(errors).to_be_hidden(timeout=WAIT)
            course_in(page).at("index.html")
    finally:
        server.close()


def test_the_preview_speaks_english_when_the_tool_does(monkeypatch):
    """If this broke, `kulturskole --english preview` (or an English locale) would still show a
    bokmål panel and overlay, or a bokmål one would be marked as English for screen readers."""
    from builder.preview.server import render_shell
    monkeypatch.setenv("KULTURSKOLE_LANG", "en")
    english = render_shell(SCORM12, "k").decode("utf-8")
    monkeypatch.setenv("KULTURSKOLE_LANG", "nb")
    bokmal = render_shell(SCORM12, "k").decode("utf-8")
    assert '<html lang="en">' in english and "Course preview" in english and "Forhåndsvisning" not in english
    assert '<html lang="nb">' in bokmal and "Forhåndsvisning av kurset" in bokmal
