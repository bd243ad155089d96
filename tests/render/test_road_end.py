"""The end of the learner's road in the web edition, played in Chromium: a truthful final-test state
on the front page, the course certificate after a pass, short practice quizzes with the result on top."""

from __future__ import annotations

import math
import re

import pytest

from builder.loader import load_course
from builder.render.site import answer_key
from tests.a11y import axe_violations
from tests.conftest import ROOT, WAIT, refuse_outside, served

GUESS = """form => { for (const fs of form.querySelectorAll('fieldset[data-question]:not([hidden])')) {
    if (fs.dataset.type === 'truefalse') fs.querySelector('input[value="false"]').click();
    else if (fs.dataset.type === 'matching') fs.querySelectorAll('select').forEach(s => { s.selectedIndex = 1; });
    else fs.querySelector('input').click(); } }"""
ANSWER = """([form, keys]) => { for (const fs of form.querySelectorAll('fieldset[data-question]:not([hidden])')) {
    const k = keys[fs.dataset.question];
    if (fs.dataset.type === 'matching') fs.querySelectorAll('select').forEach(s => {
      const pair = s.closest('[data-pair]').dataset.pair; s.value = k.find(x => x.split('.')[0] === pair); });
    else k.forEach(id => { fs.querySelector('input[value="' + id + '"]').checked = true; }); } }"""
WRONG_FIRST = """([form, keys]) => { const fs = form.querySelector('fieldset[data-question]:not([hidden])'), k = keys[fs.dataset.question];
    if (fs.dataset.type === 'matching') { const s = fs.querySelector('select');
      s.value = Array.from(s.options).map(o => o.value).find(v => v && !k.includes(v)); return; }
    fs.querySelectorAll('input').forEach(i => { i.checked = false; });
    fs.querySelector(Array.from(fs.querySelectorAll('input')).map(i => i.value).filter(v => !k.includes(v))
      .map(v => 'input[value="' + v + '"]')[0]).checked = true; }"""
MARKS = """list => Array.from(list.querySelectorAll('a')).map(a => [a.className, a.textContent, getComputedStyle(a).backgroundColor])"""
SHOWN = "f => Array.from(f.querySelectorAll('fieldset[data-question]:not([hidden])')).map(fs => [fs.dataset.question, !!fs.dataset.scenario])"


@pytest.fixture(scope="module")
def real():
    course = load_course(ROOT / "course")
    return course, next(m for m in course.modules if m.quiz and m.quiz.graded)


@pytest.fixture
def learner(browser, real_web):
    with served(real_web) as site:
        context = browser.new_context(viewport={"width": 375, "height": 812})
        blocked = refuse_outside(context, site, "data:", "blob:")
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, site
        context.close()
        assert blocked == [] and errors == []


def _submit(page):
    page.locator("form[data-quiz]").evaluate("f => f.requestSubmit()")
    page.locator(".quiz-summary:not([hidden])").wait_for(timeout=WAIT)


def test_failing_then_passing_the_final_test_is_said_truthfully_and_earns_the_certificate(learner, real):
    """If this broke, a politician who failed would read «✓ Fullført» on the front page, one who passed
    would find «Bestått» nowhere, and there would be no kursbevis to print (or a nynorsk one dated
    «December 7, 2026»), or the kursbevis page before a pass would have no heading to say what it is."""
    page, site = learner
    course, final = real
    page.goto(site + "index.html")
    assert page.locator("[data-course-progress]").inner_text() == "Du har ikke åpnet noen sider i kurset ennå."
    assert page.locator(f'[data-module-state="{final.id}"]').inner_text() == "Ikke tatt"
    assert page.title() == course.title
    screens = page.evaluate("document.documentElement.scrollHeight") / 812
    assert screens <= 5, f"the phone front page is {screens:.1f} screens tall"     # was 13.5
    page.goto(site + f"{final.id}/quiz.html")
    page.locator("form[data-quiz]").evaluate(GUESS)
    _submit(page)
    page.goto(site + "index.html")
    state = page.locator(f'[data-module-state="{final.id}"]')
    assert state.inner_text().startswith("Ikke bestått – 1 av 3 forsøk brukt, beste resultat "), state.inner_text()
    assert state.get_attribute("data-state") == "failed"
    page.goto(site + "kursbevis.html")
    assert page.locator("[data-certificate]").is_hidden() and page.locator("[data-certificate-locked]").is_visible()
    # Not passed yet, the page still says what it is (a screen reader's «heading» key found nothing).
    assert page.get_by_role("heading", level=1).inner_text() == "Kursbevis"

    page.goto(site + f"{final.id}/quiz.html")
    page.locator("[data-quiz-reset]").evaluate("b => b.click()")
    keys = {q.id: list(answer_key(q)) for q in final.quiz.questions}
    page.evaluate(ANSWER, [page.locator("form[data-quiz]").element_handle(), keys])
    _submit(page)
    summary = page.locator(".quiz-summary")
    assert "Bestått" in summary.inner_text() and summary.get_attribute("data-color") == "success"
    assert summary.locator(".quiz-marks a.right").count() == final.quiz.per_attempt
    page.goto(site + "index.html")
    assert page.locator(f'[data-module-state="{final.id}"]').inner_text() == "Bestått – 100\u00a0%"
    page.get_by_role("link", name="Se kursbeviset ditt").click()
    page.get_by_label("Navnet ditt på kursbeviset").fill("Kari Nordmann")
    certificate = page.locator("article.certificate")
    assert certificate.is_visible() and page.get_by_role("heading", level=1).count() == 1
    text = certificate.inner_text()
    for expected in ("Kari Nordmann", course.title, "100\u00a0%", course.goals[0].title, course.organisation):
        assert expected in text, expected
    # The same kursbevis as a nynorsk page: its date in Norwegian even where the browser has no
    # nynorsk dates (Debian's Chromium wrote «December 7, 2026»).
    page.route("**/kursbevis.html", lambda route: route.fulfill(
        response=route.fetch(), body=route.fetch().text().replace('<html lang="nb"', '<html lang="nn"', 1)))
    page.reload()
    assert page.evaluate("document.documentElement.lang") == "nn"
    date = page.locator("[data-certificate-date]").inner_text()
    assert re.fullmatch(r"\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember) \d{4}",
                        date), date


def test_a_practice_quiz_asks_at_most_8_and_every_question_comes_up_over_retakes(learner, real):
    """If this broke, a module self-test would ask 20 long questions at once again, or some questions
    of its pool would never be asked however often the learner practises."""
    page, site = learner
    course, _ = real
    module = max((m for m in course.modules if m.quiz and not m.quiz.graded), key=lambda m: len(m.quiz.questions))
    pool = {q.id for q in module.quiz.questions}
    assert len(pool) > 8
    page.goto(site + f"{module.id}/quiz.html")
    form, asked = page.locator("form[data-quiz]"), set()
    for attempt in range(math.ceil(len(pool) / 8)):
        if attempt:
            page.locator("[data-quiz-reset]").evaluate("b => b.click()")
        shown = form.evaluate(SHOWN)
        assert len(shown) == 8
        flags = [s for _, s in shown]
        assert flags == sorted(flags, reverse=True), "scenarios come first"
        asked |= {q for q, _ in shown}
        form.evaluate(GUESS)
        _submit(page)
        marks = page.locator(".quiz-summary .quiz-marks a")
        assert marks.count() == 8
        marks.nth(7).click()                         # jumps to the 8th question, paged on the phone
        assert page.locator("fieldset[data-question].current .qnum").inner_text() == "8."
    assert asked == pool


def test_homework_names_its_gatherings_and_a_reflection_says_it_is_saved(learner, real):
    """If this broke, the homework would read «Mellom Fra dialog til tiltak og …» again, and a learner
    would not know whether the reflection they just wrote was kept."""
    page, site = learner
    course, _ = real
    module = next(m for m in course.modules if m.homework)
    page.goto(site + f"{module.id}/hjemmearbeid.html")
    text = page.locator("main").inner_text()
    assert "Mellom samling " in text and "(«" in text, text[:400]
    module = next(m for m in course.modules if m.reflections)
    page.goto(site + f"{module.id}/refleksjon.html")
    box = page.locator("textarea[data-reflection]").first
    box.fill("Kommunestyret bør spørre kulturskolen hva den trenger.")
    box.blur()
    saved = page.locator(".reflection-saved").first
    saved.filter(has_text="Lagret kl.").wait_for(timeout=WAIT)


def _luminance(css: str) -> float:
    """WCAG relative luminance of a computed `rgb(r, g, b)`."""
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_right_and_wrong_in_a_quiz_result_differ_by_more_than_hue(browser, real_web, real, scheme):
    """The ✓/✗ links above a checked quiz: each says ✓ or ✗, and a wrong one is a filled box whose
    background differs from a right one's by at least 3:1 in lightness, in dark mode too; axe finds
    nothing on the checked page. If this broke, a learner in dark mode would see eight near-white
    boxes (as they once did) and have to read every glyph to find what to look at again."""
    course, _ = real
    module = max((m for m in course.modules if m.quiz and not m.quiz.graded), key=lambda m: len(m.quiz.questions))
    keys = {q.id: list(answer_key(q)) for q in module.quiz.questions}
    with served(real_web) as site:
        context = browser.new_context(viewport={"width": 375, "height": 812}, color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(site + f"{module.id}/quiz.html")
            form = page.locator("form[data-quiz]")
            page.evaluate(ANSWER, [form.element_handle(), keys])
            page.evaluate(WRONG_FIRST, [form.element_handle(), keys])
            _submit(page)
            marks = page.locator(".quiz-summary .quiz-marks").evaluate(MARKS)
            assert [c for c, _, _ in marks] == ["wrong"] + ["right"] * (len(marks) - 1), marks
            assert all(t.endswith("✗" if c == "wrong" else "✓") for c, t, _ in marks), marks
            wrong, right = _luminance(marks[0][2]), _luminance(marks[1][2])
            ratio = (max(wrong, right) + 0.05) / (min(wrong, right) + 0.05)
            assert ratio >= 3, f"{scheme}: ✗ {marks[0][2]} and ✓ {marks[1][2]} differ only {ratio:.2f}:1"
            assert axe_violations(page) == []
        finally:
            context.close()


def _pager(html: str) -> str:
    return re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)


def test_pages_opened_from_anywhere_lead_back_to_the_contents_not_to_the_final_test(real_web):
    """If this broke, a politician who opens «Mine refleksjoner» from the footer in module 2 would be
    offered «← Forrige: Sluttest» (the final test they have not reached), and every module's «Hele
    modulen» page would say «Du har kommet til slutten av kurset» under module 1's text."""
    from builder.model.naming import CERTIFICATE, MY_REFLECTIONS, PRINT_PAGE
    final_test = next(path for path in real_web.glob("*/quiz.html") if 'rel="next" href="../mine-refleksjoner.html"'
                      in _pager(path.read_text(encoding="utf-8")))      # the reading order still ends there
    assert final_test.parent.name == "sluttest"
    for name in (MY_REFLECTIONS, CERTIFICATE, f"om-kurset/{PRINT_PAGE}"):
        pager = _pager((real_web / name).read_text(encoding="utf-8"))
        assert 'rel="prev"' not in pager and "Forrige" not in pager and "slutten av kurset" not in pager, (name, pager)
        assert 'href="' + "../" * name.count("/") + 'index.html#innholdsliste"' in pager and "Kursets innhold" in pager, (name, pager)


def test_my_reflections_offers_download_and_print_only_when_there_is_something_written(learner, real_web):
    """If this broke, a politician who has written nothing yet would be offered «Last ned» and «Skriv ut»
    on «Mine refleksjoner» and get an empty file or a blank page; one who has written would lose the buttons."""
    from builder.model.naming import MY_REFLECTIONS
    page, site = learner
    page.goto(site + MY_REFLECTIONS)
    page.locator("[data-my-reflections]").wait_for()
    actions = page.locator("[data-reflection-actions]")
    assert not actions.is_visible() and "Du har ikke skrevet" in page.locator("[data-my-reflections]").inner_text()
    reflection_page = next(real_web.glob("*/refleksjon.html")).relative_to(real_web).as_posix()
    page.goto(site + reflection_page)
    box = page.locator("textarea[data-reflection]").first
    box.fill("Vi vil invitere kulturskolen til budsjettseminaret.")
    box.blur()
    page.goto(site + MY_REFLECTIONS)
    page.locator(".my-reflection").first.wait_for()
    assert actions.is_visible()
    assert page.get_by_role("button", name="Last ned refleksjonene mine").is_visible()
    assert page.get_by_role("button", name="Skriv ut refleksjonene mine").is_visible()
