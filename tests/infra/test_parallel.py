"""Large courses load and render in several processes (builder/infra/parallel.py).

If this broke, a big course built on a multi-core machine could differ from the same course built
on one core, or a mistake in one module could vanish from the error report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder.infra import parallel
from builder.build import build
from builder.formats import Options
from builder.loader import load_course
from tests.bench.generate import generate
from tests.conftest import ROOT, digest



def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def big_course(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("big") / "course", 40)


def test_work_is_spread_over_processes_in_order():
    """ordered_map really uses other processes and keeps the order of the items. It runs in a
    fresh process because pytest may have threads by now, and then ordered_map rightly stays in-process."""
    if parallel.workers() < 2:
        pytest.skip("one core: nothing to spread")
    code = ("import json, os\nfrom builder.infra.parallel import ordered_map\n"
            "def pid(shared, item): return [os.getpid(), shared, item]\n"
            "print(json.dumps([os.getpid(), ordered_map(pid, 'shared', range(40))]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    me, results = json.loads(done.stdout)
    assert [r[2] for r in results] == list(range(40))
    assert all(r[1] == "shared" for r in results)
    assert {r[0] for r in results} - {me}, "every item ran in the calling process"


def test_parallel_build_gives_the_same_files_as_one_core(big_course, tmp_path, monkeypatch):
    """The CLI (parallel where the machine allows) writes exactly the files a one-core build writes."""
    if parallel.workers() < 2:
        pytest.skip("one core: the CLI's build would be a one-core build too, so there is nothing to compare")
    done = _cli("build", "--course", str(big_course), "--format", "web", "--out", str(tmp_path / "many"))
    assert done.returncode == 0, done.stderr
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    build(load_course(big_course), tmp_path / "one", ["web"], Options())
    many, one = digest(tmp_path / "many"), digest(tmp_path / "one")
    assert len(many) > 240 and many == one


def test_mistakes_in_modules_loaded_by_workers_are_all_reported(big_course, tmp_path):
    """Two broken modules among forty: both problems come back with file and line, nothing is written."""
    broken = tmp_path / "course"
    subprocess.run(["cp", "-r", str(big_course), str(broken)], check=True)
    quiz = broken / "modules" / "modul-0031" / "quiz.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("reference:", "refrence:", 1), encoding="utf-8")
    page = broken / "modules" / "modul-0004" / "02-side-2.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    done = _cli("build", "--course", str(broken), "--format", "web", "--out", str(tmp_path / "dist"))
    assert done.returncode != 0
    assert "modules/modul-0031/quiz.yml:6: unknown key 'refrence'" in done.stderr
    assert "modules/modul-0004/02-side-2.md:" in done.stderr and "<script>" in done.stderr
    assert not (tmp_path / "dist" / "web").exists()


def test_a_problem_found_in_a_worker_reaches_the_build_with_its_place():
    """If a format fails in a worker process (say the SCORM 1.2 budget), the editor still gets
    `file:line: what — how`, not a bare traceback."""
    if parallel.workers() < 2:
        pytest.skip("one core: nothing to spread")
    code = ("import json, os\nfrom builder.errors import BuildFailed, Problem\nfrom builder.infra.parallel import ordered_map\n"
            "def fail(shared, item):\n"
            "    if item == 3: raise BuildFailed([Problem('quiz.yml', 7, 'too long', 'shorten it')])\n"
            "    return os.getpid()\n"
            "try:\n    ordered_map(fail, None, range(8))\nexcept BuildFailed as err:\n    print(json.dumps([str(p) for p in err.problems]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == ["quiz.yml:7: too long — shorten it"]


def test_a_system_without_sched_getaffinity_builds_in_one_process(monkeypatch):
    """If this broke, an editor on macOS or Windows (no os.sched_getaffinity) could not build at all."""
    monkeypatch.delattr(os, "sched_getaffinity")
    assert parallel.workers() == 1
    assert parallel.ordered_map(_pair, "shared", range(5)) == [("shared", i) for i in range(5)]


def _pair(shared, item):
    return shared, item
