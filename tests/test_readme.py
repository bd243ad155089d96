"""The README's two set-up commands are what users and CI actually run.

If this broke, a new developer would copy a command from the README that CI never tried."""

import re
import subprocess

from tests.conftest import ROOT


def _commands():
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_opens_with_two_commands_and_ci_runs_the_second():
    """README starts with the build command and the test command; .ci/run calls the test command."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_blocks = re.findall(r"^```(\w+)$", text.split("\nThe first command", 1)[0], re.M)
    assert first_blocks == ["sh", "sh"], "README must open with exactly two command blocks"
    build, test = _commands()[:2]
    assert "kulturskole build" in build and "pytest" in test
    ci = [line for line in (ROOT / ".ci/run").read_text().splitlines()
          if line and not line.startswith(("#", "set ", "cd ", "status", "if ", "  echo", "fi", "exit"))]
    assert ci == [test]


def test_how_it_is_built_names_every_part_of_builder_and_nothing_that_is_gone():
    """If this broke, a newcomer would look for a folder the README names and not find it, or find
    a part of the pipeline the README does not mention."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tree = text.split("## How it is built", 1)[1].split("```", 2)[1]
    named = set(re.findall(r"^(builder/\w+)/", tree, re.M))
    parts = {f"builder/{p.name}" for p in (ROOT / "builder").iterdir() if (p / "__init__.py").is_file()}
    assert named == parts
    for path in set(re.findall(r"\bbuilder/[\w/.-]*\w", text)):
        assert (ROOT / path).exists(), path


def _editor_commands() -> list[str]:
    """Every command course/README.md tells an editor to type (in a code block or in backticks)."""
    text = (ROOT / "course" / "README.md").read_text(encoding="utf-8")
    return list(dict.fromkeys(re.findall(r"(?:^|`)(\.venv/bin/kulturskole[^`\n]*)", text, re.M)))


def test_the_editors_readme_writes_every_command_as_it_must_be_typed():
    """If this broke, an editor who typed `kulturskole check` as the README says would get
    «command not found»: the tool is in .venv/bin, which the README's set-up does not put on PATH."""
    text = (ROOT / "course" / "README.md").read_text(encoding="utf-8")
    bare = [line for line in text.splitlines() if re.search(r"(^|`)kulturskole (check|build|stats|preview)", line)]
    assert not bare, bare
    assert {"check", "stats", "build", "preview"} <= {_subcommand(c) for c in _editor_commands()}


def test_the_editors_readme_commands_work_as_written(tmp_path):
    """If this broke, a command an editor copies from course/README.md would fail where the README
    says to run it (the folder above course/, after README.md's set-up command)."""
    import os
    import shutil
    import signal
    import subprocess
    shutil.copytree(ROOT / "course", tmp_path / "course")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    env = os.environ | {"KULTURSKOLE_LANG": "nb"}
    for command in _editor_commands():
        args = command.split()
        if _subcommand(command) == "preview":     # on a free port: 8000 may be taken on a test machine
            proc = subprocess.Popen(args + ["--port", "0"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
            try:
                lines = []
                for line in proc.stdout:
                    lines.append(line)
                    if "http://127.0.0.1:" in line:
                        break
                assert any("http://127.0.0.1:" in line for line in lines), "".join(lines)
            finally:
                proc.send_signal(signal.SIGINT)
                proc.wait(30)
            continue
        done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"


def _subcommand(command: str) -> str:
    return next(word for word in command.split()[1:] if not word.startswith("-"))


def test_every_file_a_readme_names_is_in_the_repository():
    """If this broke, a newcomer or an editor would look for a file a README names (a test to run, a
    script to read, a folder to edit) and not find it: the README would point outside the repository."""
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.splitlines())
    missing = []
    for readme in sorted(p for p in tracked if p.endswith("README.md")):
        text = (ROOT / readme).read_text(encoding="utf-8")
        for path in set(re.findall(r"\b((?:builder|assets|tests|xblocks|course)/[\w/.<>*-]*[\w>*])", text)):
            if re.search(r"[<*]", path) or (ROOT / path).exists() or any(t.startswith(path + "/") for t in tracked):
                continue
            missing.append(f"{readme}: {path}")
    assert not missing, missing
