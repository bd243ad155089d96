"""Build one SCORM package (1.2 or 2004) from the course model: the build steps both formats share.

A package is the learner-facing site of builder/render/site.py (the same pages and look as the web
edition) plus `scorm.html`, the one SCO: it loads assets/scorm-runtime.js, which talks to the
LMS and defines window.KSRuntime for the pages, and shows the pages in a full-size frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.render import plaintext, strings
from builder.errors import BuildFailed, Problem
from builder.model import ACTION_STEPS, Course
from builder.infra.packaging import write_zip_files
from builder.formats.scorm import TEMPLATES, checks, xsd
from builder.formats.scorm.budget import RESERVE, Layout
from builder.formats.scorm.editions import Edition
from builder.formats.scorm.ids import interaction_id, package_ids
from builder.formats.scorm.manifest import MANIFEST, render_manifest
from builder.infra.parallel import ordered_map
from builder.render.site import asset, site_files
from builder.render.templating import environment

LAUNCH = "scorm.html"
RUNTIME = "scorm-runtime.js"
REQUIRED_KINDS = ("page", "reflections", "quiz", "homework")   # what "every page seen" means
COMMIT_SECONDS = 30
UI_KEYS = ("not_connected", "review_mode", "save_failed", "resumed")


@dataclass(frozen=True)
class PackageInfo:
    """What a build produced, for messages, tests and the benchmark."""
    path: Path
    edition: Edition
    module: str | None
    files: int
    worst_case: int           # suspend_data characters, every reflection at its (capped) maximum
    limit: int
    caps: dict[str, int]      # reflection id → the maximum length in this package
    mastery: int | None


def scored_quizzes(course: Course) -> list[str]:
    """The quizzes whose score decides pass/fail: the graded ones, or every quiz when none is graded."""
    quizzes = [m.quiz for m in course.modules if m.quiz]
    graded = [q.id for q in quizzes if q.graded]
    return graded or [q.id for q in quizzes]


# The manifest's <title> holds at most 200 characters (titleType in the SCORM 1.2 XSD; the SCORM 2004
# CAM gives the same smallest permitted maximum), and an LMS shows it in course lists.
TITLE_LIMIT = 200


def manifest_title(course: Course, module=None) -> str:
    """The title in imsmanifest.xml: the course's, or 'course: module' for a module package."""
    return f"{course.title}: {module.title}" if module is not None else course.title


def title_problems(course: Course, edition: Edition) -> list[Problem]:
    """Titles the manifests could not hold, named where the editor wrote them."""
    out = []
    if len(course.title) > TITLE_LIMIT:
        out.append(Problem(course.source.path, course.source.line,
                           f"the course title is {len(course.title)} characters; a {edition.title} package title holds {TITLE_LIMIT}",
                           f"shorten the title to at most {TITLE_LIMIT} characters"))
        return out
    room = TITLE_LIMIT - len(course.title) - len(": ")
    for m in course.modules:
        if len(manifest_title(course, m)) > TITLE_LIMIT:
            out.append(Problem(m.source.path, m.source.line,
                               f"the module title is {len(m.title)} characters; with the course title in front "
                               f"('{course.title}: ...') the {edition.title} module package title would be "
                               f"{len(manifest_title(course, m))}, more than the {TITLE_LIMIT} a manifest holds",
                               f"shorten the module title to at most {max(room, 0)} characters"))
    return out


def _where(course: Course, module_id: str | None, edition: Edition) -> str:
    return f"{course.id}" + (f"/{module_id}" if module_id else "") + f" ({edition.title})"


def plan_budget(course: Course, layout: Layout, edition: Edition, module_id: str | None) -> tuple[dict[str, int], int]:
    """Reflection caps and the worst case for this package, or BuildFailed saying what to change.

    An edition with room for every reflection at its max_length keeps them whole; in one that
    caps reflections (SCORM 1.2) they share what the limit leaves."""
    limit = edition.suspend_limit
    where = _where(course, module_id, edition)
    reflections = {r.id: r for r in course.reflections()}
    if not edition.caps_reflections:
        caps = {rid: mx for rid, mx, _ in layout.reflections}
        worst = layout.worst_case(caps)
        if worst > limit - RESERVE:
            biggest = max(reflections.values(), key=lambda r: r.max_length)
            raise BuildFailed([Problem(biggest.source.path, biggest.source.line,
                                       f"{where}: the learner data can reach {worst:,} characters when every reflection is "
                                       f"written to its max_length, more than {edition.title} allows ({limit:,})",
                                       f"lower max_length of the reflections (this one allows {biggest.max_length:,}) "
                                       f"or split the course into smaller packages")])
        return caps, worst
    if layout.fixed_size() + RESERVE > limit:
        raise BuildFailed([Problem(where, 0, f"{where}: pages, answers and ticks alone need {layout.fixed_size():,} of "
                                              f"the {limit:,} characters {edition.title} allows for learner data",
                                   "build this course with --format scorm2004, or give facilitators the module packages")])
    caps = layout.caps_for(limit)
    if caps is None:
        floors = layout.floors()
        raise BuildFailed([Problem(where, 0,
                                   f"{where}: the {len(reflections)} reflections do not fit {edition.title}'s {limit:,} "
                                   f"characters of learner data even when each is cut to its min_length "
                                   f"({sum(floors.values()):,} characters of text in all)",
                                   "lower min_length of the reflections, give learners the module packages, "
                                   "or use --format scorm2004")])
    return caps, layout.worst_case(caps)


def preflight(pkg: Course, pages, edition: Edition, module_id: str | None) -> tuple[Layout, dict[str, int], int]:
    """The checks of a package that need only its reading order, not its files: bookmark lengths and
    the learner-data budget. `build` runs them on the pages it renders, `check` on the planned pages."""
    where = _where(pkg, module_id, edition)
    too_long = [p.path for p in pages if len(p.path) > edition.location_limit]
    if too_long:
        raise BuildFailed([Problem(where, 0, f"the page path '{too_long[0]}' is longer than the "
                                             f"{edition.location_limit} characters a {edition.title} bookmark holds",
                                   "use shorter module and page ids")])
    layout = Layout.of(pkg, [p.key for p in pages])
    caps, worst = plan_budget(pkg, layout, edition, module_id)
    return layout, caps, worst


def source_problems(course: Course, edition: Edition) -> list[Problem]:
    """Everything a build of `edition` would refuse before writing a package."""
    from builder.render.site import plan
    found = title_problems(course, edition)
    for module_id in [None] + [m.id for m in course.modules]:
        pkg = course.only(module_id) if module_id else course
        try:
            preflight(pkg, plan(pkg), edition, module_id)
        except BuildFailed as err:
            found += err.problems
    return found


def build_package(course: Course, target: Path, *, edition: Edition, module_id: str | None = None) -> PackageInfo:
    """Write the `edition` zip of `course` (or of one module) to `target`."""
    pkg = course.only(module_id) if module_id else course
    ui = strings.catalogue(course.language)
    pages, site = site_files(pkg, edition=edition.name)
    site[f"assets/{RUNTIME}"] = asset(RUNTIME)

    where = _where(course, module_id, edition)
    layout, caps, worst = preflight(pkg, pages, edition, module_id)
    scored = scored_quizzes(pkg)
    mastery = pkg.mastery_score if scored else None
    quizzes = []
    for q in layout.quizzes:
        questions = {x.id: x for m in pkg.modules if m.quiz and m.quiz.id == q["id"] for x in m.quiz.questions}
        codecs = []
        for c in q["q"]:
            c = dict(c)
            c["i"] = interaction_id(q["id"], c["id"])
            if edition.describes_interactions:
                c["d"] = plaintext.line(questions[c["id"]].html, 250)
            codecs.append(c)
        quizzes.append({"id": q["id"], "n": q["n"], "q": codecs})
    config = {
        "id": package_ids(course.id, module_id, edition)["manifest"], "version": edition.version,
        "start": pages[0].path, "pages": [[p.key, p.path] for p in pages],
        "required": [p.key for p in pages if p.kind in REQUIRED_KINDS],
        "scored": scored, "mastery": pkg.mastery_score,
        "layout": {"fingerprint": layout.fingerprint(), "pages": list(layout.pages), "quizzes": quizzes,
                   "homework": list(layout.homework)},
        "steps": list(ACTION_STEPS), "caps": caps,
        "capped": any(caps[rid] < mx for rid, mx, _ in layout.reflections),
        "suspendLimit": edition.suspend_limit, "commitSeconds": COMMIT_SECONDS,
        "strings": {k: ui[k] for k in UI_KEYS},
    }
    title = pkg.modules[0].title if module_id else course.title
    site[LAUNCH] = environment(TEMPLATES).get_template("launch.html").render(
        language=course.language, title=title, frame_title=ui["lms_frame_title"], config=config).encode()
    files = sorted(site)
    site[MANIFEST] = render_manifest(
        edition=edition, course_id=course.id, module_id=module_id,
        title=manifest_title(course, pkg.modules[0] if module_id else None), package_version=course.version,
        launch=LAUNCH, files=files, mastery=mastery).encode()
    write_zip_files(site, target)

    problems = checks.check_zip(target, label=target.name, require_xsd=False)
    if problems:
        target.unlink()
        raise BuildFailed([Problem(where, p.line, f"the built package is not valid: {p}") for p in problems])
    return PackageInfo(target, edition, module_id, len(files) + 1, worst, edition.suspend_limit, caps, mastery)


def _build_one(context, module_id: str | None) -> PackageInfo:
    course, out, edition = context
    target = out / "modules" / f"{module_id}.zip" if module_id else out / f"{course.id}.zip"
    return build_package(course, target, edition=edition, module_id=module_id)


def build_all(course: Course, out: Path, *, edition: Edition, module_id: str | None,
              progress=lambda message: None) -> list[PackageInfo]:
    """The course package `out/<course>.zip` and one `out/modules/<module>.zip` per module
    (only that module's package when `module_id` is given)."""
    label = edition.name
    out.mkdir(parents=True, exist_ok=True)
    jobs = [m.id for m in course.modules if module_id in (None, m.id)]
    if module_id is None:
        jobs.insert(0, None)
    infos = ordered_map(_build_one, (course, out, edition), jobs)
    if not xsd.available():
        progress(f"{label}: checked without the official XSDs ({xsd.missing_message()})")
    for info in infos:
        progress(f"{label}: {info.path.name}: {info.files} files, learner data at most "
                 f"{info.worst_case:,} of {info.limit:,} characters")
        sources = {r.id: r.max_length for r in course.reflections()}
        cut = {rid: n for rid, n in info.caps.items() if n < sources[rid]}
        if cut:
            progress(f"{label}: {info.path.name}: {len(cut)} reflections are limited to {min(cut.values())}–"
                     f"{max(cut.values())} characters to fit {edition.title} (the module packages and SCORM 2004 allow more)")
    return infos
