"""Printable documents (homework handouts, the facilitator guide, the workbook): HTML from the
jinja2 templates in builder/render/templates/print/, and PDF from that HTML with WeasyPrint.

WeasyPrint writes PDF/UA-1: tagged headings and lists, the document language from <html lang>,
the title from <title>, and images' alt texts, so the PDFs are read aloud and searched properly.
The same HTML is kept beside the PDF for those who prefer a browser."""

from __future__ import annotations

import base64
import copy
import mimetypes
from contextlib import contextmanager
from functools import lru_cache, partial
from pathlib import Path

import jinja2
from markupsafe import Markup

from builder.infra import strings
from builder.render import figures
from builder.infra import typography
from builder.infra.store import Store, get_many as store_get_many
from builder.model import Course, markup
from builder.render.labels import labelled
from builder.infra.paths import TEMPLATES
from builder.render.templating import environment


@lru_cache(maxsize=None)
def _css() -> str:
    return (TEMPLATES / "print" / "print.css").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    env = environment("print")
    # Our own stylesheet, inlined so each document is one file; Markup keeps autoescape from
    # turning its quotes into entities (which broke the font-family rule).
    env.globals["css"] = Markup(_css())
    return env


def preload() -> None:
    """Import WeasyPrint and parse print.css now, in the build before it forks its workers, when
    they will lay out PDFs: each forked worker inherits them instead of doing the same. Importing
    WeasyPrint is ~1.4 s of CPU (its UA stylesheets, fontTools, and ~20 library lookups that run
    `ldconfig` and gcc), once in every process that lays out a document: a clean build's two
    workers both paid it."""
    _stylesheet()


@lru_cache(maxsize=None)
def _font_config():
    """One fontconfig/Pango font map for every document of this process instead of a new one per
    document (WeasyPrint's default): creating it loads the system's font configuration and fonts
    (~15 ms), and Pango's fonts and their metrics, cached in the map, stay warm for the next
    document. The PDFs are byte-identical (checked on all 30 documents of the real course)."""
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


@lru_cache(maxsize=None)
def _stylesheet():
    """print.css parsed by WeasyPrint once per process rather than once per document: every
    document we lay out carries it (base.html), and parsing it was ~5 % of laying out the real
    course's 34 PDFs."""
    from weasyprint import CSS
    return CSS(string=_css())


def render(template: str, course: Course, **context) -> str:
    """A standalone HTML document; images are inlined so it works as a single file."""
    course = labelled(course)
    ui = strings.catalogue(course.language)
    media = {m.name: m for m in course.media}

    def html(fragment: str) -> str:
        # Print documents are single files: images go into data URIs rather than a media/ folder beside them.
        def inline(match):
            name = match.group(2)
            if name not in media:
                return match.group(0)
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return f'{match.group(1)}data:{kind};base64,{base64.b64encode(media[name].data).decode()}"'
        return markup.MEDIA_IMAGE.sub(inline, figures.fill_slots(fragment, course, ui))

    page = _environment().get_template(template).render(course=course, ui=ui, html=html, **context)
    return typography.document(page)


def _lay_out(html: str):
    """WeasyPrint's laid-out Document of `html` (PDF/UA-1)."""
    from weasyprint import HTML
    # The same rules as the inline <style>, already parsed (see _stylesheet).
    lean = html.replace(f"<style>{_css()}</style>", "", 1)
    return HTML(string=lean).render(stylesheets=[_stylesheet()], font_config=_font_config(), pdf_variant="pdf/ua-1")


def _pdf(document) -> bytes:
    """The cache's framing of a PDF: its number of pages (4 bytes), then the PDF."""
    return len(document.pages).to_bytes(4, "big") + document.write_pdf(pdf_variant="pdf/ua-1")


def _unframed(data: bytes) -> tuple[int, bytes]:
    return int.from_bytes(data[:4], "big"), data[4:]


def layout(html: str) -> tuple[int, bytes]:
    """(number of pages, PDF) of `html`. The PDF of the same HTML comes from the build cache when
    it has it: laying out is most of a build, and WeasyPrint (half a second to import) is
    imported only when it must work."""
    return Joiner().pdf(html)


class Joiner:
    """PDFs made of pages laid out once: a gathering's pack and participants' materials are its
    materials' own pages again, joined after the pack's first pages instead of laid out a second
    time (that was about a third of all PDF layout in a clean build of the real course).

    A laid-out document lives only in the process that laid it out (WeasyPrint's pages hold Pango
    objects, which cannot be pickled), so one Joiner serves the jobs one process makes (a
    material two gatherings use is laid out once there); the build's store shares the finished
    PDFs' bytes between processes. Every PDF still comes from the build
    cache when it has it, and a document is laid out only when a PDF that needs it is missing.

    What a joined page shows is what it was laid out with: its footer, its page number (a material
    numbers its own pages, «Side 1 av 2», which reads right alone, in the participants' PDF and in
    a pack), its paper size."""

    def __init__(self):
        self._documents: dict[str, object] = {}
        self._made: dict[str, tuple[int, bytes]] = {}      # pdf() of each HTML, also without a build cache

    def _document(self, html: str):
        if html not in self._documents:
            self._documents[html] = _lay_out(html)
        return self._documents[html]

    def pdf(self, html: str) -> tuple[int, bytes]:
        """(number of pages, PDF) of `html` on its own (`layout`)."""
        if html not in self._made:
            from builder.infra import cache
            self._made[html] = _unframed(cache.kept("pdf", cache.key("pdf", html), lambda: _pdf(self._document(html))))
        return self._made[html]

    def pages(self, html: str) -> int:
        """The number of pages of `html` on its own: from its PDF when this job or the build cache
        has it, else from its laid-out pages, without writing a PDF that nothing asked for (a
        `--no-cache` build wrote 29 one-page PDFs just to count their pages)."""
        if html not in self._made:
            from builder.infra import cache
            data = cache.get_blob("pdf", cache.key("pdf", html))
            if data is None:
                return len(self._document(html).pages)
            self._made[html] = _unframed(data)
        return self._made[html][0]

    def joined(self, parts: list[str], *, front: str | None = None, title: str | None = None) -> tuple[int, bytes]:
        """(number of pages, PDF) of the pages of `front` followed by those of each of `parts`.
        With a `front`, the parts' headings go one level down in the PDF's tags and outline (a
        material's h1 is an h2 under the pack's h1, its card headings h3), so a screen reader and
        the bookmarks show each material inside the pack; without one the PDF is called `title`."""
        from builder.infra import cache

        def make() -> bytes:
            documents = [self._document(html) for html in parts]
            pages = [page for document in documents for page in document.pages]
            if front is None:
                joined = documents[0].copy(pages)
                joined.metadata = copy.copy(joined.metadata)
                joined.metadata.title = title
                return _pdf(joined)
            head = self._document(front)
            with _headings_one_level_down(pages):
                return _pdf(head.copy(head.pages + pages))
        return _unframed(cache.kept("pdf", cache.key("pdf-joined", front or "", title or "", *parts), make))


_DEEPER = {f"h{n}": f"h{n + 1}" for n in range(1, 6)}


@contextmanager
def _headings_one_level_down(pages):
    """While writing a joined PDF, the headings on `pages` are one level deeper: WeasyPrint tags
    each heading from its box's element name (weasyprint/pdf/tags.py) and builds the outline from
    the pages' bookmark levels, both when it writes the PDF. Put back afterwards, so the same pages
    write their own PDF unchanged."""
    boxes = {id(box): box for page in pages for box in page._page_box.descendants() if getattr(box, "element_tag", None) in _DEEPER}
    tags = {key: box.element_tag for key, box in boxes.items()}
    bookmarks = [(page, page.bookmarks) for page in pages]
    try:
        for box in boxes.values():
            box.element_tag = _DEEPER[box.element_tag]
        for page, marks in bookmarks:
            page.bookmarks = [(level + 1, *rest) for level, *rest in marks]
        yield
    finally:
        for key, box in boxes.items():
            box.element_tag = tags[key]
        for page, marks in bookmarks:
            page.bookmarks = marks


def write_pdfs(documents: list[tuple[str, Path]], store: Store | None = None) -> list[int]:
    """Each (HTML, target) as a PDF at target; returns their numbers of pages. With the build's
    store each document is laid out once per build, whichever formats ask for it."""
    made = store_get_many(store, [("pdf\0" + html, partial(layout, html)) for html, _ in documents])
    for (_, target), (_, data) in zip(documents, made):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return [pages for pages, _ in made]


def write_pdf(html: str, target: Path, store: Store | None = None) -> int:
    """Writes the PDF; returns its number of pages."""
    return write_pdfs([(html, target)], store)[0]


def write_both(html: str, folder: Path, name: str, store: Store | None = None) -> tuple[Path, Path]:
    """`name`.html and `name`.pdf in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.html").write_text(html, encoding="utf-8")
    write_pdf(html, folder / f"{name}.pdf", store)
    return folder / f"{name}.html", folder / f"{name}.pdf"
