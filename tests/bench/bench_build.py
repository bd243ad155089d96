"""Build benchmark: the editor's and the learner's waits, as ratios to floors measured in the same run.

Run: .venv/bin/python tests/bench/bench_build.py [--baseline REF] [--repeat 3] [--sizes 100,1000] [--details]
     .venv/bin/python tests/bench/bench_build.py --phone [--baseline REF]    (only the slow-phone lines)

The table of the speed targets, for this tree and, with --baseline, for a git ref checked out in a temporary
worktree and measured in the same run (the course measured is this tree's course/ in both):
  * floor: zipping the files of the real course's built web edition with Python's zipfile;
  * the real course in every format: clean (no cache), warm cache with one page edited, nothing
    changed, each a whole `kulturskole build` process, median of --repeat, as a ratio to the floor;
  * the whole-course SCORM 2004 zip alone of generated courses of --sizes modules, each run on an
    empty cache of its own (a first build), against the floor of that course (zipping its web
    edition): time and size ratios, and ms per module;
  * the preview: a saved Markdown edit until its text is on screen, median of 10; a YAML error
    until it is on screen (tests/bench/editor.py);
  * a slow phone (150 ms, 1.6 Mbit/s, CPU ×4, uncompressed HTTP): first contentful paint of the
    front page and a module quiz usable, against the same text as plain HTML; the first paint of the
    course page in the SCORM 1.2 package's first SCO (from the launch page's start) against the same
    page of the web edition. --phone measures only these (one web + scorm12 build per tree).
--details adds the older reports: SCORM package sizes, CSS+JS per page, suspend_data seen in the
browser tests, and the web/scorm2004 builds of generated courses.

Older measures (--details), each a separate process, interpreter start included, median of --repeat:
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

Since course.yml lists `languages: [nb, nn]`, a plain build of the real course makes both editions:
about twice the work of the bokmål edition alone (2026-12-07, load average 15–20 on 2 cores, no
cache: 83.8 s of CPU against 43.3 s and 36.9 s for bokmål only; wall 495 s against 219 s and 335 s).
The issue-28 figures therefore build a bokmål-only copy (bokmal_copy); --details prints both.
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


# The course measured, by both trees (--course-ref replaces it with course/ of another commit).
COURSE = ROOT / "course"


class BuildRefused(Exception):
    pass


def installed_env(cache: Path) -> dict:
    """The environment of an editor's installed tool: its own build cache, and Python keeping the
    compiled modules (.pyc) it writes on first use. A shell with PYTHONDONTWRITEBYTECODE=1 (as these
    machines have) makes every build compile every module of the builder anew: 161 compile() calls,
    0.25 s of a one-format build, which no editor's build pays."""
    env = os.environ | {"XDG_CACHE_HOME": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(cmd: list[str], root: Path = ROOT, env: dict | None = None) -> tuple[float, float]:
    """(seconds, peak MB) of one process, run with the builder of the tree `root`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=root, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise BuildRefused(proc.stderr.read().decode().strip().splitlines()[0])
    return seconds, usage.ru_maxrss / 1024


def measure(cmd, repeat, root: Path = ROOT, env: dict | None = None, before=None):
    """(median seconds, peak MB, 'fastest–slowest' seconds): this machine is a shared VM, and the
    spread shows how far one reading can stray from the median. `before()` runs untimed before each run."""
    runs = []
    for i in range(repeat):
        if before is not None:
            before(i)
        runs.append(run(cmd, root, env))
    times = sorted(r[0] for r in runs)
    return statistics.median(times), max(r[1] for r in runs), f"{times[0]:.2f}–{times[-1]:.2f}"


def build_cmd(course: Path, out: Path, formats: list[str], language: str | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "builder", "build", "--course", str(course), "--out", str(out)]
    for f in formats:
        cmd += ["--format", f]
    return cmd + (["--language", language] if language else [])


def bokmal_copy(target: Path) -> Path:
    """A copy of the real course that builds its bokmål edition only (no `languages:` line): the
    issue-28 figures edit a bokmål page, which makes the nynorsk edition stale (a build refuses it,
    naming the PO entry), they stay comparable with the figures taken before course.yml listed nn,
    and a --baseline builder that predates `languages:` builds it too."""
    shutil.copytree(COURSE, target)
    yml = target / "course.yml"
    yml.write_text("".join(line for line in yml.read_text(encoding="utf-8").splitlines(keepends=True)
                           if not line.startswith("languages:")), encoding="utf-8")
    return target


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
        t, mb, _ = measure(build_cmd(COURSE, out, [fmt], "nb"), repeat)
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


def floor_zip(folder: Path, target: Path, repeat: int) -> float:
    """Median seconds to zip the files of `folder` with Python's zipfile (deflate), in this process."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(folder).as_posix())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def phone_figures(root: Path, tmp: Path, runs: int) -> dict:
    """Only the slow-phone figures for the builder of tree `root`: one web + scorm12 build, then Chromium."""
    from tests.bench.editor import phone_times
    tmp.mkdir(parents=True)
    out = tmp / "dist"
    run(build_cmd(COURSE, out, ["web", "scorm12"]) + ["--no-cache"], root)
    return phone_times(out / "web", next((out / "scorm12").glob("*.zip")), runs)


def issue_figures(root: Path, tmp: Path, repeat: int, sizes: list[int], browser: bool) -> dict:
    """Every figure of the issue-28 table for the builder of tree `root` (see the module docstring)."""
    tmp.mkdir(parents=True)
    env = installed_env(tmp / "cache")
    course = bokmal_copy(tmp / "course")
    out = tmp / "dist"
    every = build_cmd(course, out, [])
    fig = {}

    def clean(_):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(tmp / "cache", ignore_errors=True)

    fig["clean"], fig["clean_mb"], fig["clean_spread"] = measure(every, repeat, root, env, clean)
    fig["floor"] = floor_zip(out / "web", tmp / "floor.zip", max(repeat, 5))
    page = sorted(course.glob("modules/*/*.md"))[3]
    original = page.read_text(encoding="utf-8")

    def edit(i):
        page.write_text(original + f"\n\nEn setning til, nummer {i}.\n", encoding="utf-8")

    run(every, root, env)       # warm
    fig["edited"], _, fig["edited_spread"] = measure(every, repeat, root, env, edit)
    fig["unchanged"], _, fig["unchanged_spread"] = measure(every, repeat, root, env)
    page.write_text(original, encoding="utf-8")
    for n in sizes:
        src = tmp.parent / f"generated-{n}"
        if not src.exists():
            generate(src, n)
        web = tmp / f"web{n}"
        run(build_cmd(src, web, ["web"]), root, env)
        fig[f"floor{n}"] = floor_zip(web / "web", tmp / f"floor{n}.zip", repeat)
        fig[f"floor{n}_bytes"] = (tmp / f"floor{n}.zip").stat().st_size
        shutil.rmtree(web)
        target = tmp / f"one{n}" / "one.zip"
        # Each run on an empty cache of its own, as a first build: with one cache for every run, the
        # runs after the first found every page rendered (the median of --repeat 3 was a warm build).
        cold = tmp / f"cache-one{n}"
        fig[f"one{n}"], _, _ = measure(one_package_cmd(src, target), repeat, root, installed_env(cold),
                                       lambda _: shutil.rmtree(cold, ignore_errors=True))
        fig[f"one{n}_bytes"] = target.stat().st_size
        shutil.rmtree(target.parent)
    if browser:
        from tests.bench.editor import phone_times, preview_times
        fig.update(preview_times(root, COURSE))
        whole = next((out / "scorm12").glob("*.zip"))
        fig.update(phone_times(out / "web", whole))
    return fig


def baseline_tree(ref: str, tmp: Path) -> Path:
    """`ref` checked out in a temporary worktree, with this tree's node_modules (the XSDs, Designsystemet)."""
    tree = tmp / "baseline-tree"
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(tree), ref], cwd=ROOT, check=True)
    (tree / "node_modules").symlink_to(ROOT / "node_modules")
    return tree


def print_table(rows: dict[str, dict], sizes: list[int], phone_only: bool = False) -> None:
    names = list(rows)
    print(f"\n{'figure':<58}" + "".join(f"{n:>22}" for n in names))

    def line(label, fn):
        cells = []
        for n in names:
            try:
                cells.append(fn(rows[n]))
            except (KeyError, ZeroDivisionError):
                cells.append("–")
        print(f"{label:<58}" + "".join(f"{c:>22}" for c in cells))

    if not phone_only:
        build_lines(line, sizes)
    phone_lines(line)


def build_lines(line, sizes: list[int]) -> None:
    line("floor: zip the web edition (zipfile), s", lambda f: f"{f['floor']:.3f}")
    line("every format, clean: s (× floor)  target ≤ 20×", lambda f: f"{f['clean']:.2f} ({f['clean'] / f['floor']:.0f}×)")
    line("every format, warm, one page edited  target ≤ 4×", lambda f: f"{f['edited']:.2f} ({f['edited'] / f['floor']:.0f}×)")
    line("every format, nothing changed  target ≤ 2.5×", lambda f: f"{f['unchanged']:.2f} ({f['unchanged'] / f['floor']:.1f}×)")
    for n in sizes:
        line(f"whole-course SCORM zip, {n} modules: s (× floor) ≤ 5×",
             lambda f, n=n: f"{f[f'one{n}']:.2f} ({f[f'one{n}'] / f[f'floor{n}']:.1f}×)")
        line("  its size: MB (× floor's zip) ≤ 2×",
             lambda f, n=n: f"{f[f'one{n}_bytes'] / 1e6:.1f} ({f[f'one{n}_bytes'] / f[f'floor{n}_bytes']:.1f}×)")
        line("  ms per module", lambda f, n=n: f"{f[f'one{n}'] / n * 1000:.1f}")
    line("preview: save → text on screen, median of 10, s  ≤ 0.3", lambda f: f"{f['save_to_screen_s']:.2f}")
    line("preview: YAML error on screen, median of 3, s  ≤ 0.3", lambda f: f"{f['error_to_screen_s']:.2f}")


def phone_lines(line) -> None:
    line("phone: front page FCP s (× plain)  ≤ 1.6×",
         lambda f: f"{f['front_fcp']:.2f} ({f['front_fcp'] / f['front_fcp_floor']:.1f}×)")
    line("phone: module quiz usable s (× plain)  ≤ 2×",
         lambda f: f"{f['quiz_usable']:.2f} ({f['quiz_usable'] / f['quiz_usable_floor']:.1f}×)")
    line("phone: SCORM 1.2 first SCO's page FCP s (web's same page)",
         lambda f: f"{f['scorm_launch_fcp']:.2f} ({f['web_fcp_same_run']:.2f})")
    line("  the page", lambda f: f["scorm_page"])
    line("  plain-HTML floors: front, quiz s", lambda f: f"{f['front_fcp_floor']:.2f}, {f['quiz_usable_floor']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REF", help="also measure this git ref (e.g. a commit of main before the work)")
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the figures that need Chromium")
    parser.add_argument("--details", action="store_true", help="the older reports too (see the docstring)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON too")
    parser.add_argument("--phone", action="store_true", help="only the slow-phone figures (--repeat × 3 runs each)")
    parser.add_argument("--course-ref", metavar="REF", help="measure course/ as it was at this git ref, in both trees "
                        "(a --baseline builder cannot read sources written for later features)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    rows = {}
    with tempfile.TemporaryDirectory(prefix="ks-bench-") as tmp:
        tmp = Path(tmp)
        if args.course_ref:
            global COURSE
            COURSE = tmp / "course-ref" / "course"
            COURSE.parent.mkdir()
            archive = subprocess.run(["git", "archive", args.course_ref, "course"], cwd=ROOT, check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(COURSE.parent)], input=archive, check=True)
        try:
            def figures(root, folder):
                if args.phone:
                    return phone_figures(root, folder, args.repeat * 3)
                return issue_figures(root, folder, args.repeat, sizes, not args.no_browser)
            if args.baseline:
                tree = baseline_tree(args.baseline, tmp)
                rows[f"baseline {args.baseline[:12]}"] = figures(tree, tmp / "base")
            head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                  text=True).stdout.strip()
            rows[f"this tree {head}"] = figures(ROOT, tmp / "this")
        finally:
            if args.baseline:
                subprocess.run(["git", "worktree", "remove", "--force", str(tmp / "baseline-tree")], cwd=ROOT)
        print_table(rows, sizes, phone_only=args.phone)
        print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2, default=str))
        if args.details:
            details(tmp, args.repeat, args.no_browser)


def details(tmp: Path, repeat: int, no_browser: bool) -> None:
    from builder.formats import registry
    formats = list(registry())
    packages = ["web", "one-scorm2004", "scorm2004"]
    rows = []
    t, mb, spread = measure(build_cmd(COURSE, tmp / "real", []), repeat)
    print(f"real course, every format ({', '.join(formats)}), every edition of course.yml's languages: "
          f"{t:.2f} s ({spread}), {mb:.0f} MB peak")
    t, mb, spread = measure(build_cmd(COURSE, tmp / "real-nb", [], "nb"), repeat)
    print(f"real course, every format, bokmål only (--language nb): {t:.2f} s ({spread}), {mb:.0f} MB peak")
    scorm_report(tmp, repeat)
    if not no_browser:
        suspend_report()
        print()
        subprocess.run(build_cmd(COURSE, tmp / "real-web", ["web"], "nb"), check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        pages_report(tmp / "real-web" / "web")
    print(f"\ngenerated courses (median of {repeat}); one-scorm2004 = the whole-course zip alone; "
          "scorm2004 = the format: that zip plus one zip per module")
    print(f"{'modules':>8} {'format':>14} {'pages':>7} {'build s':>8} {'fastest–slowest':>16} {'peak MB':>8} "
          f"{'pages/s':>8} {'floor s':>8} {'ratio':>6}")
    for n in [int(x) for x in "10,100,1000".split(",")]:
        course = generate(tmp / f"src{n}", n)
        pages = n * 6 + 2  # 5 reading pages + a quiz page per module, front page and reflections page
        web = tmp / f"web{n}"
        subprocess.run(build_cmd(course, web, ["web"]), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        floor_cmd = [sys.executable, "-c", "import sys; from builder.infra.packaging import write_zip; "
                     "from pathlib import Path; write_zip(Path(sys.argv[1]), Path(sys.argv[2]))",
                     str(web / "web"), str(tmp / f"floor{n}.zip")]
        ft, _, _ = measure(floor_cmd, repeat)
        for package in packages:
            cmd = (one_package_cmd(course, tmp / f"out{n}" / "one.zip") if package == "one-scorm2004"
                   else build_cmd(course, tmp / f"out{n}", [package]))
            try:
                t, mb, spread = measure(cmd, repeat)
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
