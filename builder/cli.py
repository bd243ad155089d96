"""The `kulturskole` command: build, check and stats over one course model."""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
from pathlib import Path

import click

from builder import __version__
from builder.errors import BuildFailed, printable
from builder.messages import problem as shown, tr
from builder.formats.scorm.editions import EDITIONS, SCORM12


def _fail(err: BuildFailed) -> None:
    for problem in err.problems:
        click.echo(shown(problem), err=True)
    n = len(err.problems)
    click.echo("\n" + (tr("1 problem found") if n == 1 else tr(f"{n} problems found")), err=True)
    sys.exit(1)


def _load(course_dir: Path, language: str | None = None, draft: bool = False):
    from builder.loader import load_course
    try:
        return load_course(course_dir, language, draft=draft)
    except BuildFailed as err:
        _fail(err)


def _dated(course, start_date, programme, say=lambda line: click.echo(line, err=True)):
    """The course with the programme's dates resolved once; every builder reads them from the model."""
    from builder.loader.programme import load_programme, with_start_date
    from builder.model import gathering_lint, lint
    start = start_date.date() if start_date else None
    try:
        if programme is not None:
            course = load_programme(programme, course, start)
        elif start is not None:
            course = with_start_date(course, start)
    except BuildFailed as err:
        _fail(err)
    for warning in lint.warnings(course) + gathering_lint.warnings(course):
        say(tr("warning: ") + shown(warning))
    return course


def _os_reason(err: OSError) -> str:
    """The system's reason in the editor's language: «ingen tilgang (dist)», never «[Errno 13]
    Permission denied» (the C library's texts are catalogue entries, keyed by their English)."""
    where = f" ({err.filename})" if err.filename else ""
    return f"{tr(err.strerror) if err.strerror else err}{where}"


def _os_hint(err: OSError) -> str:
    import errno
    from builder.messages import msg
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return msg("free some disk space, or give another folder with --out")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return msg("give a folder you may write to with --out")
    return msg("check the folder given with --out")


def learner_pages(course) -> dict[str, int]:
    """The one count of pages that check, stats and the learner's front page («kursets N sider»)
    share: every page of a module a learner can open, by kind (text pages, quizzes, reflection pages,
    homework pages); the front page and «Mine refleksjoner» belong to no module and do not count."""
    from collections import Counter
    from builder.render.site import plan
    kinds = Counter(p.kind for p in plan(course) if p.module)
    return {"total": sum(kinds.values()), **dict(sorted(kinds.items()))}


def _interactive() -> bool:
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("true", "1")


# Click's own texts and the help of our commands in the editor's language. Help texts, metavars and
# command summaries are written in English here and translated when they are shown (not when this
# module is imported), so `--english` and KULTURSKOLE_LANG chosen later still decide; click's own
# texts go through its gettext calls (_click_speaks below).

class _Option(click.Option):
    def make_metavar(self, ctx):
        return tr(super().make_metavar(ctx))

    def get_help_record(self, ctx):
        record = super().get_help_record(ctx)
        if record and self.help and record[1].startswith(self.help):      # the help, then click's «[default: …]»
            return record[0], tr(self.help) + record[1][len(self.help):]
        return record


class _Argument(click.Argument):
    def make_metavar(self, ctx):
        return tr(super().make_metavar(ctx))


class _Command(click.Command):
    def collect_usage_pieces(self, ctx):
        return [tr(piece) for piece in super().collect_usage_pieces(ctx)]     # «[OPTIONS]», «[PACKAGES]...»

    def format_help_text(self, ctx, formatter):
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(tr(inspect.cleandoc(self.help)))

    def get_help_option(self, ctx):
        found = super().get_help_option(ctx)
        if found is not None:       # click makes it once, maybe before --english is read: its text as shown now
            found.help = tr("Show this message and exit.")
        return found

    def get_short_help_str(self, limit=45):
        return tr(self.short_help or "")           # every command has a short_help: the line in `kulturskole -h`


class _Group(_Command, click.Group):
    def main(self, *args, prog_name=None, **kwargs):
        # «Bruk: .venv/bin/kulturskole preview [VALG]», as the editor typed it and as the messages name
        # commands (builder/messages program()); click wrote the bare name, which gives «command not found».
        from builder.messages import program
        return super().main(*args, prog_name=prog_name or program(), **kwargs)

    command_class = _Command

    def parse_args(self, ctx, args):
        # `--english` decides the language of every answer, wherever it stands among the group's
        # options: click runs eager options in the order they are typed, so `--help --english`
        # (or `--version --english`) answered before --english was read, and a typing error after
        # it (`--english --bogus`) was refused before any option ran. The group's options are
        # flags, so its part of the line ends at the first word that is not an option (the command).
        # Typed after the command (`kulturskole build --english`, as one adds it to a line that just
        # failed in bokmål) it means the same, so it is taken out of the command's part.
        end = args.index("--") if "--" in args else len(args)
        if "--english" in args[:end]:
            from builder.messages import use_english
            use_english(True)
            command = next((i for i, word in enumerate(args[:end]) if not word.startswith("-")), end)
            args = args[:command] + [w for w in args[command:end] if w != "--english"] + args[end:]
        return super().parse_args(ctx, args)


option = functools.partial(click.option, cls=_Option)
argument = functools.partial(click.argument, cls=_Argument)

course_option = option("--course", "course_dir", type=click.Path(file_okay=False, path_type=Path),
                             default=Path("course"), show_default=True, help="The course source folder.")
start_date_option = option("--start-date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
                                 help="Date of the first gathering; gives the timeline and deadlines real dates.")
language_option = option("--language", metavar="CODE",
                               help="The edition's language (nn: nynorsk, from course/locale/nn/). "
                                    "Default for build: every language course.yml lists; for check: the source.")
draft_option = option("--draft", is_flag=True,
                            help="Build a translation with missing or unchecked segments anyway, marked «utkast» on every page.")
programme_option = option("--programme", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                                help="A region's programme file: its gatherings' dates and places, its municipalities.")


def _version(ctx, param, value):
    if value and not ctx.resilient_parsing:
        click.echo(tr(f"kulturskole, version {__version__}"))      # click's version_option fixes its text at import
        ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@option("--version", is_flag=True, is_eager=True, expose_value=False, callback=_version,
        help="Show the version and exit.")
# Read before any option runs (_Group.parse_args), so the order of `--help --english` does not matter.
@option("--english", is_flag=True, expose_value=False,
        help="Messages in English (default: bokmål, or English when the locale is English; "
             "KULTURSKOLE_LANG=nb|en chooses too).")
def main():
    """Build the course in course/ into packages for LMSes and the web."""


def _formats(*wanted: str):
    """The registered formats (those `wanted`, imported; else every one), or a clean error naming
    each one that cannot be loaded."""
    from builder.formats import FormatsBroken, load, registry
    try:
        return load(*wanted) if wanted else registry()
    except FormatsBroken as err:
        raise click.ClickException(tr(str(err)))


def _format_names() -> list[str]:
    from builder.formats import FormatsBroken, names
    try:
        return names()
    except FormatsBroken as err:
        raise click.ClickException(tr(str(err)))


class _BuildCommand(_Command):
    """`build --help` ends with the formats installed now, each with its one-line description."""

    def format_epilog(self, ctx, formatter):
        from builder.formats import FormatsBroken, registry
        formatter.write_paragraph()
        with formatter.section(tr("Formats")):
            try:
                formatter.write_dl([(name, tr(cls.description)) for name, cls in registry().items()])
            except FormatsBroken as err:     # help still helps, and says what is wrong
                formatter.write_text(tr(f"cannot be listed: {tr(str(err))}"))


@main.command(cls=_BuildCommand, short_help="Build the course's packages into dist/.")
@course_option
@option("--format", "formats", multiple=True, metavar="NAME",
              help="Build only this format (repeatable; the formats are listed below). Default: every format.")
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"), show_default=True,
              help="Where packages go, one folder per format.")
@option("--module", "module_id", metavar="ID",
              help="Build only module ID: its SCORM packages, its homework package, its web pages "
                   "(dist/web/modules/ID/) and its OLX course; every other file in --out stays as it is. The guide, "
                   "the calendar and the Moodle backup are of the whole course and are built whole.")
@option("--whole-course", is_flag=True,
              help="SCORM formats: only the package of the whole course (dist/scorm12/<course>.zip), without a package "
                   "per module (modules/<id>.zip); a large course builds much faster. The homework packages and the "
                   "Moodle backup still hold their modules.")
@option("--no-cache", is_flag=True, help="Build everything anew; neither read nor write the build cache "
                                               "(~/.cache/kulturskole, see course/README.md).")
@start_date_option
@programme_option
@language_option
@draft_option
def build(course_dir, formats, out, module_id, whole_course, no_cache, start_date, programme, language, draft):
    """Build packages into dist/<format>/ (a translated edition into dist/<language>/<format>/).
    A failed build leaves dist/ as it was."""
    if module_id and whole_course:
        raise click.BadParameter(tr("--module builds one module's packages and --whole-course none of them: give one of the two"),
                                 param_hint="--whole-course")
    if no_cache:
        from builder.infra import cache
        cache.disable()
    # An unchanged course is recognised from its sources before anything is loaded or imported
    # (builder/infra/unchanged.py); a module build always builds.
    from builder.infra import unchanged
    # Every option of this command is part of the key, so an option added later cannot be forgotten.
    settings = {name: value for name, value in click.get_current_context().params.items() if name != "no_cache"}
    key = None if module_id else unchanged.sources_key(course_dir, out, settings)
    found = key and unchanged.recorded(key)
    if found and unchanged.in_place(found, out):
        for line in found["said"]:
            click.echo(line, err=True)
        if _interactive():
            click.echo(tr(f"nothing changed: {out} already holds this build"), err=True)
        for line in found["done"]:
            click.echo(line)
        return

    from builder.build import build as run
    from builder.formats import Options
    from builder.infra import cache
    started = cache.now()       # what this build uses, the cache keeps (cache.prune below)

    known = _format_names()
    for name in formats:
        if name not in known:
            from builder.errors import did_you_mean
            close = did_you_mean(name, known)       # the catalogue's {} never stands for an empty text
            raise click.BadParameter(tr(f"unknown format '{name}'. {close} Formats: {', '.join(known)}") if close
                                     else tr(f"unknown format '{name}'. Formats: {', '.join(known)}"),
                                     param_hint="--format")
    formats = list(formats) or known
    _formats(*formats)           # imported now: a format that cannot be loaded is said before loading the course
    from builder.build import Stopped, stopped_on_sigterm
    from builder.loader.translation import source_language
    done, said, editions = [], [], []

    def say(text: str) -> None:         # said in every output, and again by an unchanged build
        if text in said:                # each edition's formats say «the calendar needs dates»: once is enough
            return
        said.append(text)
        click.echo(text, err=True)

    try:
        with stopped_on_sigterm():      # `kill` while loading ends as cleanly as while writing: one line, exit 143
            original = source_language(course_dir)
            source = _load(course_dir) if language in (None, original) else None
            languages = [language] if language else list(source.languages)
            talk = _interactive()
            options = Options(module=module_id, whole_course=whole_course, notice=lambda line: say(tr(line)),
                              progress=(lambda line: click.echo(tr(line), err=True)) if talk else (lambda line: None))
            # Every edition is loaded before anything is built: a stale or untranslated segment of one
            # language stops the build with its PO file:line before dist/ changes for any language.
            loaded = [(code, source if code == original and source is not None else _load(course_dir, code, draft))
                      for code in languages]
            for code, edition in loaded:
                course = _dated(edition, start_date, programme, say)
                target = out if code == original else out / code
                editions.append({"target": "" if code == original else code})
                done += _run(run, course, target, formats, options, editions[-1])
    except Stopped as stop:
        click.echo(tr(f"the build was stopped ({stop}); nothing in {out} was changed"), err=True)
        sys.exit(128 + stop.signum)
    built = [tr(f"built {path}") for path in done]
    if key:
        unchanged.record(key, said, built, editions)
    cache.prune(started)
    for line in built:
        click.echo(line)


def _run(run, course, out, formats, options, record=None):
    try:
        return run(course, out, formats, options, record)
    except BuildFailed as err:
        _fail(err)
    except OSError as err:
        # A full disk or a folder we may not write to is not a bug: one line, and dist/ is as it was.
        click.echo(tr(f"cannot write the build into {out}: {_os_reason(err)} — {tr(_os_hint(err))}; "
                      f"nothing in {out} was changed"), err=True)
        sys.exit(1)


@main.command(short_help="Check the course, a translation or built packages.")
@course_option
@start_date_option
@programme_option
@option("--against", "old", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An older SCORM zip now in an LMS activity: say whether replacing it by PACKAGE keeps learners' data.")
@language_option
@argument("packages", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(course_dir, packages, start_date, programme, old, language):
    """Validate the course sources (and the dates of a programme), or the given built packages
    (each judged by the formats that claim it: SCORM .zip, OLX .tar.gz, Moodle .mbz). With
    --language: the translation (missing, fuzzy and stale segments, markup, termbase, spelling)."""
    if language and not packages:
        from builder.translate.cli import check_translation
        sys.exit(check_translation(course_dir, language, click.echo))
    if old is not None:
        if len(packages) != 1:
            raise click.UsageError(tr("--against compares one new SCORM zip with the old one: "
                                      "kulturskole check NEW.zip --against OLD.zip"))
        from builder.formats.scorm.update import compare
        from builder.infra.archives import Refused
        try:
            verdict = compare(packages[0], old)
        except Refused as refused:
            click.echo(printable(f"{refused.package}{'/' + refused.member if refused.member else ''}: "
                                 f"{tr(refused.message)} — {tr(refused.hint)}"), err=True)
            sys.exit(1)
        for line in verdict.findings:
            click.echo(f"{packages[0]}: {tr(line)}", err=not verdict.safe)
        if verdict.text_only:
            click.echo(tr(f"{packages[0]}: safe to replace {old}: a text-only change, learners keep everything"))
        elif verdict.safe:
            click.echo(tr(f"{packages[0]}: safe to replace {old} for reflections; answers or progress start again where listed"))
        else:
            click.echo(tr(f"{packages[0]}: replacing {old} loses learners' data (see above); use a new activity"), err=True)
        sys.exit(0 if verdict.safe else 1)
    if not packages:
        course = _dated(_load(course_dir), start_date, programme)
        from builder.formats import Options, registry
        # Every check a build makes before it writes anything, for every format: what check passes, build builds.
        from builder.build import source_problems
        found = source_problems(course, registry().values(), Options())
        if found:
            _fail(BuildFailed(found))
        from builder.model.quiz_lint import warnings as quiz_warnings
        for warning in quiz_warnings(course):
            click.echo(tr("warning: ") + shown(warning), err=True)
        from builder.model.stats import inventory
        inv = inventory(course)
        pages = learner_pages(course)
        click.echo(tr(f"{course_dir}: OK ({inv['modules']} modules, {pages['total']} pages, of which "
                      f"{inv['pages']} text pages, {inv['questions']['total']} questions)"))
        return
    from builder.check import check_file
    _formats()
    failed = False
    for path in packages:
        problems = check_file(path)
        for problem in problems:
            click.echo(shown(problem), err=True)
        if problems:
            failed = True
            click.echo(tr(f"{path}: {len(problems)} problem(s)"), err=True)
        else:
            click.echo(tr(f"{path}: OK"))
    sys.exit(1 if failed else 0)


@main.command(short_help="Write the PO files of a translation.")
@course_option
@option("--language", metavar="CODE", required=True, help="The language to translate into, e.g. nn.")
@option("--draft", is_flag=True, help="Fill empty segments with Apertium's machine translation, marked fuzzy.")
def translate(course_dir, language, draft):
    """Extract every text of the course into PO files, course/locale/<language>/<source>.po, merging
    with what is translated: changed texts become fuzzy, new ones empty, removed ones obsolete."""
    from builder.translate.cli import run_translate
    sys.exit(run_translate(course_dir, language, draft, click.echo))


@main.command(short_help="Print the course inventory or its legal references.")
@course_option
@option("--json", "as_json", is_flag=True, help="Print the inventory as JSON.")
@option("--references", "legal", is_flag=True,
              help="Print every legal reference (law, paragraph, file:line) and flag chapter/proposition citations.")
def stats(course_dir, as_json, legal):
    """Print the course inventory: modules, pages, words, questions, reflections, homework, goals."""
    from builder.model import stats as inventory_of
    course = _load(course_dir)
    if legal:
        from builder.loader.references import legal_references
        table = inventory_of.references(legal_references(course_dir))
        click.echo(json.dumps(table, ensure_ascii=False, indent=2) if as_json else inventory_of.references_as_text(table))
        return
    inv = inventory_of.inventory(course) | {"learner_pages": learner_pages(course)}
    click.echo(json.dumps(inv, ensure_ascii=False, indent=2) if as_json else inventory_of.as_text(inv))


@main.command(short_help="Show the course as an LMS plays it, updated at every save.")
@course_option
@option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
@option("--edition", type=click.Choice(list(EDITIONS)), default=SCORM12.name, show_default=True,
              help="Which SCORM edition the preview plays.")
def preview(course_dir, port, edition):
    """Serve the course on 127.0.0.1 with a panel showing what an LMS receives; rebuilds on every change."""
    import signal
    from builder.preview.server import Preview
    from builder.preview.texts import texts
    # Started from a script's background job (`… &`, an IDE task, a CI runner) the process inherits
    # SIGINT ignored, and Python then never raises KeyboardInterrupt: Ctrl-C or `kill -INT` left the
    # preview running with its temporary folder (four tests timed out so in a clean-clone run
    # started with `&`). The preview is interactive; it always stops on SIGINT.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if not course_dir.is_dir():
        raise click.BadParameter(tr(f"'{course_dir}' is not a folder; give the course folder"), param_hint="--course")
    ui = texts()
    try:
        server = Preview(course_dir, edition=EDITIONS[edition], port=port, say=lambda line: click.echo(line, err=True))
    except OSError as err:
        raise click.ClickException(tr(f"cannot listen on 127.0.0.1:{port} ({err.strerror}); try --port 0"))
    except KeyboardInterrupt:          # Ctrl-C during the first build: no «Aborted!», no folder left behind
        click.echo(ui["preview_stopped"], err=True)
        sys.exit(130)

    def stop(signum, frame):
        raise KeyboardInterrupt     # ends serve_forever() below, so the temporary folder is removed

    try:
        # Closing the terminal (SIGHUP) or `kill` (SIGTERM) stops the preview as cleanly as Ctrl-C does.
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, stop)
        # Inside the try: a Ctrl-C the moment the address is shown stops the preview cleanly too.
        click.echo(ui["preview_serving"].format(url=server.url))
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    click.echo(ui["preview_stopped"])


# click's modules whose texts a command line can show (the others: editors, Windows, shell completion).
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def _click_speaks() -> None:
    """Click's own texts («Usage:», «Error: No such option …», «Show this message and exit.»,
    «Aborted!») are gettext msgids: click calls `_()` and `ngettext()`, imported by name into each
    of its modules. They are pointed at the catalogue here, where click's msgid is the key, with
    click's own placeholders ({name}, {param_hint}); tests/test_messages.py fails on a msgid of
    click's without bokmål. This runs after the options above are made, so the type names click
    sets at import («directory») stay the English ones the metavars are looked up by."""
    import importlib
    from builder.messages import catalogue, english

    def gettext(message: str) -> str:
        return message if english() else catalogue().get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


_click_speaks()

if __name__ == "__main__":
    main()
