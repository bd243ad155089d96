"""Reproducible builds: the same sources give byte-identical files and archives.

If this broke, an LMS administrator could not tell whether a new package really changed, and
checksums published with a release would not match a rebuild."""

from __future__ import annotations

from builder.build import build
from builder.formats import Options, registry
from builder.loader import load_course
from tests.conftest import digest


def test_two_builds_are_byte_identical(example_course, tmp_path, monkeypatch):
    """Every format, built twice from the same sources, gives the same bytes."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    formats = list(registry())
    first = build(load_course(example_course), tmp_path / "a", formats, Options())
    build(load_course(example_course), tmp_path / "b", formats, Options())
    builders = registry()
    assert {p.name for p in first} >= {f for f in formats if not builders[f].files}
    assert {p.name for p in first} >= {"fasilitatorveiledning.pdf", "arbeidsbok.pdf"}
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert a and a == b


def test_source_date_epoch_is_honoured(example_course, tmp_path, monkeypatch):
    """SOURCE_DATE_EPOCH sets the timestamps inside archives, so distributions can rebuild bit for bit."""
    import zipfile
    from builder.infra.packaging import write_zip
    web = build(load_course(example_course), tmp_path / "site", ["web"], Options())[0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_zip(web, tmp_path / "one.zip")
    write_zip(web, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as zf:
        assert {i.date_time[:3] for i in zf.infolist()} == {(2023, 11, 14)}
        names = zf.namelist()
    assert names == sorted(names) and "index.html" in names


def test_zip_writer_gives_archives_every_reader_opens(tmp_path):
    """builder.infra.packaging writes the zip format itself (to deflate on every core). If it got a
    field wrong, an LMS would refuse the upload or unpack broken pages; here zipfile and Info-ZIP's
    unzip read every entry back, names with æøå and empty files included."""
    import shutil
    import subprocess
    import zipfile
    from builder.infra.packaging import write_zip_files
    files = {"index.html": b"<p>hei</p>" * 5000, "media/bl\u00e5b\u00e6r-\u00f8ya.txt": "blåbær".encode(),
             "assets/tom.css": b"", "a/b/c.js": bytes(range(256)) * 40}
    target = tmp_path / "pakke.zip"
    write_zip_files(files, target)
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == sorted(files)
        assert {n: zf.read(n) for n in zf.namelist()} == files
        modes = {i.external_attr >> 16 for i in zf.infolist()}
    assert modes == {0o100644}
    if shutil.which("unzip"):
        listing = subprocess.run(["unzip", "-Z1", str(target)], capture_output=True, check=True)
        assert listing.stdout.decode("utf-8").split() == sorted(files)
        subprocess.run(["unzip", "-tq", str(target)], check=True, capture_output=True)


def test_a_module_build_leaves_every_other_file_in_out_as_it_was(example_course, tmp_path, monkeypatch):
    """If this broke, `kulturskole build --module roller` would delete the whole-course packages,
    the other modules' zips and the handouts in dist/, while its output looked like a normal build."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    course, out = load_course(example_course), tmp_path / "dist"
    formats = ["web", "scorm12", "olx", "homework"]
    build(course, out, formats, Options())
    before = digest(out)
    made = build(course, out, formats, Options(module="roller"))
    after = digest(out)
    assert before.items() <= after.items(), sorted(k for k in before if after.get(k) != before[k])
    new = sorted(set(after) - set(before))
    assert new and all(k.startswith(("web/modules/roller/", "olx/eksempelkurs-roller.")) for k in new), new
    assert {"scorm12/modules/roller.zip", "web/modules/roller/index.html", "olx/eksempelkurs-roller.tar.gz",
            "homework/hjemmearbeid-1-roller.zip"} <= {p.relative_to(out).as_posix() for p in made} | set(new)
