"""The translation workflow on gettext PO files: `kulturskole translate --language nn`.

One PO file per source file, `course/locale/<language>/<source path>.po`, holding every segment the
loader reads from that file (builder/loader/translation.py) with its source file:line. Running
`translate` again after the sources changed merges as msgmerge does: a segment whose text is the
same keeps its translation; a changed one gets the translation of the nearest old text, marked
fuzzy with the old text as `#| msgid`; a new one comes empty; one that is gone stays as obsolete
(`#~`), so a text put back gets its translation again and a translator can copy from the old ones.
Obsolete entries do not pile up: once every text of a file is translated and checked, the next run
drops the ones that were obsolete already (as `msgattrib --no-obsolete` would; git keeps them), and
a PO file whose source is gone is removed when nothing is left in it. `--draft` then fills the
empty segments with Apertium's bokmål→nynorsk machine translation, marked fuzzy
(builder/translate/draft.py).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import polib

from builder.loader import segments as course_segments
from builder.loader.translation import LOCALE, Segment
from builder.messages import msg

WRAP = 78            # as msgmerge writes them, so a diff of a PO file stays readable
SIMILAR = 0.6        # how alike an old text must be for its translation to be offered (fuzzy) for a new one


@dataclass
class Report:
    files: int = 0           # PO files now in the catalogue
    written: list[str] = field(default_factory=list)   # the ones this run changed
    removed: list[str] = field(default_factory=list)   # the ones it deleted (source gone, nothing left)
    segments: int = 0        # entries (one per distinct text of a file)
    new: int = 0
    fuzzy: int = 0           # changed texts, given the nearest old translation to check
    obsolete: int = 0        # entries whose text the sources no longer have (kept, #~)
    dropped: int = 0         # obsolete entries dropped: already obsolete, and their file translated
    drafted: int = 0         # empty entries filled by Apertium


def update(course_dir: Path, language: str) -> Report:
    """Extract every segment of the course and merge it into `language`'s PO files."""
    course_dir = Path(course_dir)
    by_source: dict[str, list[Segment]] = {}
    for s in course_segments(course_dir):
        by_source.setdefault(s.source, []).append(s)
    folder = course_dir / LOCALE / language
    existing = {p.relative_to(folder).as_posix()[:-len(".po")] for p in folder.rglob("*.po")} if folder.is_dir() else set()
    report = Report()
    for source in sorted(set(by_source) | existing):
        path = folder / f"{source}.po"
        old = polib.pofile(str(path), wrapwidth=WRAP) if path.is_file() else None
        po = merge(old, by_source.get(source, []), source, language, report)
        if source not in by_source and not len(po):
            path.unlink()           # its source is gone and so is every translation in it
            report.removed.append(str(path.relative_to(course_dir.parent)))
            continue
        text = po.__unicode__()
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            report.written.append(str(path.relative_to(course_dir.parent)))
        report.files += 1
    return report


def merge(old: polib.POFile | None, found: list[Segment], source: str, language: str, report: Report) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP)
    po.header = (f"The {language} translation of {source}. Written by `kulturskole translate --language {language}`;\n"
                 "translate the msgstr lines, and remove a `#, fuzzy` line once its translation is checked.")
    po.metadata = {"Language": language, "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", "X-Source-File": source}
    previous = {e.msgid: e for e in old if not e.obsolete} if old else {}
    previous.update({e.msgid: e for e in (old.obsolete_entries() if old else []) if e.msgid not in previous})
    entries: dict[str, polib.POEntry] = {}
    for s in sorted(found, key=lambda s: s.line):       # in the order of the source file
        if s.text in entries:
            entries[s.text].occurrences.append((source, str(s.line)))
            continue
        entries[s.text] = polib.POEntry(msgid=s.text, occurrences=[(source, str(s.line))], comment=s.kind)
    taken = set()
    unmatched = []
    for text, entry in entries.items():
        before = previous.get(text)
        if before is not None:
            taken.add(text)
            entry.msgstr = before.msgstr
            entry.flags = list(before.flags)
            entry.previous_msgid = before.previous_msgid if before.fuzzy else None
            entry.tcomment = before.tcomment
        else:
            unmatched.append(entry)
    for entry in unmatched:
        candidates = [t for t, e in previous.items() if t not in taken and e.msgstr]
        best = _nearest(entry.msgid, candidates)
        if best is None:
            entry.msgstr = ""
            report.new += 1
            continue
        taken.add(best)
        entry.msgstr = previous[best].msgstr
        entry.flags = sorted(set(previous[best].flags) | {"fuzzy"})
        entry.previous_msgid = best
        entry.tcomment = previous[best].tcomment
        report.fuzzy += 1
    for entry in entries.values():
        po.append(entry)
    # The old texts help while the file has work left (a new or changed text to translate); once
    # every text is translated and checked, those obsolete before this run are of no more use.
    done = all(e.msgstr and "fuzzy" not in e.flags for e in entries.values())
    for text, before in previous.items():
        if text in taken or not before.msgstr:
            continue
        if done and before.obsolete:
            report.dropped += 1
        else:
            gone = polib.POEntry(msgid=text, msgstr=before.msgstr, obsolete=True, flags=list(before.flags),
                                 tcomment=before.tcomment)
            po.append(gone)
            report.obsolete += 1
    report.segments += len(entries)
    return po


def _nearest(text: str, candidates: list[str]) -> str | None:
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(text)
    best, score = None, SIMILAR
    for c in candidates:
        matcher.set_seq1(c)
        if matcher.real_quick_ratio() < score or matcher.quick_ratio() < score:
            continue
        ratio = matcher.ratio()
        if ratio > score:
            best, score = c, ratio
    return best


def fill_drafts(course_dir: Path, language: str, report: Report, keep: tuple[str, ...] = ()) -> None:
    """Fill every empty entry of `language`'s PO files with Apertium's draft, marked fuzzy.
    `keep`: phrases written the same in both languages (law titles, names), left to no translator."""
    from builder.translate import draft as apertium
    if language != "nn":
        raise apertium.ApertiumMissing(msg(f"Apertium drafts are made from bokmål into nynorsk only, not into '{language}'"))
    folder = Path(course_dir) / LOCALE / language
    files = [(p, polib.pofile(str(p), wrapwidth=WRAP)) for p in sorted(folder.rglob("*.po"))]
    empty = [(po, e) for _, po in files for e in po if not e.obsolete and not e.msgstr]
    drafts = apertium.translate([e.msgid for _, e in empty], keep)
    for (_, entry), text in zip(empty, drafts):
        entry.msgstr = text
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
    report.drafted += len(empty)
    touched = {id(po) for po, _ in empty}
    for path, po in files:
        if id(po) in touched:
            path.write_text(po.__unicode__(), encoding="utf-8")
            name = str(path.relative_to(Path(course_dir).parent))
            if name not in report.written:
                report.written.append(name)
