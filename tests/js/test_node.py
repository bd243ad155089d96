"""The learner-data layer's unit tests in Node (`node --test tests/js/`), run as part of the suite.

assets/js/learner/*.js are plain functions over plain data: codec, store and LMS adapters are tested
here in about a second, against the golden vectors budget.py writes and against fake LMS APIs that
behave like Moodle's web player and the Moodle app. Node 20 is the only requirement (no npm package).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed (apt install nodejs)")
def test_node_unit_tests_of_the_learner_data_layer_pass():
    """If this broke, the codec, the store, the LMS adapters or the pass rule of the learner's
    scripts would have changed behaviour: learners' text, answers or results could be lost,
    misread or misreported in an LMS. The output names the failing Node test."""
    run = subprocess.run(["node", "--test", "--test-reporter=tap", str(HERE)], capture_output=True, text=True,
                         timeout=120, cwd=HERE.parents[1])
    counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", run.stdout, re.M))
    assert run.returncode == 0 and counts.get("fail") == "0", run.stdout[-6000:] + run.stderr[-2000:]
    assert int(counts.get("tests", 0)) >= 20, run.stdout[-2000:]
