"""The README's two set-up commands are what users and CI actually run.

If this broke, a new developer would copy a command from the README that CI never tried."""

import re

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
