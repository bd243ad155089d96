"""What `kulturskole translate` and `kulturskole check --language` print."""

from __future__ import annotations

import time
from pathlib import Path

from builder.errors import BuildFailed
from builder.loader.translation import LOCALE, STATES, counted, state_at
from builder.messages import problem, tr


def _problems(err: BuildFailed, say) -> int:
    for p in err.problems:
        say(problem(p), err=True)
    say(tr(f"\n{len(err.problems)} problem(s) found; the catalogue was not changed."), err=True)
    return 1


def run_translate(course_dir: Path, language: str, draft: bool, say) -> int:
    from builder.translate import fill_drafts, update
    from builder.translate.draft import ApertiumMissing
    from builder.translate.review import keep_phrases, load_termbase
    from builder.loader.translation import source_language
    if language == source_language(course_dir):
        say(tr(f"'{language}' is the language the sources are written in; give the language to translate into, "
               "for example --language nn"), err=True)
        return 2
    started = time.perf_counter()
    try:
        report = update(course_dir, language)
    except BuildFailed as err:
        return _problems(err, say)
    extracted = time.perf_counter() - started
    if draft:
        try:
            fill_drafts(course_dir, language, report, keep_phrases(load_termbase(course_dir, language)))
        except ApertiumMissing as err:
            say(tr(str(err)), err=True)
            return 1
        except BuildFailed as err:
            return _problems(err, say)
    folder = Path(course_dir) / LOCALE / language
    say(tr(f"{folder}: {report.files} PO files, {report.segments} segments; {report.new} new, "
        f"{report.fuzzy} changed (fuzzy, with the old text as #| msgid), {report.obsolete} obsolete kept"
        + (f"; {report.drafted} drafted by Apertium (fuzzy)" if draft else "")
        + f"; {len(report.written)} file(s) written in {extracted:.1f} s"
        + (f" (+{time.perf_counter() - started - extracted:.1f} s Apertium)" if draft else "")))
    if report.dropped:
        say(tr(f"{report.dropped} obsolete entries dropped from files where every text is translated "
               "(git keeps them)"))
    for name in report.written:
        say("  " + tr(f"wrote {name}"))
    for name in report.removed:
        say("  " + tr(f"removed {name} (its source file is gone)"))
    return 0


def check_translation(course_dir: Path, language: str, say) -> int:
    """Every untranslated segment per source file, then the findings in the translations; 1 when
    anything is found."""
    from builder.loader import translation_status
    from builder.translate.review import review_entries, spelling
    course_dir = Path(course_dir)
    failed = []
    try:
        lacking = translation_status(course_dir, language).lacking()
    except BuildFailed as err:
        # The translation does not load (its markup, a glossary term it renamed …): said at the source
        # line here, and at the PO entry by the review below.
        failed, lacking = err.problems, []
        for p in failed:
            say(tr(f"{problem(p)} (in the {language} translation)"), err=True)
    shown = course_dir.name
    by_file: dict[str, list] = {}
    for u in lacking:
        by_file.setdefault(u.segment.source, []).append(u)
    for source, items in sorted(by_file.items()):
        say(f"{shown}/{source}: {counted(items)}", err=True)
        for u in items:
            say(f"  {shown}/{source}:{u.segment.line}: {state_at(u, f'{shown}/{u.po}')}: «{_short(u.segment.text)}»",
                err=True)
    findings, facts = review_entries(course_dir, language)
    words, unknown = spelling(course_dir, language, facts["texts"])
    for f in findings + words:
        say(f"{shown}/{f.po}:{f.line}: {tr(f.message)}", err=True)
    counts = facts["counts"]
    totals = {s: sum(u.state == s for u in lacking) for s in STATES}
    terms = sum(f.message.startswith("termbase:") for f in findings)
    missing = counts["segments"] - counts["translated"] - counts["fuzzy"]
    say(tr(f"{language}: {counts['segments']} segments in {LOCALE}/{language}: {counts['translated']} translated, "
        f"{counts['fuzzy']} fuzzy, {missing} missing, {totals['stale']} stale; "
        f"{len(findings) - terms} markup/sanitiser problem(s), {terms} termbase problem(s), "
        f"{len(unknown)} word(s) hunspell does not know; {counts['obsolete']} obsolete entries kept"
        + (f"; the edition does not load ({len(failed)} problem(s) above)" if failed else "")))
    return 1 if failed or lacking or findings or words else 0


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"
