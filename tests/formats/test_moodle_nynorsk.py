"""The nynorsk edition in a real Moodle 5.1 (../shared/moodle): its course backup restores with the
course language nn, and its SCORM 1.2 package plays there in nynorsk.

Skipped with the reason when MOODLE_URL is unset (CI has no Moodle): `source ../shared/moodle/env.sh`
first. Course short names and users start with `i26-`.

Moodle keeps a backup's forced course language only when that language is installed. The kit's site
has English only and no network to fetch Moodle's nynorsk language pack, so the fixture installs the
pack's one required file (langconfig.php, the way a language pack declares itself) in moodledata/lang/nn,
as a Norwegian site has it, and purges Moodle's caches so the site sees it."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path

import pytest

KIT = Path(os.environ.get("MOODLE_KIT") or Path(__file__).resolve().parents[3] / "shared" / "moodle")
sys.path.insert(0, str(KIT))
mt = pytest.importorskip("moodle_test", reason="the Moodle test kit (../shared/moodle/moodle_test.py) is not here")

from builder.formats import Options                       # noqa: E402
from builder.formats.moodle import MoodleFormat           # noqa: E402
from builder.formats.scorm.editions import SCORM12        # noqa: E402
from builder.formats.scorm.package import build_package   # noqa: E402
from builder.loader import load_course                    # noqa: E402
from tests.conftest import EXAMPLE, fresh_page            # noqa: E402
from tests.formats.moodle_player import course_page, sco_frame  # noqa: E402
from tests.scorm.scorm_harness import answer_quiz         # noqa: E402
from tests.translate.test_translate import _translate_all  # noqa: E402

pytestmark = pytest.mark.skipif(not mt.available(), reason=mt.SKIP_REASON)

LANGCONFIG = """<?php
$string['thisdirection'] = 'ltr';
$string['thislanguage'] = 'Norsk - nynorsk';
$string['thislanguageint'] = 'Norwegian Nynorsk';
$string['iso6391'] = 'nn';
$string['locale'] = 'nn_NO.UTF-8';
$string['parentlanguage'] = '';
"""


@pytest.fixture(scope="module")
def nynorsk(tmp_path_factory):
    """The example course translated (every segment), loaded as its nynorsk edition."""
    source = tmp_path_factory.mktemp("nn-course") / "course"
    shutil.copytree(EXAMPLE, source)
    _translate_all(source)
    return load_course(source, "nn")


@pytest.fixture(scope="module")
def nn_language_pack():
    home = Path(os.environ.get("MOODLE_HOME") or Path(os.environ.get("TMPDIR", "/tmp")) / "moodle-test")
    folder = home / "moodledata" / "lang" / "nn"
    if not (folder / "langconfig.php").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "langconfig.php").write_text(LANGCONFIG, encoding="utf-8")
        www = home / "www"
        r = mt.php(www / "admin" / "cli" / "purge_caches.php", cwd=www)
        assert r.returncode == 0, r.stderr
    return folder


def test_the_nynorsk_backup_restores_with_course_language_nn(nynorsk, nn_language_pack, tmp_path):
    """If this broke, a Vestland region restoring the nynorsk course would get Moodle's own texts
    around it in the site's language, or a course that is not the nynorsk edition."""
    MoodleFormat(nynorsk, Options()).build(tmp_path / "moodle")
    (mbz,) = (tmp_path / "moodle").glob("*.mbz")
    assert mbz.name.startswith("eksempelkurs-nn")
    shortname = f"i26-{uuid.uuid4().hex[:6]}"
    info = mt.restore_backup(mbz, shortname)
    (row,) = mt.sql(f"SELECT lang, fullname FROM mdl_course WHERE shortname = '{shortname}'")
    assert row["lang"] == "nn"
    assert row["fullname"] == nynorsk.title
    names = {m["name"] for m in info["modules"]}
    assert {m.title for m in nynorsk.modules} <= names


def test_the_nynorsk_scorm_12_package_plays_in_moodle(browser, nynorsk, tmp_path):
    """If this broke, a learner in KS Læring would get the nynorsk package with bokmål pages, pages in
    the wrong language for a screen reader, or a quiz that no longer reports to Moodle."""
    package = build_package(nynorsk, tmp_path / "eksempelkurs-nn.zip", edition=SCORM12)
    tag = uuid.uuid4().hex[:6]
    info = mt.add_scorm(package.path, course=f"i26-{tag}", student=f"i26-s{tag}", name="Eksempelkurs (nynorsk)")
    assert info["version"] == "SCORM_1.2" and info["notices"] == ""
    with fresh_page(browser) as page:
        try:       # on a busy machine Moodle's login page can time out once (kit README, gotcha 1)
            mt.login(page, info["student"], mt.STUDENT_PASSWORD)
        except Exception:
            mt.login(page, info["student"], mt.STUDENT_PASSWORD)
        mt.open_scorm(page, info["cmid"])
        inner = course_page(sco_frame(page, "scorm-intro.html"), "index.html")
        assert inner.evaluate("() => document.documentElement.lang") == "nn"
        assert inner.locator(".skip").first.text_content().strip() == "Hopp til innhaldet"
        inner.locator("a[rel=next]").click()
        inner.locator('body[data-path="intro/velkommen.html"]').wait_for(timeout=15_000)
        assert "Slik brukar du kurset" in inner.locator("main").inner_text()
        # Through the intro SCO into the roller SCO, whose quiz reports its interactions to Moodle.
        page.locator("#scorm_toc a, #scorm_tree a").filter(has_text=nynorsk.module("roller").title).first.click()
        inner = course_page(sco_frame(page, "scorm-roller.html"), "roller/roller.html")
        inner.locator("a[rel=next]").click()
        inner.locator('body[data-path="roller/quiz.html"]').wait_for(timeout=15_000)
        answer_quiz(inner, nynorsk.module("roller").quiz, True, timeout=10_000)
        inner.locator("a[rel=next]").click()
        inner.locator('body[data-path="roller/hjemmearbeid.html"]').wait_for(timeout=15_000)
        page.wait_for_timeout(1500)
    scos = {s["identifier"].rsplit(".", 1)[-1]: s["id"] for s in info["scoes"] if s["launch"]}
    stored = mt.stored(info["scormid"], info["userid"], scoid=scos["roller"])
    # Moodle keeps each answer as an interaction named by the module and the question id: the same
    # ids as the bokmål edition's, so reports of the two editions line up.
    ids = {v for k, v in stored.items() if k.startswith("cmi.interactions_") and k.endswith(".id")}
    assert ids == {f"roller.{q.id}" for q in nynorsk.module("roller").quiz.questions}
    results = [v for k, v in stored.items() if k.startswith("cmi.interactions_") and k.endswith(".result")]
    assert results and set(results) == {"correct"}
