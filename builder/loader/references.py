"""Every legal reference written in the course, with its file and line, for the editors' review table.

A KS course must cite the paragraph a rule stands in. This reads the course's text files (pages, quizzes,
reflections, homework, gatherings) sentence by sentence and finds each reference to a law, a paragraph,
an article of a convention, a forskrift, a chapter or a proposition. A reference that points only at a
proposition, a chapter or a whole law while the same sentence states a rule («skal», «må», «kan ikke» ...)
is flagged: there the reader needs the paragraph, or an honest note that the number is not confirmed.

Editors' notes (HTML comments in pages, `#` comments in YAML) are not read: learners never see them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from pathlib import Path

from builder.model import LegalReference, Source

# The laws and conventions the course cites, by every name it uses for them (matched case-insensitively,
# longest first), and the canonical name the table shows.
LAWS = {
    "kommuneloven": "kommuneloven", "koml.": "kommuneloven",
    "forvaltningsloven": "forvaltningsloven", "fvl.": "forvaltningsloven",
    "plan- og bygningsloven": "plan- og bygningsloven", "pbl.": "plan- og bygningsloven",
    "opplæringslova": "opplæringslova", "opplæringsloven": "opplæringslova",
    "folkehelseloven": "folkehelseloven",
    "barnekonvensjonen": "barnekonvensjonen", "FNs barnekonvensjon": "barnekonvensjonen",
    "grunnloven": "Grunnloven",
    "likestillings- og diskrimineringsloven": "likestillings- og diskrimineringsloven",
    "valgloven": "valgloven", "offentleglova": "offentleglova", "språklova": "språklova",
    "politiregisterloven": "politiregisterloven", "arbeidsmiljøloven": "arbeidsmiljøloven",
    "menneskerettsloven": "menneskerettsloven",
    "forskrift om kommunale og fylkeskommunale råd": "forskrift om medvirkningsorganer",
    "forskrift om medvirkningsorganer": "forskrift om medvirkningsorganer",
    "forskriften om medvirkningsorganer": "forskrift om medvirkningsorganer",
    "forskriften om økonomiplan, årsbudsjett, årsregnskap og årsberetning": "forskrift om økonomiplan og årsberetning",
    "forskrift om oversikt over folkehelsen": "forskrift om oversikt over folkehelsen",
    "forskrift om universell utforming av IKT-løsninger": "forskrift om universell utforming av IKT",
    "forskrift om godtgjøring": "forskrift om godtgjøring",
}
_LAW = re.compile("|".join(re.escape(k).replace(r"\ ", r"\s+")
                           for k in sorted(LAWS, key=len, reverse=True)), re.I)
_PARAGRAPH = re.compile(r"§§?\s*\d+(?:-\d+)?(?:\s*(?:,|og|–|-|til)\s*\d+(?:-\d+)?)*(?:\s+ff\.)?"
                        r"(?:\s+(?:første|andre|annet|tredje|fjerde|femte)\s+ledd(?:\s+bokstav\s+[a-z])?)?")
_ARTICLE = re.compile(r"\b(?:artikkel|art\.)\s*\d+(?:\s*(?:og|,)\s*\d+)*", re.I)
_CHAPTER = re.compile(r"\b(?:kapittel|kap\.)\s*\d+|\bkapitlet om kulturskolen", re.I)
_PROPOSITION = re.compile(r"\b(?:Prop\.\s*\d+\s*L|Ot\.prp\.\s*nr\.\s*\d+|Meld\.\s*St\.\s*\d+|NOU\s*\d{4}:\s*\d+)"
                          r"(?:\s*\(\d{4}[–-]\d{4}\))?(?:,?\s*(?:(?:punkt|kapittel|kap\.)\s*\d+(?:\.\d+)*|kapitlet om kulturskolen))?")
_FORSKRIFT_ID = re.compile(r"\bFOR-\d{4}-\d{2}-\d{2}-\d+")
# Words that make a sentence state a rule rather than talk about one.
_RULE = re.compile(r"\b(?:skal|må|plikt\w*|rett til|kan ikke|har ikke lov|krav\w*|gjelder|forbudt|"
                   r"lovpålagt|har myndighet)\b", re.I)
# Abbreviations whose full stop does not end a sentence.
_ABBREV = re.compile(r"(?:\b(?:Prop|St|Meld|nr|jf|ff|art|kap|pkt|bl\.a|f\.eks|ca|dvs|koml|fvl|pbl|ldl|fhl|"
                     r"Ot\.prp|oppl|mv|osv|m\.m)\.|(?<!\d)\d\.)$", re.I)
_UNIT_BREAK = re.compile(r"^\s*(?:$|#|[-*+]\s|\d+\.\s|:::|(?:-\s+)?[a-z_]+:(?:\s|$)|\|)")
_SENTENCE_END = re.compile(r"[.!?](?=[»”\")]?\s+[«\"(]?[A-ZÆØÅ0-9§])")

TEXT_SUFFIXES = {".md", ".yml", ".yaml"}


def legal_references(course_dir: Path | str) -> tuple[LegalReference, ...]:
    """Every legal reference in the course's text files, in file and line order."""
    course_dir = Path(course_dir)
    found: list[LegalReference] = []
    for path in sorted(p for p in course_dir.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES
                       and p.name != "README.md"):
        rel = path.relative_to(course_dir.parent if course_dir.name else course_dir).as_posix()
        found += references_in(path.read_text(encoding="utf-8"), rel, yaml=path.suffix != ".md")
    return tuple(found)


def references_in(text: str, path: str, yaml: bool) -> list[LegalReference]:
    """The references in one file's text; `path` is how the table names the file."""
    out: list[LegalReference] = []
    unit_law, last_unit, article_law = None, None, None
    for unit, line, sentence in _sentences(_without_notes(text, yaml)):
        if unit != last_unit:
            unit_law, last_unit = None, unit
        refs = _references(sentence, Source(path, line), unit_law)
        # «Artikkel 31 gir ...» later in the file still means the convention named earlier in it.
        refs = [replace(r, law=article_law) if r.kind == "article" and not r.law and article_law else r
                for r in refs]
        article_law = next((r.law for r in reversed(refs) if r.kind == "article" and r.law), article_law)
        unit_law = next((r.law for r in reversed(refs) if r.law in LAWS.values()), unit_law)
        out += refs
    return out


def _without_notes(text: str, yaml: bool) -> str:
    """The text with editors' notes blanked out, every line kept where it was."""
    lines = text.split("\n")
    if yaml:
        return "\n".join("" if line.lstrip().startswith("#") else line for line in lines)
    if lines and lines[0].strip() == "---":          # a page's front matter: its comments are notes too
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        lines[1:end] = ["" if line.lstrip().startswith("#") else line for line in lines[1:end]]
        text = "\n".join(lines)
    return re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def _sentences(text: str):
    """(unit, first line, sentence) for every sentence; a list item, a YAML key or a blank line starts a unit."""
    units: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not units or _UNIT_BREAK.match(line):
            units.append((number, []))
        units[-1][1].append(line)
    for unit, (first, lines) in enumerate(units):
        joined = " ".join(lines)
        offsets = [0]
        for line in lines[:-1]:
            offsets.append(offsets[-1] + len(line) + 1)
        start = 0
        for end in [m.end() for m in _SENTENCE_END.finditer(joined)] + [len(joined)]:
            if end < len(joined) and _ABBREV.search(joined[start:end]):
                continue
            chunk = joined[start:end]
            if chunk.strip():
                lead = start + len(chunk) - len(chunk.lstrip())
                yield unit, first + bisect_right(offsets, lead) - 1, _display(chunk)
            start = end


def _display(chunk: str) -> str:
    """A sentence as the table shows it: one line, without the YAML key or list marker in front."""
    text = " ".join(chunk.split())
    return re.sub(r"^(?:-\s+)?(?:[a-z_]+:\s*(?:[>|]-?\s*)?)?(?:[-*+]\s+|#+\s+|\d+\.\s+)?", "", text)


def _references(sentence: str, source: Source, unit_law: str | None = None) -> list[LegalReference]:
    laws = [(m.start(), LAWS[_canonical_key(" ".join(m.group(0).split()))]) for m in _LAW.finditer(sentence)]
    cites: list[tuple[int, str, str]] = []          # (position, kind, what)
    cites += [(m.start(), "paragraph", _tidy(m.group(0))) for m in _PARAGRAPH.finditer(sentence)]
    cites += [(m.start(), "article", _tidy(m.group(0))) for m in _ARTICLE.finditer(sentence)]
    cites += [(m.start(), "forskrift", m.group(0)) for m in _FORSKRIFT_ID.finditer(sentence)]
    props = [(m.start(), m.end()) for m in _PROPOSITION.finditer(sentence)]
    cites += [(s, "proposition", _tidy(sentence[s:e])) for s, e in props]
    cites += [(m.start(), "chapter", _tidy(m.group(0))) for m in _CHAPTER.finditer(sentence)
              if not any(s <= m.start() < e for s, e in props)]
    precise = any(kind in ("paragraph", "article", "forskrift") for _, kind, _ in cites)
    rule = bool(_RULE.search(sentence))
    out: list[LegalReference] = []
    used_laws: set[int] = set()
    for pos, kind, what in sorted(cites):
        law = _law_for(pos, laws, sentence)
        if law is not None:
            used_laws.add(law[0])
        name = law[1] if law else ("Prop./melding" if kind == "proposition" else unit_law or "")
        flag = kind in ("proposition", "chapter") and rule and not precise
        out.append(LegalReference(name, what, kind, sentence, source, flag))
    for pos, name in laws:
        if pos not in used_laws and not any(ref.law == name for ref in out):
            out.append(LegalReference(name, "", "law", sentence, source, rule and not precise))
    return out


def _law_for(pos: int, laws: list[tuple[int, str]], sentence: str) -> tuple[int, str] | None:
    """The law a citation belongs to: the one named right after it («§ 5-3 i kommuneloven»), else the
    nearest one named before it in the same sentence."""
    after = [(p, n) for p, n in laws if 0 <= p - pos <= 40 and re.match(r"[^.;()]*$", sentence[pos:p])
             and re.search(r"\bi\s+(?:\S+\s+)?$", sentence[pos:p])]
    if after:
        return after[0]
    before = [(p, n) for p, n in laws if p < pos]
    return before[-1] if before else None


def _canonical_key(name: str) -> str:
    for key in LAWS:
        if key.lower() == name.lower():
            return key
    raise KeyError(name)


def _tidy(text: str) -> str:
    return " ".join(text.split()).rstrip(".,;")
