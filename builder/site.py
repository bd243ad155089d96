"""The learner-facing pages of a course, shared by the web edition and the SCORM packages.

A multi-page static site: `index.html`, one file per page under `<module>/`, a quiz, reflection
and homework page per module where it has them, and `mine-refleksjoner.html`. Every page works
from the file system and offline. Learner data goes through one JavaScript interface (KSStore in
assets/kurs.js): localStorage in the web edition, the LMS in a SCORM package.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from pathlib import Path

import jinja2

from builder import dates, strings
from builder.model import ACTION_STEPS, Course, Module, relink_media
from builder.paths import ASSETS, TEMPLATES

ASSET_FILES = ("kurs.css", "kurs.js")


@dataclass(frozen=True)
class SitePage:
    path: str            # relative, posix: "roller/hvem-gjor-hva.html"
    key: str             # short stable ASCII id, used in learner data
    module: str          # module id, "" for course-level pages
    title: str
    kind: str            # front | page | reflections | quiz | homework | my-reflections


def plan(course: Course) -> list[SitePage]:
    """The reading order of the course: every page a learner goes through, front page first."""
    pages = [SitePage("index.html", "", "", course.title, "front")]
    for m in course.modules:
        for p in m.pages:
            pages.append(SitePage(f"{m.id}/{p.id}.html", "", m.id, p.title, "page"))
        ui = strings.catalogue(course.language)
        if m.reflections:
            pages.append(SitePage(f"{m.id}/refleksjon.html", "", m.id, f"{ui['reflections']}: {m.title}", "reflections"))
        if m.quiz:
            pages.append(SitePage(f"{m.id}/quiz.html", "", m.id, m.quiz.title, "quiz"))
        if m.homework:
            pages.append(SitePage(f"{m.id}/hjemmearbeid.html", "", m.id, f"{ui['homework']}: {m.homework[0].title}", "homework"))
    pages.append(SitePage("mine-refleksjoner.html", "", "", strings.catalogue(course.language)["my_reflections"], "my-reflections"))
    return _with_keys(pages)


def _with_keys(pages: list[SitePage]) -> list[SitePage]:
    """Keys are short hashes of the path: stable when pages are added or moved, short in suspend data."""
    for width in range(4, 12):
        keys = [hashlib.sha1(p.path.encode()).hexdigest()[:width] for p in pages]
        if len(set(keys)) == len(keys):
            return [SitePage(p.path, k, p.module, p.title, p.kind) for p, k in zip(pages, keys)]
    raise AssertionError("page keys collide")


@lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    """One environment per process: compiled templates are reused by every package of a build."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "web"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["norsk_date"] = lambda d: dates.norwegian(d) if d else ""
    return env


def render_site(course: Course, out: Path, *, edition: str, start_date: date | None = None) -> list[SitePage]:
    """Write every page and the shared assets into `out`; returns the reading order."""
    pages = plan(course)
    env = _environment()
    ui = strings.catalogue(course.language)
    dates = course.timeline.dates(start_date)
    (out / "assets").mkdir(parents=True, exist_ok=True)
    for name in ASSET_FILES:
        shutil.copyfile(ASSETS / name.split(".")[-1] / name, out / "assets" / name)
    (out / "assets" / "kurs-data.js").write_text(_course_data(course, pages, ui, edition), encoding="utf-8")
    if course.media:
        (out / "media").mkdir(exist_ok=True)
        for media in course.media:
            (out / "media" / media.name).write_bytes(media.data)

    by_module: dict[str, list[SitePage]] = {}
    for page in pages:
        by_module.setdefault(page.module, []).append(page)
    modules = {m.id: (n, m) for n, m in enumerate(course.modules, start=1)}
    for i, page in enumerate(pages):
        depth = page.path.count("/")
        root = "../" * depth
        number, module = modules.get(page.module, (0, None))
        context = dict(
            course=course, page=page, pages=pages, ui=ui, root=root, edition=edition,
            prev=pages[i - 1] if i > 0 else None, next=pages[i + 1] if i + 1 < len(pages) else None,
            module=module, module_pages=by_module.get(page.module, []) if module else [],
            module_number=number, by_module=by_module,
            html=lambda fragment: relink_media(fragment, f"{root}media/"),
            dates=dates, gatherings={g.id: g for g in course.timeline.gatherings},
            steps=ACTION_STEPS, start_date=start_date,
        )
        if page.kind == "page":
            source_page = next(p for p in module.pages if f"{module.id}/{p.id}.html" == page.path)
            context.update(source_page=source_page, last_in_module=source_page is module.pages[-1])
        elif page.kind != "front":
            context.update(by_module={})  # only the front page lists every module
        html = env.get_template(f"{page.kind}.html").render(**context)
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return pages


def _course_data(course: Course, pages: list[SitePage], ui: dict, edition: str) -> str:
    """What the page script needs to know about the whole course, as one small shared file."""
    data = {
        "id": course.id, "version": course.version, "edition": edition, "mastery": course.mastery_score,
        "pages": [[p.key, p.path, p.module] for p in pages],
        "graded": [m.quiz.id for m in course.modules if m.quiz and m.quiz.graded],
        "quizzes": {m.quiz.id: len(m.quiz.questions) for m in course.modules if m.quiz},
        "reflections": [{"id": r.id, "title": r.title, "module": m.title, "max": r.max_length}
                        for m in course.modules for r in m.reflections],
        "title": course.title,
    }
    return ("// Generated from the course model; do not edit.\n"
            f"window.KS_COURSE = {json.dumps(data, ensure_ascii=False, sort_keys=True)};\n"
            f"window.KS_STRINGS = {json.dumps(ui, ensure_ascii=False, sort_keys=True)};\n")
