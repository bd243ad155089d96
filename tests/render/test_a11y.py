"""Universal design of the real course (course/) in headless Chromium: axe-core with the WCAG 2.1
A/AA rules on every page of the web edition, of a SCORM 2004 package played in the test LMS and of
the guide's HTML; reflow at 320 and 640 CSS px, a keyboard-only journey, and nothing fetched from
outside. The XBlock views are scanned in tests/xblocks/test_xblock_browser.py."""

from __future__ import annotations

import asyncio
import threading

import pytest

from builder.loader import load_course
from builder.model import REFLECTION_MAX
from builder.formats.scorm.editions import SCORM2004
from builder.formats.scorm.package import build_package
from builder.render.site import PRINT_PAGE, plan
from tests.a11y import axe_violations, axe_violations_async, horizontal_overflow, horizontal_overflow_async
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, need, outside_guard, refuse_outside, served
from tests.scorm.scorm_harness import SCORM_AGAIN, Learner, Server, prepare_www

# A 320 px phone, and a 1280 px window zoomed to 200 % (WCAG 1.4.10 reflow).
WIDTHS = (320, 640)
DESKTOP = {"width": 1280, "height": 800}
JOURNEY_MODULE = "roller-og-ansvar"

STRUCTURE = """() => {
  const problems = [];
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(`${h1} h1 elements`);
  let level = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const next = +h.tagName[1];
    if (next > level + 1) problems.push(`h${next} «${h.textContent.trim().slice(0, 40)}» follows h${level}`);
    level = next;
  }
  if (document.documentElement.lang !== "nb") problems.push(`lang="${document.documentElement.lang}"`);
  for (const sel of ["header", "main", "footer", "nav.pager"]) if (!document.querySelector(sel)) problems.push(`no ${sel}`);
  const first = document.querySelector("a[href], button, input, select, textarea, summary");
  if (!first || !first.matches("a.skip[href='#innhold']") || !document.querySelector("main#innhold"))
    problems.push("the first focusable element is not a skip link to <main>");
  return problems;
}"""


def _say(capsys, text: str) -> None:
    with capsys.disabled():
        print(f"\n{text}")


# Picks the first option of every question (right or wrong), so the feedback is on screen.
ANSWER_SOMEHOW = """() => document.querySelectorAll("fieldset[data-question]").forEach(fs => {
    const first = fs.querySelector("input"); if (first) first.checked = true;
    fs.querySelectorAll("select").forEach(s => { s.selectedIndex = 1; });
})"""
# How a quiz explanation begins: it says right or wrong in words, not only by colour.
RIGHT_OR_WRONG = ("Ditt valg – Riktig.", "Ditt valg – Ikke riktig.", "Riktig svar.", "Feil svar.")


def test_axe_cannot_overlook_a_violation(offline_context):
    """If this broke, the scans below would pass on anything: axe would not be running at all."""
    page = offline_context.new_page()
    page.set_content('<html><body><main><img src="data:,"><a href="#"></a></main></body></html>')
    found = " ".join(axe_violations(page))
    assert "image-alt" in found and "link-name" in found and "html-has-lang" in found


def test_guard_catches_a_request_outside_the_package(browser):
    """If this broke, a page could fetch fonts or trackers from the internet and the tests below
    (which rely on the same guard) would not notice."""
    context = browser.new_context()
    outside = refuse_outside(context, "file://")
    page = context.new_page()
    page.set_content("<p>x</p>")
    page.evaluate("() => fetch('https://example.com/font.woff2').catch(() => null)")
    context.close()
    assert outside == ["https://example.com/font.woff2"]


def test_every_web_page_passes_axe_reflows_and_is_well_structured(real_web, capsys):
    """If this broke, some page of the course would fail WCAG 2.1 AA for a real learner: a screen reader
    user meets an unlabelled control or a broken heading outline, a low-vision user low contrast, or a
    phone user (or 200 % zoom) has to scroll sideways to read a line."""
    files = sorted(real_web.rglob("*.html"))
    with served(real_web) as base:
        problems, errors, outside, scans = _in_a_thread_of_its_own(_scan_the_web_edition(real_web, base, files))
    _say(capsys, f"axe WCAG 2.1 A/AA, web edition of course/: {len(files)} pages, {scans} scans "
                 f"(with quiz feedback and written reflections), {len(problems)} problems")
    assert len(files) >= 50
    assert problems == [], "\n".join(problems)
    assert errors == []
    assert outside == [], f"a page asked for something outside the package: {outside}"


def _in_a_thread_of_its_own(coroutine):
    """Run `coroutine` to its end on an event loop in a new thread: this thread's loop belongs to the
    session's sync Playwright, which refuses to share it."""
    result = {}

    def run():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as e:      # an assertion in the scan fails the test with its own message
            result["error"] = e

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


async def _scan_the_web_edition(root, base: str, files) -> tuple[list[str], list[str], list[str], int]:
    """Every page of the web edition served at `base`, in one browser profile, read by two tabs at a
    time: axe and layout run in each tab's own renderer, so the two cores of a CI machine share the
    scan (one tab took 112 s on a quiet 2-core CI run). Both tabs write the same localStorage, so the
    last two scans see every reflection and visit of the whole walk, as with one tab.
    Returns (problems, page errors, requests outside the package, scans)."""
    from playwright.async_api import async_playwright
    found: dict[int, list[str]] = {}        # per page, joined in page order at the end
    errors: list[str] = []
    outside: list[str] = []
    scans = 0

    async def scan(page, name: str, problems: list[str]) -> None:
        nonlocal scans
        scans += 1
        problems.extend(f"{name}: {v}" for v in await axe_violations_async(page))
        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": 800})
            over = await horizontal_overflow_async(page)
            if over > 0:
                problems.append(f"{name}: {over} px wider than a {width} px viewport")
        await page.set_viewport_size(DESKTOP)

    async def walk(context, todo):
        page = await context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        for number, file in todo:                  # shared by both tabs: each takes the next page
            name = file.relative_to(root).as_posix()
            problems = found.setdefault(number, [])
            await page.goto(base + name)
            problems.extend(f"{name}: {p}" for p in await page.evaluate(STRUCTURE))
            await scan(page, name, problems)
            quiz = page.locator("form[data-quiz]")
            if await quiz.count():
                await quiz.locator("button[type=submit]").click()        # unanswered: the error message
                await scan(page, f"{name} (error)", problems)
                await page.evaluate(ANSWER_SOMEHOW)
                await quiz.locator("button[type=submit]").click()        # answered: feedback and explanations
                await page.locator("[data-quiz-result]").filter(has_text="%").wait_for()
                problems.extend(f"{name}: an explanation says right or wrong only by colour: {text[:60]}"
                                for text in await page.locator(".explanation:visible").all_inner_texts()
                                if not text.startswith(RIGHT_OR_WRONG))
                await scan(page, f"{name} (feedback)", problems)
            boxes = await page.locator("textarea[data-reflection]").all()
            for box in boxes:
                await box.fill("Et langt svar. " * 200)                  # past the limit: counter and announcement
                await box.blur()
            if boxes:
                await scan(page, f"{name} (written)", problems)
        return page

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport=DESKTOP)
            await context.route("**/*", outside_guard((base, "data:", "blob:"), outside))
            todo = iter(enumerate(files))
            page, _ = await asyncio.gather(walk(context, todo), walk(context, todo))
            last = found.setdefault(len(files), [])
            await page.goto(base + "mine-refleksjoner.html")   # now with the learner's reflections
            assert await page.locator(".my-reflection").count() > 0
            await scan(page, "mine-refleksjoner.html (written)", last)
            await page.goto(base + "index.html")               # now with progress and a resume link
            assert await page.get_by_role("link", name="Fortsett der du slapp").is_visible()
            await scan(page, "index.html (resume)", last)
            await context.close()
        finally:
            await browser.close()
    return [p for number in sorted(found) for p in found[number]], errors, outside, scans


def test_print_shows_the_content_without_navigation(real_web, served_web):
    """If this broke, printing a whole module or the learner's reflections would print menus, buttons
    and progress bars instead of just the text, or a page of the module would be left out."""
    context, base = served_web
    page = context.new_page()
    page.goto(base + f"{JOURNEY_MODULE}/refleksjon.html")
    page.locator("textarea[data-reflection]").first.fill("Vi tar kulturskolen med i budsjettrunden.")
    page.locator("textarea[data-reflection]").first.blur()
    page.goto(base + "mine-refleksjoner.html")
    page.emulate_media(media="print")
    assert page.get_by_text("Vi tar kulturskolen med i budsjettrunden.").is_visible()
    assert page.locator("h1").is_visible()
    for hidden in ("nav.pager", "footer.site", "button[data-print]", "a.skip"):
        assert not page.locator(hidden).is_visible(), hidden
    page.emulate_media(media="screen")
    page.goto(base + f"{JOURNEY_MODULE}/handlingsrom.html")
    page.locator("nav.module-nav summary").click()
    link = page.get_by_role("link", name="Hele modulen på én side (for utskrift)")
    link.wait_for(state="visible")
    link.click()
    # The DOM is what is checked below; waiting for the load event instead timed out now and then in
    # full runs (30 s, also on a quiet machine), while the same steps alone never did.
    page.wait_for_url(base + f"{JOURNEY_MODULE}/{PRINT_PAGE}", wait_until="domcontentloaded")
    page.emulate_media(media="print")
    course = load_course(ROOT / "course")
    module = course.module(JOURNEY_MODULE)
    assert page.locator("h1").inner_text() == f"Modul {course.modules.index(module) + 1}: {module.title}"
    assert page.locator("section.print-page h2").all_inner_texts() == [p.title for p in module.pages]
    assert page.get_by_role("heading", name=module.reflections[0].title).is_visible()
    for hidden in ("nav.module-nav", "nav.pager", "button[data-print]"):
        assert not page.locator(hidden).is_visible(), hidden


def test_guide_and_workbook_pass_axe_and_reflow(tmp_path, offline_context, capsys):
    """If this broke, the facilitator's guide or the workbook (the HTML beside the PDFs) would fail
    WCAG 2.1 AA for a facilitator who reads it on screen, or not fit a phone."""
    from builder.build import build
    from builder.formats import Options
    made = build(load_course(ROOT / "course"), tmp_path, ["guide"], Options())
    page = offline_context.new_page()
    problems, files = [], sorted(p for p in made if p.suffix == ".html")
    for file in files:
        page.goto(file.as_uri())
        problems += [f"{file.name}: {v}" for v in axe_violations(page)]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            if horizontal_overflow(page) > 0:
                problems.append(f"{file.name}: wider than a {width} px viewport")
    _say(capsys, f"axe WCAG 2.1 A/AA, guide edition of course/: {len(files)} pages, {len(problems)} problems")
    assert len(files) == 2
    assert problems == [], "\n".join(problems)


# ------------------------------------------------------------------------------------------- keyboard

# The focus ring: on the element, or (Designsystemet's radio buttons and checkboxes) around its whole ds-field.
FOCUS = """() => { const a = document.activeElement;
  const ring = [a, a.closest(".ds-field")].filter(Boolean).map(e => getComputedStyle(e).outlineStyle).find(s => s !== "none") || "none";
  return {tag: a.tagName, type: a.type || "", id: a.id, name: a.name || "", rel: a.rel || "", checked: !!a.checked,
          text: (a.textContent || "").trim().slice(0, 40), visible: a === document.body ? "" : ring}; }"""


def _tab(page) -> dict:
    """One Tab; focus must land on an element and show an outline (never on <body>, never invisible)."""
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS)
    assert focus["tag"] != "BODY", f"focus was lost after Tab on {page.url}"
    assert focus["visible"] not in ("none", ""), f"no visible focus on {focus} at {page.url}"
    return focus


def _tab_until(page, wanted, limit: int = 250) -> dict:
    for _ in range(limit):
        focus = _tab(page)
        if wanted(focus):
            return focus
    raise AssertionError(f"Tab never reached the element on {page.url}: focus is trapped or it is not focusable")


def _next_page(page) -> None:
    _tab_until(page, lambda f: f["rel"] == "next")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_keyboard_only_through_a_module(real_web, offline_context):
    """If this broke, someone who cannot use a mouse (or uses a screen reader) could not get through a
    module: the skip link, the next link, the quiz or the reflection box would be out of reach, or
    focus would vanish or get stuck."""
    course = load_course(ROOT / "course")
    module = course.module(JOURNEY_MODULE)
    paths = [p.path for p in plan(course) if p.module == JOURNEY_MODULE]
    page = offline_context.new_page()
    page.goto((real_web / paths[0]).as_uri())

    focus = _tab(page)
    assert focus["text"] == "Hopp til innholdet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innhold"

    for path in paths[1:]:
        _next_page(page)
        assert page.url.endswith(path)
        if path.endswith("refleksjon.html"):
            reflection = module.reflections[0]
            _tab_until(page, lambda f: f["id"] == f"tekst-{reflection.id}")
            page.keyboard.type("Vi vil invitere kulturskolen til budsjettseminaret.")
            counter = page.locator(f'[data-counter="{reflection.id}"]').inner_text()
            assert counter.startswith(f"51 av {REFLECTION_MAX} tegn"), counter
            announce = page.locator(f'[data-announce="{reflection.id}"]')
            assert announce.get_attribute("aria-live") == "polite" and announce.inner_text() == ""  # not at every key
            page.keyboard.insert_text(" Og vi vil lage en plan for hvordan vi følger opp." * 4)
            assert announce.inner_text().startswith(f"{51 + 4 * 50} av {REFLECTION_MAX} tegn")   # minimum reached
            _tab(page)                                          # leaving the box saves it
            page.reload()
            assert page.locator(f"#tekst-{reflection.id}").input_value().startswith("Vi vil invitere")
        elif path.endswith("quiz.html"):
            _quiz_by_keyboard(page, module.quiz.per_attempt)            # a practice quiz asks at most 8


def _quiz_by_keyboard(page, questions: int) -> None:
    answered_groups = set()
    while True:
        focus = _tab(page)
        if focus["type"] == "radio" and focus["name"] not in answered_groups:
            page.keyboard.press("Space")
            answered_groups.add(focus["name"])
        elif focus["type"] == "checkbox" and focus["name"] not in answered_groups:
            page.keyboard.press("Space")
            answered_groups.add(focus["name"])
        elif focus["tag"] == "SELECT":
            page.keyboard.press("ArrowDown")
            answered_groups.add(focus["name"].split("-")[0])
        elif focus["type"] == "submit":
            break
    page.keyboard.press("Enter")
    result = page.locator("[data-quiz-result]")
    result.filter(has_text="%").wait_for()
    # The result is read out once: the summary at the top takes the focus, and no live region repeats it
    # (with the summary and the line under the buttons both live, a screen reader read it two or three times).
    assert page.evaluate("document.activeElement.classList.contains('quiz-summary')")
    assert "%" in page.evaluate("document.activeElement.textContent")
    live = page.evaluate("""() => [...document.querySelectorAll('[role=status], [role=alert], [aria-live]')]
                              .filter(e => e.textContent.includes('%')).length""")
    assert live == 0, "the quiz result is also in a live region: a screen reader reads it twice"
    assert page.locator("[data-question-error]:not(:empty)").count() == 0
    verdicts = page.locator(".feedback .ds-validation-message").all_inner_texts()
    assert len(verdicts) == questions and all(v in ("Riktig", "Ikke riktig") for v in verdicts), verdicts
    focus = _tab_until(page, lambda f: f["text"] == "Prøv igjen")
    page.keyboard.press("Enter")                               # the button hides itself: focus must go somewhere useful
    focus = page.evaluate(FOCUS)
    assert focus["tag"] in ("INPUT", "SELECT"), focus


# ------------------------------------------------------------------------------------------- SCORM


@pytest.fixture(scope="module")
def scorm_lms(tmp_path_factory):
    need(SCORM_AGAIN.joinpath("scorm2004.min.js").is_file(), "scorm-again is not installed (run `npm ci`)")
    tmp = tmp_path_factory.mktemp("a11y-scorm")
    course = load_course(ROOT / "course")
    # One module's package: the same page templates as the whole course, so scanning the 54 pages
    # a second time would only repeat the web scan; what is SCORM's own (launch page, frame, notices) is here.
    zip_path = build_package(course, tmp / "module2004.zip", edition=SCORM2004, module_id=JOURNEY_MODULE).path
    server = Server(tmp / "www")
    server.info = prepare_www(tmp / "www", {"module2004": zip_path})
    server.course = course.only(JOURNEY_MODULE)
    yield server
    server.close()


def test_every_page_of_a_scorm_package_passes_axe(browser, scorm_lms, capsys):
    """If this broke, a learner taking the course in the municipality's LMS (Moodle) would meet WCAG
    failures that the web edition does not have: in the launch page, the frame or the LMS notice."""
    context = browser.new_context()
    outside = refuse_outside(context, scorm_lms.base + "/")
    try:
        me = Learner(context, scorm_lms, "2004", "module2004", scorm_lms.info["module2004"], run="a11y")
        me.launch(expect="index.html")
        content = me.page.frame(name="ks-content")
        launch = content.parent_frame
        problems = [f"launch page: {v}" for v in axe_violations(launch)]
        paths = [p.path for p in plan(scorm_lms.course)]
        problems += [f"{paths[0]}: {v}" for v in axe_violations(content)]
        for path in paths[1:]:
            me.next(path)
            content = me.page.frame(name="ks-content")
            problems += [f"{path}: {v}" for v in axe_violations(content)]
        whole = f"{JOURNEY_MODULE}/{PRINT_PAGE}"                  # not in the reading order, so not reached by «Neste»
        content.goto(content.url.rsplit("/", 1)[0] + "/" + whole)
        me.at(whole)
        problems += [f"{whole}: {v}" for v in axe_violations(content)]
        paths.append(whole)
    finally:
        context.close()
    _say(capsys, f"axe WCAG 2.1 A/AA, SCORM 2004 package of module {JOURNEY_MODULE} of course/ in the scorm-again test LMS: "
                 f"launch page + {len(paths)} pages, {len(problems)} problems")
    assert problems == [], "\n".join(problems)
    assert outside == [], f"the package asked for something outside itself: {outside}"
