"""`kulturskole check --language nn`: what a translated edition still lacks, and what is wrong in it.

Per source file: segments missing, fuzzy and stale (builder/loader/translation.py); per PO entry:
markup that does not match its source (bold, [[term]] links, link addresses, code, HTML tags),
HTML the sanitiser would strip from the translation, the termbase's terms
(course/locale/<language>/termbase.yml), and words Debian's hunspell dictionary does not know
outside the reviewed list (course/locale/<language>/godkjende-ord.txt)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib

from builder.errors import Problem
from builder.loader.translation import LOCALE
from builder.messages import msg, tr
from builder.translate import tools

TERMBASE = "termbase.yml"
ACCEPTED_WORDS = "godkjende-ord.txt"
DICTIONARIES = {"nn": "nn_NO", "nb": "nb_NO"}


@dataclass(frozen=True)
class Term:
    source: tuple[str, ...]      # forms in the source language; `kulturskole*` matches any word starting so
    target: tuple[str, ...]      # forms the translation must use
    keep: tuple[str, ...]        # phrases written as in the source (names, official law titles)
    note: str
    line: int
    avoid: tuple[str, ...] = ()  # the translation's other words for the same concept, refused everywhere


def _pattern(forms: tuple[str, ...]) -> re.Pattern:
    """Whole words: `kulturskole*` matches every word starting so, `*styresmakt` every word ending so
    (a compound: vedtaksstyresmakt)."""
    def one(form):
        return (r"\w*" if form.startswith("*") else "") + re.escape(form.strip("*")) + (r"\w*" if form.endswith("*") else "")
    return re.compile(r"(?<!\w)(?:" + "|".join(map(one, forms)) + r")(?!\w)", re.I)


def load_termbase(course_dir: Path, language: str) -> list[Term]:
    path = Path(course_dir) / LOCALE / language / TERMBASE
    if not path.is_file():
        return []
    from builder.errors import Problems
    from builder.loader import yamlsrc
    problems = Problems(Path(course_dir))
    data = yamlsrc.load(path, problems)
    problems.raise_if_any()
    out = []
    for i, item in enumerate(data.get("terms", [])):
        def forms(key):
            v = item.get(key, [])
            return tuple([v] if isinstance(v, str) else v)
        out.append(Term(forms("nb"), forms(language), forms("keep"), item.get("note", ""), data["terms"].lines[i],
                        forms("avoid")))
    return out


def keep_phrases(terms: list[Term]) -> tuple[str, ...]:
    """Phrases no machine translation may touch: the terms written the same in both languages
    (without wildcards) and every term's names to keep."""
    same = [f for t in terms for f in t.source if f in t.target and not f.endswith("*")]
    return tuple(dict.fromkeys(same + [k for t in terms for k in t.keep]))


def _plain(text: str) -> str:
    """The words of a segment: no addresses, code, tags or markup characters."""
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"`[^`]*`|<[^>]+>|https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+", " ", text)
    return re.sub(r"[*_\[\]|#>]", " ", text)


def _shown(forms: tuple[str, ...]) -> str:
    """Forms as an editor reads them in a message: «mynde / myndet», the wildcards left out."""
    return " / ".join(dict.fromkeys(f.strip("*") for f in forms))


def term_problems(terms: list[Term], msgid: str, msgstr: str) -> list[str]:
    found = []
    for t in terms:
        said = _plain(msgid)
        shown = _plain(msgstr)
        for k in t.keep:       # names and titles kept as written are no use of the term, in either text
            said = re.sub(re.escape(k), " ", said, flags=re.I)
            shown = re.sub(re.escape(k), " ", shown, flags=re.I)
        if t.target and _pattern(t.source).search(said) and not _pattern(t.target).search(shown):
            found.append(msg(f"the source says «{_pattern(t.source).search(said).group(0)}»; the termbase's "
                             f"term is «{_shown(t.target)}»"))
        wrong = _pattern(t.source).search(shown)
        if wrong and not _pattern(t.target).fullmatch(wrong.group(0)):
            found.append(msg(f"«{wrong.group(0)}» is the source language's form; the termbase says "
                             f"«{_shown(t.target)}»" + (f" ({t.note})" if t.note else "")))
        # In every translation, not only where the source has the term: one concept, one word in the
        # edition (a translator's «styresmakta» for «myndigheten» read as a second concept beside «mynde»).
        other = t.avoid and _pattern(t.avoid).search(shown)
        if other:
            found.append(msg(f"«{other.group(0)}» is another word for «{_shown(t.source)}»; the termbase says "
                             f"«{_shown(t.target)}»"))
    return found


@dataclass(frozen=True)
class Finding:
    po: str            # PO file, course-relative
    line: int          # line of the entry in it
    message: str


_MARKUP = re.compile(r"\*\*|\[\[|\]\]|\]\(([^)\s]*)|`[^`]*`|<[a-zA-Z/][^>]*>|^#+ |:::")


def markup_signature(text: str) -> Counter:
    """The pieces of markup a translation must keep from its source: bold, term links, link
    addresses (not their titles), code, tags."""
    sig = Counter()
    for m in _MARKUP.finditer(text):
        sig[m.group(1) if m.group(1) is not None else m.group(0)] += 1
    return sig


def review_entries(course_dir: Path, language: str) -> tuple[list[Finding], dict]:
    """Findings in the translations themselves, and counts for the summary."""
    from builder.loader import htmlpolicy
    from builder.loader.markdownsrc import _MARKDOWN
    course_dir = Path(course_dir)
    folder = course_dir / LOCALE / language
    terms = load_termbase(course_dir, language)
    findings: list[Finding] = []
    counts = Counter()
    texts: list[tuple[str, int, str]] = []
    for path in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
        po_name = path.relative_to(course_dir).as_posix()
        for e in polib.pofile(str(path), wrapwidth=0):
            if e.obsolete:
                counts["obsolete"] += 1
                continue
            counts["segments"] += 1
            if not e.msgstr:
                continue
            counts["fuzzy" if e.fuzzy else "translated"] += 1
            want, have = markup_signature(e.msgid), markup_signature(e.msgstr)
            if want != have:
                lost = want - have
                added = have - want
                what = "; ".join(filter(None, [
                    tr(f"lacks {', '.join(f'«{k}»' for k in lost)}") if lost else "",
                    tr(f"adds {', '.join(f'«{k}»' for k in added)}") if added else ""]))
                findings.append(Finding(po_name, e.linenum,
                                        message=f"the translation's markup differs from the source: {what}"))
            html = _MARKDOWN.html(e.msgstr)
            _, stripped, _, _ = htmlpolicy.sanitize(html)
            for f in stripped:
                findings.append(Finding(po_name, e.linenum,
                                        message=f"the sanitiser would change the translation: {tr(f.message)}"))
            if not e.fuzzy:
                for message in term_problems(terms, e.msgid, e.msgstr):
                    findings.append(Finding(po_name, e.linenum, message=f"termbase: {tr(message)}"))
                texts.append((po_name, e.linenum, e.msgstr))
    return findings, {"counts": counts, "texts": texts, "terms": terms}


def spelling(course_dir: Path, language: str, texts: list[tuple[str, int, str]]) -> tuple[list[Finding], list[str]]:
    """Words of the reviewed translations that hunspell's dictionary for `language` lacks and the
    reviewed list does not hold: one finding per word (at its first entry), and the words."""
    dictionary = DICTIONARIES.get(language)
    if dictionary is None or shutil.which("hunspell") is None:
        return [], []
    accepted_path = Path(course_dir) / LOCALE / language / ACCEPTED_WORDS
    accepted = set()
    if accepted_path.is_file():
        accepted = {w.strip() for w in accepted_path.read_text(encoding="utf-8").splitlines()
                    if w.strip() and not w.startswith("#")}
    kept = keep_phrases(load_termbase(course_dir, language))
    words_at: dict[str, tuple[str, int]] = {}
    for po, line, text in texts:
        for k in kept:          # names and official titles are spelled as their owners spell them
            text = re.sub(re.escape(k), " ", text, flags=re.I)
        for w in re.findall(r"[^\W\d_](?:[\w’'-]*[^\W_])?", _plain(text)):
            words_at.setdefault(w, (po, line))
    # -i utf-8: the words are UTF-8 whatever the locale (builder/translate/tools.py says why).
    done = tools.run(["hunspell", "-i", "utf-8", "-d", dictionary, "-l"], "\n".join(words_at))
    unknown = sorted({w for w in done.stdout.split() if w not in accepted and w.lower() not in accepted})
    def where(word):       # hunspell splits some words (at a hyphen): the first text that has the part
        return words_at.get(word) or next(((po, line) for po, line, text in texts if word in text), ("", 0))
    return [Finding(*where(w), message=f"hunspell {dictionary} does not know «{w}»") for w in unknown], unknown


def as_problems(findings: list[Finding]) -> list[Problem]:
    return [Problem(f.po, f.line, f.message, "") for f in findings]
