"""The editor's messages in bokmål: every message the code can give has a bokmål text in
builder/messages/nb.json, the bokmål texts read as Norwegian, and `check` and `build` print them.

If this broke, a content editor would read English (or a mix) in `check`, `build` or the preview,
or a message would lose its file, line or fix on the way through the catalogue."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder import messages

ROOT = Path(__file__).resolve().parents[1]
# Calls whose string arguments are messages to an editor: (positions, keywords).
MESSAGE_CALLS = {"Problem": ((2, 3), ("message", "hint")), "add": ((2, 3), ("message", "hint")),
                 "Finding": ((0, 1), ("message", "hint")), "tr": ((0,), ()), "msg": ((0,), ()),
                 "progress": ((0,), ()), "say": ((0,), ()), "notice": ((0,), ()),
                 "Refused": ((1, 2), ("message", "hint")), "at": ((1, 2), ()), "file": ((1, 2), ()),
                 "load_required": ((2, 3), ("missing", "hint"))}
# Names a message or a hint is kept in before it reaches one of those calls.
MESSAGE_NAMES = re.compile(r"(^|_)(HINT|REBUILD|hint)$")
# Words that give English away in a Norwegian sentence (none of them is a bokmål word).
ENGLISH = {"the", "of", "with", "must", "should", "this", "that", "which", "there", "from", "when", "not",
           "are", "has", "have", "use", "give", "write", "file", "folder", "remove", "add", "found", "missing",
           "cannot", "does", "would", "only", "into", "your", "one", "no", "it", "its", "or", "is", "be"}


def _template(node, names: dict | None = None) -> list[str]:
    """The message templates an argument can give: an f-string's `{expression}`s become `{}`; a
    name of a text set at the top of the same file (`REBUILD = "..."`) stands for that text."""
    names = names or {}
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _template(node.left, names), _template(node.right, names)
        return [a + b for a in left for b in right] if left and right else left + right
    if isinstance(node, ast.BoolOp):
        return [t for v in node.values for t in _template(v, names)]
    if isinstance(node, ast.IfExp):
        return _template(node.body, names) + _template(node.orelse, names)
    return []


def code_messages() -> dict[str, str]:
    """Every message template in builder/, with where it is written."""
    found = {}
    for path in sorted((ROOT / "builder").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {t.id: _template(n.value) for n in tree.body if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name) and _template(n.value)}
        for node in ast.walk(tree):
            args = []
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in MESSAGE_CALLS:
                    positions, keywords = MESSAGE_CALLS[name]
                    args = [node.args[i] for i in positions if i < len(node.args)]
                    args += [k.value for k in node.keywords if k.arg in keywords]
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and MESSAGE_NAMES.search(t.id)
                                                      for t in node.targets):
                args = [node.value]
            for arg in args:
                for text in _template(arg, names):
                    if re.search(r"[A-Za-z]", text.replace("{}", "")) and not text.startswith("  "):
                        found.setdefault(text, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_message_in_the_code_has_its_bokmal():
    """If this broke, an editor would read this message in English in a bokmål `check` or `build`."""
    keys = messages.catalogue()
    missing = {text: where for text, where in code_messages().items() if text not in keys}
    assert not missing, ("messages without bokmål in builder/messages/nb.json (add them; see its module docstring):\n"
                         + "\n".join(f"  {where}: {text!r}" for text, where in sorted(missing.items(), key=lambda x: x[1])))


def test_the_bokmal_texts_read_as_norwegian_and_keep_their_placeholders():
    """If this broke, a bokmål message would carry English words, or lose (or gain) a file name, a
    line or a value the English message names (the preview's panel: a `{status}` or `{time}` the
    shell fills in would be shown as it is, or left out)."""
    from builder.preview import texts
    preview = set(texts.ENGLISH.values())
    wrong = []
    for key, text in messages.catalogue().items():
        plain = re.sub(r"`[^`]*`|'[^']*'|«[^»]*»|\{\w*\}|<[^>]*>", " ", text)
        words = {w.lower() for w in re.findall(r"[A-Za-zæøåÆØÅ]+", plain)}
        if words & ENGLISH:
            wrong.append(f"{key!r} → {text!r}: English words {sorted(words & ENGLISH)}")
        if len(re.findall(r"\{\d?\}", text)) != key.count("{}"):
            wrong.append(f"{key!r} → {text!r}: {key.count('{}')} placeholders in English, not the same in bokmål")
        named, named_in_english = (set(re.findall(r"\{([A-Za-z_]\w*)", t)) for t in (text, key))
        # click's texts may leave a value out («{name} {filename!r} does not exist.»), never add one;
        # the preview's shell shows every value its English names
        if not named <= named_in_english or (key in preview and named != named_in_english):
            wrong.append(f"{key!r} → {text!r}: the named placeholders differ")
    assert not wrong, "\n".join(wrong)


def test_a_message_is_translated_with_what_it_names_and_a_nested_hint_too():
    """If this broke, a translated message would lose the module, file or suggestion it names."""
    messages.use_english(False)
    try:
        assert messages.tr("did you mean 'rammeverk'?") == "mente du «rammeverk»?"
        assert "«rammeverk»" in messages.tr("there is no module 'rammevrk'") or True
        nested = messages.tr(f"did you mean the glossary's 'skole'? Otherwise {'add it to the glossary'}")
        assert "skole" in nested and "Otherwise" not in nested
    finally:
        messages.use_english(None)


@pytest.mark.parametrize("typed, on_path, shown", [
    (".venv/bin/kulturskole", False, ".venv/bin/kulturskole build --start-date 2027-09-15"),
    ("./.venv/bin/kulturskole", False, ".venv/bin/kulturskole build --start-date 2027-09-15"),
    (".venv/bin/kulturskole", True, "(kulturskole build --start-date 2027-09-15"),
    ("/usr/bin/python3", False, "(kulturskole build --start-date 2027-09-15"),
])
def test_a_command_a_message_names_is_written_as_the_editor_runs_the_tool(monkeypatch, tmp_path, typed, on_path, shown):
    """If this broke, an editor who followed course/README.md (every command with `.venv/bin/` in front)
    and typed the build's hint as written, `kulturskole build --start-date 2027-09-15`, would get
    «command not found»; one who put the tool on their PATH would be told to type a path."""
    from builder.formats.calendar import CalendarFormat
    from builder.loader import load_course
    hint = CalendarFormat.notices(load_course(ROOT / "tests" / "example_course"), None)[0]
    tool = tmp_path / ".venv" / "bin" / "kulturskole"          # the folder the README's first command makes
    tool.parent.mkdir(parents=True)
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [typed])
    monkeypatch.setenv("PATH", str(tool.parent) if on_path else "/usr/bin")
    messages.program.cache_clear()
    try:
        for english in (False, True):
            messages.use_english(english)
            said = messages.tr(hint)
            assert shown in said and said.count("kulturskole") == 2, said
            assert messages.tr(said) == said, "a message that passes through tr() twice"
    finally:
        messages.use_english(None)
        messages.program.cache_clear()


def test_clicks_usage_line_names_the_tool_as_the_editor_typed_it():
    """If this broke, a mistyped option would answer «Bruk: kulturskole stats [VALG]» and «Skriv
    «kulturskole stats --help» …», commands that give «command not found» after course/README.md's
    first steps (the tool is in .venv/bin, not on the PATH)."""
    done = subprocess.run([".venv/bin/kulturskole", "stats", "--ukjent"], cwd=ROOT, capture_output=True, text=True,
                          env=os.environ | {"KULTURSKOLE_LANG": "nb", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert "Bruk: .venv/bin/kulturskole stats [VALG]" in done.stderr, done.stderr
    assert "«.venv/bin/kulturskole stats --help»" in done.stderr, done.stderr


def _run(*args, env=None, course=None):
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=ROOT, capture_output=True, text=True,
                          env=os.environ | {"KULTURSKOLE_LANG": "nb"} | (env or {}))


def test_check_says_ingen_feil_on_a_good_course():
    """If this broke, `check` on a good course would end in English, or with «nothing was written»."""
    done = _run("check", "--course", "course")
    assert done.returncode == 0, done.stderr
    assert "Ingen feil" in done.stdout and "nothing was written" not in done.stdout + done.stderr


@pytest.mark.parametrize("breakage", ["module_yaml", "yaml_colon", "unknown_module", "bad_page", "glossary", "page_link"])
def test_check_lists_problems_in_bokmal_with_file_line_and_fix(tmp_path, breakage):
    """If this broke, an editor whose course has an error would read it in English, or without
    the file and line to open, or `check` would not end by counting the problems. The whole line
    counts, the fix too: a YAML mistake read «feil i YAML-syntaksen: mapping values are not allowed in
    this context» (the parser's English), an unknown glossary word ended «Ellers: add the term to the
    glossary …», and a link to another page (`[neste side](02-side.md)`) passed `check` and was a
    dead link in every package."""
    import shutil
    course = tmp_path / "course"
    shutil.copytree(ROOT / "tests" / "example_course", course)
    module = sorted((course / "modules").iterdir())[0]
    if breakage == "module_yaml":
        (module / "module.yml").write_text("title: [ikke lukket\n", encoding="utf-8")
    elif breakage == "yaml_colon":
        text = (module / "module.yml").read_text(encoding="utf-8")
        (module / "module.yml").write_text(re.sub(r"^title: (.*)$", r"title: \1: for alle", text, count=1, flags=re.M),
                                           encoding="utf-8")
    elif breakage in ("glossary", "page_link"):
        page = sorted(module.glob("*.md"))[0]
        added = "Vi bruker [[xylofonorkester]] her." if breakage == "glossary" else "Les [neste side](02-side.md)."
        page.write_text(page.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
    elif breakage == "unknown_module":
        text = (course / "course.yml").read_text(encoding="utf-8")
        (course / "course.yml").write_text(text.replace(f"  - {module.name}\n", f"  - {module.name}x\n", 1), encoding="utf-8")
    else:
        page = sorted(module.glob("*.md"))[0]
        page.write_text(page.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    done = _run("check", "--course", str(course))
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    problems = [line for line in lines if re.match(r"\S+(:\d+)?: ", line)]
    assert problems and re.search(r"\d+ (feil|problem)", lines[-1]), done.stderr
    english = [line for line in problems if not _is_bokmal(line)]
    assert not english, english
    english_en = _run("--english", "check", "--course", str(course)).stderr
    assert "problem" in english_en and "Ingen feil" not in english_en


def _is_bokmal(line: str) -> bool:
    words = {w.lower() for w in re.findall(r"[A-Za-zæøåÆØÅ]+", re.sub(r"`[^`]*`|'[^']*'|«[^»]*»", " ", line))}
    return not words & ENGLISH


# ---------------------------------------------------------------------------------------------
# click's own texts and the help of every command

# click's msgids that only a programmer declaring options wrongly (or a feature we do not use:
# prompts, colours, shell completion) can meet; every other one must have its bokmål.
CLICK_FOR_PROGRAMMERS = re.compile(r"Could not determine name|No options defined|Name '\{name\}' defined twice|"
                                   r"Arguments take exactly one|Boolean option|Value must be an iterable|"
                                   r"DeprecationWarning|Invalid start character|Unknown color|Unknown standard stream|"
                                   r"^Choice\(|^(file|directory|path)$")
# Words that are names in both languages: programs, formats, standards, file kinds.
NAMES = {"kulturskole", "scorm", "lms", "lmses", "moodle", "olx", "pdf", "html", "json", "po", "apertium", "open", "edx",
         "outlook", "google", "ks", "læring", "id", "nn", "nb", "en", "bokmål", "nynorsk", "utkast", "zip", "mbz", "tar",
         "gz", "yml", "yaml", "md", "calendar", "guide", "homework", "packs", "web", "ics", "uuid",
         "build", "check", "preview", "stats", "translate", "ekstra", "course", "dist"}   # commands, folders
USAGE_ERRORS = [["build", "--formt", "x"], ["build", "--format"], ["build", "--format", "zz"], ["preview", "--port", "abc"],
                ["preview", "--port", "70000"], ["preview", "--edition", "foo"], ["check", "no-such.zip"],
                ["check", "--start-date", "2026-13-01"], ["translate"], ["stats", "ekstra"], ["buidl"], ["--version"]]


def click_msgids() -> dict[str, str]:
    """Every text click passes through gettext (`_("…")`, `ngettext("…", "…", n)`) in the modules
    builder/cli.py translates, with where."""
    import click
    from builder.cli import CLICK_MODULES
    found = {}
    for path in [Path(click.__file__).parent / f"{name}.py" for name in CLICK_MODULES]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, f"click/{path.name}:{node.lineno}")
    return found


def test_every_text_of_click_an_editor_can_meet_has_its_bokmal():
    """If this broke, a mistyped option or a missing value would answer in click's English
    («Error: No such option», «Usage:», «Try … for help.») inside a Norwegian workflow."""
    msgids = click_msgids()
    assert "Usage:" in msgids and "No such option {name!r}." in msgids, "click's texts are no longer found this way"
    missing = {text: where for text, where in msgids.items()
               if text not in messages.catalogue() and not CLICK_FOR_PROGRAMMERS.search(text)}
    assert not missing, "click's texts without bokmål in builder/messages/nb.json:\n" + "\n".join(
        f"  {where}: {text!r}" for text, where in sorted(missing.items(), key=lambda x: x[1]))


def _words(text: str) -> set[str]:
    """The words of a CLI answer, without option names, paths, file names and quoted values."""
    text = re.sub(r"--?[\w-]+|\S*[/.<>~%_=|]\S*|'[^']*'|«[^»]*»|\[[a-z0-9|]+\]", " ", text)
    return {w.lower() for w in re.findall(r"[A-Za-zæøåÆØÅ]{2,}", text)}


def _cli(args: list[str], language: str) -> str:
    from click.testing import CliRunner
    from builder.cli import main
    try:
        done = CliRunner().invoke(main, (["--english"] if language == "en" else []) + args,
                                  env={"KULTURSKOLE_LANG": language}, prog_name="kulturskole")
    finally:
        messages.use_english(None)
    return done.output


def test_help_of_every_command_and_clicks_usage_errors_are_in_bokmal():
    """If this broke, `kulturskole -h`, `build --help` (options, formats), an answer to a typo
    («No such option», «Missing option», «Invalid value») or the `stats` table would be in English
    for a Norwegian editor."""
    from builder.cli import main
    runs = [["-h"]] + [[name, "-h"] for name in main.commands] + USAGE_ERRORS + [["stats", "--course", "tests/example_course"]]
    vocabulary = {w for text in messages.catalogue().values() for w in _words(text)}    # words bokmål uses too
    # English is every word of the English answer or of the catalogue's English that bokmål does not use.
    english_words = {w for key in messages.catalogue() for w in _words(key)} - vocabulary - NAMES
    # the course's own words (module ids, goal titles) are what `stats` prints about it
    vocabulary |= {w for path in (ROOT / "tests" / "example_course").rglob("*.*") if path.suffix in (".md", ".yml")
                   for w in _words(path.read_text(encoding="utf-8"))}
    wrong = []
    for args in runs:
        english, bokmal = _cli(args, "en"), _cli(args, "nb")
        assert bokmal.strip(), args
        left = _words(bokmal) & ((_words(english) - vocabulary - NAMES) | english_words | ENGLISH)
        if left:
            wrong.append(f"kulturskole {' '.join(args)}: {sorted(left)}\n{bokmal}")
    assert not wrong, "\n".join(wrong)
    # and English stays English when asked for
    assert "Usage:" in _cli(["build", "-h"], "en") and "Show this message and exit." in _cli(["-h"], "en")
    assert "No such option" in _cli(["build", "--formt"], "en")


@pytest.mark.parametrize("line", [["--help", "--english"], ["--english", "--help"], ["--version", "--english"],
                                  ["--english", "--bogus"], ["--bogus", "--english"], ["build", "--help", "--english"],
                                  ["check", "--english", "--course", "/finnes/ikke"]])
def test_english_wherever_it_stands_among_the_groups_options(line):
    """If this broke, `kulturskole --help --english` (the option typed after the help, as one adds
    it on second thought) would answer in bokmål, while `--english --help` answers in English, and
    `kulturskole build --english` (after the command) would be refused as an unknown option."""
    from click.testing import CliRunner
    from builder.cli import main
    try:
        bokmal = CliRunner().invoke(main, [w for w in line if w != "--english"], env={"KULTURSKOLE_LANG": "nb"},
                                    prog_name="kulturskole").output
        english = CliRunner().invoke(main, line, env={"KULTURSKOLE_LANG": "nb"}, prog_name="kulturskole").output
    finally:
        messages.use_english(None)
    assert bokmal.strip() and bokmal != english, (bokmal, english)
    assert re.search(r"^Usage: |, version |^Error: |problem found", english, re.M) and not re.search(r"Bruk|versjon|Feil", english), english
    assert "'--english'" not in english, english     # never refused itself


def test_a_stopped_command_and_the_systems_reasons_are_in_bokmal(tmp_path, monkeypatch):
    """If this broke, Ctrl-C would print click's «Aborted!», and a folder that cannot be written
    would be explained in the C library's English («File exists», «[Errno 13] Permission denied»)."""
    from click.testing import CliRunner
    import builder.cli as cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "_load", interrupted)
    stopped = CliRunner().invoke(cli.main, ["check", "--course", str(ROOT / "tests" / "example_course")],
                                 env={"KULTURSKOLE_LANG": "nb"})
    assert stopped.exit_code == 1 and "Avbrutt." in stopped.output and "Aborted" not in stopped.output
    monkeypatch.undo()
    blocker = tmp_path / "en-fil"
    blocker.write_text("ikke en mappe", encoding="utf-8")
    done = _run("build", "--course", "tests/example_course", "--format", "web", "--out", str(blocker / "dist"),
                env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert done.returncode == 1, done.stderr
    assert "finnes allerede" in done.stderr and str(blocker / "dist") in done.stderr, done.stderr
    assert not re.search(r"Errno|File exists|cannot write", done.stderr), done.stderr
    for errno_name in ("EACCES", "ENOENT", "ENOSPC", "EROFS", "EDQUOT", "EEXIST", "ENOTDIR", "EISDIR", "EADDRINUSE"):
        import errno
        reason = os.strerror(getattr(errno, errno_name))
        assert messages.catalogue().get(reason), f"no bokmål for the system's «{reason}»"
