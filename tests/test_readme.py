"""The README's two set-up commands are what users and CI actually run.

If this broke, a new developer would copy a command from the README that CI never tried."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
