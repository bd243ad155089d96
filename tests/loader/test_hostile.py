"""The catalogue of hostile and broken course sources (tests/fixtures/hostile/): none of them may
hurt a learner, leak a file or lose a build.

Each case is run through `kulturskole build` and `kulturskole check` in-process (a web build of the
small example course takes milliseconds). A rejected case must exit 1 from both, name the file and
line the editor must change with what to do, and leave dist/ exactly as it was. A case that builds
must give outputs in which an HTML5 parser finds no event handler, no javascript: URL, no script we
did not write, nothing loaded from another host and no file from outside the course. Then every
case that builds is put into one course, built in every format, and every output is read the same way.

If one of these broke, a learner could run an editor's (or an attacker's) script inside the LMS,
a package could carry /etc/passwd, or a module could vanish from every package without a word."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from builder.cli import main
from tests.conftest import EXAMPLE, ROOT
from tests.safety import unsafe

HERE = ROOT / "tests" / "fixtures" / "hostile"
CATALOGUE = yaml.safe_load((HERE / "catalogue.yml").read_text(encoding="utf-8"))
VECTORS = [line for line in (HERE / "owasp-xss.txt").read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("# ")]
SECRET = "HEMMELIG-UTENFOR-KURSET-8c1f"
SECRETS = [SECRET.encode(), b"root:x:0:0"]
VECTOR_PAGE = "modules/intro/03-vektor.md"
VECTOR_HEAD = "---\ntitle: Vektor\n---\n\n"            # the vector is on line 5


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    """A folder beside the course with things an editor must not be able to publish from it."""
    example = EXAMPLE
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "side.md").write_text(f"---\ntitle: Hemmelig\n---\n\n{SECRET}\n", encoding="utf-8")
    (folder / "reflections.yml").write_text((example / "modules/intro/reflections.yml").read_text(encoding="utf-8")
                                            + f"# {SECRET}\n", encoding="utf-8")
    shutil.copytree(example / "modules/intro", folder / "modul")
    shutil.copytree(example / "media", folder / "media")
    return folder


def _apply(change: dict, course: Path, outside: Path) -> None:
    path = course / change["file"]
    if "link" in change:
        target = change["link"].replace("{outside}", str(outside))
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)
    elif "hardlink" in change:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.link(change["hardlink"].replace("{outside}", str(outside)), path)
    elif change.get("fifo"):
        os.mkfifo(path)
    elif "bytes" in change:
        spec = change["bytes"]
        head = spec["head"].encode(spec.get("encoding", "latin-1"))
        fill = spec["fill"].encode("latin-1")
        body = head + fill * ((spec["size"] - len(head)) // len(fill) + 1)
        path.write_bytes(body[:max(spec["size"], len(head))])
    elif "write" in change:
        path.write_text(change["write"], encoding="utf-8")
    elif "append" in change:
        path.write_text(path.read_text(encoding="utf-8") + change["append"], encoding="utf-8")
    elif change.get("folder"):
        path.unlink()
        path.mkdir()
    elif "replace" in change:
        old, new = change["replace"]
        # Inputs too long to write out: `nested: N` lists nested N deep, `long: N` N letters.
        new = new.replace("{nested}", "".join("    " + "  " * i + "- x\n" for i in range(change.get("nested", 0))))
        new = new.replace("{long}", "h" * change.get("long", 0))
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{change['file']}: fixture text not found: {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    elif change.get("transform") == "bom-crlf":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
    else:
        raise AssertionError(f"unknown change {change}")


def apply_case(case: dict, course: Path, outside: Path) -> None:
    _apply(case, course, outside)
    for extra in case.get("also", []):
        _apply(extra, course, outside)


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _line(course: Path, where: str, expect: dict) -> int:
    if "line" in expect:
        return expect["line"]
    text = (course / where).read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(expect["at"])) + 1


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        f"a traceback instead of a message: {result.exception!r}"
    # A message quotes the sources; a control character from them (a terminal escape) is shown as its code.
    raw = [c for c in result.output if c != "\n" and (ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0)]
    assert raw == [], f"control characters printed raw: {raw}"
    return result.exit_code, result.output


def _previous_dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "web").mkdir(parents=True)
    (dist / "web" / "index.html").write_text("the previous, good build", encoding="utf-8")
    return dist


def _assert_rejected(output: str, code: int, shown: str, line: int, message: str) -> None:
    assert code == 1, output
    prefix = f"{shown}:{line}: " if line else f"{shown}: "
    rows = [r for r in output.splitlines() if r.startswith(prefix)]
    assert any(message in r for r in rows), f"expected `{prefix}…{message}…` in:\n{output}"
    for row in output.splitlines():
        if row.startswith("course/"):
            assert " — " in row and row.split(" — ", 1)[1].strip(), f"a message without what to do: {row}"


@pytest.mark.parametrize("case", CATALOGUE, ids=[c["name"] for c in CATALOGUE])
def test_catalogue_case(case, example_course, outside, tmp_path):
    """Each broken or hostile source is refused at its file and line with dist/ untouched, or builds safely."""
    apply_case(case, example_course, outside)
    dist = _previous_dist(tmp_path)
    before = _snapshot(dist)
    formats = [a for f in case.get("formats", ["web"]) for a in ("--format", f)]
    # A region's programme file (`programme: true`) is given to both commands with --programme.
    extra = ["--programme", str(example_course / case["file"])] if case.get("programme") else []
    code, output = _run(["build", "--course", str(example_course), "--out", str(dist), *formats, *extra])
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist.building-")]
    assert leftovers == [], f"staging folders left behind: {leftovers}"
    if "rejected" in case:
        expect = case["rejected"]
        where = expect.get("where", case["file"])
        line = _line(example_course, where, expect) if "at" in expect or "line" in expect else 0
        shown = str(example_course / where) if case.get("programme") else f"course/{where}"
        _assert_rejected(output, code, shown, line, expect["message"])
        assert _snapshot(dist) == before, "a failed build changed dist/"
        assert output.rstrip().endswith(("problem found", "problems found")), output   # and dist/ is as it was
        # `check` refuses exactly what `build` refuses
        check_code, check_output = _run(["check", "--course", str(example_course), *extra])
        _assert_rejected(check_output, check_code, shown, line, expect["message"])
    else:
        assert code == 0, output
        expect = case["built"] or {}
        assert unsafe(dist, SECRETS) == []
        texts = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (dist / "web").rglob("*.html"))
        if "absent" in expect:
            assert expect["absent"] not in texts
        if "present" in expect:
            assert expect["present"] in texts
        check_code, check_output = _run(["check", "--course", str(example_course), *extra])
        assert check_code == 0, check_output


def _vector_course(course: Path, vectors: list[str]) -> None:
    (course / VECTOR_PAGE).write_text(VECTOR_HEAD + "\n\n".join(vectors) + "\n", encoding="utf-8")


@pytest.mark.parametrize("vector", VECTORS, ids=[f"owasp-{i + 1:02d}" for i in range(len(VECTORS))])
def test_owasp_xss_vector(vector, example_course, tmp_path):
    """A published XSS filter-evasion vector in a page is refused at that page's line, or is harmless text."""
    _vector_course(example_course, [vector])
    dist = _previous_dist(tmp_path)
    before = _snapshot(dist)
    code, output = _run(["build", "--course", str(example_course), "--out", str(dist), "--format", "web"])
    if code == 0:
        assert unsafe(dist, SECRETS) == []
    else:
        assert code == 1, output
        assert _snapshot(dist) == before
        rows = [r for r in output.splitlines() if r.startswith("course/")]
        assert rows and all(r.startswith(f"course/{VECTOR_PAGE}:5: ") for r in rows), output


def test_everything_that_builds_is_safe_in_every_format(example_course, outside, tmp_path):
    """All cases and vectors that build, in one course, built in every format: no output (web pages,
    SCORM zips, OLX, homework packages, calendar, guide) runs script, calls another host or leaks a file."""
    built = [c for c in CATALOGUE if "built" in c]
    for case in built:
        apply_case(case, example_course, outside)
    harmless = []
    for vector in VECTORS:
        _vector_course(example_course, [vector])
        code, _ = _run(["check", "--course", str(example_course)])
        if code == 0:
            harmless.append(vector)
    _vector_course(example_course, harmless)
    dist = tmp_path / "dist"
    code, output = _run(["build", "--course", str(example_course), "--out", str(dist)])
    assert code == 0, output
    assert len(harmless) >= 5 and len(built) >= 10
    formats = {p.name for p in dist.iterdir()}
    assert {"web", "scorm12", "scorm2004", "olx", "homework"} <= formats, formats
    assert unsafe(dist, SECRETS) == []


def test_readme_states_the_catalogues_counts():
    """The README promises how many hostile cases are refused and built harmless; the numbers are the
    catalogue's. If this broke, the README would promise a catalogue the project does not have."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    refused = sum("rejected" in c for c in CATALOGUE)
    built = sum("built" in c for c in CATALOGUE)
    assert f"**{len(CATALOGUE)} cases: {refused} refused, {built} built harmless** (plus {len(VECTORS)} " \
           "published XSS vectors)" in readme.replace("\n", " ")
