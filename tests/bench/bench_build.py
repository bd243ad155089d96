"""Build benchmark: wall time and peak memory of whole `kulturskole build` processes.

Run: .venv/bin/python tests/bench/bench_build.py [--sizes 10,100,1000] [--repeat 3]

Measures (each as a separate process, interpreter start included, median of --repeat runs):
  * the real course in every format;
  * generated courses of 10, 100 and 1,000 modules (5 pages of ~450 words + a 5-question quiz each)
    as the web edition and, when available, as a SCORM 1.2 package;
  * the floor: a process that only zips the same pre-rendered pages, no rendering;
  * pages per second, the ratio to the floor, and whether time grows linearly with size.
Peak memory is the child's maximum resident set size from wait4().
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.bench.generate import generate  # noqa: E402


class BuildRefused(Exception):
    pass


def run(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise BuildRefused(proc.stderr.read().decode().strip().splitlines()[0])
    return seconds, usage.ru_maxrss / 1024


def measure(cmd, repeat):
    runs = [run(cmd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def build_cmd(course: Path, out: Path, formats: list[str]) -> list[str]:
    cmd = [sys.executable, "-m", "builder", "build", "--course", str(course), "--out", str(out)]
    for f in formats:
        cmd += ["--format", f]
    return cmd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from builder.formats import registry
    formats = list(registry())
    packages = [f for f in ("web", "scorm2004") if f in formats]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t, mb = measure(build_cmd(ROOT / "course", tmp / "real", []), args.repeat)
        print(f"real course, every format ({', '.join(formats)}): {t:.2f} s, {mb:.0f} MB peak")
        print(f"\ngenerated courses (median of {args.repeat}); scorm2004 = the whole-course zip plus one zip per module")
        print(f"{'modules':>8} {'format':>10} {'pages':>7} {'build s':>8} {'peak MB':>8} {'pages/s':>8} {'floor s':>8} {'ratio':>6}")
        for n in [int(x) for x in args.sizes.split(",")]:
            course = generate(tmp / f"src{n}", n)
            pages = n * 6 + 2  # 5 reading pages + a quiz page per module, front page and reflections page
            web = tmp / f"web{n}"
            subprocess.run(build_cmd(course, web, ["web"]), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            floor_cmd = [sys.executable, "-c", "import sys; from builder.packaging import write_zip; "
                         "from pathlib import Path; write_zip(Path(sys.argv[1]), Path(sys.argv[2]))",
                         str(web / "web"), str(tmp / f"floor{n}.zip")]
            ft, _ = measure(floor_cmd, args.repeat)
            for package in packages:
                try:
                    t, mb = measure(build_cmd(course, tmp / f"out{n}", [package]), args.repeat)
                except BuildRefused as err:
                    print(f"{n:>8} {package:>10}  refused: {err}")
                    continue
                if package == "web":
                    rows.append((n, t))
                print(f"{n:>8} {package:>10} {pages:>7} {t:>8.2f} {mb:>8.0f} {pages / t:>8.0f} {ft:>8.2f} {t / ft:>6.1f}")
                shutil.rmtree(tmp / f"out{n}", ignore_errors=True)
        if len(rows) >= 2:
            (n0, t0), (n1, t1) = rows[0], rows[-1]
            print(f"\ngrowth {n0}→{n1} modules: time ×{t1 / t0:.1f} for size ×{n1 / n0:.0f}"
                  f" (per-module cost {(t1 - t0) / (n1 - n0) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
