"""Build benchmark: wall time and peak memory of whole `kulturskole build` processes.

Run: .venv/bin/python tests/bench/bench_build.py [--sizes 10,100,1000] [--repeat 3]

Measures (each as a separate process, interpreter start included, median of --repeat runs):
  * the real course in every format, and in each SCORM format alone;
  * the real course's SCORM packages: zip sizes, and the CSS+JS a learner's browser loads per page;
  * the largest suspend_data the SCORM journey tests saw, against each version's limit
    (runs those tests in headless Chromium; --no-browser skips it and the next item);
  * the web edition's HTML+CSS+JS per page and the first page's first-contentful-paint against a
    plain-HTML floor (tests/bench/pages.py);
  * generated courses of 10, 100 and 1,000 modules (5 pages of ~450 words + a 5-question quiz each)
    as the web edition, as ONE SCORM 2004 package (the shape the issue's peers were measured on),
    and as the whole scorm2004 format (the course zip plus one zip per module);
  * the floor: a process that only zips the same pre-rendered pages, no rendering;
  * pages per second, the ratio to the floor, and whether time grows linearly with size.
Peak memory is the maximum resident set size of the process and its workers, from wait4().
"""

from __future__ import annotations

import argparse
import json
import os
import zipfile
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
from tests.bench.pages import linked_bytes, report as pages_report  # noqa: E402


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
    """(median seconds, peak MB, 'fastest–slowest' seconds): this machine is a shared VM, and the
    spread shows how far one reading can stray from the median."""
    runs = [run(cmd) for _ in range(repeat)]
    times = sorted(r[0] for r in runs)
    return statistics.median(times), max(r[1] for r in runs), f"{times[0]:.2f}–{times[-1]:.2f}"


def build_cmd(course: Path, out: Path, formats: list[str]) -> list[str]:
    cmd = [sys.executable, "-m", "builder", "build", "--course", str(course), "--out", str(out)]
    for f in formats:
        cmd += ["--format", f]
    return cmd


def one_package_cmd(course: Path, target: Path) -> list[str]:
    """A process that builds only the whole-course SCORM 2004 zip, as the peers' figures were taken."""
    return [sys.executable, "-c", "import sys; from pathlib import Path; import builder.cli; "
            "from builder.loader import load_course; from builder.formats.scorm.package import build_package; "
            "from builder.formats.scorm.editions import SCORM2004; "
            "build_package(load_course(sys.argv[1]), Path(sys.argv[2]), edition=SCORM2004)", str(course), str(target)]


def assets_per_page(package: Path, tmp: Path) -> tuple[list[int], int]:
    """Bytes of CSS and JS (uncompressed) each page of a SCORM package links, and the bytes a
    launch page loads once per session (the LMS runtime) on top of them. A package has one launch
    page per SCO (`scorm.html`, or `scorm-<module>.html` where each module is a SCO of its own)."""
    folder = tmp / f"unzipped-{package.parent.name}"
    with zipfile.ZipFile(package) as zf:
        zf.extractall(folder)
    launches = set(folder.glob("scorm*.html"))
    return ([linked_bytes(p) for p in sorted(folder.rglob("*.html")) if p not in launches],
            max(linked_bytes(p) for p in launches))


def scorm_report(tmp: Path, repeat: int) -> None:
    print("\nSCORM packages of the real course (targets: whole-course zip < 500 KB, CSS+JS per page < 50 KB)")
    for fmt in ("scorm12", "scorm2004"):
        out = tmp / f"real-{fmt}"
        t, mb, _ = measure(build_cmd(ROOT / "course", out, [fmt]), repeat)
        whole = next((out / fmt).glob("*.zip"))
        modules = sorted((out / fmt / "modules").glob("*.zip"), key=lambda p: p.stat().st_size)
        per_page, launch = assets_per_page(whole, tmp)
        print(f"  {fmt}: build {t:.2f} s, {mb:.0f} MB peak; {whole.name} {whole.stat().st_size / 1024:.0f} KB; "
              f"{len(modules)} module zips {modules[0].stat().st_size / 1024:.0f}–{modules[-1].stat().st_size / 1024:.0f} KB; "
              f"CSS+JS per page median {statistics.median(per_page) / 1024:.1f} KB, max {max(per_page) / 1024:.1f} KB "
              f"({len(per_page)} pages), + {launch / 1024:.1f} KB of runtime the launch page loads once")


def suspend_report() -> None:
    """The largest suspend_data of the journey and worst-case tests, against the limits."""
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as figures:
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "tests/formats/test_scorm_runtime.py", "-k", "journey or worst"], cwd=ROOT,
                              env=os.environ | {"KS_SCORM_FIGURES": figures.name}, capture_output=True, text=True)
        if done.returncode != 0:
            print("\nsuspend_data: the SCORM journey tests failed:\n" + done.stdout[-2000:])
            return
        seen = {}
        for line in Path(figures.name).read_text().splitlines():
            seen.update(json.loads(line))
    print("\nsuspend_data seen in the SCORM tests (characters; limits 4,096 in 1.2, 64,000 in 2004)")
    for v, limit in (("12", 4096), ("2004", 64000)):
        worst = seen[f"worst_suspend_data_{v}"]
        print(f"  {v}: journey {seen[f'journey_suspend_data_{v}']:,}; worst-case learner {worst['seen']:,} "
              f"(the build computed {worst['computed_worst_case']:,}) = {worst['seen'] / limit:.0%} of {limit:,}")
        print(f"      journey LMS data: {json.dumps(seen[f'journey_lms_{v}'], ensure_ascii=False)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the suspend_data figures (needs Chromium)")
    args = parser.parse_args()
    from builder.formats import registry
    formats = list(registry())
    packages = ["web", "one-scorm2004", "scorm2004"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t, mb, spread = measure(build_cmd(ROOT / "course", tmp / "real", []), args.repeat)
        print(f"real course, every format ({', '.join(formats)}): {t:.2f} s ({spread}), {mb:.0f} MB peak")
        scorm_report(tmp, args.repeat)
        if not args.no_browser:
            suspend_report()
            print()
            subprocess.run(build_cmd(ROOT / "course", tmp / "real-web", ["web"]), check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL)
            pages_report(tmp / "real-web" / "web")
        print(f"\ngenerated courses (median of {args.repeat}); one-scorm2004 = the whole-course zip alone; "
              "scorm2004 = the format: that zip plus one zip per module")
        print(f"{'modules':>8} {'format':>14} {'pages':>7} {'build s':>8} {'fastest–slowest':>16} {'peak MB':>8} "
              f"{'pages/s':>8} {'floor s':>8} {'ratio':>6}")
        for n in [int(x) for x in args.sizes.split(",")]:
            course = generate(tmp / f"src{n}", n)
            pages = n * 6 + 2  # 5 reading pages + a quiz page per module, front page and reflections page
            web = tmp / f"web{n}"
            subprocess.run(build_cmd(course, web, ["web"]), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            floor_cmd = [sys.executable, "-c", "import sys; from builder.infra.packaging import write_zip; "
                         "from pathlib import Path; write_zip(Path(sys.argv[1]), Path(sys.argv[2]))",
                         str(web / "web"), str(tmp / f"floor{n}.zip")]
            ft, _, _ = measure(floor_cmd, args.repeat)
            for package in packages:
                cmd = (one_package_cmd(course, tmp / f"out{n}" / "one.zip") if package == "one-scorm2004"
                       else build_cmd(course, tmp / f"out{n}", [package]))
                try:
                    t, mb, spread = measure(cmd, args.repeat)
                except BuildRefused as err:
                    print(f"{n:>8} {package:>14}  refused: {err}")
                    continue
                if package == "web":
                    rows.append((n, t))
                print(f"{n:>8} {package:>14} {pages:>7} {t:>8.2f} {spread:>16} {mb:>8.0f} {pages / t:>8.0f} {ft:>8.2f} {t / ft:>6.1f}")
                shutil.rmtree(tmp / f"out{n}", ignore_errors=True)
        if len(rows) >= 2:
            (n0, t0), (n1, t1) = rows[0], rows[-1]
            print(f"\ngrowth {n0}→{n1} modules: time ×{t1 / t0:.1f} for size ×{n1 / n0:.0f}"
                  f" (per-module cost {(t1 - t0) / (n1 - n0) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
