"""Load course/ into one validated, immutable Course — or fail with every problem found."""

from __future__ import annotations

from pathlib import Path

from builder.messages import msg
from builder.errors import BuildFailed, Problem, Problems, did_you_mean
from builder.loader import files, images, translation, yamlsrc
from builder.loader.markdownsrc import Renderer
from builder.loader.memo import SourceMemo
from builder.loader.facilitator_script import load_scripts
from builder.loader.materials import check_uses, load_materials
from builder.loader.figures import load_figures
from builder.loader.module import load_module
from builder.loader.timeline import check_modules, load_timeline
from builder.loader.validate import ID_HINT, valid_id
from builder.model import Course, Goal, Media, Owner, Source, markup, studytime
from builder.infra.parallel import ordered_map
from builder.model.colour import colour_problem
from builder.infra import cache, strings
import difflib
import os
import re
from html import unescape
from dataclasses import replace

__all__ = ["load_course", "BuildFailed"]

PARALLEL_FROM = 16   # modules; below this, starting worker processes costs more than it saves


def load_course(course_dir: Path | str, language: str | None = None, *, draft: bool = False,
                memo: SourceMemo | None = None) -> Course:
    """The course in its source language, or in `language` from its PO catalogue
    (course/locale/<language>/); a translated edition with a segment missing, fuzzy or stale
    fails, naming each source file and PO entry, unless it is a `draft`. With a `memo` (the
    preview's), the parts whose sources did not change since the last load through it are reused
    (builder/loader/memo.py)."""
    course_dir = Path(course_dir)
    # Every load goes through a memo: a build's kept in the build cache, so a build after a one-page
    # edit parses one module (0.33 s of the real course's load → ~0.05 s), and a translated edition
    # parses only the parts whose sources or PO files changed (the nynorsk edition of the real
    # course, which a default build makes too: 0.9 s → 0.1 s of CPU, load ~15).
    memo = memo or SourceMemo()
    memo.course(course_dir)
    try:
        if language is None or language == translation.source_language(course_dir):
            return _load(course_dir, None, memo)
        if language not in strings.LANGUAGES:
            raise BuildFailed([Problem("--language", 0, f"there are no interface texts for language '{language}'",
                                       did_you_mean(language, strings.LANGUAGES) or f"use one of: {', '.join(strings.LANGUAGES)}")])
        translator = translation.Translator(course_dir, language, translation.read_catalogue(course_dir, language, memo), draft)
        course = _load(course_dir, translator, memo)
    finally:
        memo.save()
    if not draft:
        translation.raise_if_untranslated(translator, course_dir)
    return course


def translation_status(course_dir: Path | str, language: str) -> translation.Translator:
    """Every segment of the course that `language`'s catalogue lacks or has only as a draft."""
    course_dir = Path(course_dir)
    translator = translation.Translator(course_dir, language, translation.read_catalogue(course_dir, language), draft=True)
    _load(course_dir, translator)
    return translator


def segments(course_dir: Path | str) -> list[translation.Segment]:
    """Every translatable text of the course, in the order the loader reads them."""
    course_dir = Path(course_dir)
    translator = translation.Translator(course_dir)
    _load(course_dir, translator)
    return translator.segments


def _load(course_dir: Path, translator: translation.Translator | None, memo: SourceMemo | None = None) -> Course:
    with translation.translating(translator):
        # A recording translator (`kulturskole translate`) must meet every segment: no memo.
        return _load_course(course_dir, translator, memo if translator is None or translator.catalogue is not None else None)


class _Edition:
    """What a part of a translated edition is made from besides its sources, for the memo: the
    language, draft or not, and the PO files of the part's sources (course/locale/<language>/…,
    the catalogue a part's texts are looked up in is its own files' only: translation.Translator.text)."""

    def __init__(self, memo: SourceMemo, course_dir: Path, translator):
        self.memo, self.translator = memo, translator
        self.folder = course_dir / translation.LOCALE / translator.language if translator is not None else None

    def inputs(self, *sources: str) -> tuple:
        if self.translator is None:
            return ()
        return (self.translator.language, self.translator.draft,
                *(self.memo.folder(self.folder / s, recursive=True) + self.memo.file(self.folder / f"{s}.po") for s in sources))

    def get(self, part: str, inputs: tuple, make):
        """memo.get for a part made under the edition's translator: what the translator learnt while
        making it (untranslated segments, texts handed out) is kept with the part and learnt again
        when the part is reused, so a reused part is refused for a stale segment as a fresh one is."""
        if self.translator is None:
            return self.memo.get(part, inputs, make)
        translator, fresh = self.translator, []

        def made():
            fresh.append(True)
            mark = translator.mark()
            return make(), translator.since(mark)

        value, learnt = self.memo.get(f"{translator.language}:{part}", inputs, made)
        if not fresh:
            translator.learn(learnt)
        return value


def _load_course(course_dir: Path, translator, memo: SourceMemo | None = None) -> Course:
    problems = Problems(course_dir)
    path = course_dir / "course.yml"
    data = yamlsrc.load_required(path, problems, "course.yml is missing",
                                 f"is '{course_dir}' the course folder? Give it with --course, or create course.yml (see course/README.md)")
    problems.raise_if_any()
    f = yamlsrc.Fields(data, path, problems, "course.yml",
                       required={"id": str, "title": str, "language": str, "version": str,
                                 "mastery_score": yamlsrc.Number(0, 100), "modules": list, "competence_goals": list},
                       optional={"subtitle": str, "organisation": str, "colour": str, "audience": str, "owners": list,
                                 "final_test_attempts": yamlsrc.Number(1, 100), "reading_speed": yamlsrc.Number(60, 400),
                                 "languages": list})
    course_id = f.get("id", "course")
    if not valid_id(course_id):
        problems.add(path, f.line_of("id"), f"the course id '{course_id}' is not a valid id", ID_HINT)
    language = f.get("language", "nb")
    if language not in strings.LANGUAGES:
        problems.add(path, f.line_of("language"), f"there are no interface texts for language '{language}'",
                     did_you_mean(language, strings.LANGUAGES) or f"use one of: {', '.join(strings.LANGUAGES)}")
        language = "nb"
    languages = _load_languages(f, language, path, problems)
    if translator is not None and translator.language:
        language = translator.language     # the edition's language: its interface texts, its checks
    missing = strings.missing_keys(language)
    if missing:
        problems.add(strings.CATALOGUES / f"{language}.json", 0,
                     f"the interface texts for '{language}' lack {len(missing)} key(s) that nb.json has: {', '.join(missing)}",
                     f"add the key(s) with a translation to {language}.json (nb.json has every key and its bokmål text)")
    mastery = f.get("mastery_score", 80)

    colour = f.get("colour", "#0b5d7a")
    problem = colour_problem(colour)
    if problem:
        problems.add(path, f.line_of("colour"), *problem)

    # Read now, so that a problem with them is reported with the others (not after the last check).
    title, subtitle, version = f.get("title"), f.get("subtitle", ""), f.get("version")
    organisation, audience = f.get("organisation", ""), f.get("audience", "")
    owners = _load_owners(f.get("owners", []), path, problems, course_dir / "media")
    attempts = f.get("final_test_attempts", 3)
    goals = _load_goals(f.get("competence_goals", []), path, problems)
    edition = _Edition(memo, course_dir, translator) if memo is not None else None
    if memo is not None:
        timeline, found = edition.get("timeline", (memo.file(course_dir / "timeline.yml"), str(course_dir),
                                                   *edition.inputs("timeline.yml")), lambda: _timeline(course_dir))
        problems.items.extend(found)
    else:
        timeline = load_timeline(course_dir / "timeline.yml", problems)
    figures = load_figures(course_dir, problems)       # a few small files: read every time
    figure_ids = frozenset(fig.id for fig in figures)
    modules_dir = course_dir / "modules"
    existing = sorted(p.name for p in modules_dir.iterdir() if p.is_dir()) if modules_dir.is_dir() else []

    listed = f.get("modules", [])
    folders, seen = [], {}
    for i, module_id in enumerate(listed):
        line = listed.lines[i]
        if not isinstance(module_id, str):
            problems.add(path, line, "each module is written as its folder name", "for example `- roller-og-ansvar`")
            continue
        if module_id in seen:
            problems.add(path, line, f"the module '{module_id}' is listed twice",
                         f"remove one of the lines (the first is line {seen[module_id]})")
            continue
        seen[module_id] = line
        if module_id not in existing:
            problems.add(path, line, f"there is no module folder '{module_id}' in {modules_dir.name}/",
                         did_you_mean(module_id, existing) or "create the folder or remove the line")
            continue
        folders.append(modules_dir / module_id)
    modules, used_media = [], set()
    folders = [p for p in folders if files.folder_inside(p, problems, path, seen[p.name])]
    # The words a minute the audience reads; 180 suits dense text read with care.
    reading_speed = f.get("reading_speed", studytime.READING_SPEED)
    context = (goals, timeline, course_dir, language, reading_speed, translator, figure_ids)
    defined: dict[str, str] = {}      # glossary slug → module id
    defined_at: dict[str, tuple[str, str]] = {}    # glossary slug → (term, file:line)
    used_terms = []
    if memo is not None:
        # A module is made from its folder, the goals, the timeline, and the names in media/ (its
        # pictures must exist there); reading the files to compare them takes milliseconds.
        media_names = sorted(os.listdir(course_dir / "media")) if (course_dir / "media").is_dir() else []
        shared = memo.digest((str(course_dir), goals, timeline, language, reading_speed, media_names,
                              sorted(figure_ids)))     # a `:::figur` line is checked against them
        prefix = f"{translator.language}:" if translator is not None else ""
        loaded = memo.get_many([(f"{prefix}module:{folder}", (memo.folder(folder), shared,
                                                             *edition.inputs(f"modules/{folder.name}")))
                                for folder in folders],
                               lambda missing: _with_digests(ordered_map(_load_module_digested, context,
                                                                         [folders[i] for i in missing],
                                                                         min_items=PARALLEL_FROM)))
    else:
        loaded = ordered_map(_load_module, context, folders, min_items=PARALLEL_FROM)
    for module, found, media, terms, translated in loaded:
        problems.items.extend(found)
        if translator is not None:
            translator.adopt(translated)
        used_media |= media
        if module is not None:
            modules.append(module)
            for slug, term, where in terms[0]:
                if slug in defined_at and defined[slug] != module.id:
                    path_, _, line_ = where.rpartition(":")
                    problems.add(course_dir.parent / path_, int(line_), f"the glossary term '{term}' has the same "
                                 f"anchor ('{slug}') as '{defined_at[slug][0]}' at {defined_at[slug][1]}",
                                 "explain the term in one place only, or give one of them a word more")
                defined.setdefault(slug, module.id)
                defined_at.setdefault(slug, (term, where))
            used_terms += terms[1]
    if not listed:
        problems.add(path, f.line_of("modules"), "the course has no modules", "list the module folders under `modules:`")

    glossary, definitions = _resolve_terms(defined, used_terms, modules, problems)
    if len(modules) != len(folders) and not problems:
        # Every module listed must arrive in the packages; one that vanished without a problem is a bug to report.
        problems.add(path, f.line_of("modules"), f"course.yml lists {len(folders)} modules but {len(modules)} were loaded",
                     "report this to the developers with the course files")
    check_modules(timeline, list(seen), problems, course_dir / "timeline.yml")
    if memo is not None:
        timeline, materials, found, script_media = edition.get(
            "scripts+materials", (memo.folder(course_dir / "gatherings"), memo.folder(course_dir / "materials"), shared,
                                  *edition.inputs("gatherings", "materials")),
            lambda: _load_scripts_and_materials(course_dir, timeline, language, figure_ids))
    else:
        timeline, materials, found, script_media = _load_scripts_and_materials(course_dir, timeline, language, figure_ids)
    problems.items.extend(found)
    check_uses([m.id for m in materials], _material_uses(timeline, modules, course_dir), problems)
    used_media |= script_media
    _check_unique_ids(modules, problems)
    problems.raise_if_any()

    course_cover = _cover(course_dir, "omslag-kurs.svg")
    used_media |= {m.cover for m in modules if m.cover} | ({course_cover} if course_cover else set())
    used_media |= {o.logo for o in owners if o.logo}      # checked like every SVG (builder/loader/svgpolicy.py)
    media = _load_media(course_dir / "media", sorted(used_media), problems, memo)
    problems.raise_if_any()
    return Course(
        # A translated edition is a course of its own in an LMS (its packages named <id>-nn); the ids of
        # its modules, pages, questions and options stay those of the source, so reports line up.
        id=course_id if language == languages[0] else f"{course_id}-{language}",
        title=title, subtitle=subtitle, language=language,
        organisation=organisation, version=version, mastery_score=mastery, owners=owners,
        goals=goals, modules=tuple(modules), timeline=timeline, media=media,
        colour=colour, final_test_attempts=attempts, audience=audience, cover=course_cover, glossary=glossary,
        definitions=definitions, materials=materials, figures=figures, languages=languages, draft=bool(translator and translator.draft),
        source=Source(problems.show(path), f.line_of("title")),
    )


def _material_uses(timeline, modules, course_dir: Path) -> list[tuple[str, str, int]]:
    """(material id, file, line) for every material a script or a homework names."""
    uses = [(u.material, u.source.path, u.source.line) for g in timeline.gatherings if g.script
            for u in g.script.materials if u.material]
    return uses + [(t, hw.source.path, hw.source.line) for m in modules for hw in m.homework for t in hw.templates]


def _load_owners(items, path: Path, problems: Problems, media: Path) -> tuple[Owner, ...]:
    """`owners:` in course.yml: each with `name:` and optionally `logo:`, an SVG file in media/."""
    owners = []
    for i, item in enumerate(items):
        of = yamlsrc.Fields(item, path, problems, "an owner", required={"name": str}, optional={"logo": str}, line=items.lines[i])
        logo = of.get("logo", "")
        if logo and (not logo.endswith(".svg") or "/" in logo or not (media / logo).is_file()):
            problems.add(path, of.line_of("logo"), f"the logo '{logo}' is not an SVG file in media/",
                         "put the logo as an .svg file in the course's media/ folder and write its file name")
            logo = ""
        owners.append(Owner(of.get("name", ""), logo))
    return tuple(owners)


def _load_scripts_and_materials(course_dir: Path, timeline, language: str, figure_ids: frozenset = frozenset()):
    """The timeline with the gatherings' scripts, the printed materials, their problems and the
    media files they use (one renderer: the scripts and materials share their pictures)."""
    problems = Problems(course_dir)
    renderer = Renderer(course_dir / "media", problems, language, figure_ids)
    timeline = load_scripts(course_dir, timeline, renderer, problems)
    materials = load_materials(course_dir, renderer, problems)
    return timeline, materials, tuple(problems.items), frozenset(renderer.used_media)


def _timeline(course_dir: Path):
    problems = Problems(course_dir)
    return load_timeline(course_dir / "timeline.yml", problems), tuple(problems.items)


def _cover(course_dir: Path, name: str) -> str:
    """Covers go by name: media/omslag-<module id>.svg, and media/omslag-kurs.svg for the course."""
    return name if (course_dir / "media" / name).is_file() else ""


def _load_module(context, folder: Path):
    """One module with its own problem list and renderer, so that modules can load in parallel."""
    goals, timeline, course_dir, language, reading_speed, translator, figure_ids = context
    problems = Problems(course_dir)
    renderer = Renderer(course_dir / "media", problems, language, figure_ids)
    mine = translator.child() if translator is not None else None
    with translation.translating(mine):
        module = load_module(folder, goals, timeline, renderer, problems, reading_speed)
    if module is not None:
        module = replace(module, cover=_cover(course_dir, f"omslag-{module.id}.svg"))
    # Its findings without the catalogue: a worker sends them back, the memo keeps them (the whole
    # catalogue of the edition went back with every module before).
    return (module, tuple(problems.items), frozenset(renderer.used_media),
            (tuple(renderer.terms_defined), tuple(renderer.terms_used)), mine and replace(mine, catalogue=None, given=set()))


def _load_module_digested(context, folder: Path):
    """_load_module, and the digest of each frozen dataclass it returns (cache.kept_digest), worked
    out here in the worker that loaded the module: the memo keeps the digests with the module, and
    the build keys its outputs by the course's digest, so without them the parent walked every
    module's whole model after the workers had finished, one after another (a sixth of the parent's
    CPU in a 100-module package on a cold cache, cProfile, 01:16)."""
    value = _load_module(context, folder)
    return value, [cache.kept_digest(item) for item in value] if cache.root() is not None else []


def _with_digests(loaded: list) -> list:
    """The values of _load_module_digested, each part's digest remembered (cache.remember_digest)."""
    for value, digests in loaded:
        for item, digest in zip(value, digests):
            if digest is not None:
                cache.remember_digest(item, digest)
    return [value for value, _ in loaded]


def _load_languages(f, language: str, path: Path, problems: Problems) -> tuple[str, ...]:
    """`languages:` in course.yml: the editions a whole build makes, the source language first."""
    listed = f.get("languages", [language])
    out = []
    for i, code in enumerate(listed):
        where = listed.lines[i] if hasattr(listed, "lines") else f.line_of("languages")
        if code not in strings.LANGUAGES:
            problems.add(path, where, f"there are no interface texts for language '{code}'",
                         did_you_mean(str(code), strings.LANGUAGES) or f"use some of: {', '.join(strings.LANGUAGES)}")
        elif code not in out:
            out.append(code)
    if language not in out:
        problems.add(path, f.line_of("languages"), f"`languages:` lacks the course's own language '{language}'",
                     f"write it first, for example `languages: [{language}, nn]`")
    return tuple([language] + [c for c in out if c != language])


def _resolve_terms(defined: dict[str, str], used, modules, problems) -> tuple[dict, dict]:
    """Glossary links: slug written → (module id, page id, slug) of the page that defines it. A link may
    name the start of a term ([[DKS]] finds «DKS – Den kulturelle skolesekken»). And for each linked
    term (by the slug of its <dt>): (term as plain text, its explanation's HTML), for the pages to
    show beside the link."""
    pages, explained = {}, {}
    for m in modules:
        for page in m.pages:
            for slug, term, explanation in markup.GLOSSARY_ENTRY.findall(page.html):
                pages.setdefault(slug, (m.id, page.id))
                explained.setdefault(slug, (unescape(re.sub(r"<[^>]+>", "", term)).strip(), (explanation or "").strip()))
    glossary = {}
    for slug, term, path, line in used:
        found = slug if slug in pages else next((s for s in pages if s.startswith(slug + "-")), None)
        if found is None:
            add = msg("add the term to the glossary (a **term** line followed by `: explanation`), or write it as plain text")
            close = difflib.get_close_matches(slug, list(pages), n=1, cutoff=0.6)
            problems.add(path, line, f"the glossary has no term '{term}'",
                         f"did you mean the glossary's '{close[0]}'? Otherwise {add}" if close else add)
            continue
        glossary[slug] = (*pages[found], found)
    return glossary, {found: explained[found] for _, _, found in glossary.values()}


def _load_media(folder: Path, names: list[str], problems: Problems, memo: SourceMemo | None = None) -> tuple[Media, ...]:
    """The media files the pages use, each inside the course, of a size and kind a learner can open,
    under their published names, photos without their metadata (builder/loader/images.py)."""
    out, published = [], {}
    for name in names:
        path = folder / name
        if memo is not None:
            found, media, unreadable = memo.get(f"media:{path}", (memo.file(path), str(problems.base)),
                                                lambda path=path, name=name: _read_media(path, name, problems.base))
        else:
            found, media, unreadable = _read_media(path, name, problems.base)
        problems.items.extend(found)
        if found:
            continue
        shown = files.published_name(name)
        if shown in published:
            problems.add(path, 0, f"'{name}' and '{published[shown]}' would both be published as '{shown}'",
                         "rename one of them (packages use names without æøå, spaces or other signs)")
            continue
        published[shown] = name
        if unreadable:
            problems.add(path, 0, "the picture's header cannot be read (the file is cut off or damaged)",
                         "save the picture again")
            continue
        out.append(media)
    return tuple(out)


def _read_media(path: Path, name: str, base: Path | None) -> tuple[tuple, Media | None, bool]:
    """A media file's problems, the file as published, and whether its header cannot be read."""
    problems = Problems(base)
    data = files.read(path, problems, files.MAX_MEDIA, "image")
    if data is None:
        return tuple(problems.items), None, False
    wrong, media = _checked_media(name, name.rsplit(".", 1)[-1].lower(), data)
    for problem in wrong:
        problems.add(path, *problem)
    return tuple(problems.items), media, not wrong and media is None


def _checked_media(name: str, ext: str, data: bytes) -> tuple[tuple, Media | None]:
    """A media file's problems ((line, message, hint) each) and the file as published (None when
    its header cannot be read)."""
    wrong = files.media_problems(name, data)
    if not wrong and ext != "svg":
        too_big = images.budget_problem(ext, data)
        wrong = [(0, *too_big)] if too_big else []
    if wrong:
        return tuple(wrong), None
    try:
        return (), Media(files.published_name(name), images.published(ext, data))
    except images.Unreadable:
        return (), None


def _load_goals(items, path, problems) -> tuple[Goal, ...]:
    goals, seen = [], {}
    for i, item in enumerate(items):
        g = yamlsrc.Fields(item, path, problems, "a competence goal", required={"id": str, "title": str},
                           optional={"text": str}, line=items.lines[i])
        gid = g.get("id", f"k{i + 1}")
        if not valid_id(gid):
            problems.add(path, g.line_of("id"), f"'{gid}' is not a valid id", ID_HINT)
        if gid in seen:
            problems.add(path, g.line_of("id"), f"the competence goal id '{gid}' is used twice",
                         f"give it another id (the first is on line {seen[gid]})")
        seen.setdefault(gid, g.line_of("id"))
        goals.append(Goal(gid, i + 1, g.get("title", gid), g.get("text", "")))
    return tuple(goals)


def _check_unique_ids(modules, problems) -> None:
    """Question, reflection and homework ids become LMS identifiers, so they must be unique course-wide."""
    seen: dict[str, str] = {}
    for module in modules:
        items = list(module.reflections) + list(module.homework)
        if module.quiz:
            items += list(module.quiz.questions)
        for item in items:
            where = f"{item.source.path}:{item.source.line}"
            if item.id in seen:
                problems.add(item.source.path, item.source.line, f"the id '{item.id}' is used twice",
                             f"give it another id (it is also used at {seen[item.id]})")
            else:
                seen[item.id] = where
