"""Only the Designsystemet tokens our pages use ship (builder/render/designsystem.py,
without_unused_tokens): the pruned stylesheets are compared with the same build unpruned."""

from __future__ import annotations

import re
import zipfile

import pytest

from builder.build import build
from builder.formats import Options
from builder.loader import load_course
from builder.render import designsystem
from tests.conftest import ROOT

SHEETS = ("assets/designsystemet.css", "assets/designsystemet-pages.css", "assets/designsystemet-forms.css")
DECLARED = re.compile(r"(?:^|[{;])\s*(--[\w-]+)\s*:")         # written independently of the builder's parser
READ = re.compile(r"var\(\s*(--[\w-]+)")
NAMED = re.compile(r"--[A-Za-z_][\w-]*")


def _web(out):
    return {name: (out / name).read_text(encoding="utf-8") for name in SHEETS + ("assets/kurs.css", "assets/kurs.js", "assets/quiz.js")} | {
        str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}


def _packages(folder):
    for path in sorted(folder.rglob("*.zip")):
        with zipfile.ZipFile(path) as z:
            yield path.name, {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".css", ".js", ".html"))}


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """(pruned, unpruned) builds of the real course: the web edition and every SCORM 1.2 zip."""
    course, built = load_course(ROOT / "course"), []
    for prune in (True, False):
        out = tmp_path_factory.mktemp("pruned" if prune else "unpruned")
        with pytest.MonkeyPatch.context() as mp:
            # The build cache keys on the toolkit's files, not on a monkeypatch: without this the
            # unpruned build would be the pruned one from the cache, and the comparison would be empty.
            mp.setenv("KULTURSKOLE_NO_CACHE", "1")
            if not prune:
                mp.setattr(designsystem, "without_unused_tokens", lambda sheets, texts: sheets)
            web, scorm = build(course, out, ["web", "scorm12"], Options())
        built.append({"web": _web(web), **dict(_packages(scorm))})
    return built


def test_no_token_the_shipped_css_reads_lost_its_declaration(editions):
    """If this broke, a token a component or kurs.css reads (var(--x)), or one our scripts and pages
    name, would have lost the declaration it had: a learner would see buttons without their colour,
    transparent boxes or text in the wrong size. Checked for the web edition and every SCORM zip,
    because each package ships its own set of components."""
    pruned, unpruned = editions
    assert pruned.keys() == unpruned.keys() and len(pruned) > 2
    for package, files in pruned.items():
        before = {n for name in SHEETS for n in DECLARED.findall(unpruned[package][name])}
        after = {n for name in SHEETS for n in DECLARED.findall(files[name])}
        read = {n for name, text in files.items() if name.endswith(".css") for n in READ.findall(text)}
        named = {n for name, text in files.items() if name.endswith((".js", ".html")) for n in NAMED.findall(text)}
        lost = (read | named) & (before - after)
        assert not lost, f"{package}: {sorted(lost)}"
        assert len(after) < len(before), package


def test_the_pruned_stylesheet_is_smaller(editions, capsys):
    """If this broke, every learner's phone would again download declarations of tokens nothing reads
    (about 12 KB of designsystemet.css on the first page)."""
    pruned, unpruned = editions
    for package in pruned:
        size = {name: (len(pruned[package][name]), len(unpruned[package][name])) for name in SHEETS}
        assert sum(a for a, _ in size.values()) < sum(b for _, b in size.values()), (package, size)
    with capsys.disabled():
        print(f"\ntokens: web designsystemet.css {len(unpruned['web'][SHEETS[0]])} → {len(pruned['web'][SHEETS[0]])} bytes")
