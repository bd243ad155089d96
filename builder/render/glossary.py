"""Glossary terms linked where they are used: the first use of each term on a page becomes a link to
its explanation (and, in the web edition, a popover beside it), so all 40-odd terms are reachable
where a learner meets them, not only the few an editor linked by hand with [[term]].

A page opts out with `glossary_links: false` in its front matter. Headings, existing links, code and
the glossary's own entries are left alone; a term matches as a whole word, with the endings of its
Norwegian forms («kommunestyret», «formannskapets»), and an abbreviation («DKS») only in capitals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from builder.model import Course, markup


@dataclass(frozen=True)
class Entry:
    slug: str
    module: str
    page: str
    term: str            # plain text, as the glossary writes it
    explanation: str     # HTML
    pattern: re.Pattern


_ENDING = r"(?:[a-zæøå]{0,4})"


def entries(course: Course) -> dict[str, Entry]:
    """Every glossary entry of the course, by the slug of its <dt>."""
    out = {}
    for m in course.modules:
        for page in m.pages:
            for slug, term_html, explanation in markup.GLOSSARY_ENTRY.findall(page.html):
                term = unescape(re.sub(r"<[^>]+>", "", term_html)).strip()
                out.setdefault(slug, Entry(slug, m.id, page.id, term, (explanation or "").strip(), _pattern(term)))
    return out


def _pattern(term: str) -> re.Pattern:
    """The ways a term is written in running text: «Godtgjøring (for folkevalgte)» as «godtgjøring»,
    «DKS – Den kulturelle skolesekken» as «DKS» or the full name."""
    base = re.sub(r"\s*\(.*?\)", "", term).strip()
    forms = [part.strip() for part in base.split(" – ") if part.strip()]
    alternatives = []
    for form in sorted(forms, key=len, reverse=True):
        if form.isupper():
            alternatives.append(re.escape(form))
        else:
            alternatives.append(f"(?i:{re.escape(form)}){_ENDING}")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")


# Elements whose text is never linked: links, headings, code, the glossary's terms.
_SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "dt", "button", "label"}
_TOKEN = re.compile(r"(<[^>]*>)")
_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)")


# id(terms) → (terms, one pattern matching wherever any of them matches). Most text between tags
# holds no term at all, and one search says so instead of one per term: measured 13:55 (cProfile,
# warm build after a page edit, every format, one core, load ~18) link_first_uses took 5.4 s of
# 47.5 s, 173,418 searches. Only a text the union matches is searched term by term, as before.
_UNION: dict[int, tuple[dict, re.Pattern]] = {}


def _any_term(terms: dict[str, Entry]) -> re.Pattern:
    known = _UNION.get(id(terms))
    if known is None or known[0] is not terms:
        if len(_UNION) > 16:
            _UNION.clear()
        known = _UNION[id(terms)] = (terms, re.compile("|".join(f"(?:{e.pattern.pattern})" for e in terms.values())
                                                       or r"(?!)"))
    return known[1]


def link_first_uses(html: str, terms: dict[str, Entry], address, own_page: tuple[str, str]) -> str:
    """`html` with the first use of each term linked (class ks-term, like a [[term]] link);
    `address(entry)` gives the link's target, `own_page` (module id, page id) is the page itself,
    whose own entries are not linked to themselves. Terms the page already links count as used."""
    remaining = {slug: e for slug, e in terms.items() if (e.module, e.page) != own_page}
    for slug in re.findall(r'#ord-([a-z0-9-]+)"', html):
        remaining.pop(slug, None)
    out, skipping = [], []
    for token in _TOKEN.split(html):
        tag = _TAG.match(token)
        if tag:
            name = tag.group(2).lower()
            if name in _SKIP and not token.endswith("/>"):
                if tag.group(1):
                    if skipping and skipping[-1] == name:
                        skipping.pop()
                else:
                    skipping.append(name)
            out.append(token)
            continue
        if skipping or not remaining or not token.strip() or not _any_term(terms).search(token):
            out.append(token)
            continue
        found = []
        for slug, e in remaining.items():
            m = e.pattern.search(token)
            if m:
                found.append((m.start(), m.end(), slug))
        pieces, at = [], 0
        for start, end, slug in sorted(found):
            if start < at:
                continue
            pieces += [token[at:start], f'<a class="ks-term" href="{address(remaining[slug])}#ord-{slug}">{token[start:end]}</a>']
            at = end
            del remaining[slug]
        out.append("".join(pieces) + token[at:])
    return "".join(out)
