"""The code passes the linter configured in pyproject.toml ([tool.ruff]).

If this broke, unused imports, undefined names and stray whitespace would pile up unnoticed:
nothing else runs the linter, and a name that only fails when a rare branch runs (say a message
for a broken source) would reach an editor as a crash."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
