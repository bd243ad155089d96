"""The nynorsk edition's workflow: extract → translate → build, and what a change in bokmål does.

Translations here are made by `_nynorsk()`, a word list applied to every segment, so the tests run
in seconds and show which text the build took; the Apertium drafts are tested on their own."""

from __future__ import annotations

import json
import re
import shutil
import tarfile
import zipfile

import polib
import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.loader import load_course, segments
from builder.translate import draft as apertium
from builder.translate.review import load_termbase, review_entries, spelling, term_problems
from tests.conftest import ROOT, need

WORDS = {"Hvem": "Kven", "hvem": "kven", "ikke": "ikkje", "hva": "kva", "Hva": "Kva", "Jeg": "Eg", "jeg": "eg",
         "Slik": "Slik", "bruker": "brukar", "kurset": "kurset", "spørsmålene": "spørsmåla", "Les": "Les",
         "mer": "meir", "Svar": "Svar", "sidene": "sidene", "samlinger": "samlingar", "kommunen": "kommunen"}


def _nynorsk(text: str) -> str:
    """A stand-in translator: swaps the words it knows, keeps every other character (and so the markup)."""
    return re.sub(r"\w+", lambda m: WORDS.get(m.group(0), m.group(0)), text)


def _translate_all(course, fill=_nynorsk) -> int:
    """Run `kulturskole translate`, then translate every entry and mark it checked, as a translator would."""
    result = CliRunner().invoke(main, ["translate", "--course", str(course), "--language", "nn"])
    assert result.exit_code == 0, result.output
    n = 0
    for path in (course / "locale" / "nn").rglob("*.po"):
        po = polib.pofile(str(path))
        for e in po:
            e.msgstr = fill(e.msgid)
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
            n += 1
        po.save()
    return n


def _check(course):
    return CliRunner().invoke(main, ["check", "--course", str(course), "--language", "nn"])


def test_every_text_of_the_example_course_is_a_segment_and_no_id_is(example_course):
    """If this broke, a translator would never see a text the learner reads (it would stay bokmål in
    the nynorsk edition), or could change an id and cut learners' data and reports loose."""
    found = segments(example_course)
    texts = {s.text for s in found}
    kinds = {s.kind.split(" (")[0] for s in found}
    assert {"paragraph", "heading", "list item", "title", "text", "roles", "participants"} <= kinds
    assert "Kommunestyret" in texts and any(t.startswith("![") for t in texts)
    course = load_course(example_course)
    ids = {q.id for q in course.questions()} | {o.id for q in course.questions() for o in q.options} \
        | {m.id for m in course.modules} | {g.id for g in course.goals}
    assert not ids & texts, "ids are never segments"
    assert not {t for t in texts if not re.search(r"[^\W\d_]", t)}, "numbers and dates are never segments"
    assert all(s.source and s.line > 0 for s in found)


def test_extract_translate_build_round_trip_gives_a_nynorsk_edition_in_every_format(example_course, tmp_path):
    """If this broke, `build --language nn` would publish bokmål text, the wrong interface language or
    package names that collide with the bokmål edition's in an LMS."""
    _translate_all(example_course)
    checked = _check(example_course)
    # The stand-in translation leaves bokmål words that hunspell's nynorsk dictionary rightly does not know.
    assert re.search(r"(\d+) segments in locale/nn: \1 translated, 0 fuzzy, 0 missing, 0 stale; 0 markup/sanitiser", checked.stdout)
    assert "hunspell nn_NO does not know «selv»" in checked.stderr
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--language", "nn", "--out", str(out)])
    assert result.exit_code == 0, result.output
    nn = out / "nn"
    front = (nn / "web" / "index.html").read_text()
    assert '<html lang="nn"' in front
    page = (nn / "web" / "intro" / "velkommen.html").read_text()
    assert "Slik brukar du kurset" in page and "Slik bruker du" not in page
    assert "Hopp til innhaldet" in page or "innhald" in page       # nn.json, not nb.json
    assert sorted(p.name for p in (nn / "scorm12").glob("*.zip")) == ["eksempelkurs-nn.zip"]
    assert sorted(p.name for p in (nn / "scorm2004").glob("*.zip")) == ["eksempelkurs-nn.zip"]
    olx = next((nn / "olx").glob("*.tar.gz"))
    assert olx.name.startswith("eksempelkurs-nn")
    with tarfile.open(olx) as tar:     # Open edX shows the assignment types on a learner's Progress page
        grading = json.loads(tar.extractfile(next(m for m in tar.getmembers() if m.name.endswith("grading_policy.json"))).read())
    assert {(g["type"], g["short_label"]) for g in grading["GRADER"]} >= {("Eigentest", "Eigen"), ("Heimeoppgåve", "Heim")}
    mbz = next((nn / "moodle").glob("*.mbz"))
    with tarfile.open(mbz) as tar:
        course_xml = tar.extractfile("course/course.xml").read().decode()
    assert "<lang>nn</lang>" in course_xml
    assert (nn / "fasilitatorveiledning.pdf").is_file() and (nn / "arbeidsbok.pdf").is_file()
    with zipfile.ZipFile(next((nn / "scorm12").glob("*.zip"))) as z:
        assert 'lang="nn"' in z.read("intro/velkommen.html").decode()
    from lxml import etree

    from builder.formats.scorm import xsd
    from builder.formats.scorm.checks import check_zip
    from tests.formats.test_scorm import manifest_language
    packages = sorted(nn.glob("scorm*/**/*.zip"))
    assert len(packages) == 8          # the course and its three modules, in both editions
    for package in packages:
        with zipfile.ZipFile(package) as z:
            language, title, title_language, shown = manifest_language(etree.fromstring(z.read("imsmanifest.xml")))
        assert (language, title_language, title) == ("nn", "nn", shown), package
        if xsd.available():
            assert check_zip(package) == [], package
    module = etree.fromstring(zipfile.ZipFile(nn / "scorm2004" / "modules" / "intro.zip").read("imsmanifest.xml"))
    assert manifest_language(module)[1] == f"Eksempelkurs: {_nynorsk('Om kurset')}"


def test_a_translated_quiz_keeps_its_question_and_option_ids(example_course):
    """If this broke, answers, SCORM interactions and the Moodle question bank of the two editions
    would no longer line up, and a learner's saved answers would not survive a change of edition."""
    _translate_all(example_course)
    bokmal, nynorsk = load_course(example_course), load_course(example_course, "nn")
    assert nynorsk.language == "nn" and nynorsk.id == bokmal.id + "-nn"

    def ids(course):
        return [(q.id, q.type, [o.id for o in q.options], [p.id for p in q.pairs]) for q in course.questions()]
    assert ids(nynorsk) == ids(bokmal)
    assert [m.id for m in nynorsk.modules] == [m.id for m in bokmal.modules]
    assert [p.id for m in nynorsk.modules for p in m.pages] == [p.id for m in bokmal.modules for p in m.pages]


def test_changing_one_bokmal_paragraph_makes_exactly_that_segment_stale_then_fuzzy(example_course):
    """If this broke, a legal fix in bokmål could reach the nynorsk edition unnoticed (its old
    translation published), or a translator would lose work when the sources change."""
    _translate_all(example_course)
    page = example_course / "modules" / "intro" / "01-velkommen.md"
    text = page.read_text()
    old = "Dette kurset handler om **roller** og samarbeid i kommunen."
    assert old in text
    page.write_text(text.replace(old, "Dette kurset handler om **roller**, ansvar og samarbeid i kommunen."))
    line = text[:text.index(old)].count("\n") + 1
    checked = _check(example_course)
    assert checked.exit_code == 1
    listed = [ln for ln in checked.stderr.splitlines() if ln.startswith("  ")]
    assert listed == [f"  course/modules/intro/01-velkommen.md:{line}: stale (not in course/locale/nn/modules/intro/"
                      "01-velkommen.md.po: run `kulturskole translate`): «Dette kurset handler om **roller**, ansvar og "
                      "samarbeid i kommunen.»"]
    refused = CliRunner().invoke(main, ["build", "--course", str(example_course), "--language", "nn",
                                                        "--out", str(example_course.parent / "dist")])
    assert refused.exit_code == 1 and f"course/modules/intro/01-velkommen.md:{line}" in refused.stderr
    assert not (example_course.parent / "dist").exists()

    result = CliRunner().invoke(main, ["translate", "--course", str(example_course), "--language", "nn"])
    assert result.exit_code == 0 and "0 new, 1 changed" in result.output, result.output
    po = polib.pofile(str(example_course / "locale" / "nn" / "modules" / "intro" / "01-velkommen.md.po"))
    fuzzy = [e for e in po if e.fuzzy]
    assert [(e.msgid, e.previous_msgid, e.msgstr) for e in fuzzy] == [
        ("Dette kurset handler om **roller**, ansvar og samarbeid i kommunen.", old, _nynorsk(old))]
    checked = _check(example_course)
    assert [ln.split(": ", 1)[1][:5] for ln in checked.stderr.splitlines() if ln.startswith("  ")] == ["fuzzy"]


def test_a_removed_text_stays_in_the_catalogue_as_obsolete(example_course):
    """If this broke, deleting a paragraph and putting it back would cost the translator the work."""
    _translate_all(example_course)
    page = example_course / "modules" / "intro" / "01-velkommen.md"
    text = page.read_text()
    page.write_text(text.replace("- Svar på spørsmålene.\n", ""))
    CliRunner().invoke(main, ["translate", "--course", str(example_course), "--language", "nn"])
    po = polib.pofile(str(example_course / "locale" / "nn" / "modules" / "intro" / "01-velkommen.md.po"))
    assert [(e.msgid, e.msgstr) for e in po.obsolete_entries()] == [("Svar på spørsmålene.", "Svar på spørsmåla.")]
    page.write_text(text)
    CliRunner().invoke(main, ["translate", "--course", str(example_course), "--language", "nn"])
    po = polib.pofile(str(example_course / "locale" / "nn" / "modules" / "intro" / "01-velkommen.md.po"))
    assert po.obsolete_entries() == [] and po.find("Svar på spørsmålene.").msgstr == "Svar på spørsmåla."


def _run_translate(course):
    result = CliRunner().invoke(main, ["translate", "--course", str(course), "--language", "nn"])
    assert result.exit_code == 0, result.output
    return result.output


def test_obsolete_entries_stay_while_their_file_has_work_and_go_once_it_is_translated(example_course):
    """If this broke, either every text ever removed would stay at the end of its PO file for good
    (the real course's files had gathered 183 such `#~` entries, a third of some files, that a
    translator reading the file scrolls past and `check` counts at every run), or a translator still
    working through a changed file would lose the old translations to copy from at the next run."""
    _translate_all(example_course)
    page = example_course / "modules" / "intro" / "01-velkommen.md"
    po_path = example_course / "locale" / "nn" / "modules" / "intro" / "01-velkommen.md.po"
    text = page.read_text()
    page.write_text(text.replace("- Svar på spørsmålene.\n", "- Et helt nytt punkt om budsjettet.\n"))
    _run_translate(example_course)
    _run_translate(example_course)       # another run while the new text is still to be translated
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po.obsolete_entries()] == ["Svar på spørsmålene."]
    entry = po.find("Et helt nytt punkt om budsjettet.")
    entry.msgstr = "Eit heilt nytt punkt om budsjettet."
    po.save()
    said = _run_translate(example_course)
    assert polib.pofile(str(po_path)).obsolete_entries() == []
    assert "1 obsolete entries dropped from files where every text is translated" in said
    assert "wrote course/locale/nn/modules/intro/01-velkommen.md.po" in said


def test_a_po_file_whose_source_is_gone_is_removed_once_nothing_is_left_in_it(example_course):
    """If this broke, a translator would keep a PO file for a page the editor deleted long ago,
    full of entries nothing uses (or, removed at once, an undone deletion would cost its translations)."""
    _translate_all(example_course)
    page = example_course / "modules" / "intro" / "01-velkommen.md"
    po_path = example_course / "locale" / "nn" / "modules" / "intro" / "01-velkommen.md.po"
    kept = page.read_text()
    page.unlink()
    _run_translate(example_course)
    assert polib.pofile(str(po_path)).obsolete_entries() and not polib.pofile(str(po_path)).translated_entries()
    said = _run_translate(example_course)
    assert not po_path.exists()
    assert "removed course/locale/nn/modules/intro/01-velkommen.md.po (its source file is gone)" in said
    page.write_text(kept)


def test_a_missing_translation_stops_the_build_naming_the_po_entry_and_the_source_line(example_course, tmp_path):
    """If this broke, an untranslated segment would be published in bokmål inside the nynorsk edition,
    or the translator would be told only that something somewhere is missing."""
    _translate_all(example_course)
    path = example_course / "locale" / "nn" / "modules" / "roller" / "quiz.yml.po"
    po = polib.pofile(str(path))
    entry = po.find("Kommunestyret er øverste organ.")
    entry.msgstr = ""
    po.save()
    line = polib.pofile(str(path)).find("Kommunestyret er øverste organ.").linenum
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--language", "nn",
                                                       "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1
    source_line = (example_course / "modules" / "roller" / "quiz.yml").read_text().split("\n").index(
        next(ln for ln in (example_course / "modules" / "roller" / "quiz.yml").read_text().split("\n")
             if "Kommunestyret er øverste organ." in ln)) + 1
    assert (f"course/modules/roller/quiz.yml:{source_line}: 1 segment(s) of the nn edition are not translated (1 missing): "
            f"line {source_line}: missing (course/locale/nn/modules/roller/quiz.yml.po:{line})") in result.stderr
    assert not (tmp_path / "dist").exists()
    drafted = CliRunner().invoke(main, ["build", "--course", str(example_course), "--language", "nn",
                                                        "--draft", "--out", str(tmp_path / "dist"), "--format", "web",
                                                        "--format", "guide"])
    assert drafted.exit_code == 0, drafted.stderr
    pages = list((tmp_path / "dist" / "nn" / "web").rglob("*.html"))
    assert pages and all("Utkast: Denne utgåva er ikkje ferdig omsett" in p.read_text() for p in pages)
    from pypdf import PdfReader
    pdf = PdfReader(tmp_path / "dist" / "nn" / "fasilitatorveiledning.pdf")
    assert len(pdf.pages) > 1 and all("Utkast" in p.extract_text() for p in pdf.pages)


def test_check_reports_broken_markup_and_html_the_sanitiser_would_strip(example_course):
    """If this broke, a translator's lost `**`, a changed link address or a <script> would reach the
    build unseen, or be stripped silently from the nynorsk page."""
    _translate_all(example_course)
    path = example_course / "locale" / "nn" / "modules" / "intro" / "01-velkommen.md.po"
    po = polib.pofile(str(path))
    po.find("Dette kurset handler om **roller** og samarbeid i kommunen.").msgstr = "Kurset handlar om roller og samarbeid."
    link = next(e for e in po if "lovdata.no" in e.msgid)
    link.msgstr = link.msgid.replace("lovdata.no", "example.com") + ' <img src=x onerror="alert(1)">'
    po.save()
    out = _check(example_course)
    assert out.exit_code == 1
    said = out.stderr
    assert "01-velkommen.md.po:" in said and "lacks «**»" in said
    assert "lacks «https://lovdata.no/lov/2018-06-22-83»" in said
    assert "the sanitiser would change the translation" in said


def test_translate_check_and_build_tell_the_editor_in_bokmal(example_course, tmp_path, monkeypatch):
    """If this broke, an editor running `kulturskole translate`, `check --language nn` or a refused
    `build --language nn` would read English summaries and states («2925 translated, 0 fuzzy»,
    «stale», «lacks «**»») in a tool that otherwise speaks bokmål — or, with an English locale, a mix."""
    from tests.test_messages import ENGLISH
    _translate_all(example_course)
    path = example_course / "locale" / "nn" / "modules" / "intro" / "01-velkommen.md.po"
    po = polib.pofile(str(path))
    po.find("Dette kurset handler om **roller** og samarbeid i kommunen.").msgstr = "Kurset handlar om roller."
    po.find("Svar på spørsmålene.").flags.append("fuzzy")
    po.find("Les sidene i rekkefølge.").msgstr = ""
    po.save()
    page = example_course / "modules" / "intro" / "01-velkommen.md"
    page.write_text(page.read_text().replace("## Slik bruker du kurset", "## Slik bruker du dette kurset"))

    def said(*args):
        done = CliRunner().invoke(main, [*args, "--course", str(example_course), "--language", "nn"])
        return done.output + done.stderr

    def english_words(text):
        plain = re.sub(r"`[^`]*`|'[^']*'|«[^»]*»|\S+/\S+|\w+_\w+", " ", text)   # quoted texts, paths, nn_NO
        return {w.lower() for w in re.findall(r"[A-Za-zæøåÆØÅ]+", plain)} & ENGLISH

    monkeypatch.setenv("KULTURSKOLE_LANG", "en")
    assert all(e in said("check") for e in ["1 missing", "1 fuzzy", "1 stale", "lacks «**»", "segments in"])
    monkeypatch.setenv("KULTURSKOLE_LANG", "nb")
    checked = said("check")
    refused = said("build", "--out", str(tmp_path / "dist"))
    updated = said("translate")
    for output, expected in [(checked, ["1 mangler", "1 fuzzy", "1 utdatert", "mangler «**»", "tekstbiter i locale/nn"]),
                             (refused, ["er ikke oversatt", "linje "]),
                             (updated, ["PO-filer", "skrev course/locale/nn/"])]:
        assert all(e in output for e in expected), output
        english = [line for line in output.splitlines() if english_words(line)]
        assert not english, english


def test_apertium_drafts_keep_markup_terms_and_boxes_and_are_marked_fuzzy(example_course, monkeypatch):
    """If this broke, a machine draft would break links, [[term]]s or bold text, or be published as
    if a person had checked it; or `translate --draft` from a shell whose locale is not installed
    would get nothing back from Apertium (its pipeline aborts there, and its script still exits 0)."""
    need(apertium.available(), "Apertium is not installed (apt-get install -y apertium-nno-nob)")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")        # not installed on the test machines
    texts = ["Se [[medvirkning]] og **kulturskolen** i [kommuneloven](https://lovdata.no/lov/2018-06-22-83 \"Loven\").",
             "![En tidslinje med tre samlinger](media/tidslinje.svg \"Hvem bestemmer hva?\")",
             "[[Folkevalgte|folkevalgt]] har `ikke` rett til <abbr title=\"kommunestyret\">KS</abbr>."]
    drafts = apertium.translate(texts, keep=("kommuneloven",))
    assert drafts[0] == "Sjå [[medverknad]] og **kulturskulen** i [kommuneloven](https://lovdata.no/lov/2018-06-22-83 \"Lova\")."
    assert drafts[1] == "![Ei tidslinje med tre samlingar](media/tidslinje.svg \"Kven bestemmer kva?\")"
    assert drafts[2].startswith("[[Folkevalde|folkevalt]] har `ikke` rett til <abbr title=\"kommunestyret\">KS</abbr>")
    shutil.rmtree(example_course / "locale", ignore_errors=True)
    result = CliRunner().invoke(main, ["translate", "--course", str(example_course), "--language", "nn", "--draft"])
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(example_course / "locale" / "nn" / "modules" / "intro" / "01-velkommen.md.po"))
    assert all(e.fuzzy and e.msgstr for e in po)
    assert po.find("Svar på spørsmålene.").msgstr == "Svar på spørsmåla."
    checked = _check(example_course)
    assert checked.exit_code == 1 and "0 missing, 0 stale" in checked.output and "0 markup/sanitiser" in checked.output


def test_box_fences_stay_lines_of_their_own_and_only_titles_and_texts_are_segments():
    """If this broke, a translated box would lose its `:::refleksjon` line into its first paragraph
    (the box would vanish or swallow the text) or its kind word would be sent to the translator."""
    from builder.loader.translation import rewrite
    text = (":::refleksjon\nHva vil du selv\nkunne?\n:::\n\n:::lovhjemmel Kommuneloven § 5-3\nTekst her.\n:::\n\n"
            "| Modul | Tid |\n|---|---|\n| Om kurset | 15 |")
    seen = []

    def mark(segment, line, kind):
        seen.append((line, kind, segment))
        return segment.upper()
    out = rewrite(text, 10, mark)
    assert out.split("\n")[0] == ":::refleksjon" and out.split("\n")[3] == ":::"
    assert out.split("\n")[5] == ":::lovhjemmel KOMMUNELOVEN § 5-3"
    assert seen == [(11, "paragraph", "Hva vil du selv\nkunne?"), (15, "box title", "Kommuneloven § 5-3"),
                    (16, "paragraph", "Tekst her."), (19, "table cell", "Modul"), (19, "table cell", "Tid"),
                    (21, "table cell", "Om kurset")]
    assert out.endswith("| OM KURSET | 15 |")


def test_a_date_at_the_start_of_a_line_stays_in_its_paragraph_and_sibling_items_stay_items():
    """If this broke, «…innen\\n  22. februar» would be cut into two segments at the date (as the
    renderer does not: a list inside a paragraph starts at 1), or `2.` under `1.` would be joined."""
    from builder.loader.translation import rewrite
    seen = []
    rewrite("- Fram innen\n  22. februar og 31. mars.\n\n1. en\n2. to", 1,
            lambda s, line, kind: seen.append((line, " ".join(s.split()))) or s)
    assert seen == [(1, "Fram innen 22. februar og 31. mars."), (4, "en"), (5, "to")]


@pytest.mark.parametrize("locale", [{"LANG": "nb_NO.UTF-8"}, {"LC_ALL": "C"}, {"LC_ALL": "nn_NO.ISO-8859-1"}])
def test_the_spelling_check_reads_whole_words_under_any_locale(tmp_path, monkeypatch, locale):
    """If this broke, `check --language nn` run from a shell whose locale is not installed
    (LANG=nb_NO.UTF-8 on a server with only C.UTF-8) or is not UTF-8 would split words at «ø», «å»
    and «æ» and report hundreds of made-up «unknown» words («ysingar»), or miss a real one."""
    need(shutil.which("hunspell") is not None, "hunspell is not installed (apt-get install hunspell hunspell-no)")
    for name in ("LC_ALL", "LC_CTYPE", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in locale.items():
        monkeypatch.setenv(name, value)
    text = "Løysingane for kulturskulen er gode, men «Fjøsbløkkøå» er ikkje eit ord, og «høgre» er det."
    _, unknown = spelling(tmp_path, "nn", [("locale/nn/x.md.po", 1, text)])
    assert unknown == ["Fjøsbløkkøå"]


def test_a_plain_build_makes_every_listed_edition_and_a_stale_one_stops_it_before_dist_changes(example_course, tmp_path):
    """If this broke, `kulturskole build` with `languages: [nb, nn]` would leave out the nynorsk
    edition, or — after a bokmål edit — replace dist/ with a new bokmål edition and then stop at the
    stale nynorsk one, leaving the two editions out of step; or every hint of the build (the calendar
    needs dates, the Moodle course has none) would be printed twice in a row, once per edition."""
    yml = example_course / "course.yml"
    yml.write_text(yml.read_text().replace("language: nb\n", "language: nb\nlanguages: [nb, nn]\n", 1))
    _translate_all(example_course)
    out = tmp_path / "dist"
    built = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(out), "--format", "web",
                                      "--format", "calendar"])
    assert built.exit_code == 0, built.output
    assert (out / "web" / "index.html").is_file() and '<html lang="nn"' in (out / "nn" / "web" / "index.html").read_text()
    # Both editions' calendars lack dates; the editor is told once, not once per edition.
    assert built.stderr.count("The calendar needs dates") == 1, built.stderr
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    page = example_course / "modules" / "intro" / "01-velkommen.md"
    page.write_text(page.read_text().replace("Svar på spørsmålene.", "Svar på alle spørsmålene."))
    refused = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(out), "--format", "web"])
    assert refused.exit_code == 1
    assert "course/modules/intro/01-velkommen.md:12: 1 segment(s) of the nn edition are not translated" in refused.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before           # neither edition changed
    bokmal = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(out), "--format", "web",
                                       "--language", "nb"])
    assert bokmal.exit_code == 0 and "Svar på alle spørsmålene." in (out / "web" / "intro" / "velkommen.html").read_text()


def test_the_nynorsk_edition_has_one_word_for_delegated_authority():
    """If this broke, a nynorsk reader would meet «styresmakt» in one sentence and «mynde» in the next
    for the same power to decide (the edition had both, ~45 and ~30 times), and `check --language nn`
    would let a new translation bring the second word back; «statlege styresmakter» (public bodies)
    must stay allowed."""
    terms = load_termbase(ROOT / "course", "nn")
    wrong = [("Andre organer har bare den myndigheten kommunestyret gir dem.",
              "Andre organ har berre den styresmakta kommunestyret gir dei."),
             ("Her har det ingen vedtaksmyndighet.", "Her har det inga vedtaksstyresmakt."),
             ("Den som får myndighet, bruker den.", "Den som får myndigheit, brukar det."),
             # a clause the source does not have still uses the edition's word
             ("Rådet kan uttale seg.", "Rådet kan uttala seg, men det organet som har styresmakta, vedtek.")]
    for source, translation in wrong:
        assert any("another word for" in p for p in term_problems(terms, source, translation)), translation
    right = [("Andre organer har bare den myndigheten kommunestyret gir dem.",
              "Andre organ har berre det myndet kommunestyret gir dei."),
             ("Her har det ingen vedtaksmyndighet.", "Her har det ikkje noko vedtaksmynde."),
             ("En protest som statlige myndigheter kan fremme.", "Ein protest som statlege styresmakter kan fremja."),
             ("Kommune 1.0 – myndighetskommunen.", "Kommune 1.0 – styresmaktskommunen.")]
    for source, translation in right:
        assert term_problems(terms, source, translation) == [], translation
    findings, _ = review_entries(ROOT / "course", "nn")
    assert [f for f in findings if f.message.startswith("termbase:")] == []


def test_a_nynorsk_build_tells_the_editor_in_bokmal_that_the_calendar_needs_dates(monkeypatch):
    """If this broke, an editor building the nynorsk edition without dates would read the «needs
    dates» notices of the calendar and the Moodle backup in nynorsk (they came from the learners'
    interface texts) in a tool that otherwise speaks bokmål, and in English with --english."""
    from builder.formats import Options
    from builder.formats.calendar import CalendarFormat
    from builder.formats.moodle import MoodleFormat
    from builder.messages import tr
    nn = load_course(ROOT / "course", "nn")
    assert not nn.timeline.dated
    lines = CalendarFormat.notices(nn, Options()) + MoodleFormat.notices(nn, Options())
    monkeypatch.setenv("KULTURSKOLE_LANG", "nb")
    said = [tr(line) for line in lines]
    assert said[0].startswith("kalender: Kalenderen trenger datoer.") and "Moodle-kurset har ingen datoer." in said[1]
    assert not {"treng", "datoar", "dato", "samlinga"} & set(re.findall(r"\w+", " ".join(said))), said
    monkeypatch.setenv("KULTURSKOLE_LANG", "en")
    assert [tr(line) for line in lines][0].startswith("calendar: The calendar needs dates.")


def test_the_nynorsk_interface_texts_use_the_editions_a_infinitive():
    """If this broke, a nynorsk learner would read «kan du lese dei igjen, skrive dei ut» in the
    interface beside «lesa», «vera», «gjera» in every course text: the edition writes the a-infinitive
    (course/locale/nn), and its interface texts (assets/i18n/nn.json) must say it the same way."""
    not_verbs = {"ikkje", "berre", "gjerne", "alle", "be", "skje"}     # adverbs, and verbs without an a-form
    after = r"(?<!\w)(?:å|kan|skal|vil|må|bør|kunne|skulle|ville|måtte)" \
            r"(?: (?:du|de|dei|me|eg|ein|ho|han|det|ikkje|òg|også|framleis|heller|alltid|berre|gjerne))* ([a-zæøå]+e)\b"
    ui = json.loads((ROOT / "assets" / "i18n" / "nn.json").read_text(encoding="utf-8"))
    found = [f"{key}: «{m.group(0)}»" for key, text in ui.items() if isinstance(text, str)
             for m in re.finditer(after, text) if m.group(1) not in not_verbs]
    for path in (ROOT / "course" / "locale" / "nn").rglob("*.po"):
        found += [f"{path.name}:{e.linenum}: «{m.group(0)}»" for e in polib.pofile(str(path)) if not e.obsolete
                  for m in re.finditer(r"(?<!\w)å ([a-zæøå]+e)\b", e.msgstr) if m.group(1) not in not_verbs]
    assert found == [], found
