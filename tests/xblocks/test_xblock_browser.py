"""Both blocks in headless Chromium on the workbench served by pytest-django's live server.

Skipped only when /usr/bin/chromium is missing outside CI; in CI (any truthy CI) a missing
browser is a failure. Never runs `playwright install`: Debian's chromium is used.
"""

from pathlib import Path

import pytest
from workbench.runtime_util import reset_global_state

from tests.conftest import need, refuse_outside

pytestmark = pytest.mark.filterwarnings("ignore:Runtime.user_id is deprecated")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
TIMEOUT_MS = 10000


def need_chromium():
    """Skip locally without Chromium; fail in CI (tests/conftest.py `need`)."""
    need(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed")


@pytest.fixture(scope="module")
def chromium(request):
    """A headless Chromium. Reuses the repository-wide session ``browser`` fixture when there is one
    (two Playwright sync sessions cannot be open at once); otherwise launches its own."""
    need_chromium()
    try:
        shared = request.getfixturevalue("browser")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        yield shared
        return
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server):
    """Base URL of the workbench with fresh scenarios in the (transactional) test database."""
    reset_global_state()
    return live_server.url


@pytest.fixture
def page(chromium, site):
    """A new page that records JavaScript errors and console errors, and fails the test if it asks
    for anything that is not on the workbench (no CDN, fonts or trackers in our blocks)."""
    context = chromium.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    outside = refuse_outside(context, site + "/")
    # The workbench has no favicon; Chromium would log its 404 as a console error.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    new_page = context.new_page()
    new_page.js_errors = []
    new_page.on("pageerror", lambda error: new_page.js_errors.append(f"pageerror: {error}"))
    new_page.on("console", lambda msg: new_page.js_errors.append(f"console: {msg.text}")
                if msg.type == "error" else None)
    yield new_page
    context.close()
    assert outside == [], f"the page asked for something outside the workbench: {outside}"


def test_reflection_submit_survives_reload_and_reaches_the_facilitator(site, page):
    """If this broke, a learner's reflection written in the browser would be lost on reload,
    the buttons would fail silently (e.g. CSRF 403), or the facilitator would not see it."""
    from playwright.sync_api import expect  # pylint: disable=import-outside-toplevel

    page.goto(f"{site}/scenario/kulturskole_reflection.0/?student=dora")
    box = page.get_by_label("Hva overrasket deg i samtalen med kollegaene dine?")
    status = page.get_by_role("status")

    box.fill("Kort")
    page.get_by_role("button", name="Lever").click()
    expect(status).to_have_text("Feil: Teksten er for kort: skriv minst 20 tegn.")

    box.fill("Et utkast jeg ikke er ferdig med")
    page.get_by_role("button", name="Lagre utkast").click()
    expect(status).to_have_text("Utkastet er lagret. Ikke levert ennå.")

    text = "Elevene tok mer ansvar enn jeg trodde <b>da de fikk velge</b>."
    box.fill(text)
    expect(page.locator(".ks-counter")).to_have_text(f"{len(text)} av 1200 tegn")
    page.get_by_role("button", name="Lever").click()
    expect(status).to_contain_text("Levert ")

    page.reload()
    assert box.input_value() == text
    expect(status).to_contain_text("Levert ")

    # Keyboard focus is visible on the buttons.
    box.focus()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert page.evaluate("document.activeElement.textContent") == "Lagre utkast"
    assert outline == "solid"
    assert page.js_errors == []

    page.goto(f"{site}/scenario/kulturskole_reflection.0/?student=staff")
    table = page.get_by_role("table")
    expect(table).to_contain_text(text)  # shown as text, not rendered as bold HTML
    expect(table.locator("b")).to_have_count(0)
    csv_url = page.get_by_role("link", name="Last ned som CSV").get_attribute("href")
    download = page.request.get(site + csv_url)
    assert download.status == 200 and text in download.text()
    assert page.js_errors == []


def test_homework_ticks_survive_reload(site, page):
    """If this broke, the group's ticked-off action-learning steps would be forgotten on reload,
    or the homework could not be handed in from the browser."""
    from playwright.sync_api import expect  # pylint: disable=import-outside-toplevel

    page.goto(f"{site}/scenario/kulturskole_homework.0/?student=eva")
    expect(page.get_by_role("group", name="Stegene i aksjonslæringen")).to_be_visible()
    plan = page.get_by_label("Velg én undervisningssituasjon", exact=False)
    observe = page.get_by_label("Noter hva elevene gjorde", exact=False)
    progress = page.locator(".ks-progress")

    plan.check()
    expect(progress).to_contain_text("1 av 4 steg fullført")
    observe.check()
    expect(progress).to_contain_text("2 av 4 steg fullført")
    plan.uncheck()
    expect(progress).to_contain_text("1 av 4 steg fullført")
    plan.check()
    expect(progress).to_contain_text("2 av 4 steg fullført")

    page.get_by_label("Din innlevering").fill("Vi prøvde elevstyrt oppvarming.")
    page.get_by_role("button", name="Lever").click()
    expect(page.locator(".ks-status")).to_contain_text("Levert ")

    page.reload()
    expect(plan).to_be_checked()
    expect(observe).to_be_checked()
    expect(page.get_by_label("Handle:", exact=False)).not_to_be_checked()
    expect(progress).to_have_text("2 av 4 steg fullført")
    assert page.get_by_label("Din innlevering").input_value() == "Vi prøvde elevstyrt oppvarming."
    assert page.js_errors == []


def test_both_blocks_pass_axe_for_learner_and_facilitator(site, page, capsys):
    """If this broke, a learner in Open edX would meet a WCAG 2.1 A/AA failure in our blocks
    (an unlabelled field, low contrast, a status shown only by colour, a block wider than a phone),
    or a facilitator in the staff view. Only our block is scanned: the workbench page around it is not what learners get."""
    from tests.a11y import axe_violations  # pylint: disable=import-outside-toplevel

    problems, scanned = [], 0
    for block in ("kulturskole_reflection", "kulturskole_homework"):
        for student in ("dora", "staff"):
            page.goto(f"{site}/scenario/{block}.0/?student={student}")
            problems += [f"{block} as {student}: {v}" for v in axe_violations(page, include=".ks-block")]
            scanned += 1
            page.set_viewport_size({"width": 320, "height": 640})      # a phone: the block reflows (WCAG 1.4.10)
            wider = page.evaluate("() => { const b = document.querySelector('.ks-block'); return Math.max(...[b, "
                                  "...b.querySelectorAll('*')].map(e => e.getBoundingClientRect().right)) "
                                  "- document.documentElement.clientWidth; }")
            if wider > 0:
                problems.append(f"{block} as {student}: {wider:.0f} px wider than a 320 px phone")
            page.set_viewport_size({"width": 1280, "height": 800})
    # and after an error and a submission, when the status messages are on screen
    page.goto(f"{site}/scenario/kulturskole_reflection.0/?student=dora")
    page.get_by_role("button", name="Lever").click()
    page.get_by_role("status").filter(has_text="Feil").wait_for()
    problems += [f"reflection with an error: {v}" for v in axe_violations(page, include=".ks-block")]
    page.get_by_label("Hva overrasket deg i samtalen med kollegaene dine?").fill("Elevene tok mer ansvar enn jeg trodde.")
    page.get_by_role("button", name="Lever").click()
    page.get_by_role("status").filter(has_text="Levert").wait_for()
    problems += [f"reflection submitted: {v}" for v in axe_violations(page, include=".ks-block")]
    scanned += 2
    with capsys.disabled():
        print(f"\naxe WCAG 2.1 A/AA, XBlocks in the xblock-sdk workbench: {scanned} views, {len(problems)} problems")
    assert problems == [], "\n".join(problems)
    assert page.js_errors == []
