"""Build one SCORM package (1.2 or 2004) from the course model: the build steps both formats share.

A package is the learner-facing site of builder/render/site.py (the same pages and look as the web
edition) plus a launch page per SCO (`scorm.html` in a module package, `scorm-<module>.html` per
module in the whole-course package): it loads assets/scorm-runtime.js, which talks to the LMS and
defines window.KSRuntime for the pages, and shows the pages in a full-size frame.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import posixpath
import re

from dataclasses import dataclass
from pathlib import Path

from builder.render import plaintext
from builder.infra import strings
from builder.errors import BuildFailed, Problem
from builder.model import REFLECTION_MIN_12, Course
from builder.infra import cache
from builder.infra.packaging import zip_bytes
from builder.infra.store import Store
from builder.formats.scorm import TEMPLATES, checks, xsd
from builder.formats.scorm.budget import BOOKMARK_SUFFIX, RESERVE, Layout
from builder.formats.scorm.editions import Edition
from builder.formats.scorm.ids import interaction_id, package_ids
from builder.formats.scorm.manifest import MANIFEST, render_manifest
from builder.infra.parallel import ordered_map
from builder.render.site import PageMemo, asset, compact_js, site_files
from builder.render.templating import environment

LAUNCH = "scorm.html"
RUNTIME = "scorm-runtime.js"
SHARED = "scorm-course.js"     # the part of every launch page's configuration all SCOs share
REQUIRED_KINDS = ("page", "reflections", "quiz", "homework")   # what "every page seen" means
COMMIT_SECONDS = 30
UI_KEYS = ("not_connected", "review_mode", "save_failed", "resumed", "other_module", "other_module_opening", "offline_at_risk")
DESCRIPTION_CHARS = 80     # 2004 reflection interactions' descriptions (titles): Moodle re-sends them with every save


@dataclass(frozen=True)
class PackageInfo:
    """What a build produced, for messages, tests and the benchmark."""
    path: Path
    edition: Edition
    module: str | None
    files: int
    worst_case: int           # suspend_data characters of the largest SCO, every reflection at its cap
    limit: int
    caps: dict[str, int]      # reflection id → the maximum length in this package
    mastery: int | None
    scos: tuple[str, ...] = ("",)   # the SCOs: module ids in a multi-SCO package, else ("",)


@dataclass(frozen=True)
class Sco:
    """One SCO of a package: its launch file, its pages (keys, paths) and what decides its status."""
    id: str                   # module id, or "" for the one SCO of a single-SCO package
    title: str
    launch: str
    course: Course            # the part of the course whose data this SCO keeps
    pages: tuple              # SitePage objects of this SCO
    scored: tuple[str, ...]   # the counting quizzes of this SCO
    # Whether this SCO may report "completed" when its rule is met. Moodle's default completion rule
    # completes the activity as soon as ANY SCO stored "completed", so in the whole-course package
    # only the final-test SCO does; a module SCO reports what its edition's adapter says instead
    # (scorm-runtime.js: 1.2 "passed"; 2004 completion "incomplete" with success "passed").
    completes: bool




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


def plan_scos(pkg: Course, pages: list, whole_course: bool) -> list[Sco]:
    """One SCO for a module package; one SCO per module for the whole-course package, in both
    editions (README.md, "One SCO per module"): in 1.2 every reflection gets room in its own SCO's
    4,096 characters, in 2004 every save carries only one module's data (Moodle's 2004 player re-sends
    all of a SCO's interactions with each save). The front page belongs to the first SCO; "Mine
    refleksjoner" is in every SCO. Only the SCO(s) with the counting (graded) quizzes — or the last
    SCO when there is no graded quiz — may report "completed", so that under Moodle's default
    completion rule ("Completed") the activity is completed by the final test alone."""
    scored = pkg.counting_quizzes()
    if not whole_course or len(pkg.modules) < 2:
        return [Sco("", pkg.title, LAUNCH, pkg, tuple(pages), tuple(scored), True)]
    graded = {m.id for m in pkg.modules if m.quiz and m.quiz.graded}
    finals = graded or {pkg.modules[-1].id}
    mine = [p for p in pages if p.kind == "my-reflections"]
    by_module: dict[str, list] = {}
    for p in pages:        # grouped once: a scan of every page per module took 8 s at 1,000 modules
        by_module.setdefault(p.module, []).append(p)
    front = [p for p in pages if p.kind == "front"]
    scos = []
    for i, m in enumerate(pkg.modules):
        own = (front if i == 0 else []) + by_module.get(m.id, [])
        counting = (m.quiz.id,) if m.id in graded else ()
        scos.append(Sco(m.id, m.title, f"scorm-{m.id}.html", pkg.only(m.id), tuple(own + mine), counting,
                        m.id in finals))
    return scos


# The last save of a SCO in Moodle's 2004 player (Terminate while the page closes) is a Beacon request
# that re-sends all of the SCO's interactions as multipart form data: ~140 bytes of boundary and field
# name per value. Browsers refuse a Beacon over 64 KiB, and then the save and the session time are
# lost. (Measured in Moodle 5.1: a SCO with 39 answered questions of 7 values each sent 41,348 bytes;
# so a question's interaction has 5 values now: id, type, pattern, response, result — no description
# or time.) Worst cases in bytes: a question's 5 values; a reflection's 5 values, its title and its
# text, counted at 2 bytes of UTF-8 per character: Norwegian (æ, ø, å) and every Latin, Greek,
# Cyrillic and Arabic letter; a reflection written entirely in CJK characters or emoji could take
# more. EXIT_SAVE_BASE covers the other values (statuses, score, bookmark, the form's own fields).
TEXT_BYTES = 2
EXIT_SAVE_QUESTION = 5 * 140 + 100
EXIT_SAVE_REFLECTION = 5 * 140 + TEXT_BYTES * DESCRIPTION_CHARS
EXIT_SAVE_BASE = 4_000
EXIT_SAVE_LIMIT = 48 * 1024        # well under the Beacon's 64 KiB


def exit_save_bytes(layout: Layout, caps: dict[str, int], suspend_data: int) -> int:
    """The worst-case size of a 2004 SCO's last save in Moodle's player (see EXIT_SAVE_*)."""
    questions = sum(len(q["q"]) for q in layout.quizzes)
    return (EXIT_SAVE_BASE + suspend_data + questions * EXIT_SAVE_QUESTION
            + sum(EXIT_SAVE_REFLECTION + TEXT_BYTES * cap for cap in caps.values()))


def plan_budget(course: Course, layout: Layout, edition: Edition, where: str) -> tuple[dict[str, int], int]:
    """Reflection caps and the worst case for one SCO, or BuildFailed saying what to change.

    SCORM 2004 keeps reflections in interactions (4,000 characters each), so only the rest must fit
    its 64,000 characters. SCORM 1.2 gives each reflection of the SCO an equal share of what is
    left of 4,096 characters, and never less than REFLECTION_MIN_12."""
    limit = edition.suspend_limit
    reflections = {r.id: r for r in course.reflections()}
    if edition.reflections_in_interactions:
        worst = layout.fixed_size()
        if worst > limit - RESERVE:
            raise BuildFailed([Problem(where, 0, f"{where}: pages, answers and ticks need {worst:,} of the "
                                                 f"{limit:,} characters {edition.title} allows for learner data",
                                       "split the course into smaller packages")])
        caps = {rid: mx for rid, mx, _ in layout.reflections}
        save = exit_save_bytes(layout, caps, worst)
        if save > EXIT_SAVE_LIMIT:
            raise BuildFailed([Problem(where, 0, f"{where}: the last save of this SCO in Moodle could reach {save:,} bytes "
                                                 f"({sum(len(q['q']) for q in layout.quizzes):,} "
                                                 f"questions, {len(caps)} reflections of up to {max(caps.values(), default=0):,} "
                                                 f"characters); a browser sends at most 64 KiB while a page closes, and the "
                                                 f"build keeps it under {EXIT_SAVE_LIMIT:,} bytes",
                                       "move questions or a reflection to another module, or make the quiz pool smaller")])
        return caps, worst
    if layout.fixed_size() + RESERVE > limit:
        raise BuildFailed([Problem(where, 0, f"{where}: pages, answers and ticks alone need {layout.fixed_size():,} of "
                                              f"the {limit:,} characters {edition.title} allows for learner data",
                                   "build this course with --format scorm2004, or give facilitators the module packages")])
    caps = layout.caps_for(limit)
    if caps is None:
        first = next(iter(reflections.values()))
        raise BuildFailed([Problem(first.source.path, first.source.line,
                                   f"{where}: the {len(reflections)} reflections of this part do not fit {edition.title}'s "
                                   f"{limit:,} characters of learner data with {REFLECTION_MIN_12:,} characters each",
                                   "move a reflection to another module (each module is a SCO of its own in SCORM 1.2)")])
    return caps, layout.worst_case(caps)


def preflight(pkg: Course, pages, edition: Edition, module_id: str | None) -> list[tuple[Sco, Layout, dict[str, int], int]]:
    """The checks of a package that need only its reading order, not its files: bookmark lengths and
    the learner-data budget of every SCO. `build` runs them on the pages it renders, `check` on the
    planned pages. Returns (SCO, its layout, its reflection caps, its worst case) per SCO."""
    where = _where(pkg, module_id, edition)
    too_long = [p.path for p in pages if len(p.path) + BOOKMARK_SUFFIX > edition.location_limit]
    if too_long:
        raise BuildFailed([Problem(where, 0, f"the page path '{too_long[0]}' is too long for the "
                                             f"{edition.location_limit} characters a {edition.title} bookmark holds",
                                   "use shorter module and page ids")])
    out = []
    for sco in plan_scos(pkg, pages, whole_course=module_id is None):
        layout = Layout.of(sco.course, [p.key for p in sco.pages])
        caps, worst = plan_budget(sco.course, layout, edition, where + (f", SCO {sco.id}" if sco.id else ""))
        out.append((sco, layout, caps, worst))
    return out


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


def _quiz_codecs(layout: Layout) -> list[dict]:
    """The quizzes' answer codecs for the runtime, each question with its interaction id."""
    return [{"id": q["id"], "n": q["n"], "q": [dict(c, i=interaction_id(q["id"], c["id"])) for c in q["q"]]}
            for q in layout.quizzes]


def build_package(course: Course, target: Path, *, edition: Edition, module_id: str | None = None,
                  store: Store | None = None) -> PackageInfo:
    """Write the `edition` zip of `course` (or of one module) to `target`. With the build's store
    (Options.store) a package is rendered and zipped once per build: the scorm12 module packages
    are also the homework packages and the Moodle backup's activities."""
    data, info = package_zip(course, edition=edition, module_id=module_id, store=store)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return dataclasses.replace(info, path=target)


def package_zip(course: Course, *, edition: Edition, module_id: str | None = None,
                store: Store | None = None) -> tuple[bytes, PackageInfo]:
    """The checked zip of the `edition` package of `course` (or of one module), and what it is."""
    if store is None:
        return _kept(course, edition, module_id)
    return store.get(f"package {edition.name} {course.id} {course.language} {module_id or ''}",
                     lambda: _kept(course, edition, module_id))


def _kept(course: Course, edition: Edition, module_id: str | None) -> tuple[bytes, PackageInfo]:
    """The package from the build cache when exactly its inputs were packaged before: a module's
    package is made from `course.only(module_id)` alone (package_files), so its key is the digest
    of that, and a page edit renders one module's packages instead of all of them. Measured 13:40
    (cProfile, warm build after a one-page edit, every format, one core, load ~18): rendering the
    53 packages (both SCORM editions, Moodle, homework) was 22.8 s of 48.3 s."""
    key = cache.key_or_none(lambda: cache.key("package", edition.name, module_id or "", xsd.available(),
                                              cache.model_digest(course.only(module_id) if module_id else course)))
    return cache.kept("package", key, lambda: _zipped(course, edition, module_id), pickled=True)


def _zipped(course: Course, edition: Edition, module_id: str | None) -> tuple[bytes, PackageInfo]:
    site, info = package_files(course, edition=edition, module_id=module_id)
    # The same files make the same zip, which passed the same checks: take it from the build cache
    # (a rebuild of an unchanged package, the same package in another build).
    key = cache.key("scorm-zip", xsd.available(),
                    *(name.encode() + b"\0" + hashlib.sha256(site[name]).digest() for name in sorted(site)))
    data = cache.get_blob("scorm-zip", key)
    if data is None:
        data = zip_bytes(site, f"{module_id or course.id}.zip ({edition.name})")
        name = f"{module_id or course.id}.zip"
        problems = checks.check_zip(io.BytesIO(data), label=name, require_xsd=False)
        if problems:
            raise BuildFailed([Problem(_where(course, module_id, edition), p.line, f"the built package is not valid: {p}")
                               for p in problems])
        cache.put_blob("scorm-zip", key, data)
    return data, info


_STYLESHEET = re.compile(rb'<link rel="stylesheet" href="([^"]+)"')


def _stylesheets(path: str, page: bytes) -> list[str]:
    """The stylesheets a page links in its <head>, as paths from the package's root: what the SCO's
    first page waits for before it paints, which its launch page fetches while the runtime loads.
    A stylesheet linked in the <body> (the front page's designsystemet.css, after its content: it paints
    from its inline stylesheet, builder/render/front_style.py) holds up no paint, and preloading it
    would only share the slow line with the runtime the page's frame waits for."""
    return [posixpath.normpath(posixpath.join(posixpath.dirname(path), href.decode()))
            for href in _STYLESHEET.findall(page.split(b"<body", 1)[0])]


def package_files(course: Course, *, edition: Edition, module_id: str | None = None,
                  memo: PageMemo | None = None) -> tuple[dict[str, bytes], PackageInfo]:
    """Every file of the `edition` package of `course` (or of one module), path → bytes, unzipped
    (the preview serves these as they are), and what the package is (its `path` left empty).
    The preview passes a `memo` to render only the pages its last save changed."""
    pkg = course.only(module_id) if module_id else course
    ui = strings.catalogue(course.language)
    pages, site = site_files(pkg, edition=edition.name, memo=memo)
    site[f"assets/{RUNTIME}"] = compact_js(asset(RUNTIME).decode("utf-8")).encode("utf-8")

    planned = preflight(pkg, pages, edition, module_id)
    scos = [sco for sco, _, _, _ in planned]
    ids = package_ids(course.id, module_id, edition)
    mastery = pkg.mastery_score if any(s.scored for s in scos) else None
    all_caps, worst_sco = {}, 0
    page_sco = {p.path: i for i, s in enumerate(scos) for p in s.pages if p.kind != "my-reflections"}
    for index, (sco, layout, caps, worst) in enumerate(planned):
        all_caps.update(caps)
        worst_sco = max(worst_sco, worst)
        config = {
            "id": ids["manifest"], "sco": sco.id, "version": edition.version,
            "start": sco.pages[0].path, "pages": [[p.key, p.path] for p in sco.pages],
            "required": [p.key for p in sco.pages if p.kind in REQUIRED_KINDS],
            "scored": list(sco.scored), "mastery": pkg.mastery_score, "completes": sco.completes,
            "layout": layout.runtime(not edition.reflections_in_interactions) | {"quizzes": _quiz_codecs(layout)},
            "caps": caps,
            "reflectionStore": "interactions" if edition.reflections_in_interactions else "suspend_data",
            "reflectionTitles": {r.id: plaintext.line(r.title, DESCRIPTION_CHARS) for r in sco.course.reflections()}
                                if edition.reflections_in_interactions else {},
            "suspendLimit": edition.suspend_limit, "commitSeconds": COMMIT_SECONDS,
        }
        if len(scos) > 1:
            config.update(scoIndex=index)
        else:
            config.update(strings={k: ui[k] for k in UI_KEYS})
        title = sco.title if (module_id or sco.id) else course.title
        site[sco.launch] = environment(TEMPLATES).get_template("launch.html").render(
            language=course.language, title=title, frame_title=ui["lms_frame_title"], config=config,
            shared=len(scos) > 1, preload=_stylesheets(sco.pages[0].path, site[sco.pages[0].path])).encode()
    if len(scos) > 1:
        # What every SCO of the package shares (the course's SCOs, which SCO holds each page, the
        # texts) is one file, assets/scorm-course.js, not a copy in each launch page: with a copy
        # per SCO a package grew with the square of its modules (177 KB per launch page at 1,000).
        # Written once, after the SCOs' loop: encoding it per SCO took 85 s of a 1,000-module build.
        site[f"assets/{SHARED}"] = _shared_script({"scos": [s.title for s in scos], "scoIds": [s.id for s in scos],
                                                   "pageSco": page_sco, "strings": {k: ui[k] for k in UI_KEYS}})
    files = sorted(site)
    site[MANIFEST] = render_manifest(
        edition=edition, course_id=course.id, module_id=module_id,
        title=manifest_title(course, pkg.modules[0] if module_id else None), language=course.language,
        package_version=course.version,
        scos=scos, files=files, mastery=mastery).encode()
    return site, PackageInfo(Path(), edition, module_id, len(files) + 1, worst_sco, edition.suspend_limit, all_caps,
                             mastery,
                             tuple(s.id for s in scos))


def _shared_script(shared: dict) -> bytes:
    """A script that completes the launch page's configuration (#ks-scorm-config) with what all
    SCOs share, before assets/scorm-runtime.js reads it."""
    data = json.dumps(shared, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return ('(function(){var e=document.getElementById("ks-scorm-config"),c=JSON.parse(e.textContent),s='
            + data + ';for(var k in s)if(!(k in c))c[k]=s[k];e.textContent=JSON.stringify(c);})();\n').encode()


def _build_one(context, module_id: str | None) -> PackageInfo:
    course, out, edition, store = context
    target = out / "modules" / f"{module_id}.zip" if module_id else out / f"{course.id}.zip"
    return build_package(course, target, edition=edition, module_id=module_id, store=store)


def build_all(course: Course, out: Path, *, edition: Edition, module_id: str | None,
              progress=lambda message: None, store: Store | None = None, modules: bool = True) -> list[PackageInfo]:
    """The course package `out/<course>.zip` and one `out/modules/<module>.zip` per module
    (only that module's package when `module_id` is given, none when not `modules`)."""
    label = edition.name
    out.mkdir(parents=True, exist_ok=True)
    jobs = [m.id for m in course.modules if module_id in (None, m.id)] if modules else []
    if module_id is None:
        jobs.insert(0, None)
    infos = ordered_map(_build_one, (course, out, edition, store), jobs)
    if not xsd.available():
        progress(f"{label}: checked without the official XSDs ({xsd.missing_message()})")
    for info in infos:
        progress(f"{label}: {info.path.name}: {info.files} files, learner data at most "
                 f"{info.worst_case:,} of {info.limit:,} characters")
        if info.caps:
            low, high = min(info.caps.values()), max(info.caps.values())
            room = f"{low:,}" if low == high else f"{low:,}–{high:,}"
            progress(f"{label}: {info.path.name}: {len(info.scos)} SCO(s), each reflection holds {room} characters")
    return infos
