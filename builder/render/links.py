"""Where the links of the model's HTML point in each edition.

Images point at `media/<name>` and glossary links at `#ord-<term>`, as the editors wrote them; every
renderer that places a fragment somewhere else points them at where it puts the media files and
the glossary page."""

from __future__ import annotations

from builder.model import markup

relink_media = markup.relink_media


def relink_terms(html: str, glossary: dict, page_url) -> str:
    """Point glossary links (href="#ord-<slug>") at the glossary page: `page_url(module id, page id)`
    gives the address of a page in the edition at hand."""
    if not markup.has_term_links(html):
        return html

    def link(m):
        found = glossary.get(m.group(1))
        if not found:
            return m.group(0)
        module_id, page_id, slug = found
        return markup.term_href(page_url(module_id, page_id), slug)
    return markup.TERM_HREF.sub(link, html)
