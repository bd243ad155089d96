"""`kulturskole check PACKAGE` on hostile archives: each is refused in one line, quickly,
without reading gigabytes, following a link or resolving an entity, and without a traceback.

If one of these broke, checking a package someone sent could fill the facilitator's memory, print a
file of their machine into a report, or end in a traceback instead of a reason."""

from __future__ import annotations

import gzip
import io
import stat
import struct
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main

XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       b'<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" identifier="&x;"/>\n')


@pytest.fixture(scope="module")
def packages(tmp_path_factory, example_course_module):
    out = tmp_path_factory.mktemp("packages")
    result = CliRunner().invoke(main, ["build", "--course", str(example_course_module), "--out", str(out / "dist"),
                                       "--format", "scorm12", "--format", "olx", "--format", "moodle"])
    assert result.exit_code == 0, result.output
    return {"scorm": out / "dist/scorm12/modules/roller.zip", "olx": next((out / "dist/olx").glob("*.tar.gz")),
            "mbz": next((out / "dist/moodle").glob("*.mbz"))}


@pytest.fixture(scope="module")
def example_course_module(tmp_path_factory):
    import shutil
    from tests.conftest import EXAMPLE
    course = tmp_path_factory.mktemp("course") / "course"
    shutil.copytree(EXAMPLE, course)
    return course


def _copy_zip(src: Path, dst: Path, extra=()) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        for info, data in extra:
            zout.writestr(info, data)
    return dst


def _declare_size(path: Path, member: str, size: int) -> None:
    """Make the zip's central directory claim `member` inflates to `size` bytes (a lying header)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02" + b"\x00" * 0)
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def _tar_gz(dst: Path, src: Path | None, extra_headers=(), extra_files=()) -> Path:
    """A copy of the tar.gz `src` plus members; a header in `extra_headers` declares its size without data."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        if src is not None:
            with tarfile.open(src, "r:gz") as old:
                for m in old.getmembers():
                    tar.addfile(m, old.extractfile(m) if m.isfile() else None)
        for info, data in extra_files:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
        body = raw.getvalue()
    for info in extra_headers:            # a header whose data never follows: the archive is cut off
        body = body.rstrip(b"\0") + b"\0" * (-len(body.rstrip(b"\0")) % 512) + info.tobuf(tarfile.GNU_FORMAT)
    dst.write_bytes(gzip.compress(body))
    return dst


def _check(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", *args])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        f"a traceback instead of a message: {result.exception!r}"
    return result.exit_code, [line for line in result.output.splitlines() if line.strip()]


def _case_scorm_manifest_declares_3_gb(p, tmp):
    bad = _copy_zip(p["scorm"], tmp / "stor.zip")
    _declare_size(bad, "imsmanifest.xml", 3_000_000_000)
    return bad, "imsmanifest.xml: the file is 2,861 MB unpacked"


def _case_scorm_manifest_is_a_zip_bomb(p, tmp):
    buf = tmp / "bombe.zip"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("imsmanifest.xml", b"<manifest>" + b" " * 60_000_000 + b"</manifest>")
    return buf, "which only a zip bomb does"


def _case_scorm_symlink_entry(p, tmp):
    link = zipfile.ZipInfo("pw.html")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    bad = _copy_zip(p["scorm"], tmp / "lenke.zip", [(link, b"/etc/passwd")])
    return bad, "pw.html: a link in the zip"


def _case_scorm_too_many_entries(p, tmp):
    bad = tmp / "mange.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("imsmanifest.xml", b"<manifest/>")
        for i in range(20_001):
            z.writestr(f"f/{i}.txt", b"")
    return bad, "more than the 20,000 this check reads"


def _case_scorm_manifest_external_entity(p, tmp):
    bad = tmp / "xxe.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("imsmanifest.xml", XXE)
    return bad, "imsmanifest.xml:1: the XML declares a DOCTYPE or entities"


def _declaring_3_gb(archive: Path, member: str, out: Path):
    """`archive` again with a member whose header says 3 GB: what a zip-bomb-like archive looks like."""
    big = tarfile.TarInfo(member)
    big.size = 3_000_000_000
    return _tar_gz(out, archive, extra_headers=[big]), f"{member}: the file is 2,861 MB unpacked"


def _case_mbz_member_declares_3_gb(p, tmp):
    return _declaring_3_gb(p["mbz"], "files/aa/aa00", tmp / "stor.mbz")


def _case_mbz_symlink(p, tmp):
    link = tarfile.TarInfo("files/pw")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    return _tar_gz(tmp / "lenke.mbz", p["mbz"], extra_files=[(link, None)]), "a link to '/etc/passwd'"


def _case_mbz_xml_external_entity(p, tmp):
    with tarfile.open(p["mbz"], "r:gz") as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]
    raw = tmp / "xxe.mbz"
    rebuilt = []
    for m, data in members:
        if m.name.removeprefix("./") == "files.xml":
            data = XXE.replace(b"manifest", b"files")
            m.size = len(data)
        rebuilt.append((m, data))
    return _tar_gz(raw, None, extra_files=rebuilt), "files.xml: the XML declares a DOCTYPE or entities"


def _case_olx_member_declares_3_gb(p, tmp):
    return _declaring_3_gb(p["olx"], "course/static/film.mp4", tmp / "stor.tar.gz")


def _case_olx_xml_external_entity(p, tmp):
    xxe = tarfile.TarInfo("course/about/x.xml")
    data = XXE.replace(b"manifest", b"about")
    xxe.size = len(data)
    return _tar_gz(tmp / "xxe.tar.gz", p["olx"], extra_files=[(xxe, data)]), "the XML declares a DOCTYPE or entities"


CASES = {name.removeprefix("_case_"): fn for name, fn in globals().items() if name.startswith("_case_")}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_package_is_one_line(case, packages, tmp_path):
    """A hostile archive given to `check` is refused with exit 1 in one line that names the member."""
    bad, expected = case(packages, tmp_path)
    code, lines = _check(str(bad))
    problems = [line for line in lines if not line.endswith("problem(s)")]
    assert code == 1, lines
    assert len(problems) == 1 and expected in problems[0], lines
    assert "root:x:0:0" not in "\n".join(lines)


def test_the_packages_themselves_pass(packages):
    """The untouched packages pass the same checks (so the refusals above are about the tricks)."""
    for path in packages.values():
        assert _check(str(path)) == (0, [f"{path}: OK"])


@pytest.mark.parametrize("old", ["mbz", "olx", "xxe"])
def test_against_a_package_that_is_no_scorm_zip_is_one_line(old, packages, tmp_path):
    """--against with an old package that is no SCORM zip (a Moodle backup, an OLX archive, a manifest
    with an entity) says so in one line and exits 1."""
    if old == "xxe":
        path = tmp_path / "xxe.zip"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("imsmanifest.xml", XXE)
    else:
        path = packages[old]
    code, lines = _check(str(packages["scorm"]), "--against", str(path))
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(str(path)), lines
    assert "root:x:0:0" not in lines[0]
