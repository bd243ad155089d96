"""The web edition in headless Chromium: quizzes give feedback, reflections and answers survive a
reload, the reflections can be downloaded, and nothing is fetched from outside the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.build import build
from builder.formats import Options
from builder.loader import load_course


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from tests.conftest import EXAMPLE
    out = tmp_path_factory.mktemp("web")
    return build(load_course(EXAMPLE), out, ["web"], Options())[0]


@pytest.fixture(scope="module")
def site(built):
    """The web edition served over http://127.0.0.1 (see conftest.served: file:// loses localStorage now and then)."""
    from tests.conftest import served
    with served(built) as base:
        yield Site(base)


class Site:
    """Page addresses of the served site: site / "roller" / "quiz.html" → its URL."""

    def __init__(self, base: str, parts: tuple[str, ...] = ()):
        self.base, self.parts = base, parts

    def __truediv__(self, part: str) -> "Site":
        return Site(self.base, self.parts + (part,))

    def as_uri(self) -> str:
        return self.base + "/".join(self.parts)


@pytest.fixture
def page(browser, site):
    """A page whose test fails if it asks for anything outside the site."""
    from tests.conftest import refuse_outside
    context = browser.new_context()
    outside = refuse_outside(context, site.base, "data:", "blob:")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert outside == [], f"a page asked for something outside the site: {outside}"


def test_quiz_gives_feedback_and_keeps_answers(site, page):
    """A learner sees right/wrong with the teaching explanation, and finds the answers again after reload.
    A missing answer is said beside the question that lacks it, where the focus goes."""
    page.goto((site / "roller" / "quiz.html").as_uri())
    page.get_by_label("Kommunestyret", exact=True).check()                  # right
    page.get_by_role("button", name="Sjekk svarene").click()
    second = page.locator('fieldset[data-question="rol-dokumenter"]')
    expect(second.locator("[data-question-error]")).to_have_text("Svar på dette spørsmålet før du sjekker svarene.")
    assert page.evaluate("document.activeElement.closest('fieldset').dataset.question") == "rol-dokumenter"
    assert page.locator("[data-question-error]:not(:empty)").count() == 1

    page.get_by_label("Økonomiplanen").check()                              # only one of two: wrong
    page.get_by_label("Usant").check()                                      # right
    page.get_by_label("Vedta årsbudsjettet").select_option(label="Kommunestyret")
    page.get_by_label("Lede administrasjonen").select_option(label="Kommunedirektøren")
    page.get_by_role("button", name="Sjekk svarene").click()

    result = page.locator("[data-quiz-result]")
    assert result.inner_text() == "Du fikk 3 av 4 riktige (75\u00a0%)."
    assert page.locator("[data-question-error]:not(:empty)").count() == 0
    first = page.locator('fieldset[data-question="rol-overste"]')
    assert "Riktig" in first.locator(".feedback").inner_text()
    assert first.get_by_text("Kommunestyret er øverste organ").is_visible()
    # The option nobody picked that is wrong is never labelled «Riktig svar» (the label shows once explanations are all shown).
    assert first.locator('[data-explain="b"] .label').inner_text() == "Feil svar. "
    assert "Ikke riktig" in second.locator(".feedback").inner_text()
    assert second.get_by_text("Ja, kommunestyret vedtar årsbudsjettet.").is_visible()   # the missed right answer is explained
    assert second.locator('[data-explain="b"] .label').inner_text() == "Riktig svar. "

    page.reload()
    assert page.get_by_label("Kommunestyret", exact=True).is_checked()
    assert page.locator("[data-quiz-result]").inner_text() == "Du fikk 3 av 4 riktige (75\u00a0%)."
    assert not page.errors


def test_reflection_survives_reload_and_can_be_downloaded(site, page):
    """What a politician wrote is still there after closing the page, and can be taken away as a file."""
    page.goto((site / "intro" / "refleksjon.html").as_uri())
    box = page.get_by_label("Hvilket samarbeid fungerer godt hos dere i dag?")
    # one sentence, not "0 av 4000 tegn Skriv minst 20 tegn." (seen in Moodle's player)
    assert page.locator('[data-counter="int-samarbeid"]').inner_text() == "0 av 4000 tegn – skriv minst 20 tegn."
    box.fill("Kulturskolen og SFO lager konsert sammen hver vår.")
    assert "50 av 4000 tegn" in page.locator('[data-counter="int-samarbeid"]').inner_text()
    box.blur()                                                  # saving happens on pause or leaving the field
    page.reload()
    assert page.get_by_label("Hvilket samarbeid fungerer godt hos dere i dag?").input_value() == \
        "Kulturskolen og SFO lager konsert sammen hver vår."

    page.goto((site / "mine-refleksjoner.html").as_uri())
    assert page.get_by_text("Kulturskolen og SFO lager konsert sammen hver vår.").is_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Last ned refleksjonene mine").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Samarbeid i din kommune" in text and "konsert sammen hver vår" in text
    assert not page.errors


def test_progress_and_resume_on_the_front_page(site, page):
    """The front page shows how far the learner has come and offers to continue where they left off;
    the page they come back to says so once, and every page says where in the module they are."""
    page.goto((site / "intro" / "samarbeid.html").as_uri())
    page.goto((site / "index.html").as_uri())
    progress = page.locator("[data-course-progress]").inner_text()
    assert progress == "Du har sett 1 av 8 sider i kurset."     # the front page is not course content
    resume = page.get_by_role("link", name="Fortsett der du slapp")
    assert resume.get_attribute("href").endswith("intro/samarbeid.html?fortsett")
    assert page.locator('progress[data-module-bar="intro"]').evaluate("p => [p.value, p.max]") == [1, 3]

    resume.click()
    from playwright.sync_api import expect
    expect(page.locator("#ks-notice")).to_have_text("Velkommen tilbake. Du er der du slapp sist.")
    assert page.url.endswith("intro/samarbeid.html")                        # a reload does not repeat the notice
    assert page.locator(".where").inner_text() == "Side 2 av 3 · Du har sett 1 av 8 sider i kurset."
    page.reload()
    assert page.locator("#ks-notice").is_hidden()


def test_homework_checklist_is_kept(site, page):
    """Ticked action-learning steps stay ticked when the group comes back to the page."""
    page.goto((site / "roller" / "hjemmearbeid.html").as_uri())
    page.get_by_label("1. Planlegg").check()
    page.get_by_label("3. Observer").check()
    page.reload()
    assert page.get_by_label("1. Planlegg").is_checked() and page.get_by_label("3. Observer").is_checked()
    assert not page.get_by_label("2. Handle").is_checked()


def test_a_page_that_reads_nothing_does_not_wipe_saved_work(site, page):
    """If this broke, the learner who opens the web edition from disk would now and then lose every
    reflection and all progress: Chromium sometimes hands a file:// page an empty localStorage at first,
    and that page's first save would overwrite what was there."""
    page.goto((site / "intro" / "refleksjon.html").as_uri())
    box = page.get_by_label("Hvilket samarbeid fungerer godt hos dere i dag?")
    box.fill("Vi deler rom med biblioteket.")
    box.blur()
    saved = page.evaluate("JSON.parse(localStorage.getItem('kulturskole:eksempelkurs'))")
    # The next page load's first read finds nothing, as in the flaky file:// case.
    page.add_init_script("""(() => { const get = Storage.prototype.getItem; let first = true;
        Storage.prototype.getItem = function (k) { if (first) { first = false; return null; } return get.call(this, k); }; })();""")
    page.goto((site / "roller" / "roller.html").as_uri())
    after = page.evaluate("JSON.parse(localStorage.getItem('kulturskole:eksempelkurs'))")
    assert after["refl"] == saved["refl"] == {"int-samarbeid": "Vi deler rom med biblioteket."}
    assert set(saved["seen"]) < set(after["seen"]) and after["seed"] == saved["seed"]
    assert not page.errors


def test_the_last_page_of_each_module_lists_its_sources(built):
    """If this broke, a learner would finish a module without its «Kilder» list: the links to the
    law texts behind the module's claims would be gone from the web edition and every SCORM package
    (it happened once when the glossary links made a new page object that no longer «was» the last page)."""
    from tests.conftest import EXAMPLE
    course = load_course(EXAMPLE)
    with_sources = [m for m in course.modules if m.sources and m.pages]
    assert with_sources, "the example course lost the module sources this test needs"
    for m in with_sources:
        last = (built / m.id / f"{m.pages[-1].id}.html").read_text(encoding="utf-8")
        for s in m.sources:
            assert s.title in last or (s.url and s.url in last), f"{m.id}: source «{s.title}» missing on the last page"
