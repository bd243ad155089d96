"""The benchmark measures what it says: tests/bench/bench_build.py's figures, with the builds faked."""

from __future__ import annotations

import itertools
from pathlib import Path

from tests.conftest import ROOT


def test_the_package_line_builds_every_run_on_an_empty_cache(tmp_path, monkeypatch):
    """If this broke, `bench_build.py --repeat 3` would report the whole-course SCORM zip as the median
    of one cold build and two warm ones (every page already in the cache), and a package that got
    slower on a first build would look as fast as before."""
    from tests.bench import bench_build
    found, count = [], itertools.count()

    def fake_run(cmd, root=ROOT, env=None):
        cache = Path(env["XDG_CACHE_HOME"])
        if any("build_package" in part for part in cmd):
            found.append(sorted(p.name for p in cache.rglob("*")) if cache.exists() else [])
            Path(cmd[-1]).parent.mkdir(parents=True, exist_ok=True)
            Path(cmd[-1]).write_bytes(b"PK")
        else:
            web = Path(cmd[cmd.index("--out") + 1]) / "web"
            web.mkdir(parents=True, exist_ok=True)
            (web / "index.html").write_text("<p>side</p>", encoding="utf-8")
        (cache / "kulturskole").mkdir(parents=True, exist_ok=True)        # what a real build leaves there
        (cache / "kulturskole" / f"entry-{next(count)}").write_bytes(b"kept")
        return 0.01, 1.0

    monkeypatch.setattr(bench_build, "run", fake_run)
    monkeypatch.setattr(bench_build, "generate", lambda target, n: target.mkdir(parents=True))
    bench_build.issue_figures(ROOT, tmp_path / "tree", repeat=3, sizes=[2], browser=False)
    assert found == [[], [], []], f"the package runs found a cache: {found}"
