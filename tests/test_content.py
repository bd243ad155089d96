"""Content checks for course/: enough material, no copied text, no spelling mistakes.

These tests look at the course as a learner or an editor would: is there enough
to learn from, is the text our own, and is it spelled correctly?
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import need

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "inn-i-fremtiden.txt"
WORDLIST = Path(__file__).resolve().parent / "data" / "ordliste.txt"

# YAML keys whose string values are shown to the learner. Everything else
# (ids, urls, types, goal ids, numbers) is data, not prose.
PROSE_KEYS = {
    "title", "subtitle", "organisation", "summary", "text", "explanation",
    "if_true", "if_false", "prompt", "guidance", "intro", "deliverable",
    "agenda", "place", "dialogue_questions", "participants", "steps",
    "plan", "act", "observe", "reflect", "task", "role", "roles", "reference",
    # a drawn figure (course/figures/*.yml)
    "label", "caption", "note",
    # a gathering's script (course/gatherings/*.yml), read by the facilitator
    "purpose", "preparation", "materials", "lead", "method", "room", "notes",
}


# --------------------------------------------------------------------------
# helpers


def _stats() -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "builder", "stats", "--json", "--course", "course"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, (
        f"`kulturskole stats --json` failed (exit {result.returncode}):\n{result.stderr or result.stdout}"
    )
    return json.loads(result.stdout)


def _words(text: str) -> list[str]:
    """Lowercase words with punctuation folded away, for the 10-gram comparison."""
    text = text.lower().replace("\u00ad", "")
    return re.findall(r"[0-9a-zæøåéèüöäó]+", text)


def _ngrams(words: list[str], n: int = 10) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _course_files() -> list[Path]:
    # course/locale/ is the nynorsk edition (checked by `kulturskole check --language nn`, tests/translate/).
    return sorted(p for p in COURSE.rglob("*") if p.is_file() and p.suffix in {".md", ".yml", ".yaml"}
                  and p.name != "README.md" and "locale" not in p.relative_to(COURSE).parts)


def _strip_markdown(body: str) -> str:
    """The words a learner reads on a page, without Markdown or HTML syntax."""
    text = re.sub(r"```.*?```", " ", body, flags=re.S)          # code blocks
    text = re.sub(r"`[^`]*`", " ", text)                         # inline code
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)        # images: keep alt text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)         # links: keep link text
    text = re.sub(r"<https?://[^>]*>", " ", text)                # autolinks
    text = re.sub(r"https?://\S+", " ", text)                    # bare urls
    text = re.sub(r"<[^>]+>", " ", text)                         # html tags
    text = re.sub(r"^\s*:::figur\s+\S+\s*$", " ", text, flags=re.M)  # a figure's place: its file name
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.M)    # headings
    text = re.sub(r"^\s*:\s+", "", text, flags=re.M)             # definition lists
    text = re.sub(r"^\s*([-*+]|\d+\.)\s+", "", text, flags=re.M)  # list markers
    text = re.sub(r"^\s*\|?[-:| ]+\|?\s*$", " ", text, flags=re.M)  # table rules
    text = text.replace("|", " ")
    text = re.sub(r"[*_]{1,3}", "", text)                        # emphasis
    return text


def _page_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    title, body = "", raw
    m = re.match(r"^---\s*\n(.*?)\n---\s*\n(.*)$", raw, flags=re.S)
    if m:
        meta = yaml.safe_load(m.group(1)) or {}
        title = str(meta.get("title", "")) if isinstance(meta, dict) else ""
        body = m.group(2)
    return title + "\n" + _strip_markdown(body)


def _yaml_prose(node, key: str | None = None) -> list[str]:
    """Learner-facing strings in a YAML document (see PROSE_KEYS)."""
    out: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _yaml_prose(v, str(k))
    elif isinstance(node, list):
        for item in node:
            out += _yaml_prose(item, key)
    elif isinstance(node, str) and key in PROSE_KEYS:
        out.append(_strip_markdown(node))
    return out


def _learner_text(path: Path) -> str:
    if path.suffix == ".md":
        return _page_text(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return "\n".join(_yaml_prose(data))


def _accepted_words() -> set[str]:
    words = set()
    for line in WORDLIST.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(line.lower())
    return words


def _hunspell() -> str | None:
    exe = shutil.which("hunspell")
    dic = Path("/usr/share/hunspell/nb_NO.dic")
    return exe if exe and dic.is_file() else None


# --------------------------------------------------------------------------
# tests


def test_course_has_enough_material():
    """If this breaks, learners get a thin course: too few modules, quiz questions,
    cases or reflection tasks, homework that does not cover every period between
    gatherings, or a competence goal nothing trains or tests."""
    stats = _stats()
    assert stats["modules"] >= 11, f"only {stats['modules']} modules"
    q = stats["questions"]
    assert q["total"] >= 40, f"only {q['total']} quiz questions in the whole course"
    assert q["scenarios"] >= 10, f"only {q['scenarios']} scenario questions (cases)"
    assert stats["reflections"] >= 12, f"only {stats['reflections']} reflection tasks"
    assert stats["assignments"] == stats["gaps"], (
        f"{stats['assignments']} homework assignments for {stats['gaps']} periods between gatherings; "
        "each period needs exactly one"
    )
    missing = [
        f"{gid} ({g['title']}): {g['questions']} questions, {g['reflections']} reflections"
        for gid, g in stats["goals"].items() if g["questions"] < 1 or g["reflections"] < 1
    ]
    assert not missing, "competence goals without questions or reflections:\n" + "\n".join(missing)


def test_no_text_copied_from_seed():
    """If this breaks, a sentence from the original KS page has been copied into the
    course. Learners would read KS' text as ours; rewrite it in your own words."""
    if not SHARED.exists():
        pytest.skip("../shared is not available in this checkout")
    seed = _ngrams(_words(SEED.read_text(encoding="utf-8")))
    hits = []
    for path in _course_files():
        words = _words(path.read_text(encoding="utf-8"))
        for i in range(len(words) - 9):
            gram = tuple(words[i:i + 10])
            if gram in seed:
                hits.append(f"{path.relative_to(REPO)}: «{' '.join(gram)}»")
    assert not hits, "runs of 10 words copied from the seed text:\n" + "\n".join(hits[:50])


def test_spelling_bokmal():
    """If this breaks, learners will see a misspelled word. Fix the typo in the file
    named; only names and terms (KS, DKS, samskaping ...) go in tests/data/ordliste.txt."""
    exe = _hunspell()
    need(exe is not None, "hunspell with the nb_NO dictionary is not installed (apt-get install hunspell hunspell-no)")
    accepted = _accepted_words()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    texts = {path: text for path in _course_files() if (text := _learner_text(path)).strip()}
    # One hunspell for the whole course (it loads the nb_NO dictionary once; one per file took
    # 216 s of a loaded suite run); each unknown word is then named with the files it stands in.
    result = subprocess.run([exe, "-i", "utf-8", "-d", "nb_NO", "-l"], input="\n\n".join(texts.values()), capture_output=True,
                            text=True, encoding="utf-8", env=env, timeout=300)
    assert result.returncode == 0, f"hunspell failed: {result.stderr}"
    # Single letters (A–F in a heading, the L in «Prop. 57 L») are not words to spell-check.
    unknown = sorted({w for w in result.stdout.split() if len(w) > 1 and w.lower() not in accepted})
    problems = []
    for path, text in texts.items():
        here = [w for w in unknown if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
        if here:
            problems.append(f"{path.relative_to(REPO)}: {', '.join(here)}")
    assert unknown == [] or problems, f"unknown words found in no file: {unknown}"
    assert not problems, "unknown words (fix the spelling, or add names/terms to tests/data/ordliste.txt):\n" + \
        "\n".join(problems)


def test_most_questions_are_scenarios():
    """If this breaks, the module quizzes or the final test slide back to recall: learners would
    recognise rules instead of applying them to situations in the kommune (at least 70 % of each
    must be `scenario: true`; see «Case, ikke pugg» in course/README.md)."""
    share = _stats()["scenario_share"]
    assert share["modules"] >= 70, f"only {share['modules']} % of the module questions are scenarios"
    assert share["final_test"] >= 70, f"only {share['final_test']} % of the final-test pool are scenarios"


# The only rules the course may state without a paragraph: the kulturskole chapter of the 2023
# opplæringslova, whose paragraph number and wording no reviewer has checked against Lovdata
# (content-brief.md §6), the samarbeidsplikt whose paragraph differs per welfare law (Prop. 100 L),
# the politiattest and competence points of the same new law (Prop. 57 L), and the course's own
# compliance with the accessibility forskrift.
UNCONFIRMED_NUMBERS = ("opplæringslova", "Prop. 100 L", "Prop. 57 L", "forskrift om universell utforming")


def test_rules_are_cited_to_their_paragraph():
    """If this breaks, a page or quiz states a rule and cites only a chapter, a proposition or a
    whole law where the paragraph is known («kommuneloven kapittel 14»): a KS course owner could
    not check the claim. Cite the paragraph (see `kulturskole stats --references`)."""
    from builder.loader.references import legal_references
    loose = [f"{r.source.path}:{r.source.line}: {r.cited or r.law}: «{r.sentence[:90]}»"
             for r in legal_references(COURSE) if r.flagged and r.source.path.startswith("course/modules/")
             and not any(name in f"{r.law} {r.cited}" for name in UNCONFIRMED_NUMBERS)]
    assert not loose, "rules cited without their paragraph:\n" + "\n".join(loose)


def test_a_checklist_line_about_homework_names_the_handout():
    """If this breaks, a facilitator reads «Hjemmeoppgaven skrevet ut» in the pack's checklist and must
    guess which of the three homework handouts to print: a line of a gathering's `materials:` that
    mentions homework names the one handed out at that gathering (its number and title)."""
    handed_out = {}
    for path in sorted((COURSE / "modules").glob("*/homework.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            handed_out.setdefault(item["after"], []).append(item["title"])
    vague = []
    for path in sorted((COURSE / "gatherings").glob("*.yml")):
        titles = handed_out.get(path.stem, [])
        for line in yaml.safe_load(path.read_text(encoding="utf-8")).get("materials", []):
            if isinstance(line, str) and "hjemmeoppgave" in line.lower() and not any(t in line for t in titles):
                vague.append(f"{path.name}: «{line}» (handed out here: {titles or 'none'})")
    assert not vague, "homework lines that do not name their handout:\n" + "\n".join(vague)
