"""Printable documents (homework handouts, the facilitator guide, the workbook): HTML from the
jinja2 templates in builder/render/templates/print/, and PDF from that HTML with WeasyPrint.

WeasyPrint writes PDF/UA-1: tagged headings and lists, the document language from <html lang>,
the title from <title>, and images' alt texts, so the PDFs are read aloud and searched properly.
The same HTML is kept beside the PDF for those who prefer a browser."""

from __future__ import annotations

import base64
import mimetypes
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from builder.infra import strings
from builder.render import figures, typography
from builder.model import Course, markup
from builder.render.labels import labelled
from builder.infra.paths import TEMPLATES
from builder.render.templating import environment


@lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    env = environment("print")
    # Our own stylesheet, inlined so each document is one file; Markup keeps autoescape from
    # turning its quotes into entities (which broke the font-family rule).
    env.globals["css"] = Markup((TEMPLATES / "print" / "print.css").read_text(encoding="utf-8"))
    return env


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


def write_pdf(html: str, target: Path) -> int:
    """Writes the PDF; returns its number of pages. The PDF of the same HTML comes from the build
    cache when it has it: laying out is most of a build, and WeasyPrint (half a second to import)
    is imported only when it must work."""
    from builder.infra import cache
    key = cache.key("pdf", html)
    data = cache.get_blob("pdf", key)
    if data is None:
        from weasyprint import HTML
        document = HTML(string=html, base_url=str(target.parent)).render(pdf_variant="pdf/ua-1")
        data = len(document.pages).to_bytes(4, "big") + document.write_pdf(pdf_variant="pdf/ua-1")
        cache.put_blob("pdf", key, data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data[4:])
    return int.from_bytes(data[:4], "big")


def write_both(html: str, folder: Path, name: str) -> tuple[Path, Path]:
    """`name`.html and `name`.pdf in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.html").write_text(html, encoding="utf-8")
    write_pdf(html, folder / f"{name}.pdf")
    return folder / f"{name}.html", folder / f"{name}.pdf"
