"""The markers in the model's HTML, and every pattern that reads one.

The loader writes page HTML without a word of any interface language: a box carries its kind
(`data-box="law"`) and the editor's title, a true/false option only its id, the timeline a slot.
The renderer labels them in the edition's language (`label`, called by builder/render/labels.py).
Glossary links, glossary entries and images are contracts between the loader and the renderers
too; each is written and read only here, so a change to one markup detail is a change to this file.
"""

from __future__ import annotations

import re
from html import escape

# --- boxes (`:::lovhjemmel Kommuneloven § 5-3` … `:::`) ------------------------------------------

BOX_KINDS = ("law", "reflection", "example", "keypoints")
_BOX_TITLE = re.compile(r'<p class="ks-box-title" data-box="([a-z]+)">(.*?)</p>', re.S)
# A box as the renderers show it (after `label`): its kind, at the opening tag and its title.
BOX_OPENING = re.compile(r'<div class="ks-box ks-box-([a-z]+)" role="note"><p class="ks-box-title">')


def box(kind: str, title: str, inner_html: str) -> str:
    """A box of `kind` (one of BOX_KINDS) with the editor's title (plain text, may be "") around
    `inner_html`. Its label («Lovhjemmel», «Til refleksjon» …) is the renderer's."""
    return (f'<div class="ks-box ks-box-{kind}" role="note"><p class="ks-box-title" data-box="{kind}">'
            f"{escape(title, quote=False)}</p>\n{inner_html}\n</div>")


def label_boxes(html: str, labels: dict[str, str]) -> str:
    """Box titles in one language: `labels[kind]`, followed by the editor's title after a colon."""
    if 'data-box="' not in html:
        return html

    def one(m: re.Match) -> str:
        label = labels[m.group(1)]
        return f'<p class="ks-box-title">{escape(label, quote=False)}{": " + m.group(2) if m.group(2) else ""}</p>'
    return _BOX_TITLE.sub(one, html)


# --- the programme timeline (`:::tidslinje`) -----------------------------------------------------

# The model has no dates; each renderer draws the timeline into this slot when it knows them.
TIMELINE_SLOT = '<div class="ks-timeline-slot"></div>'


# --- drawn figures (`:::figur hvem-bestemmer`) ---------------------------------------------------

# The model holds the figure's data (Course.figures); each renderer draws it into this slot in the
# edition's language and look (builder/render/figures.py).
FIGURE_SLOT = re.compile(r'<div class="ks-figure-slot" data-figure="([a-z0-9-]+)"></div>')


def figure_slot(figure_id: str) -> str:
    return f'<div class="ks-figure-slot" data-figure="{figure_id}"></div>'


# --- glossary: [[term]] links and the glossary's entries -----------------------------------------

def term_target(slug: str) -> str:
    """The Markdown link target of a [[term]]: the renderers point it at the glossary page."""
    return f"#ord-{slug}"


def term_link_class(html: str) -> str:
    """Glossary links (rendered from `term_target`) with the class that marks them as terms."""
    return html.replace('<a href="#ord-', '<a class="ks-term" href="#ord-') if 'href="#ord-' in html else html


# A glossary link in model HTML, by the slug written.
TERM_HREF = re.compile(r'href="#ord-([a-z0-9-]+)"')
# A glossary link once a renderer has pointed it at the glossary page: (page address, slug of the entry).
TERM_LINK = re.compile(r'<a class="ks-term" href="([^"#]*)#ord-([a-z0-9-]+)"')


def has_term_links(html: str) -> bool:
    return 'href="#ord-' in html


def term_href(address: str, slug: str) -> str:
    return f'href="{address}#ord-{slug}"'


def glossary_entry(slug: str, term_html: str) -> str:
    """A glossary term (<dt>) with the anchor its links go to."""
    return f'<dt id="ord-{slug}">{term_html}</dt>'


# The glossary's entries: (slug, term HTML, explanation HTML or "").
GLOSSARY_ENTRY = re.compile(r'<dt id="ord-([a-z0-9-]+)">(.*?)</dt>\s*(?:<dd>(.*?)</dd>)?', re.S)


# --- images ------------------------------------------------------------------------------------

# An image of the course's media folder as the model holds it: (everything up to the address, file name).
MEDIA_IMAGE = re.compile(r'(<img\b[^>]*?\bsrc=")media/([^"]+)"')


def media_names(html: str) -> list[str]:
    """The media files a fragment shows, in order of appearance."""
    return [m.group(2) for m in MEDIA_IMAGE.finditer(html)]


def relink_media(html: str, prefix: str) -> str:
    """The fragment's images pointed at `prefix + name` instead of `media/name`."""
    return MEDIA_IMAGE.sub(lambda m: f'{m.group(1)}{prefix}{m.group(2)}"', html) if "media/" in html else html


# --- true/false options --------------------------------------------------------------------------

# A true/false question's two options are only their ids in the model; the renderer shows them
# with the interface texts of these keys («Sant», «Usant» in bokmål).
TRUE_FALSE_LABELS = {"true": "true", "false": "false"}
