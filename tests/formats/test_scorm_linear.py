"""A whole-course SCORM package grows with its course, not with the square of it: what every SCO
shares is one file, not a copy in each launch page.

If this broke, a 1,000-module course would again carry the whole course's page map in every one
of its 1,000 launch pages (177 KB each, a 50 MB zip), and an LMS would take minutes to import it."""

from __future__ import annotations

from builder.formats.scorm.editions import SCORM12, SCORM2004
from builder.formats.scorm.package import SHARED, package_files
from builder.loader import load_course
from tests.bench.generate import generate


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
