"""Figures drawn from course/figures/<id>.yml («Hvem bestemmer hva», «Det politiske året», the
action-learning cycle): in every edition, with a text version, through the SVG allow-list, readable
on a phone and in dark mode, and in nynorsk in the nynorsk edition."""

from __future__ import annotations

import io
import math
import re
import tarfile
import zipfile
from pathlib import Path

import pytest

from builder.errors import Problems
from builder.loader import load_course
from builder.loader import svgpolicy
from builder.loader.figures import load_figures
from builder.loader.markdownsrc import Renderer
from builder.infra import strings
from builder.render import figures
from tests.a11y import axe_violations, horizontal_overflow
from tests.conftest import ROOT

# Each figure and the page of the real course that explains with it.
PAGES = {"hvem-bestemmer": "roller-og-ansvar/hvem-bestemmer.html",
         "det-politiske-aret": "planer-og-politisk-ar/budsjettaret.html",
         "aksjonslaering": "rammeverket/metode.html"}


@pytest.fixture(scope="module")
def nb():
    return load_course(ROOT / "course")


@pytest.fixture(scope="module")
def editions(nb, tmp_path_factory) -> Path:
    """The real course built as SCORM 1.2, SCORM 2004, OLX and the facilitator's guide (PDF)."""
    from builder.build import build
    from builder.formats import Options
    out = tmp_path_factory.mktemp("figure-editions")
    build(nb, out, ["scorm12", "scorm2004", "olx", "guide"], Options())
    return out


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


def test_the_course_has_the_three_figures_on_the_pages_that_explain_with_them(nb):
    """If this broke, a politician reading about roles, the budget year or action learning would find
    the text without the drawing that explains it (once 54 of 70 pages had no figure)."""
    assert {f.id for f in nb.figures} >= set(PAGES)
    for fig_id, path in PAGES.items():
        module_id, page_id = path[:-len(".html")].split("/")
        page = next(p for p in nb.module(module_id).pages if p.id == page_id)
        assert f'data-figure="{fig_id}"' in page.html, path


def test_every_drawing_passes_the_svg_allow_list_and_the_check_can_fail(nb):
    """If this broke, a figure would hold something the SVG allow-list refuses in an editor's picture
    (a script, a link, CSS that fetches) — the build's own drawings must be as safe as the editors'."""
    ui = strings.catalogue(nb.language)
    for fig in nb.figures:
        standalone = figures.svg(fig, nb, ui, standalone=True)
        inline = figures.svg(fig, nb, ui, themed=True).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        assert svgpolicy.problems(standalone.encode()) == [], fig.id
        assert svgpolicy.problems(inline.encode()) == [], fig.id
    spoiled = standalone.replace("</svg>", "<script>alert(1)</script></svg>")
    assert svgpolicy.problems(spoiled.encode())


def test_the_text_version_says_what_the_drawing_says(nb):
    """If this broke, a screen-reader user (or anyone who cannot read the drawing) would miss a box,
    a paragraph of the law or whether a date in the political year is law or only common practice."""
    ui = strings.catalogue(nb.language)
    for fig in nb.figures:
        html = figures.figure_html(fig, nb, ui)
        drawing = _svgs(html)[0]
        assert re.search(rf'role="img" aria-labelledby="figur-{fig.id}-tittel" aria-describedby="figur-{fig.id}-tekst"', drawing)
        text = html.replace(drawing, "")
        assert f'<figcaption id="figur-{fig.id}-tittel">' in text and fig.caption in text
        listed = re.search(rf'<ol class="ks-fig-list" id="figur-{fig.id}-tekst">(.*?)</ol>', text, re.S).group(1)
        assert listed.count("<li>") == len(fig.steps)
        for step in fig.steps:
            assert step.label in listed and step.text in listed and step.reference in listed
            # and the drawing names the same steps (the year wheel numbers them; its list is the legend)
            assert (step.label.split()[0] if fig.type != "årshjul" else f">{fig.steps.index(step) + 1}<") in drawing
    year = nb.figure("det-politiske-aret")
    html = figures.figure_html(year, nb, ui)
    practice = [s for s in year.steps if not s.by_law]
    assert practice and html.count(ui["figure_practice"]) == len(practice)
    assert _svgs(html)[0].count('stroke-dasharray="5 4"') == len(practice) + 1    # + the key in the middle


def test_a_figure_that_does_not_exist_is_refused_at_its_line(tmp_path):
    """If this broke, a misspelt `:::figur` line would leave an empty gap on the page instead of an
    error with the file, the line and the name the editor meant."""
    problems = Problems(tmp_path)
    Renderer(tmp_path, problems, figures=frozenset({"hvem-bestemmer"})).render(
        "Tekst.\n\n:::figur hvem-bestemer\n", tmp_path / "side.md", 5, page=True)
    assert [(p.line, p.message) for p in problems.items] == [(7, "there is no figure 'hvem-bestemer' in figures/")]
    assert "hvem-bestemmer" in problems.items[0].hint


def test_figure_files_with_mistakes_are_refused_with_their_lines(tmp_path):
    """If this broke, a year figure with month 13 or a cycle of three steps would be drawn wrong (or
    crash the build) instead of the editor being told which line to fix."""
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "aret.yml").write_text("type: årshjul\ntitle: Året\ncaption: Året rundt.\nsteps:\n"
                                     "  - label: Vedtak\n    months: 13\n    when: Aldri\n", encoding="utf-8")
    (folder / "ring.yml").write_text("type: syklus\ntitle: Ring\ncaption: Rundt.\nsteps:\n"
                                     + "".join(f"  - label: Steg {n}\n" for n in range(3)), encoding="utf-8")
    problems = Problems(tmp_path)
    load_figures(tmp_path, problems)
    found = {(Path(p.path).name, p.line) for p in problems.items}
    assert ("aret.yml", 6) in found and ("ring.yml", 4) in found, problems.items


def test_the_figures_are_in_scorm_olx_and_the_guide(editions):
    """If this broke, a learner in the LMS (SCORM 1.2 or 2004), in Open edX, or a facilitator reading
    the guide on paper would miss the figures the web edition shows."""
    for edition in ("scorm12", "scorm2004"):
        zips = sorted((editions / edition).glob("*.zip"))
        found = set()
        for path in zips:
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name.endswith(".html"):
                        html = z.read(name).decode()
                        found |= {m for m in re.findall(r'<figure class="ks-fig [^"]*" id="figur-([a-z0-9-]+)"', html)
                                  if _svgs(html)}
        assert found >= set(PAGES), (edition, found)
    olx = editions / "olx"
    with_figures = {}
    for archive in olx.rglob("*.tar.gz"):
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                if member.name.endswith(".html"):
                    html = tar.extractfile(member).read().decode()
                    with_figures.update({m: html for m in re.findall(r'src="/static/figur-([a-z0-9-]+)\.svg"', html)})
                if re.search(r"static/figur-[a-z0-9-]+\.svg$", member.name):
                    assert svgpolicy.problems(tar.extractfile(member).read()) == [], member.name
    assert set(with_figures) >= set(PAGES)
    for fig_id, html in with_figures.items():
        assert f'id="figur-{fig_id}-tekst"' in html                   # the text version travels with it
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO((editions / "fasilitatorveiledning.pdf").read_bytes())).pages)
    for title in ("Hvem bestemmer hva.", "Det politiske året.", "Aksjonslæring i fire steg."):
        assert title in text
    assert "Kommunestyret" in text and "Frist i loven" in text           # words drawn in the SVG, as PDF text


def test_the_nynorsk_edition_draws_nynorsk_words():
    """If this broke, a nynorsk learner would read bokmål labels inside the figures (or in their text
    version), although the rest of the page is nynorsk."""
    nn = load_course(ROOT / "course", "nn")
    ui = strings.catalogue("nn")
    chain = figures.figure_html(nn.figure("hvem-bestemmer"), nn, ui)
    assert "Kven bestemmer kva" in chain and "Kulturskulen" in _svgs(chain)[0] and "Figuren som tekst" in chain
    cycle = _svgs(figures.figure_html(nn.figure("aksjonslaering"), nn, ui))[0]
    assert "Planleggja" in cycle and "Planlegge<" not in cycle
    year = figures.figure_html(nn.figure("det-politiske-aret"), nn, ui)
    assert "Årsrekneskapen" in year and "Vanleg tidspunkt" in year and "vanleg praksis" in year


# DejaVu Sans: what the drawings name first and what a page's system-ui falls back to on Linux; its
# short month names are wider than most phones' fonts (Roboto, San Francisco, Segoe UI).
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _ink_boxes(svg: str, font) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, y0, x1, y1) of every line of text in the drawing: the advance widths and the
    glyphs' own top and bottom in `font`, placed as the SVG places them (start or middle anchor)."""
    cmap, hmtx, glyf, upm = font.getBestCmap(), font["hmtx"], font["glyf"], font["head"].unitsPerEm
    boxes = []
    for text in re.finditer(r'<text [^>]*font-size="(\d+)"[^>]*>(.*?)</text>', svg):
        size, middle = int(text.group(1)), 'text-anchor="middle"' in text.group(0)
        for span in re.finditer(r'<tspan x="([\d.]+)" y="([\d.]+)">(.*?)</tspan>', text.group(2)):
            words = span.group(3)
            glyphs = [cmap[ord(ch)] for ch in words]
            width = sum(hmtx[g][0] for g in glyphs) / upm * size
            top = max(getattr(glyf[g], "yMax", 0) for g in glyphs) / upm * size
            bottom = min(getattr(glyf[g], "yMin", 0) for g in glyphs) / upm * size
            x, y = float(span.group(1)), float(span.group(2))
            x0 = x - width / 2 if middle else x
            boxes.append((words, x0, y - top, x0 + width, y - bottom))
    return boxes


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_year_wheel_keeps_every_month_name_clear_of_the_arcs_and_badges(language):
    """If this broke, a reader of «Det politiske året» would see a month name («mar») run into the
    numbered badge or the arc of a milestone next to it (or a legend word run out of the ring), at any
    width: the drawing scales as a whole, so the room is decided here, in SVG units, for DejaVu Sans,
    the widest font the pages meet. Month names must lie inside their ring with room to spare, and the
    arcs and badges outside it."""
    fontTools = pytest.importorskip("fontTools.ttLib", reason="fontTools comes with WeasyPrint")
    if not DEJAVU.exists():
        pytest.skip("DejaVu Sans is not installed (apt-get install fonts-dejavu-core)")
    font = fontTools.TTFont(DEJAVU)
    course = load_course(ROOT / "course", language) if language == "nn" else load_course(ROOT / "course")
    drawing = figures.svg(course.figure("det-politiske-aret"), course, strings.catalogue(language))
    c = figures.WIDTH / 2
    ring = sorted({float(r) for r in re.findall(r'class="ks-fig-month"[^>]* d="M[\d.,]+ A([\d.]+),', drawing)}
                  | {float(r) for r in re.findall(r'class="ks-fig-month"[^>]* d="[^"]*L[\d.,]+ A([\d.]+),', drawing)})
    assert len(ring) == 2, ring
    inner, outer = ring
    arcs = [float(r) - 3 for r in re.findall(r'class="ks-fig-(?:law|practice)"[^>]*stroke-width="6"[^>]* d="M[\d.,]+ A([\d.]+),',
                                           drawing)]
    badges = [math.hypot(float(x) - c, float(y) - c) - float(r)
              for x, y, r in re.findall(r'class="ks-fig-badge" [^>]*cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', drawing)]
    assert len(badges) == len(arcs) == len(course.figure("det-politiske-aret").steps)
    problems = []
    months = set(strings.catalogue(language)["months_short"].split())
    for words, x0, y0, x1, y1 in _ink_boxes(drawing, font):
        far = max(math.hypot(x - c, y - c) for x in (x0, x1) for y in (y0, y1))
        near = math.hypot(min(max(c, x0), x1) - c, min(max(c, y0), y1) - c)
        if words in months:
            clear = min(near - inner, outer - far, min(arcs + badges) - far)
        else:                                   # the key in the middle of the wheel
            clear = inner - far
        if clear < 3:
            problems.append(f"«{words}»: {clear:.1f} units from the ring, an arc or a badge")
    assert problems == [], "\n".join(problems)


LUMINANCE = """(el) => {
  const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const lum = c => { const [r, g, b] = rgb(c); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const svg = el.querySelector("svg");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const box = svg.querySelector(".ks-fig-box, .ks-fig-month");
  let page = "rgb(255, 255, 255)";
  for (let at = el; at; at = at.parentElement) {
    const c = getComputedStyle(at).backgroundColor;
    if (c && !/rgba\\(.*,\\s*0\\)$/.test(c) && c !== "transparent") { page = c; break; }
  }
  const smallest = Math.min(...[...svg.querySelectorAll("text")].map(t => parseFloat(t.getAttribute("font-size")) * scale));
  // A number sits on its badge; any other text on a box or on the page: it must read on both.
  const low = [...svg.querySelectorAll("text")].map(t => {
    const fill = getComputedStyle(t).fill;
    const behind = t.classList.contains("ks-fig-badge-text") ? [getComputedStyle(t.previousElementSibling).fill]
      : [page].concat(box ? [getComputedStyle(box).fill] : []);
    return [t.textContent, Math.min(...behind.map(b => ratio(fill, b)))];
  }).filter(([, r]) => r < 4.5);
  return {smallest, low, boxFill: box ? getComputedStyle(box).fill : ""};
}"""


# The year wheel as the browser laid it out: how far (in SVG units) each month name's box stays from
# the nearest badge and from the inner edge of the nearest arc. getBBox is the font's line box, taller
# than the ink, so this is stricter than the glyph measure above.
MONTH_CLEARANCE = """(svg) => {
  const c = svg.viewBox.baseVal.width / 2;
  const arcs = [...svg.querySelectorAll("path.ks-fig-law, path.ks-fig-practice")]
    .map(p => parseFloat(p.getAttribute("d").match(/A([\\d.]+)/)[1]) - parseFloat(p.getAttribute("stroke-width")) / 2);
  const badges = [...svg.querySelectorAll("circle.ks-fig-badge")].map(b => ["cx", "cy", "r"].map(a => b[a].baseVal.value));
  return [...svg.querySelectorAll("text.ks-fig-month-text")].map(t => {
    const b = t.getBBox();
    const xs = [b.x, b.x + b.width], ys = [b.y, b.y + b.height];
    const far = Math.max(...xs.flatMap(x => ys.map(y => Math.hypot(x - c, y - c))));
    const toBadge = badges.map(([x, y, r]) => Math.hypot(Math.max(b.x - x, 0, x - b.x - b.width),
                                                        Math.max(b.y - y, 0, y - b.y - b.height)) - r);
    return [t.textContent, Math.min(...arcs.map(r => r - far), ...toBadge)];
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figure_pages_are_readable_on_a_phone_and_a_desktop_in_light_and_dark(real_web, browser, scheme):
    """If this broke, a politician would meet a figure with text too small to read on a 375 px phone,
    text that vanishes against its box in dark mode (or the figure not following the theme at all), a
    month name in the year wheel touching a badge or an arc as the browser lays it out, a page that
    scrolls sideways, or an axe WCAG 2.1 AA violation on the pages with figures."""
    problems, fills = [], set()
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        for fig_id, path in PAGES.items():
            page.goto((real_web / path).as_uri())
            found = page.locator(f"#figur-{fig_id}").evaluate(LUMINANCE)
            fills.add(found["boxFill"])
            if found["smallest"] < 14:
                problems.append(f"{path} at {width} px: smallest text {found['smallest']:.1f} px")
            problems += [f"{path} at {width} px ({scheme}): «{text}» has contrast {r:.2f}:1" for text, r in found["low"]]
            if fig_id == "det-politiske-aret":
                clearance = page.locator(f"#figur-{fig_id} svg").evaluate(MONTH_CLEARANCE)
                problems += [f"{path} at {width} px: «{month}» is {gap:.1f} units from a badge or an arc"
                             for month, gap in clearance if gap < 2]
            if horizontal_overflow(page) > 0:
                problems.append(f"{path} scrolls sideways at {width} px")
            problems += [f"{path} at {width} px ({scheme}): {v}" for v in axe_violations(page)]
        context.close()
    assert problems == [], "\n".join(problems)
    assert all(f and f != "none" for f in fills)
    light_box = figures._Paint(load_course(ROOT / "course").colour).colours["ks-fig-box"][0]
    if scheme == "dark":     # the stylesheet repaints the light attributes with the dark tokens
        assert not any(_hex(f) == light_box for f in fills), fills


def _hex(rgb: str) -> str:
    return "#" + "".join(f"{int(v):02x}" for v in re.findall(r"\d+", rgb)[:3])
