"""The room kit in the restored Moodle course: each gathering's section carries the facilitator's
pack as a file only teachers see, and the participants' materials as a file for everyone.

Restored in the real Moodle of ../shared/moodle/ and looked at in Chromium as a teacher and as a
student; skipped with the reason when MOODLE_URL is unset (`source ../shared/moodle/env.sh`). If this
broke, a facilitator would search KS Læring for the run sheet and the answer key, or a participant
would open the answer key before the role exercise."""

from __future__ import annotations

import time

import pytest

from tests.moodle_kit import ROOT, enrol, login, mt, needs_moodle
from builder.formats import Options  # noqa: E402
from builder.formats.moodle import MoodleFormat  # noqa: E402
from builder.loader import load_course  # noqa: E402
from tests.conftest import fresh_page  # noqa: E402

pytestmark = needs_moodle

RUN = f"i24-{int(time.time())}"
STUDENT, TEACHER = f"{RUN}-student", f"{RUN}-teacher"


@pytest.fixture(scope="module")
def restored(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("moodle-room-kit")
    MoodleFormat(load_course(ROOT / "course"), Options()).build(tmp / "moodle")
    (mbz,) = (tmp / "moodle").glob("*.mbz")
    info = mt.restore_backup(mbz, RUN)
    enrol(RUN, STUDENT, "student")
    enrol(RUN, TEACHER, "editingteacher")
    return info


def _resources(info) -> dict[str, dict]:
    return {m["name"]: m for m in info["modules"] if m["type"] == "resource"}


def test_every_gathering_section_has_its_pack_hidden_and_its_materials_open(restored):
    """Four gatherings: in each gathering's section a hidden pack and a visible participants' file."""
    resources = _resources(restored)
    for n in range(1, 5):
        pack = resources[f"Samlingspakke for fasilitator (samling {n})"]
        given = resources[f"Materiell til samling {n}"]
        assert pack["section"] == given["section"] == n
        assert pack["visible"] is False and given["visible"] is True
    files = mt.sql(f"""SELECT f.filename, f.filesize FROM mdl_files f JOIN mdl_context x ON x.id = f.contextid
                        JOIN mdl_course_modules cm ON cm.id = x.instanceid AND x.contextlevel = 70
                       WHERE cm.course = {restored['courseid']} AND f.component = 'mod_resource'
                         AND f.filename <> '.'""")
    names = {f["filename"]: f["filesize"] for f in files}
    assert {f"samlingspakke-{n}.pdf" for n in range(1, 5)} <= set(names)
    assert all(size > 10_000 for size in names.values()), names


def test_a_teacher_opens_the_pack_and_a_student_neither_sees_nor_opens_it(browser, restored):
    """The teacher sees the pack on the course page and downloads a PDF from it; the student's course
    page does not list it, and its address answers the student with no PDF. Both get the materials."""
    resources = _resources(restored)
    pack = resources["Samlingspakke for fasilitator (samling 1)"]
    given = resources["Materiell til samling 1"]
    course_page = f"{mt.MOODLE_URL}/course/view.php?id={restored['courseid']}"

    def fetch(page, cm) -> tuple[int, str, bytes]:
        r = page.request.get(f"{mt.MOODLE_URL}/mod/resource/view.php?id={cm['cmid']}&redirect=1")
        return r.status, r.headers.get("content-type", ""), r.body()

    with fresh_page(browser) as page:
        login(page, TEACHER)
        page.goto(course_page, wait_until="networkidle")
        assert page.get_by_text(pack["name"]).count() > 0
        assert page.get_by_text(given["name"]).count() > 0
        status, kind, body = fetch(page, pack)
        assert status == 200 and kind.startswith("application/pdf") and body[:5] == b"%PDF-"
        assert fetch(page, given)[2][:5] == b"%PDF-"
    with fresh_page(browser) as page:
        login(page, STUDENT)
        page.goto(course_page, wait_until="networkidle")
        assert page.get_by_text(given["name"]).count() > 0
        assert page.get_by_text(pack["name"]).count() == 0
        status, kind, body = fetch(page, pack)
        assert body[:5] != b"%PDF-" and not kind.startswith("application/pdf")
        assert fetch(page, given)[2][:5] == b"%PDF-"
