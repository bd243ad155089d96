"""The interface-text catalogues: one per language, every one with the bokmål keys, and every key
the pages use present, so an edition in another language is a translation job and never a crash."""

from __future__ import annotations

import json
import re
import shutil

from click.testing import CliRunner

from builder.infra import strings
from builder.cli import main
from builder.infra.paths import ASSETS, TEMPLATES

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_catalogue_has_the_bokmal_keys_and_placeholders():
    """If this broke, a nynorsk or English edition would show a key name or an empty text where the
    bokmål one shows «Neste», or lose the number in «Side 2 av 5»."""
    assert {"nb", "nn", "en"} <= set(strings.LANGUAGES)
    nb = strings.catalogue("nb")
    for language in strings.LANGUAGES:
        other = strings.catalogue(language)
        assert strings.missing_keys(language) == [] and set(other) == set(nb), language
        for key, text in nb.items():
            assert sorted(PLACEHOLDER.findall(other[key])) == sorted(PLACEHOLDER.findall(text)), (language, key)
            assert other[key].strip(), (language, key)
    # translated, not copied: most texts differ from bokmål
    for language in ("nn", "en"):
        same = [k for k in nb if strings.catalogue(language)[k] == nb[k]]
        assert len(same) < len(nb) / 2, f"{language}.json looks like a copy of nb.json: {same}"


def test_every_key_the_pages_use_is_in_the_catalogue():
    """If this broke, a page would stop rendering (or the page script would print a key name) because
    a template, kurs.js or quiz.js asks for a text that nb.json does not have."""
    used = set()
    for template in (TEMPLATES / "web").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bui\.(\w+)", text)) | set(re.findall(r"\bui\['(\w+)'\]", text))
    script = "".join((ASSETS / "js" / name).read_text(encoding="utf-8") for name in ("kurs.js", "quiz.js"))
    used |= set(re.findall(r'fmt\("(\w+)"', script))
    used -= {"format"}
    assert used and used <= set(strings.catalogue("nb")), sorted(used - set(strings.catalogue("nb")))


def test_build_fails_on_a_missing_key(example_course, tmp_path, monkeypatch):
    """If this broke, a course in nynorsk with an untranslated text would be built anyway, and
    learners would meet a broken page instead of the editor meeting a clear message."""
    catalogues = tmp_path / "i18n"
    shutil.copytree(strings.CATALOGUES, catalogues)
    nn = json.loads((catalogues / "nn.json").read_text(encoding="utf-8"))
    del nn["next"], nn["resumed"]
    (catalogues / "nn.json").write_text(json.dumps(nn, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(strings, "CATALOGUES", catalogues)
    strings.catalogue.cache_clear()
    course_yml = example_course / "course.yml"
    course_yml.write_text(re.sub(r"(?m)^language: nb$", "language: nn", course_yml.read_text(encoding="utf-8")),
                          encoding="utf-8")
    try:
        out = tmp_path / "dist"
        result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(out), "--format", "web"])
    finally:
        strings.catalogue.cache_clear()
    assert result.exit_code != 0
    assert "i18n/nn.json: the interface texts for 'nn' lack 2 key(s) that nb.json has: next, resumed" \
        in result.output, result.output
    assert not out.exists() or not any(out.rglob("*.html"))


def test_a_nynorsk_course_gets_nynorsk_pages(example_course, tmp_path):
    """If this broke, a municipality that chose nynorsk would get bokmål buttons and menus, or pages
    that tell screen readers the wrong language."""
    course_yml = example_course / "course.yml"
    course_yml.write_text(re.sub(r"(?m)^language: nb$", "language: nn", course_yml.read_text(encoding="utf-8")),
                          encoding="utf-8")
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(out), "--format", "web"])
    assert result.exit_code == 0, result.output
    page = (out / "web" / "intro" / "samarbeid.html").read_text(encoding="utf-8")
    assert '<html lang="nn"' in page
    for text in ("Hopp til innhaldet", "Førre", "Bla i kurset", "Side 2 av 3"):
        assert text in page, text
    assert "Hopp til innholdet" not in page and "Forrige" not in page


def test_the_preview_has_its_own_texts_in_the_editors_catalogue():
    """If this broke, the preview (a tool for editors) would show a key name where a text belongs,
    or its texts would be back among the learners' texts that translators of the course see.
    (Their bokmål and its placeholders: tests/test_messages.py, as for every editor message.)"""
    from builder.preview import server, texts
    used = set()
    for source in (server.LMS_SCRIPT, server.Path(server.__file__).parent / "templates" / "shell.html"):
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r'fmt\("(preview_\w+)"', text)) | set(re.findall(r"\b(?:T|ui)\.(preview_\w+)", text))
    used |= {"preview_serving", "preview_stopped", "preview_built", "preview_build_failed"}   # said in the terminal
    assert used and used <= set(texts.ENGLISH), sorted(used - set(texts.ENGLISH))
    for language in strings.LANGUAGES:
        assert not [k for k in strings.catalogue(language) if k.startswith("preview_")], language
