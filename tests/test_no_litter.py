"""No command leaves anything in the system's temporary folder.

If this broke, every build, check or preview would leave folders behind in /tmp (the XSD copies
of each build worker, a preview stopped during its first build), filling a shared machine's disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT


def _env(tmp: Path) -> dict:
    tmp.mkdir(exist_ok=True)
    return os.environ | {"TMPDIR": str(tmp), "KULTURSKOLE_NO_CACHE": "1"}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "builder", *args]


def test_build_and_check_leave_the_temporary_folder_as_it_was(tmp_path):
    """If this broke, each build would leave kulturskole-xsd-* (or other) folders in /tmp."""
    tmp = tmp_path / "tmp"
    env = _env(tmp)
    done = subprocess.run(_cli("build", "--course", str(EXAMPLE), "--out", str(tmp_path / "dist")), cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp.iterdir()) == [], "build left these behind"
    packages = [str(p) for p in (tmp_path / "dist").rglob("*") if p.suffix in (".zip", ".mbz") or p.name.endswith(".tar.gz")]
    for args in (("check", "--course", str(EXAMPLE)), ("check", *packages[:4])):
        done = subprocess.run(_cli(*args), cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in tmp.iterdir()) == [], f"{args[0]} left these behind"


@pytest.mark.parametrize("during_first_build", [True, False])
def test_a_preview_stopped_at_any_moment_leaves_nothing(tmp_path, during_first_build):
    """If this broke, Ctrl-C on the preview (during its first build, or while it serves) would leave
    a kulturskole-preview-* folder behind, or print click's English «Aborted!»."""
    tmp = tmp_path / "tmp"
    proc = subprocess.Popen(_cli("preview", "--course", str(EXAMPLE), "--port", "0"), cwd=ROOT, env=_env(tmp),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if during_first_build:           # the preview's folder exists: its first build has begun
        deadline = time.time() + 60
        while not list(tmp.glob("kulturskole-preview-*")) and time.time() < deadline:
            time.sleep(0.01)
    else:
        for line in proc.stdout:
            if "http://127.0.0.1:" in line:
                break
    proc.send_signal(signal.SIGINT)
    output = proc.communicate(timeout=60)[0]
    assert "Aborted" not in output and "Traceback" not in output, output
    assert sorted(p.name for p in tmp.iterdir()) == [], "the preview left these behind"


@pytest.mark.parametrize("moment", ["making its folder", "walking the course", "first build", "starting to watch"])
def test_ctrl_c_at_each_step_of_the_preview_start_leaves_nothing(tmp_path, monkeypatch, moment):
    """If this broke, Ctrl-C the instant the preview has made its folder, while it reads the course
    before its first build, or just after it (the moment the editor sees nothing happen and presses it),
    would leave a kulturskole-preview-* folder behind. The test above hits these moments only by chance; here each one raises for sure."""
    import tempfile
    from builder.preview import rebuild, server

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    def made_then_interrupted(path, *args, **kwargs):       # Ctrl-C the instant after the folder exists
        real_mkdir(path, *args, **kwargs)
        if os.path.basename(path).startswith("kulturskole-preview-"):
            raise KeyboardInterrupt
    real_mkdir = os.mkdir
    target = {"making its folder": (os, "mkdir", made_then_interrupted), "walking the course": (rebuild, "snapshot", interrupted),
              "first build": (rebuild.Rebuilder, "rebuild", interrupted),
              "starting to watch": (rebuild.Rebuilder, "watch", interrupted)}[moment]
    monkeypatch.setattr(*target)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(KeyboardInterrupt):
        server.Preview(EXAMPLE, port=0, say=lambda line: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "the preview left these behind"
