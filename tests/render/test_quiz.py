"""The final test as an exam, and quizzes one question at a time, played in Chromium.

The example course's final test (tests/example_course/modules/slutt/quiz.yml) has 10 questions per
competence goal and draws 5 of each per attempt, with 2 attempts before the answers are shown. Every
browser profile here gets its own fixed Math.random, so each "fresh learner" has a different seed
and the run is the same every time.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from builder.build import build
from builder.formats import Options
from builder.formats.scorm.budget import Layout, decode
from builder.formats.scorm.editions import SCORM12
from builder.formats.scorm.package import build_package
from builder.render.site import answer_key, plan
from builder.loader import load_course
from tests.a11y import axe_violations, horizontal_overflow
from tests.conftest import EXAMPLE, ROOT, WAIT, need, refuse_outside, served
from tests.scorm.scorm_harness import SCORM_AGAIN, Learner, Server, prepare_www

LEARNERS, ATTEMPTS = 5, 4      # fresh learners, each taking the test 4 times: 20 attempts


def seeded_random(seed: int) -> str:
    """An init script giving the profile its own replayable Math.random (mulberry32)."""
    return f"""(() => {{ let a = {seed} >>> 0; Math.random = () => {{
        a = (a + 0x6D2B79F5) >>> 0; let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }}; }})();"""


# The guesser: the first option shown everywhere, «Usant» on every true/false question, the first
# role on every matching row, the first option alone on multiple choice.
GUESS = """form => {
  for (const fs of form.querySelectorAll('fieldset[data-question]:not([hidden])')) {
    if (fs.dataset.type === 'truefalse') fs.querySelector('input[value="false"]').click();
    else if (fs.dataset.type === 'matching') fs.querySelectorAll('select').forEach(s => { s.selectedIndex = 1; });
    else fs.querySelector('input').click();
  }
}"""

SHOWN = """form => Array.from(form.querySelectorAll('fieldset[data-question]:not([hidden])')).map(fs =>
  [fs.dataset.question, fs.dataset.goals, Array.from(fs.querySelectorAll('input, option[value]:not([value=""])')).map(i => i.value).join(' ')])"""


@pytest.fixture(scope="module")
def course():
    return load_course(EXAMPLE)


@pytest.fixture(scope="module")
def site(tmp_path_factory, course):
    out = build(course, tmp_path_factory.mktemp("exam-web"), ["web"], Options())[0]
    with served(out) as base:
        yield base


@pytest.fixture
def learner_page(browser, site):
    """new(seed) → a page in a fresh profile (a fresh learner) that may only load the site."""
    contexts, outside = [], []

    def new(seed: int, width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.add_init_script(seeded_random(seed))
        outside.extend([])
        blocked = refuse_outside(context, site, "data:", "blob:")
        contexts.append((context, blocked))
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        return page

    yield new
    for context, blocked in contexts:
        context.close()
        assert blocked == [], f"a page asked for something outside the site: {blocked}"


def _check(page):
    page.get_by_role("button", name="Sjekk svarene").click()
    result = page.locator("[data-quiz-result]")
    result.filter(has_text="%").wait_for(timeout=WAIT)
    return result.inner_text()


def _score(text: str) -> int:
    return int(re.search(r"\((\d+)[ \u00a0]%\)", text).group(1))


@pytest.fixture(scope="module")
def real_final():
    """The real course and its final test (the graded quiz): the guesser takes the test learners take."""
    real = load_course(ROOT / "course")
    module = next(m for m in real.modules if m.quiz and m.quiz.graded)
    return real, module


def test_a_guesser_fails_the_final_test_20_of_20_on_the_web(browser, real_web, real_final, capsys):
    """If this broke, a municipality would report «passed» for a politician who only clicked the first
    option and «Usant» everywhere: the test would measure nothing."""
    _, module = real_final
    scores = []
    with served(real_web) as site:
        for n in range(LEARNERS):
            context = browser.new_context()
            context.add_init_script(seeded_random(1000 + n))
            blocked = refuse_outside(context, site, "data:", "blob:")
            page = context.new_page()
            page.goto(site + f"{module.id}/quiz.html")
            form = page.locator(f'form[data-quiz="{module.quiz.id}"]')
            for attempt in range(ATTEMPTS):
                if attempt:
                    page.get_by_role("button", name="Prøv igjen").click()
                form.evaluate(GUESS)
                text = _check(page)
                scores.append(_score(text))
                assert "Bestått" not in text, text
            context.close()
            assert blocked == []
    passed = sum(s >= 80 for s in scores)
    with capsys.disabled():
        print(f"\nguesser, web edition of course/ ({module.quiz.per_attempt} questions per attempt): "
              f"passed {passed} of {len(scores)} attempts; scores {sorted(scores)} %")
    assert len(scores) == 20 and passed == 0


def test_option_order_differs_between_learners_and_stays_for_one(learner_page, site, course):
    """If this broke, learners could pass on the position of the right answer, or a learner who reloads
    would find the options (or the final test's questions) moved under their hand."""
    orders = []
    for seed in (1, 2):
        page = learner_page(seed)
        page.goto(site + "roller/quiz.html")
        orders.append(page.locator('form[data-quiz="roller"]').evaluate(SHOWN))
        page.reload()
        assert page.locator('form[data-quiz="roller"]').evaluate(SHOWN) == orders[-1]
        page.goto(site + "slutt/quiz.html")
        exam = page.locator('form[data-quiz="slutt"]').evaluate(SHOWN)
        page.reload()
        assert page.locator('form[data-quiz="slutt"]').evaluate(SHOWN) == exam
    assert [q[0] for q in orders[0]] == [q[0] for q in orders[1]]        # module quizzes keep the editor's question order
    assert [q[2] for q in orders[0]] != [q[2] for q in orders[1]]
    for shown in orders:                                               # every option still there, tied to its id
        for qid, _, values in shown:
            q = next(x for x in course.module("roller").quiz.questions if x.id == qid)
            expected = [f"{p.id}.{i}" for p in q.pairs for i in range(len(q.roles))] if q.type == "matching" else [o.id for o in q.options]
            assert sorted(values.split()) == sorted(expected)


def test_each_attempt_draws_every_goal_and_a_new_set(learner_page, site, course):
    """If this broke, the final test would again grade only one competence goal, or a retake would show
    the same questions as the attempt before."""
    quiz = course.module("slutt").quiz
    by_id = {q.id: q for q in quiz.questions}
    draws = []
    for seed in (7, 8, 9):
        page = learner_page(seed)
        page.goto(site + "slutt/quiz.html")
        form = page.locator('form[data-quiz="slutt"]')
        for attempt in range(2):
            if attempt:
                page.get_by_role("button", name="Prøv igjen").click()
            shown = form.evaluate(SHOWN)
            for qid, goals, _ in shown:
                assert tuple(goals.split()) == by_id[qid].goals            # the page's goal is the source's
            assert Counter(goals for _, goals, _ in shown) == Counter(dict(quiz.draw))
            assert set(dict(quiz.draw)) == {g.id for g in course.goals}
            draws.append(frozenset(qid for qid, _, _ in shown))
            form.evaluate(GUESS)
            _check(page)
    assert all(a != b for a, b in zip(draws[::2], draws[1::2])), "a retake drew the same questions"


def test_answers_stay_off_the_page_until_passed_or_attempts_used(learner_page, site, course):
    """If this broke, a learner who failed could read the right answers off the page (or its source)
    and pass the next attempt without understanding; or one who passed would not get the explanations."""
    quiz = course.module("slutt").quiz
    explanations = {q.id: [re.sub(r"<[^>]+>", "", o.explanation_html) for o in q.options] for q in quiz.questions}

    def nothing_revealed(page):
        html = page.content()
        assert page.locator("[data-explain], [data-correct]").count() == 0
        assert "Riktig svar" not in html and not page.locator("script[src$='svar.js']").count()
        leaked = [t for texts in explanations.values() for t in texts if t in html]
        assert leaked == []

    page = learner_page(42)
    page.goto(site + "slutt/quiz.html")
    nothing_revealed(page)
    learner = Learner.in_frame(page, page)
    learner.answer(quiz, right=False)
    text = page.locator("[data-quiz-result]").inner_text()
    assert "Du har brukt 1 av 2 forsøk" in text
    nothing_revealed(page)
    revisit = page.locator("[data-revisit]")
    expect(revisit).to_be_visible()
    assert "Rolleforståelse – 0 av 5 riktige" in revisit.inner_text() and "Samarbeid – 0 av 5 riktige" in revisit.inner_text()
    page.reload()                                                       # the saved attempt comes back, still without answers
    expect(page.locator("[data-quiz-result]")).to_contain_text("1 av 2 forsøk")
    nothing_revealed(page)

    page.get_by_role("button", name="Prøv igjen").click()
    shown = learner.shown(quiz)
    learner.answer(quiz, right=set(shown[:8]))                          # 8 of 10: passed
    expect(page.locator("[data-quiz-result]")).to_contain_text("Bestått")
    for qid in shown:
        fs = page.locator(f'fieldset[data-question="{qid}"]')
        for text in explanations[qid]:
            expect(fs.get_by_text(text, exact=False).first).to_be_visible()
    assert page.locator('fieldset:not([hidden]) .explanation.right').count() >= 10
    page.reload()
    expect(page.locator('fieldset:not([hidden]) [data-explain]').first).to_be_visible()

    used = learner_page(43)                                             # two failed attempts also open the answers
    used.goto(site + "slutt/quiz.html")
    other = Learner.in_frame(used, used)
    other.answer(quiz, right=False)
    used.get_by_role("button", name="Prøv igjen").click()
    other.answer(quiz, right=False)
    expect(used.locator("[data-quiz-result]")).to_contain_text("brukt alle 2 forsøkene")
    assert used.locator('fieldset:not([hidden]) [data-explain]:not([hidden])').count() == \
        sum(len(explanations[q]) for q in other.shown(quiz))
    assert not page.errors and not used.errors


def test_paged_quiz_by_keyboard_on_a_phone(learner_page, site):
    """If this broke, a politician on a phone would scroll through one long page of questions again, or
    someone using only a keyboard (or a screen reader) could not move between questions or would not
    find what is missing."""
    page = learner_page(5, width=375, height=740)
    page.goto(site + "roller/quiz.html")
    problems = []

    def scan(step):
        problems.extend(f"{step}: {v}" for v in axe_violations(page))

    def visible():
        return page.locator("fieldset[data-question]").evaluate_all(
            "fs => fs.filter(f => f.offsetParent !== null).map(f => f.dataset.question)")

    def tab_to(pred, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            focus = page.evaluate("""() => { const a = document.activeElement;
                return {tag: a.tagName, type: a.type || '', text: (a.textContent || '').trim(),
                        q: a.closest('fieldset') ? a.closest('fieldset').dataset.question : ''}; }""")
            if pred(focus):
                return focus
        raise AssertionError("Tab never reached the control")

    status = page.locator("[data-quiz-position]")
    expect(status).to_have_text("Spørsmål 1 av 4")
    assert visible() == ["rol-overste"] and horizontal_overflow(page) == 0
    scan("question 1")
    tab_to(lambda f: f["q"] == "rol-overste" and f["type"] == "radio")
    page.keyboard.press("Space")
    tab_to(lambda f: f["text"] == "Neste spørsmål")
    page.keyboard.press("Enter")                                        # skips question 2 unanswered
    expect(status).to_have_text("Spørsmål 2 av 4")
    assert visible() == ["rol-dokumenter"]
    assert page.evaluate("document.activeElement.dataset.question") == "rol-dokumenter"   # focus on the new question
    tab_to(lambda f: f["text"] == "Neste spørsmål")
    page.keyboard.press("Enter")
    tab_to(lambda f: f["q"] == "rol-budsjett" and f["type"] == "radio")
    page.keyboard.press("Space")
    tab_to(lambda f: f["text"] == "Neste spørsmål")
    page.keyboard.press("Enter")
    expect(status).to_have_text("Spørsmål 4 av 4")
    scan("question 4")
    for _ in range(2):
        tab_to(lambda f: f["tag"] == "SELECT")
        page.keyboard.press("ArrowDown")
    tab_to(lambda f: f["text"] == "Sjekk svarene")                      # the check button is on the last question
    page.keyboard.press("Enter")
    expect(status).to_have_text("Spørsmål 2 av 4")                      # back where the answer is missing
    error = page.locator('fieldset[data-question="rol-dokumenter"] [data-question-error]')
    expect(error).to_have_text("Svar på dette spørsmålet før du sjekker svarene.")
    assert error.get_attribute("role") == "alert" and error.is_visible()
    assert page.evaluate("document.activeElement.closest('fieldset').dataset.question") == "rol-dokumenter"
    described = page.locator('fieldset[data-question="rol-dokumenter"]').get_attribute("aria-describedby").split()
    assert error.get_attribute("id") in described                       # the question tells what is missing
    scan("missing answer")
    page.keyboard.press("Space")                                        # the focused checkbox
    for _ in range(2):
        tab_to(lambda f: f["text"] == "Neste spørsmål")
        page.keyboard.press("Enter")
    tab_to(lambda f: f["text"] == "Sjekk svarene")
    page.keyboard.press("Enter")
    expect(page.locator("[data-quiz-result]")).to_contain_text("av 4 riktige")
    assert page.evaluate("document.activeElement.classList.contains('quiz-summary')")   # focus on the result, at the top
    scan("result")
    page.set_viewport_size({"width": 320, "height": 640})
    assert horizontal_overflow(page) == 0
    page.set_viewport_size({"width": 1280, "height": 900})               # wide: every question at once, no pager
    expect(page.locator("[data-quiz-pager]")).to_be_hidden()          # the script hears the width change a moment later
    assert len(visible()) == 4
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 375, "height": 740})
    assert len(visible()) == 4                                          # print: one page with every question
    assert problems == [], "\n".join(problems)
    assert not page.errors


# ------------------------------------------------------------------------------------------- SCORM 1.2


@pytest.fixture(scope="module")
def lms(course, real_final, tmp_path_factory):
    """The test LMS with two SCORM 1.2 packages: the example course's final test, and the real one."""
    need(SCORM_AGAIN.joinpath("scorm12.min.js").is_file(), "scorm-again is not installed (run `npm ci`)")
    tmp = tmp_path_factory.mktemp("exam-scorm")
    real, module = real_final
    packages = {"slutt12": build_package(course, tmp / "slutt12.zip", edition=SCORM12, module_id="slutt").path,
                "real12": build_package(real, tmp / "real12.zip", edition=SCORM12, module_id=module.id).path}
    server = Server(tmp / "www")
    server.info = prepare_www(tmp / "www", packages)
    yield server
    server.close()


def _scorm_learner(browser, lms, seed, run, prior=None, expect_path="index.html", package="slutt12"):
    context = browser.new_context()
    context.add_init_script(seeded_random(seed))
    blocked = refuse_outside(context, lms.base + "/", "about:blank")
    me = Learner(context, lms, "12", package, lms.info[package], run=run).launch(prior=prior, expect=expect_path)
    return context, blocked, me


def test_a_guesser_fails_the_final_test_20_of_20_in_scorm12(browser, lms, real_final, capsys):
    """If this broke, Moodle would record a pass (and a score of 80 or more) for a learner who guessed,
    or the LMS would lose the answers: each one must still be an interaction with its correct pattern."""
    real, module = real_final
    quiz = module.quiz
    by_id = {q.id: q for q in quiz.questions}
    layout = Layout.of(real.only(module.id), [p.key for p in plan(real.only(module.id))])
    scores, statuses = [], []
    for n in range(LEARNERS):
        context, blocked, me = _scorm_learner(browser, lms, 2000 + n, f"guess{n}", package="real12")
        for page in plan(real.only(module.id))[1:]:
            me.next(page.path)
            if page.kind == "quiz":
                break
        form = me.content.locator(f'form[data-quiz="{quiz.id}"]')
        for attempt in range(ATTEMPTS):
            if attempt:
                me.retry(quiz)
            form.evaluate(GUESS)
            form.locator("button[type=submit]").click()
            form.locator("[data-quiz-result]").filter(has_text="%").wait_for(timeout=WAIT)
            scores.append(_score(form.locator("[data-quiz-result]").inner_text()))
        out = me.exit()
        cmi = out["stored"]["cmi"]
        core = cmi["core"]
        statuses.append(core["lesson_status"])
        assert out["errors"] == []
        assert core["lesson_status"] not in ("passed", "completed", "failed")
        assert float(core["score"]["raw"]) == max(scores[-ATTEMPTS:]) < 80    # the best attempt, and below the pass mark
        items = [cmi["interactions"][k] for k in sorted(cmi["interactions"], key=int)]
        assert len(items) == ATTEMPTS * quiz.per_attempt
        for item in items:
            q = by_id[item["id"].split(".", 1)[1]]
            pattern = item["correct_responses"]["0"]["pattern"]
            if q.type == "truefalse":
                assert pattern == ("t" if answer_key(q) == ("true",) else "f")
            elif q.type in ("single", "multiple"):
                assert pattern == ",".join(answer_key(q))
            assert item["result"] in ("correct", "wrong")
        state = decode(layout, cmi["suspend_data"])                     # the attempts and the seed are kept
        assert state["tries"][quiz.id] == {"t": ATTEMPTS, "p": 0} and state["seed"] > 0
        context.close()
        assert blocked == []
    passed = sum(s >= 80 for s in scores)
    with capsys.disabled():
        print(f"\nguesser, SCORM 1.2 package of course/ under scorm-again: passed {passed} of {len(scores)} attempts; "
              f"scores {sorted(scores)} %; lesson_status {sorted(set(statuses))}")
    assert len(scores) == 20 and passed == 0


def test_scorm_resume_keeps_the_draw_and_the_order(browser, lms, course):
    """If this broke, a learner whose LMS session ended mid-test would come back to other questions in
    another order, and the answers they had given would not match what they see."""
    quiz = course.module("slutt").quiz
    context, blocked, me = _scorm_learner(browser, lms, 77, "resume1")
    me.next("slutt/om-testen.html")
    me.next("slutt/quiz.html")
    form = me.content.locator('form[data-quiz="slutt"]')
    before = form.evaluate(SHOWN)
    out = me.exit()
    context.close()
    context, blocked2, again = _scorm_learner(browser, lms, 78, "resume2", prior=out["stored"]["cmi"],
                                              expect_path="slutt/quiz.html")
    assert again.content.locator('form[data-quiz="slutt"]').evaluate(SHOWN) == before
    again.answer(quiz, right=True)
    assert again.lms()["stored"]["cmi"]["core"]["score"]["raw"] == "100"
    context.close()
    context, blocked3, other = _scorm_learner(browser, lms, 79, "resume3")
    other.next("slutt/om-testen.html")
    other.next("slutt/quiz.html")
    assert other.content.locator('form[data-quiz="slutt"]').evaluate(SHOWN) != before
    context.close()
    assert blocked == blocked2 == blocked3 == []


def test_the_real_final_test_draws_every_goal_from_a_pool_that_can_vary():
    """If this broke, the course's final test would leave a competence goal ungraded, or two attempts
    would show mostly the same questions."""
    real = load_course(ROOT / "course")
    quiz = next(m.quiz for m in real.modules if m.quiz and m.quiz.graded)
    draw = dict(quiz.draw)
    assert set(draw) == {g.id for g in real.goals}
    for gid, n in draw.items():
        assert len(quiz.pool(gid)) >= 2 * n, (gid, len(quiz.pool(gid)), n)
    module_questions = {q.html for m in real.modules if m.quiz and not m.quiz.graded for q in m.quiz.questions}
    assert not [q.id for q in quiz.questions if q.html in module_questions], "the final test copies module questions"


def test_without_javascript_a_module_quiz_can_be_read_and_answered(browser, learner_page, site):
    """If this broke, a learner whose browser blocks scripts, or whose slow phone has not loaded them
    yet, would find a module quiz with a button and no questions; or everyone would see the note that
    checking needs JavaScript; or the final test (made by the script) would say nothing without it."""
    note = "svarene sjekkes bare når nettleseren kjører JavaScript"
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "roller/quiz.html")
    expect(page.locator("fieldset[data-question]")).to_have_count(4)
    expect(page.get_by_text(note, exact=False)).to_be_visible()
    first = page.locator("fieldset[data-question] input").first
    first.check()
    expect(first).to_be_checked()
    page.goto(site + "slutt/quiz.html")
    expect(page.get_by_text("Spørsmålene vises når nettleseren kjører JavaScript", exact=False)).to_be_visible()
    assert page.locator("fieldset[data-question]").count() == 0
    context.close()
    page = learner_page(3)
    page.goto(site + "roller/quiz.html")
    expect(page.locator("fieldset[data-question]")).to_have_count(4)
    expect(page.get_by_text(note, exact=False)).to_have_count(0)


def test_a_quiz_in_the_page_is_the_form_quiz_js_makes_from_data(browser, course, tmp_path):
    """If this broke, a module quiz (its questions in the page, usable before the scripts arrive) would
    differ from the form quiz.js makes from data, as it does for the final test: other ids or labels,
    another option order for the same learner, or markup the grading does not find."""
    import dataclasses
    from builder.infra import strings
    from builder.render.labels import labelled
    from builder.render.site import _relink, quiz_markup
    out = build(course, tmp_path, ["web"], Options())[0]
    labelled_course = labelled(course)
    quiz, ui = labelled_course.module("roller").quiz, strings.catalogue(course.language)
    in_page, _ = quiz_markup(quiz, ui, lambda f: _relink(f, labelled_course, ui, "../"))
    assert in_page.count("<fieldset") == len(quiz.questions)
    # The same quiz as data: a drawing quiz keeps its questions as data.
    _, data = quiz_markup(dataclasses.replace(quiz, draw=(("k1", 1),)), ui, lambda f: _relink(f, labelled_course, ui, "../"))
    page_html = (out / "roller" / "quiz.html").read_text(encoding="utf-8")
    as_data, replaced = re.subn(r'(data-quiz-questions>).*?(</script>).*?(<nav class="quiz-pager")',
                                lambda m: m.group(1) + data + m.group(2) + "\n<p data-quiz-needs-script>…</p>\n" + m.group(3),
                                page_html, flags=re.S)
    assert replaced == 1
    (out / "roller" / "quiz-data.html").write_text(as_data, encoding="utf-8")
    forms = []
    with served(out) as base:
        for name in ("quiz.html", "quiz-data.html"):
            context = browser.new_context(viewport={"width": 375, "height": 800})
            context.add_init_script(seeded_random(11))
            page = context.new_page()
            page.goto(base + "roller/" + name)
            forms.append(page.locator("form[data-quiz]").evaluate(
                "f => [...f.querySelectorAll('fieldset[data-question]')].map(x => x.outerHTML).join('\\n') + f.className"))
            context.close()
    assert "fieldset" in forms[0] and forms[0] == forms[1]
