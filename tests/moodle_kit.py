"""What the tests against the kit's real Moodle (../shared/moodle/) share: the kit's Python helper,
the skip when no Moodle runs, and the teacher's and students' accounts our PHP helpers make.

Importing this module skips the importing test module when the kit is not beside the project, and
`pytestmark = needs_moodle` skips it with the kit's reason when MOODLE_URL is unset (CI has no Moodle)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("MOODLE_KIT") or str(ROOT.parent / "shared" / "moodle"))
mt = pytest.importorskip("moodle_test", reason="the Moodle test kit (../shared/moodle/moodle_test.py) is not here")

needs_moodle = pytest.mark.skipif(not mt.available(), reason=mt.SKIP_REASON)
PHP = ROOT / "tests" / "data" / "moodle"
PASSWORD = "Kurs#12345"


def enrol(course: str, user: str, role: str, group: str = "", name: tuple[str, str] | None = None) -> None:
    """Create `user` (password PASSWORD; `name` = (first name, last name) of a new user) and enrol
    them in `course` with `role`, in `group` if given."""
    named = [f"--firstname={name[0]}", f"--lastname={name[1]}"] if name else []
    r = mt.php(PHP / "enrol.php", f"--course={course}", f"--user={user}", f"--password={PASSWORD}",
               f"--role={role}", f"--group={group}", *named)
    assert r.returncode == 0, r.stderr


def login(page, user: str) -> None:
    """The kit's login, tried twice: on a busy machine Moodle's login page can still post an empty
    password (kit README, gotcha 1), which says nothing about the course under test."""
    try:
        mt.login(page, user, PASSWORD)
    except mt.MoodleError:
        mt.login(page, user, PASSWORD)
