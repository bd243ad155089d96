"""The XBlocks are a distribution of their own: an Open edX image installs them without the builder."""

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What the course builder needs and an Open edX image must not be asked to install.
BUILDER_ONLY = {"weasyprint", "pyromark", "click", "kulturskole-kurs", "icalendar", "olxcleaner", "jinja2"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    # setuptools writes build/ and *.egg-info beside the sources: build from a copy, not the checkout.
    source = shutil.copytree(ROOT / "xblocks", out / "src", ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(out), str(source)], check=True, cwd=out)
    (path,) = out.glob("kulturskole_xblocks-*.whl")
    return path


def test_wheel_declares_only_what_the_blocks_import(wheel):
    """If this broke, `pip install` in an Open edX image would pull WeasyPrint and the builder
    (or miss XBlock), and Tutor's image build would fail or grow by hundreds of MB."""
    with zipfile.ZipFile(wheel) as archive:
        (meta,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(meta).decode())
        entry_points = archive.read(meta.replace("METADATA", "entry_points.txt")).decode()
        names = archive.namelist()
    required = {r.split(";")[0].split(">")[0].split("=")[0].split("[")[0].strip().lower()
                for r in metadata.get_all("Requires-Dist")}
    assert required == {"xblock", "django", "web-fragments", "webob"}
    assert not required & BUILDER_ONLY
    assert "kulturskole_reflection = kulturskole_xblocks.reflection.block:ReflectionXBlock" in entry_points
    assert "kulturskole_homework = kulturskole_xblocks.homework.block:HomeworkXBlock" in entry_points
    assert "kulturskole_xblocks/homework/translations/nb/LC_MESSAGES/django.mo" in names
    assert "kulturskole_xblocks/shared/templates/submission_form.html" in names
    assert not any(n.startswith("builder/") for n in names)


def test_installed_blocks_import_without_the_builder(wheel, tmp_path):
    """If this broke, the blocks would only load where the whole course toolkit is installed:
    an Open edX LMS would show "block type not found" for every reflection and homework."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True)
    probe = f"""
import sys, importlib.abc
sys.path[:] = [p for p in sys.path if p and p not in ({str(ROOT)!r}, {str(ROOT / 'xblocks')!r})]
sys.path.insert(0, {str(target)!r})
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("builder", "weasyprint", "pyromark", "click", "jinja2"):
            raise ImportError("the XBlocks must not need " + name)
sys.meta_path.insert(0, Refuse())
import django
from django.conf import settings
settings.configure()
django.setup()
from kulturskole_xblocks.reflection.block import ReflectionXBlock
from kulturskole_xblocks.homework.block import HomeworkXBlock
import kulturskole_xblocks
assert kulturskole_xblocks.__file__.startswith({str(target)!r}), kulturskole_xblocks.__file__
print(ReflectionXBlock.__name__, HomeworkXBlock.__name__)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ReflectionXBlock", "HomeworkXBlock"]
