"""Where the links of the model's HTML point in each edition.

Images point at `media/<name>` and glossary links at `#ord-<term>`, as the editors wrote them; every
renderer that places a fragment somewhere else points them at where it puts the media files and
the glossary page."""

from __future__ import annotations

import re

_MEDIA_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")media/')


def relink_media(html: str, prefix: str) -> str:
    """Point the images of a fragment at `prefix + name` instead of `media/name`."""
    return _MEDIA_SRC.sub(lambda m: m.group(1) + prefix, html)


_TERM_HREF = re.compile(r'href="#ord-([a-z0-9-]+)"')


def relink_terms(html: str, glossary: dict, page_url) -> str:
    """Point glossary links (href="#ord-<slug>") at the glossary page: `page_url(module id, page id)`
    gives the address of a page in the edition at hand."""
    if 'href="#ord-' not in html:
        return html

    def link(m):
        found = glossary.get(m.group(1))
        if not found:
            return m.group(0)
        module_id, page_id, slug = found
        return f'href="{page_url(module_id, page_id)}#ord-{slug}"'
    return _TERM_HREF.sub(link, html)
