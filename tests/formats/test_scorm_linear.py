"""A whole-course SCORM package grows with its course, not with the square of it: what every SCO
shares is one file, not a copy in each launch page.

If this broke, a 1,000-module course would again carry the whole course's page map in every one
of its 1,000 launch pages (177 KB each, a 50 MB zip), and an LMS would take minutes to import it."""

from __future__ import annotations

import hashlib
import tarfile

from builder.build import build
from builder.formats import Options
from builder.formats.scorm import package
from builder.formats.scorm.editions import SCORM12, SCORM2004
from builder.formats.scorm.package import SHARED, package_files
from builder.loader import load_course
from tests.bench.generate import generate
from tests.conftest import EXAMPLE


def test_launch_pages_do_not_grow_with_the_number_of_modules(tmp_path):
    """If this broke, every launch page would carry every module's pages again."""
    sizes = {}
    for n in (3, 24):
        course = load_course(generate(tmp_path / f"c{n}", n))
        for edition in (SCORM12, SCORM2004):
            files, _ = package_files(course, edition=edition)
            launches = [name for name in files if name.startswith("scorm") and name.endswith(".html")]
            assert len(launches) == n and f"assets/{SHARED}" in files
            assert all(b"scorm-course.js" in files[name] for name in launches)
            sizes[n, edition.name] = max(len(files[name]) for name in launches)
            other = course.modules[-1].id
            assert other.encode() not in files[f"scorm-{course.modules[0].id}.html"], \
                "the first SCO's launch page names another SCO's pages"
    for edition in (SCORM12, SCORM2004):
        assert sizes[24, edition.name] <= sizes[3, edition.name] * 1.1, sizes


def test_a_build_renders_and_zips_each_package_once(tmp_path, monkeypatch):
    """The scorm12 module packages are also the homework packages and the Moodle backup's
    activities: one build makes each of them once (builder/infra/store.py). If this broke, a build
    would render and zip the same module up to three times (the Moodle format alone spent 6 s of
    a build on packages the scorm12 format had just made), and the three copies could differ."""
    made = tmp_path / "made.txt"
    render = package.package_files

    def counted(course, *, edition, module_id=None):
        with open(made, "a") as f:          # formats build in forked workers: count in a file
            f.write(f"{edition.name} {module_id}\n")
        return render(course, edition=edition, module_id=module_id)
    monkeypatch.setattr(package, "package_files", counted)
    monkeypatch.setenv("KULTURSKOLE_NO_CACHE", "1")
    course = load_course(EXAMPLE)
    out = tmp_path / "dist"
    build(course, out, ["scorm12", "homework", "moodle"], Options())
    renders = made.read_text().splitlines()
    assert sorted(renders) == sorted({*renders}) and len(renders) == 1 + len(course.modules), renders
    modules = {p.read_bytes() for p in (out / "scorm12" / "modules").glob("*.zip")}
    homework = [p.read_bytes() for p in (out / "homework").glob("*.zip")]
    assert homework and all(data in modules for data in homework), "a homework package differs from scorm12's"
    with tarfile.open(next((out / "moodle").glob("*.mbz")), "r:gz") as mbz:
        shipped = {m.name for m in mbz.getmembers() if m.isfile()}
    for data in modules:
        digest = hashlib.sha1(data).hexdigest()
        assert f"files/{digest[:2]}/{digest}" in shipped, "the backup's package of a module differs from scorm12's"
