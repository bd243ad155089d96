"""Formats are plugins: the built-ins and a third party's are found the same way, through the
entry-point group `kulturskole.formats`, and a format that is missing or broken is said out loud."""

from __future__ import annotations

import configparser
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.formats import GROUP, forget, registry
from tests.conftest import ROOT

BUILT_IN = {"web", "scorm12", "scorm2004", "olx", "homework", "calendar", "guide", "packs", "moodle"}

FAKE_MODULE = '''
from pathlib import Path
from builder.errors import Problem
from builder.formats import Format


class FakeFormat(Format):
    name = "fake"
    description = "a one-line text file per module (dist/fake/)"

    def build(self, out):
        out.mkdir(parents=True, exist_ok=True)
        for m in self.course.modules:
            (out / f"{m.id}.txt").write_text(m.title, encoding="utf-8")

    @staticmethod
    def claims(path):
        return Path(path).suffix == ".fake"

    @staticmethod
    def check(path):
        text = Path(path).read_text(encoding="utf-8")
        return [] if text.startswith("FAKE") else [Problem(str(path), 1, "a fake file starts with FAKE")]


class WebToo(FakeFormat):
    name = "web"
'''


def install(tmp_path: Path, monkeypatch, entry_points: str, module: str = FAKE_MODULE) -> None:
    """A distribution on sys.path as pip would leave it: a module and a .dist-info with entry points."""
    site = tmp_path / "site"
    info = site / "kulturskole_fake-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kulturskole-fake\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[{GROUP}]\n{entry_points}\n", encoding="utf-8")
    (site / "kulturskole_fake.py").write_text(module, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    forget()


@pytest.fixture(autouse=True)
def fresh_registry():
    forget()
    yield
    forget()


def test_every_built_in_format_is_registered_through_the_entry_point_group():
    """If this broke, a format folder would exist but `kulturskole build` would never run it."""
    assert set(registry()) == BUILT_IN
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    targets = config["options.entry_points"][GROUP]
    folders = {p.name for p in (ROOT / "builder" / "formats").iterdir() if (p / "__init__.py").is_file()}
    assert folders and all(f"builder.formats.{folder}" in targets for folder in folders), targets


def test_a_third_party_format_is_built_listed_and_checks_its_files(tmp_path, monkeypatch, example_course):
    """If this broke, a format from another package (a Moodle backup, a nynorsk edition) could not
    be added without editing the builder."""
    install(tmp_path, monkeypatch, "fake = kulturskole_fake:FakeFormat")
    runner = CliRunner()
    help_text = runner.invoke(main, ["build", "--help"]).output
    assert "fake" in help_text and "a one-line text file per module" in help_text
    assert "scorm12" in help_text and "Open edX course import" in help_text

    out = tmp_path / "dist"
    result = runner.invoke(main, ["build", "--course", str(example_course), "--out", str(out), "--format", "fake"])
    assert result.exit_code == 0, result.output
    assert (out / "fake" / "roller.txt").read_text(encoding="utf-8")

    good, bad = tmp_path / "a.fake", tmp_path / "b.fake"
    good.write_text("FAKE 1", encoding="utf-8")
    bad.write_text("something else", encoding="utf-8")
    result = runner.invoke(main, ["check", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{good}: OK" in result.output and f"{bad}:1: a fake file starts with FAKE" in result.output


def test_a_misspelt_format_is_refused_with_a_suggestion(tmp_path, monkeypatch, example_course):
    """If this broke, `--format moodel` would fail without saying which name was meant."""
    install(tmp_path, monkeypatch, "fake = kulturskole_fake:FakeFormat")
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(tmp_path / "d"),
                                       "--format", "fakee"])
    assert result.exit_code == 2 and "did you mean 'fake'?" in result.output


@pytest.mark.parametrize("line, says", [
    ("gone = kulturskole_missing_module:GoneFormat", "the format 'gone = kulturskole_missing_module:GoneFormat' "
                                                     "of kulturskole-fake cannot be loaded: ModuleNotFoundError"),
    ("fake = kulturskole_fake:NoSuchClass", "cannot be loaded: AttributeError"),
    ("other = kulturskole_fake:FakeFormat", "is not a format: its name is 'fake'"),
    ("web = kulturskole_fake:WebToo", "two formats are called 'web'"),
])
def test_a_broken_format_stops_the_build_and_says_which(tmp_path, monkeypatch, example_course, line, says):
    """If this broke, a format whose package is broken would silently be left out of `dist/`
    (the old registry dropped a format whose module was missing)."""
    install(tmp_path, monkeypatch, line)
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(out)])
    assert result.exit_code == 1 and says in result.output, result.output
    assert not out.exists()
    shown = CliRunner().invoke(main, ["build", "--help"])
    assert shown.exit_code == 0 and "--module" in shown.output
    assert says.split(":")[0][:40] in " ".join(shown.output.split())


def test_check_judges_a_file_only_by_the_formats_that_claim_it(tmp_path):
    """If this broke, a zip of photos or a Common Cartridge for Moodle would get a list of SCORM
    errors that have nothing to do with it."""
    photos = tmp_path / "bilder.zip"
    with zipfile.ZipFile(photos, "w") as zf:
        zf.writestr("bilde.txt", "not a package")
    cartridge = tmp_path / "kurs.imscc"
    with zipfile.ZipFile(cartridge, "w") as zf:
        zf.writestr("imsmanifest.xml", '<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"/>')
    cartridge_zip = tmp_path / "kurs-cc.zip"
    cartridge_zip.write_bytes(cartridge.read_bytes())
    for path in (photos, cartridge, cartridge_zip):
        result = CliRunner().invoke(main, ["check", str(path)])
        assert result.exit_code == 1
        assert "not a package this tool knows: no format claims it" in result.output, result.output
        assert "imsmanifest" not in result.output and "SCORM" not in result.output

    scorm = tmp_path / "scorm.zip"   # a SCORM zip with a mistake is still judged by SCORM rules
    with zipfile.ZipFile(scorm, "w") as zf:
        zf.writestr("pakke/imsmanifest.xml", "<manifest/>")
    result = CliRunner().invoke(main, ["check", str(scorm)])
    assert result.exit_code == 1 and "not at the root of the zip" in result.output


def test_a_build_imports_only_the_formats_it_builds(tmp_path, monkeypatch, example_course):
    """If this broke, every build would import every format's modules (0.9 s of a 2.6 s one-format
    build's profile under load: Moodle's, OLX's, SCORM's, the PDF renderer's), and a broken format
    from another package would stop builds that do not use it."""
    import subprocess
    import sys
    code = ("import sys\nfrom builder.cli import main\ntry:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('builder.formats.'))), file=sys.stderr)\n"
            "sys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", code, "build", "--course", str(example_course), "--out", str(tmp_path / "d"),
                           "--format", "web", "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    imported = {m.split(".")[2] for m in done.stderr.split()[-20:] if m.startswith("builder.formats.")}
    assert "web" in imported and not imported & {"moodle", "olx", "guide", "packs", "homework", "calendar"}, imported

    install(tmp_path, monkeypatch, "gone = kulturskole_missing_module:GoneFormat")
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(tmp_path / "e"),
                                       "--format", "web"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["build", "--course", str(example_course), "--out", str(tmp_path / "f"),
                                       "--format", "gone"])
    assert result.exit_code == 1 and "kulturskole_missing_module" in result.output
