"""The build cache: a warm build gives the same bytes as a clean one, an unchanged course builds
without laying out a PDF, and a broken or half-written cache entry is never used.

If this broke, an editor's build would ship stale pages or PDFs from an older build (or a mix of
two builds), or a damaged ~/.cache/kulturskole would break builds instead of being rebuilt."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from builder.infra import cache
from builder.infra.parallel import workers
from tests.conftest import EXAMPLE, ROOT, digest


def _build(course: Path, out: Path, cache_dir: Path, *extra: str, check_pdf_import: bool = False) -> str:
    """Build every format of `course` into `out` in a process of its own; returns its stderr. With
    `check_pdf_import`, the process says whether WeasyPrint was imported ('weasyprint imported')."""
    code = ("import sys\nfrom builder.cli import main\ntry:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print('weasyprint imported' if 'weasyprint' in sys.modules else 'weasyprint not imported', file=sys.stderr)\n"
            "sys.exit(code)\n") if check_pdf_import else "from builder.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code, "build", "--course", str(course), "--out", str(out), *extra],
                          cwd=ROOT, capture_output=True, text=True,
                          env=os.environ | {"KULTURSKOLE_CACHE": str(cache_dir), "CI": "true"})
    assert done.returncode == 0, done.stderr
    return done.stderr


# The page edit of the tests below: a sentence added to the first page of the first module.
EDIT = "\nEn ny setning som redaktøren la til.\n"


def _edit(course: Path) -> None:
    page = sorted(course.glob("modules/*/*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + EDIT, encoding="utf-8")


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, dict[str, str]]:
    """What a clean build (--no-cache, every format) of the example course gives, as it is ("original")
    and after `_edit` ("edited"): the bytes every warm build in this file must equal. Built once for
    the file (two of the three clean builds its tests made); tests read it, never change it."""
    base = tmp_path_factory.mktemp("clean")
    course, store = base / "course", base / "cache"
    shutil.copytree(EXAMPLE, course)
    said = _build(course, base / "original", store, "--no-cache", check_pdf_import=True)
    # With more than one core the formats build in forked workers, which inherit what the build
    # imported before forking: a clean build imports WeasyPrint there once, not in every worker.
    assert "weasyprint imported" in said or workers() < 2, \
        "a clean build left WeasyPrint to its workers: each imports it again (~1.4 s of CPU)"
    _edit(course)
    _build(course, base / "edited", store, "--no-cache")
    assert not store.exists(), "--no-cache wrote into the cache"
    made = {"original": digest(base / "original"), "edited": digest(base / "edited")}
    assert any(p.endswith(".pdf") for p in made["original"])
    assert any(p.endswith((".zip", ".tar.gz", ".mbz")) for p in made["original"])
    assert made["edited"] != made["original"], "the edit is not in the clean build"
    return made


def test_warm_builds_are_byte_identical_to_clean_builds_in_every_format(tmp_path, clean):
    """If this broke, a build after an edit (or after nothing changed) would differ from a clean
    build of the same sources: a stale page, PDF or archive in dist/, or output that depends on
    what was built before."""
    course = tmp_path / "course"
    shutil.copytree(EXAMPLE, course)
    store = tmp_path / "cache"
    _build(course, tmp_path / "cold", store)
    assert digest(tmp_path / "cold") == clean["original"]
    said = _build(course, tmp_path / "warm", store, check_pdf_import=True)
    assert digest(tmp_path / "warm") == clean["original"]
    assert "weasyprint not imported" in said, "an unchanged course laid out a PDF again"

    _edit(course)
    _build(course, tmp_path / "edited-warm", store)
    assert digest(tmp_path / "edited-warm") == clean["edited"], "the warm build after an edit is not the clean one"


def test_a_damaged_cache_entry_is_rebuilt_never_used(tmp_path, monkeypatch):
    """If this broke, a cache entry damaged on disk (a full disk, a crash, an editor's tool) would
    be copied into dist/ as if it were the build's output."""
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    made = tmp_path / "made"
    (made / "sub").mkdir(parents=True)
    (made / "sub" / "page.html").write_text("<p>Hei</p>", encoding="utf-8")
    key = cache.key("test", "one")
    cache.put_tree("test", key, made)
    assert cache.get_tree("test", key, tmp_path / "first") and digest(tmp_path / "first") == digest(made)
    stored = next(p for p in (tmp_path / "cache").rglob("page.html"))
    stored.write_text("<p>Hallo</p>", encoding="utf-8")
    assert not cache.get_tree("test", key, tmp_path / "second")
    assert not (tmp_path / "second").exists() and not stored.exists(), "the damaged entry was kept"
    blob = cache.key("test", "blob")
    cache.put_blob("test", blob, b"PDF bytes")
    assert cache.get_blob("test", blob) == b"PDF bytes"
    path = next(p for p in (tmp_path / "cache").rglob(blob))
    path.write_bytes(path.read_bytes()[:-1] + b"X")
    assert cache.get_blob("test", blob) is None and not path.exists()


def test_concurrent_builds_writing_the_same_entry_leave_one_whole_entry(tmp_path, monkeypatch):
    """If this broke, two builds at once (an editor's preview and a build in a terminal) could leave
    a half-written entry that a third build would use."""
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    made = tmp_path / "made"
    made.mkdir()
    for i in range(50):
        (made / f"f{i}.txt").write_bytes(os.urandom(2000))
    key = cache.key("test", "race")
    threads = [threading.Thread(target=cache.put_tree, args=("test", key, made)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.get_tree("test", key, tmp_path / "read") and digest(tmp_path / "read") == digest(made)
    assert not [p for p in (tmp_path / "cache").rglob(".new-*")], "a temporary entry was left behind"


def test_a_model_value_without_a_stable_text_is_not_cached():
    """If this broke, a course model holding an object whose text changes per run would get a new
    key every build (never a hit), or worse, two different objects the same key."""
    class Opaque:
        pass
    try:
        cache.model_digest((1, Opaque()))
    except cache.Unstable:
        return
    raise AssertionError("an object with an address in its text was digested")


def _distribution(site: Path, name: str, version: str, requires=(), entry_points: str = "") -> None:
    """A distribution as pip leaves it on sys.path: name-version.dist-info with METADATA (and entry points)."""
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = [f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", *(f"Requires-Dist: {r}\n" for r in requires)]
    (info / "METADATA").write_text("".join(lines) + "\nA long description: Requires-Dist: not-a-header\n", encoding="utf-8")
    if entry_points:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def test_the_toolkit_key_changes_with_what_a_build_uses_and_not_with_other_installed_tools(tmp_path, monkeypatch):
    """If this broke, installing a profiler or any tool the build never imports (pyinstrument, a
    linter) would make every build cold, one full build of 15 s and more; or, the other way round,
    a new WeasyPrint dependency (pydyf writes the PDFs' bytes) or a third party's format would keep
    serving outputs made with the old one."""
    def key():
        cache.toolkit_digest.cache_clear()
        return cache.toolkit_digest()
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    before = key()
    _distribution(site, "pyinstrument", "5.0.0")
    _distribution(site, "some_linter", "1.0", requires=["pydyf>=99", "weasyprint[x]"])
    assert key() == before, "a tool nothing of the build requires changed the toolkit key"
    _distribution(site, "pydyf", "99.0")             # first on sys.path: what `import pydyf` now gives
    moved = key()
    assert moved != before, "a new version of a distribution WeasyPrint requires left the key as it was"
    _distribution(site, "kulturskole_fake", "1.0", requires=["fake-helper", "other; extra == 'dev'"],
                  entry_points="[kulturskole.formats]\nfake = kulturskole_fake:FakeFormat\n")
    registered = key()
    assert registered != moved, "a third party's format left the key as it was"
    _distribution(site, "other", "1.0")
    assert key() == registered, "an extra nobody asked for counted"
    _distribution(site, "fake_helper", "2.0")
    assert key() != registered, "what a third party's format requires did not count"
    cache.toolkit_digest.cache_clear()


def _run(course: Path, out: Path, cache_dir: Path, *extra: str) -> tuple[str, str, list[str]]:
    """(stdout, stderr, the builder's modules it imported) of a whole build in a process of its own."""
    code = ("import sys\nfrom builder.cli import main\ntry:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print('imported:', *sorted(m for m in sys.modules if m.startswith(('builder.', 'weasyprint', 'jinja2'))),"
            " file=sys.stderr)\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", code, "build", "--course", str(course), "--out", str(out), *extra],
                          cwd=ROOT, capture_output=True, text=True,
                          env=os.environ | {"KULTURSKOLE_CACHE": str(cache_dir), "CI": "true"})
    assert done.returncode == 0, done.stderr
    said, imported = done.stderr.rsplit("imported:", 1)
    return done.stdout, said, imported.split()


def test_an_unchanged_build_writes_nothing_and_a_touched_dist_is_rebuilt(tmp_path, clean):
    """If this broke, a build of an unchanged course would load and render it all again (seconds
    instead of a blink), or worse, would leave a dist/ that someone changed or emptied as it is,
    or say less than the build before it (a missing-dates notice, a warning)."""
    course, out, store = tmp_path / "course", tmp_path / "dist", tmp_path / "cache"
    shutil.copytree(EXAMPLE, course)
    first = _run(course, out, store)
    first_build = digest(out)
    assert first_build == clean["original"]
    folder = os.stat(out / "web").st_ino
    again = _run(course, out, store)
    assert again[:2] == first[:2], "the unchanged build said something else"
    assert not [m for m in again[2] if m.startswith(("builder.loader", "builder.render", "jinja2", "weasyprint"))], \
        f"an unchanged build loaded or rendered: {again[2]}"
    assert os.stat(out / "web").st_ino == folder and digest(out) == first_build, "an unchanged build rewrote dist/"

    page = next(p for p in sorted(out.rglob("*.html")))
    page.write_bytes(page.read_bytes() + b" ")              # someone changed a built file
    (out / "web" / "stray.txt").write_text("x", encoding="utf-8")
    (out / "web" / "empty").mkdir()
    _run(course, out, store)
    assert digest(out) == first_build and not (out / "web" / "empty").exists()
    shutil.rmtree(out / "scorm12")                            # or deleted a format's folder
    _run(course, out, store)
    assert digest(out) == first_build

    _edit(course)
    _run(course, out, store)
    assert digest(out) == clean["edited"], "an edit was taken for no change"


def test_a_module_title_edit_reaches_every_cached_page(tmp_path):
    """If this broke, a renamed module would keep its old name on the front page and in the final
    test's «read again» advice (pages of other modules, taken from the page cache as rendered before
    the rename) in the web edition and in every SCORM package, while a clean build shows the new name."""
    course, store = tmp_path / "course", tmp_path / "cache"
    shutil.copytree(EXAMPLE, course)
    formats = ("--format", "web", "--format", "scorm12")
    _build(course, tmp_path / "before", store, *formats)
    yml = course / "modules" / "roller" / "module.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("title: Roller og ansvar", "title: Hvem bestemmer hva"),
                   encoding="utf-8")
    _build(course, tmp_path / "warm", store, *formats)
    _build(course, tmp_path / "clean", store, "--no-cache", *formats)
    assert digest(tmp_path / "warm") == digest(tmp_path / "clean")
    for page in ("index.html", "slutt/quiz.html"):
        assert "Hvem bestemmer hva" in (tmp_path / "warm" / "web" / page).read_text(encoding="utf-8")


def test_an_archive_from_cached_pieces_is_the_archive_of_its_bytes(tmp_path, monkeypatch):
    """If this broke, a Moodle backup or an Open edX course built after an edit would carry a piece
    of the archive made before the edit (a module's old page, or bytes that no longer unpack) where
    a clean build carries the new one, or an archive that gunzip and Moodle cannot read."""
    import gzip
    from builder.infra.packaging import gzip_bytes
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    text = " ".join(f"ord{i % 97} side{i % 13}" for i in range(3000)).encode()
    cuts = [1000, 5000, 20000]
    first = gzip_bytes(text, cuts, 946684800)
    assert gzip.decompress(first) == text
    whole = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=whole, mtime=946684800, compresslevel=6) as gz:
        gz.write(text)
    assert first[:10] == whole.getvalue()[:10], "the gzip header differs from gzip's own"
    edited = text[:2000] + b"NY" + text[2002:]            # one piece changes, the others come from the cache
    warm = gzip_bytes(edited, cuts, 946684800)
    assert gzip.decompress(warm) == edited
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    assert warm == gzip_bytes(edited, cuts, 946684800)


def test_a_zip_from_kept_members_is_the_zip_of_its_bytes(tmp_path, monkeypatch):
    """If this broke, a SCORM package built after a page edit would carry that page deflated before
    the edit (its old text, or bytes whose checksum no longer matches, which an LMS refuses to unpack)
    where a clean build carries the new page, or would deflate every member again after each edit."""
    import zipfile
    from builder.infra import packaging
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    files = {f"side{i}.html": " ".join(f"ord{j % (i + 7)}" for j in range(2000)).encode() for i in range(6)}
    packaging.zip_bytes(files)
    assert len(list((tmp_path / "cache").rglob("zip-members/*/*"))) == 1, "one table per zip, not one entry per member"
    deflated = []
    real = packaging._deflate
    monkeypatch.setattr(packaging, "_deflate", lambda data: deflated.append(data) or real(data))
    edited = files | {"side3.html": files["side3.html"].replace(b"ord1 ", b"NY ", 1)}
    warm = packaging.zip_bytes(edited)
    assert deflated == [edited["side3.html"]], "only the edited member is deflated again"
    with zipfile.ZipFile(io.BytesIO(warm)) as zf:
        assert zf.testzip() is None and {n: zf.read(n) for n in zf.namelist()} == edited
    deflated.clear()
    packaging.zip_bytes(files)          # the table the edit wrote replaced the first one
    assert deflated == [files["side3.html"]]
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    assert warm == packaging.zip_bytes(edited)


def test_a_site_keeps_its_pages_as_one_table_and_takes_only_unchanged_pages_from_it(tmp_path, monkeypatch):
    """If this broke, a build after a page edit would ship that page (or its module's print page) as
    it was before the edit, taken from the build cache, where a clean build ships the new text; or a
    damaged cache would break the site; or a cold build would again write one cache file per page
    (810 for a 100-module course: a third of the whole-course package's work outside the renderers)."""
    from builder.loader import load_course
    from builder.model.naming import PRINT_PAGE
    from builder.render.site import PageMemo, site_files
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    course = tmp_path / "course"
    shutil.copytree(EXAMPLE, course)
    site_files(load_course(course), edition="web")
    kinds = [p.parent.parent.name for p in (tmp_path / "cache").rglob("v1/*/*/*") if p.is_file()]
    assert [k for k in kinds if k.startswith("page")] == ["pages"], "one table per site, not one entry per page"
    _edit(course)
    edited = load_course(course)
    memo = PageMemo()
    _, warm = site_files(edited, edition="web", memo=memo)
    assert len(memo.rendered) == 2 and sum(p.endswith(PRINT_PAGE) for p in memo.rendered) == 1, memo.rendered
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    _, clean = site_files(edited, edition="web")
    assert warm == clean
    monkeypatch.delenv("KULTURSKOLE_NO_CACHE")
    table = next((tmp_path / "cache").rglob("pages/*/*"))
    table.write_bytes(table.read_bytes()[:-1] + b"?")          # damaged: every page is rendered again
    memo = PageMemo()
    _, again = site_files(edited, edition="web", memo=memo)
    assert again == clean and len(memo.rendered) > 2
