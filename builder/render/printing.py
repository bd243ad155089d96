"""Printable documents (homework handouts, the facilitator guide, the workbook): HTML from the
jinja2 templates in builder/render/templates/print/, and PDF from that HTML with WeasyPrint.

WeasyPrint writes PDF/UA-1: tagged headings and lists, the document language from <html lang>,
the title from <title>, and images' alt texts, so the PDFs are read aloud and searched properly.
The same HTML is kept beside the PDF for those who prefer a browser."""

from __future__ import annotations

import base64
import mimetypes
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


def layout(html: str) -> tuple[int, bytes]:
    """(number of pages, PDF) of `html`. The PDF of the same HTML comes from the build cache when
    it has it: laying out is most of a build, and WeasyPrint (half a second to import) is
    imported only when it must work."""
    from builder.infra import cache
    key = cache.key("pdf", html)
    data = cache.get_blob("pdf", key)
    if data is None:
        from weasyprint import HTML
        # The same rules as the inline <style>, already parsed (see _stylesheet).
        lean = html.replace(f"<style>{_css()}</style>", "", 1)
        document = HTML(string=lean).render(stylesheets=[_stylesheet()], pdf_variant="pdf/ua-1")
        data = len(document.pages).to_bytes(4, "big") + document.write_pdf(pdf_variant="pdf/ua-1")
        cache.put_blob("pdf", key, data)
    return int.from_bytes(data[:4], "big"), data[4:]


def write_pdfs(documents: list[tuple[str, Path]], store: Store | None = None) -> list[int]:
    """Each (HTML, target) as a PDF at target; returns their numbers of pages. With the build's
    store each document is laid out once per build, whichever formats ask for it (the packs format
    and the Moodle room kit print the same 29 documents; measured 12:35, every format --no-cache
    under load 8–11: 29.5 s CPU, of which the room kit's second layout of them was ~1/3)."""
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
