"""The learner-facing pages of a course, shared by the web edition and the SCORM packages.

A multi-page static site: `index.html`, one file per page under `<module>/`, a quiz, reflection
and homework page per module where it has them, and `mine-refleksjoner.html`; besides the reading
order, each module once more on one page to print (`<module>/hele-modulen.html`). Every page works
from the file system and offline. Learner data goes through one JavaScript interface (KSStore in
assets/kurs.js): localStorage in the web edition, the LMS in a SCORM package.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import escape
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from builder.infra import strings
from builder.model import ACTION_STEPS, REFLECTION_MAX, Course, Module, Question, markup
from builder.model.naming import ANSWERS, CERTIFICATE, MODULE_PAGES, MY_REFLECTIONS, PRINT_PAGE
from builder.render.labels import labelled, labelled_part
from builder.infra.parallel import ordered_map
from builder.infra import typography
from builder.render import designsystem, figures, front_style, glossary
from builder.render.links import relink_media, relink_terms
from builder.render.templating import environment
from builder.render.timeline import fill_slots, timeline_html
from builder.infra.paths import ASSETS
from builder.infra import cache
from builder.infra.cache import model_digest

PAGE_SCRIPTS = ("kurs.js", "quiz.js")   # every page loads kurs.js; quiz pages also quiz.js
ASSET_FILES = ("kurs.css",) + PAGE_SCRIPTS



@dataclass(frozen=True)
class SitePage:
    path: str            # relative, posix: "roller/hvem-gjor-hva.html"
    key: str             # short stable ASCII id, used in learner data
    module: str          # module id, "" for course-level pages
    title: str
    kind: str            # front | page | reflections | quiz | homework | my-reflections | module-print


def plan(course: Course) -> list[SitePage]:
    """The reading order of the course: every page a learner goes through, front page first."""
    pages = [SitePage("index.html", "", "", course.title, "front")]
    for m in course.modules:
        for p in m.pages:
            pages.append(SitePage(f"{m.id}/{p.id}.html", "", m.id, p.title, "page"))
        ui = strings.catalogue(course.language)
        if m.reflections:
            pages.append(SitePage(f"{m.id}/{MODULE_PAGES['reflections']}.html", "", m.id, f"{ui['reflections']}: {m.title}", "reflections"))
        if m.quiz:
            pages.append(SitePage(f"{m.id}/{MODULE_PAGES['quiz']}.html", "", m.id, m.quiz.title, "quiz"))
        if m.homework:
            pages.append(SitePage(f"{m.id}/{MODULE_PAGES['homework']}.html", "", m.id, f"{ui['homework']}: {m.homework[0].title}", "homework"))
    pages.append(SitePage(MY_REFLECTIONS, "", "", strings.catalogue(course.language)["my_reflections"], "my-reflections"))
    return _with_keys(pages)


def _with_keys(pages: list[SitePage]) -> list[SitePage]:
    """Keys are short hashes of the path: stable when pages are added or moved, short in suspend data."""
    for width in range(4, 12):
        keys = [hashlib.sha1(p.path.encode()).hexdigest()[:width] for p in pages]
        if len(set(keys)) == len(keys):
            return [SitePage(p.path, k, p.module, p.title, p.kind) for p, k in zip(pages, keys)]
    raise AssertionError("page keys collide")


def render_site(course: Course, out: Path, *, edition: str) -> list[SitePage]:
    """Write every page and the shared assets into `out`; returns the reading order."""
    pages, files = site_files(course, edition=edition)
    for name, data in files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return pages


# The learner-data layer is small source files in assets/js/learner/ (codec, store, LMS adapters),
# joined here into the scripts that ship: one classic script each, in one scope, because Chromium
# refuses module scripts from file://, where the web edition must work.
JOINED = {"kurs.js": ("learner/codec.js", "learner/store.js", "learner/rule.js", "kurs.js"),
          "scorm-runtime.js": ("learner/codec.js", "learner/store.js", "learner/rule.js", "learner/lms.js", "scorm-runtime.js")}


@lru_cache(maxsize=None)
def asset(name: str) -> bytes:
    """A learner-facing file from assets/ (read once per process: every package of a build needs it);
    a script of JOINED is its parts in one function scope."""
    folder = ASSETS / name.split(".")[-1]
    if name in JOINED:
        parts = b"\n".join((folder / part).read_bytes() for part in JOINED[name])
        return b"(function () {\n" + parts + b"\n})();\n"
    return (folder / name).read_bytes()


def outline(module: Module) -> Module:
    """What other pages may show of a module: everything but its pages' texts."""
    return replace(module, pages=tuple(replace(p, html="", words=0) for p in module.pages))


def outline_digest(course: Course) -> str:
    """The digest of everything of `course` but its pages' texts: what a part made for one module
    (an OLX chapter) may show of the others, as a page may (PageMemo)."""
    return model_digest(([(f.name, getattr(course, f.name)) for f in fields(course) if f.name != "modules"],
                         [model_digest(outline(m)) for m in course.modules]))


class PageMemo:
    """The pages earlier site_files() calls rendered, for a caller that renders the same course again
    after small edits (the preview): a save renders the pages of the edited module, not the course.

    Every page may show what the course's outline holds: titles and the reading order, study
    times, quizzes and reflections, the glossary, the timeline, media, the edition; that is, the
    whole model except the texts of the pages. A text page adds its own text, a module's print
    page all its pages' texts. A page's key is the digest of what it is made from, so an edited
    page text renders that page and its module's print page, and an edited title (or glossary
    term, or study time) every page. Digests and labelled copies are kept by the model object they
    were made from, which the loader's memo hands out again while its files are unchanged
    (builder/loader/memo.py): an unchanged module is hashed and labelled once. Only what the last
    call used is kept, so the memo never grows."""

    def __init__(self) -> None:
        self._pages: dict[tuple, tuple[bytes, frozenset[str]]] = {}     # key → the page, what it uses of Designsystemet
        self._tables: dict[str, dict] = {}     # shared digest → the build cache's table of its pages
        self._made: dict[tuple[str, int], tuple] = {}    # (what, id(object)) → (object, result)
        self._used: dict[tuple[str, int], tuple] = {}
        self.rendered: list[str] = []            # the pages the last call rendered (the rest were kept)

    def made(self, what: str, value, make):
        """make(value), once per object while the object is in use."""
        found = self._made.get((what, id(value)))
        if found is None or found[0] is not value:
            found = (value, make(value))
        self._used[(what, id(value))] = found
        return found[1]

    def labelled(self, course: Course) -> Course:
        """labelled(course), labelling only the parts it did not see last time (labelling is per part)."""
        self._used = {}
        return replace(course, **{f.name: self.made(f"labelled:{course.language}", getattr(course, f.name),
                                                   lambda v: labelled_part(v, course.language))
                                  for f in fields(course) if f.name != "modules"},
                       modules=tuple(self.made(f"labelled:{course.language}", m, lambda m: labelled_part(m, course.language))
                                     for m in course.modules))

    def keys(self, course: Course, pages: list[SitePage], terms: dict, edition: str) -> tuple[list[tuple], list[tuple]]:
        """The keys (path first) of the reading order's pages and of the modules' print pages."""
        outlines = [self.made("outline", m, lambda m: model_digest(outline(m))) for m in course.modules]
        def digest(value):      # a tuple's items one by one: a new tuple of the same media is not hashed again
            return ([self.made("digest", v, model_digest) for v in value] if isinstance(value, tuple)
                    else self.made("digest", value, model_digest))
        rest = [(f.name, digest(getattr(course, f.name))) for f in fields(course) if f.name != "modules"]
        shared = model_digest((edition, rest, outlines, pages,
                               [(e.slug, e.module, e.page, e.term, e.explanation) for e in terms.values()]))
        texts = {f"{m.id}/{p.id}.html": p for m in course.modules for p in m.pages}
        keys = [(p.path, shared, self.made("digest", texts[p.path], model_digest) if p.kind == "page" else "")
                for p in pages]
        print_keys = [(f"{m.id}/{PRINT_PAGE}", shared, self.made("digest", m, model_digest)) for m in course.modules]
        return keys, print_keys

    def finish(self) -> None:
        """Keep what this call used (and forget the rest)."""
        self._made, self._used = self._used, {}

    def missing(self, keys: list[tuple]) -> list[int]:
        """The indices of `keys` whose page neither this memo nor the build cache holds: a page an
        earlier build process rendered from the same inputs is read, not rendered again."""
        todo = []
        for i, k in enumerate(keys):
            if k not in self._pages:
                found = self._table(k[1]).get(k[0])
                if found is not None and found[0] == k[2]:
                    self._pages[k] = found[1:]
                else:
                    todo.append(i)
        return todo

    # The build cache keeps a site's pages as one table (kind `pages`): the site's shared digest (the
    # second part of every page key: edition, reading order, everything of the course but the pages'
    # texts) → for each page path, the digest of its own text, the page's bytes and their
    # designsystem.usage() (the toolkit digest in every key covers Designsystemet's files); the newest
    # build's table replaces the one before. Not one entry per page: on a cold cache writing the pages
    # one by one cost a 100-module package 0.52 s of the main process's 1.59 s of CPU, and 8.4 s of
    # 16.4 s at 1,000 modules (load 16–33). A page is taken from a table only for the key it was made from (the table's and its
    # own text's digest), so a stale table costs rendering, never a wrong page.
    def _table(self, shared: str) -> dict[str, tuple[str, bytes, frozenset[str]]]:
        if shared not in self._tables:
            self._tables[shared] = cache.table("pages", cache.key_or_none(lambda: cache.key("pages", shared)))
        return self._tables[shared]

    def keep(self, keys: list[tuple], files: dict[str, bytes], used: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
        """Fill `files` with the kept pages of `keys`, in the order a whole render writes them, and
        keep exactly the pages of `keys` (in the build cache too, when some were rendered now), each
        with its usage(): `used` of those rendered now. Returns path → usage() of every page of `keys`."""
        fresh = {k[0]: (files.pop(k[0]), used[k[0]]) for k in keys if k[0] in files}
        self.rendered = list(fresh)
        self._pages = {k: fresh[k[0]] if k[0] in fresh else self._pages[k] for k in keys}
        self._tables = {}       # what the cache holds now (the same objects as _pages)
        for k in keys:
            files[k[0]] = self._pages[k][0]
            self._tables.setdefault(k[1], {})[k[0]] = (k[2], *self._pages[k])
        if fresh:
            for shared, table in self._tables.items():
                cache.put_table("pages", cache.key_or_none(lambda: cache.key("pages", shared)), table)
        return {k[0]: self._pages[k][1] for k in keys}


@lru_cache(maxsize=None)
def _shipped(name: str) -> bytes:
    """A page asset as it ships: the stylesheet and the scripts compacted (once per process)."""
    text = asset(name).decode("utf-8")
    return (designsystem.compact_css(text) if name.endswith(".css") else compact_js(text)).encode("utf-8")


def site_files(course: Course, *, edition: str, memo: PageMemo | None = None) -> tuple[list[SitePage], dict[str, bytes]]:
    """The reading order and every file of the site (posix path → bytes), kept in memory because
    a build zips most sites straight into packages and a folder on disk would only be thrown away.
    With a `memo`, pages whose inputs are those of the memo's last call are not rendered again."""
    source = course
    # Without the preview's memo, a fresh one: its pages come from the build cache, so a page edit
    # renders that page and its module's print page in every format, not the whole site.
    course, memo = (memo.labelled(course), memo) if memo is not None else (labelled(course), PageMemo())
    pages = plan(course)
    ui = strings.catalogue(course.language)
    dates = course.timeline.dates()
    files = {f"assets/{name}": _shipped(name) for name in ASSET_FILES}
    files["assets/kurs-data.js"] = _course_data(course, pages, ui, edition).encode()
    for module in course.modules:
        if module.quiz and module.quiz.graded:
            files[f"{module.id}/{ANSWERS}"] = memo.made("answers", module.quiz, lambda quiz: _answers(quiz, ui).encode())

    by_module: dict[str, list[SitePage]] = {}
    for page in pages:
        by_module.setdefault(page.module, []).append(page)
    terms = glossary.entries(course)
    definitions = {**{slug: (e.term, e.explanation) for slug, e in terms.items()}, **course.definitions}
    site = _Site(course, pages, ui, edition, dates, by_module, terms, definitions, course.counting_quizzes())
    # Keyed on the model as loaded (`source`): labelling makes new objects of the same modules.
    keys, print_keys = memo.keys(source, pages, terms, edition)
    todo, todo_print = memo.missing(keys), memo.missing(print_keys)
    jobs = [(_render_pages, todo[i:i + CHUNK]) for i in range(0, len(todo), CHUNK)]
    jobs += [(_module_print_pages, todo_print[i:i + PRINT_CHUNK]) for i in range(0, len(todo_print), PRINT_CHUNK)]
    used_by: dict[str, frozenset[str]] = {}
    if jobs:        # worked out (or read) here once, not in each worker, which inherits it
        designsystem.named_words()
    for rendered in ordered_map(_render, site, jobs, min_items=PARALLEL_FROM):
        for path, data, used in rendered:
            files[path], used_by[path] = data, used
    used_by = memo.keep(keys + print_keys, files, used_by)
    files.update(_certificate(site))
    files.update(_lookup_pages(site, files))
    # The look: Designsystemet's theme and only the components these pages (and the script) use.
    texts = [name for name in files if name.endswith(".html")] + [f"assets/{n}" for n in PAGE_SCRIPTS]
    # What each page uses of Designsystemet is found once per page and kept with it (memo, build cache);
    # the few other texts (certificate, glossary pages of a module package, scripts) are scanned here.
    def usage(name: str) -> frozenset[str]:
        return used_by[name] if name in used_by else memo.made("usage", files[name], designsystem.usage)
    used = [usage(name) for name in texts]
    # The front page's stylesheet holds what it shows (its HTML and kurs.js); the rest comes with the later pages.
    sheets = designsystem.stylesheets_for(frozenset().union(*used), course.colour, own=[files["assets/kurs.css"].decode("utf-8")],
                                          front=usage(pages[0].path) | usage("assets/kurs.js"))
    files.update({f"assets/{name}": data for name, data in sheets.items()})
    if pages[0].kind == "front":        # its first screen paints from its own inline stylesheet
        files[pages[0].path] = front_style.inline(
            files[pages[0].path].decode("utf-8"), sheets[designsystem.STYLESHEET].decode("utf-8"),
            files["assets/kurs.css"].decode("utf-8"),
            [files["assets/kurs-data.js"].decode("utf-8"), files["assets/kurs.js"].decode("utf-8")]).encode("utf-8")
    shown = _media_used(course, files)
    files.update({f"media/{m.name}": m.data for m in course.media if m.name in shown})
    memo.finish()
    return pages, files


def _media_used(course: Course, files: dict[str, bytes]) -> set[str]:
    """The media files the site's pages, styles and scripts point at: a module's package carries
    its own pictures only (it carried all 17 covers of the real course, 10 KB of a 90 KB zip)."""
    if not course.media:
        return set()
    spelt = {}
    for m in course.media:
        spelt[m.name.encode()] = m.name
        spelt[quote(m.name).encode()] = m.name
    pattern = re.compile(rb"media/(" + b"|".join(re.escape(s) for s in sorted(spelt, key=len, reverse=True)) + rb")")
    return {spelt[found] for name, data in files.items() if name.endswith((".html", ".css", ".js"))
            for found in pattern.findall(data)}


def _render(site: "_Site", job) -> list[tuple[str, bytes, frozenset[str]]]:
    """Pages rendered, each with what it uses of Designsystemet (designsystem.usage), found here in
    the worker that rendered it rather than afterwards in the parent, one page after another: at 1,000
    modules that scan was 2.9 s of the parent's CPU (measured 00:52, load 16)."""
    render, indices = job
    return [(path, data, designsystem.usage(data)) for path, data in render(site, indices)]



def _module_print_pages(site: "_Site", indices: list[int]) -> list[tuple[str, bytes]]:
    """Per module, all its text on one page: to print a module, or read it in one go. Not in the
    reading order, so it is never counted as progress nor stored in the LMS."""
    env = environment("web")
    out = []
    for i in indices:
        module, number = site.course.modules[i], i + 1
        page = SitePage(f"{module.id}/{PRINT_PAGE}", "", module.id, module.title, "module-print")
        html = env.get_template("module-print.html").render(
            course=site.course, page=page, ui=site.ui, root="../", edition=site.edition, prev=None, next=None,
            module=module, module_number=number, module_pages=site.by_module[module.id],
            html=lambda fragment: _relink(fragment, site.course, site.ui, "../", typeset=False),
            goals=site.course.goals, print_page=PRINT_PAGE)
        out.append((page.path, typography.document(with_definitions(html, site.course, site.ui, "../")).encode()))
    return out


def _final_test(course: Course):
    """The module of the course's graded quiz (the final test), or None."""
    return next((m for m in course.modules if m.quiz and m.quiz.graded), None)


def _certificate(site: "_Site") -> list[tuple[str, bytes]]:
    """The course certificate (kursbevis), beside the front page. Not in the reading order: it is
    not progress; kurs.js shows it once the final test is passed. A course without one has none."""
    final = _final_test(site.course)
    if final is None:
        return []
    page = SitePage(CERTIFICATE, "", "", site.ui["certificate"], "certificate")
    html = environment("web").get_template("certificate.html").render(
        course=site.course, page=page, ui=site.ui, root="", edition=site.edition, prev=None, next=None,
        module=None, final_test=f"{final.id}/{MODULE_PAGES['quiz']}.html")
    return [(page.path, typography.document(html).encode())]


def _lookup_pages(site: "_Site", files: dict[str, bytes]) -> list[tuple[str, bytes]]:
    """In a package of one module, the glossary pages its pages link to (course.lookup), at the
    address they have in the whole course, so «Se hele ordlisten» and every term link open inside
    the package (in the LMS a link out of the package is a 404). Not in the reading order. The whole
    glossary rather than only the linked terms: the link promises the whole list, and it costs a
    module package about 7 KB zipped (the real course's glossary; its module zips are ~90 KB)."""
    targets = {f"{m.id}/{p.id}.html": (m, p) for m in site.course.lookup for p in m.pages
               if any(module == m.id and page == p.id for module, page, _ in site.course.glossary.values())}
    linked = [path for path in targets if any(f"{path}#".encode() in data for name, data in files.items()
                                              if name.endswith(".html"))]
    out = []
    for path in linked:
        module, source_page = targets[path]
        page = SitePage(path, "", "", source_page.title, "lookup")
        html = environment("web").get_template("lookup.html").render(
            course=site.course, page=page, ui=site.ui, root="../", edition=site.edition, prev=None, next=None,
            module=None, source_page=source_page, html=lambda fragment: _relink(fragment, site.course, site.ui, "../", typeset=False))
        out.append((path, typography.document(with_definitions(html, site.course, site.ui, "../", site.definitions)).encode()))
    return out


def _relink(fragment: str, course: Course, ui: dict, root: str, typeset: bool = True) -> str:
    """Page HTML from the model as a page at depth `root` shows it: the timeline and the figures in
    their slots, images from media/, glossary links to the glossary page. `typeset=False` where the
    whole page is typeset afterwards (typography.document skips nothing of such a fragment; the
    second pass over every fragment was a third of a page's rendering)."""
    fragment = figures.fill_slots(fill_slots(fragment, course, ui), course, ui, themed=True)
    fragment = relink_media(typography.document(fragment) if typeset else fragment, f"{root}media/")
    return relink_terms(fragment, course.glossary, lambda module, page: f"{root}{module}/{page}.html")


CHUNK = 50            # pages rendered per task
PRINT_CHUNK = 10      # print pages per task; each holds the text of a whole module (about 5 pages)
PARALLEL_FROM = 4     # chunks; smaller sites render faster than worker processes start


@dataclass(frozen=True)
class _Site:
    """What every page's template may need, shared by the processes that render pages."""
    course: Course
    pages: list[SitePage]
    ui: dict
    edition: str
    dates: dict
    by_module: dict[str, list[SitePage]]
    terms: dict          # glossary entries (builder/render/glossary.py), to link first uses
    definitions: dict    # slug → (term, explanation HTML) of every glossary entry, for the popovers
    counting: tuple      # course.counting_quizzes(), asked once: per quiz page it took 10 s at 1,000 modules


def _render_pages(site: _Site, indices: list[int]) -> list[tuple[str, bytes]]:
    env = environment("web")
    course, pages = site.course, site.pages
    modules = {m.id: (n, m) for n, m in enumerate(course.modules, start=1)}
    gatherings = {g.id: g for g in course.timeline.gatherings}
    rendered = []
    for i in indices:
        page = pages[i]
        root = "../" * page.path.count("/")
        number, module = modules.get(page.module, (0, None))
        context = dict(
            course=course, page=page, pages=pages, ui=site.ui, root=root, edition=site.edition,
            prev=pages[i - 1] if i > 0 else None, next=pages[i + 1] if i + 1 < len(pages) else None,
            module=module, module_pages=site.by_module.get(page.module, []) if module else [],
            module_number=number, by_module=site.by_module,
            html=lambda fragment, root=root: _relink(fragment, course, site.ui, root, typeset=False),
            dates=site.dates, gatherings=gatherings, answer_key=answer_key, print_page=PRINT_PAGE,
            timeline=lambda: timeline_html(course, site.ui),
            steps=ACTION_STEPS, reflection_max=REFLECTION_MAX, counting=site.counting,
        )
        if page.kind == "page":
            source_page = next(p for p in module.pages if f"{module.id}/{p.id}.html" == page.path)
            if source_page.glossary_links:
                linked = glossary.link_first_uses(source_page.html, site.terms, lambda e, root=root: f"{root}{e.module}/{e.page}.html",
                                                  (module.id, source_page.id))
                source_page = replace(source_page, html=linked)
            # By id: the glossary links above made a new page object, so identity (`is`) would say
            # no page is the last one (module sources and dialogue questions went missing that way).
            context.update(source_page=source_page, last_in_module=source_page.id == module.pages[-1].id)
        elif page.kind != "front":
            context.update(by_module={})  # only the front page lists every module
        if page.kind == "quiz":
            # The quiz's texts go into a <script>, which the page's typesetting leaves alone.
            questions, data = quiz_markup(module.quiz, site.ui, lambda fragment, root=root: _relink(fragment, course, site.ui, root))
            context.update(quiz_questions=questions, quiz_data=data)
            if module.quiz.graded:
                context.update(revisit={g.id: _where_to_read(course, g.id) for g in course.goals})
        html = env.get_template(f"{page.kind}.html").render(**context)
        rendered.append((page.path, typography.document(with_definitions(html, course, site.ui, root, site.definitions)).encode()))
    return rendered


def with_definitions(page_html: str, course: Course, ui: dict, root: str, definitions: dict | None = None) -> str:
    """A page with, for each glossary term it links to, the term's explanation as a Designsystemet
    popover (native `popover`, hidden until kurs.js turns the link into the button that opens it).
    Without the script, or in a browser without popovers, the link still leads to the glossary."""
    found = dict.fromkeys(markup.TERM_LINK.findall(page_html))
    if not found:
        return page_html
    boxes = []
    for href, slug in found:
        term, explanation = (definitions or course.definitions)[slug]
        boxes.append(f'<div class="ds-popover ks-definition" popover id="forklaring-{slug}" hidden>'
                     f'<p class="ks-definition-term">{escape(term)}</p>'
                     f'<div>{_relink(explanation, course, ui, root)}</div>'
                     f'<p><a {markup.term_href(href, slug)}>{escape(ui["glossary_popover_more"])}</a></p></div>')
    return page_html.replace("</main>", "\n".join(boxes) + "\n</main>", 1)


@lru_cache(maxsize=16)
def compact_js(script: str) -> str:
    """A shipped script without its comments and spare whitespace, by rjsmin (the jsmin rules: a newline
    stays wherever automatic semicolon insertion could read it, strings, regular expressions and template
    literals are left alone). Our own line-based cut (comments and indentation only) left every line
    break: rjsmin ships kurs.js in 23.6 KB where it took 26.9, quiz.js 14.9 (16.8), scorm-runtime.js
    31.5 (36.1); every page downloads kurs.js. tests/render/test_shipped_scripts.py parses the result."""
    import rjsmin
    return rjsmin.jsmin(script) + "\n"


def answer_key(q: Question) -> tuple[str, ...]:
    """The right answers as the page script (assets/js/kurs.js) codes them: the ids of the right
    options, or `pair.role-number` for each pair of a matching question."""
    if q.type == "matching":
        return tuple(f"{p.id}.{q.roles.index(p.role)}" for p in q.pairs)
    return tuple(o.id for o in q.options if o.correct)


@lru_cache(maxsize=None)
def _script_keys() -> frozenset[str]:
    """The texts the page scripts can show: every string literal in kurs.js and quiz.js that may be a
    catalogue key (fmt("seen"), fmt(ok ? "correct" : "incorrect")). Every page loads them, so the
    other 150-odd texts of the catalogue (templates, print, preview) stay out of the download."""
    script = "".join(asset(name).decode("utf-8") for name in PAGE_SCRIPTS)
    return frozenset(re.findall(r'"(\w+)"', script)) | frozenset(re.findall(r"\bT\.(\w+)", script))


REVISIT_MODULES = 2   # modules a failed final test points to per competence goal


def _where_to_read(course: Course, goal_id: str) -> list:
    """The modules that practise a competence goal most (by their quiz questions on it): where the
    final test sends a learner who missed questions of that goal."""
    counted = [(sum(goal_id in q.goals for q in m.quiz.questions), i, m) for i, m in enumerate(course.modules)
               if m.quiz and not m.quiz.graded and m.pages]
    best = sorted((c for c in counted if c[0]), key=lambda c: (-c[0], c[1]))[:REVISIT_MODULES]
    return [m for _, _, m in sorted(best, key=lambda c: c[1])]



def _key(q: Question, ui: dict, html) -> dict:
    """One question's right answers (`c`, as answer_key codes them) and per option (or pair.role) its
    explanation as HTML (`x`), as the page script reads them to grade and explain."""
    if q.type == "matching":
        explain = {f"{p.id}.{q.roles.index(p.role)}": f"<strong>{escape(ui['right_answer'])}: {escape(p.role)}.</strong> "
                   + html(p.explanation_html) for p in q.pairs}
    else:
        explain = {o.id: html(o.explanation_html) for o in q.options}
    return {"c": list(answer_key(q)), "x": explain}


def _answers(quiz, ui: dict) -> str:
    """The correct answers and explanations of a graded quiz, outside its page: the page script reads
    them to grade an attempt, and puts them into the page only after a pass or the last allowed
    attempt, so a learner who fails cannot read them off the page and guess the next attempt."""
    html = lambda fragment: relink_media(typography.document(fragment), "../media/")  # noqa: E731 (one use, reads as a rule)
    data = {q.id: _key(q, ui, html) for q in quiz.questions}
    return ("// Generated from the course model; do not edit.\n"
            f"window.KSAnswers && window.KSAnswers({json.dumps(quiz.id)}, "
            f"{json.dumps(data, ensure_ascii=False, sort_keys=True)});\n")


def quiz_markup(quiz, ui: dict, html) -> tuple[str, str]:
    """A quiz's questions for its page: (the form's questions as HTML, the data the page script reads).

    A quiz that shows every question in the editor's order (every module quiz but the two practice
    pools) has its questions in the page's HTML, so a learner can read and answer them as soon as the
    page paints, without waiting for the scripts (kurs-data.js, kurs.js, quiz.js: 55 KB that shared the
    slow line with the page's CSS). On the bench's slow phone, one run side by side, load ~15: quiz usable
    2.88 → 2.24 s, plain-HTML floor 0.93 s. quiz.js then shuffles the options by the learner's seed and
    grades; the data holds only the answers (`c`, `x`) for it. A drawing or paging quiz (the final test:
    20 of a pool of 45) keeps its questions as data, which quiz.js turns into the same form: as markup the
    pool weighed 86 KB and is about a third of that as data. A graded quiz's answers are never on its
    page but in svar.js.
    Per question in the data: id, t(ype), g(oals), s(cenario, 1 or absent), q(uestion HTML),
    r(eference), and o([id, HTML] per option) or p([pair id, task] per pair) with roles."""
    items = []
    for q in quiz.questions:
        item = {"id": q.id, "t": q.type, "g": " ".join(q.goals), "q": html(q.html), "r": typography.text(q.reference)}
        if q.scenario:
            item["s"] = 1
        if q.type == "matching":
            item["p"] = [[p.id, typography.text(p.task)] for p in q.pairs]
            item["roles"] = [typography.text(r) for r in q.roles]
        else:
            item["o"] = [[o.id, html(o.html)] for o in q.options]
        if not quiz.graded:
            item.update(_key(q, ui, html))
        items.append(item)
    in_order = not quiz.draw and quiz.per_attempt >= len(quiz.questions)
    fieldsets = _question_fieldsets(items, ui) if in_order else ""
    if in_order:
        items = [{k: v for k, v in item.items() if k in ("id", "c", "x")} for item in items if "c" in item]
    text = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
    # Inside <script type="application/json">: nothing may end the element or open a comment.
    return fieldsets, text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _question_fieldsets(items: list[dict], ui: dict) -> str:
    """The form's questions as quiz.js's render() makes them from the same data (one fieldset per
    question, in the editor's order; ids short and per page: q3, q3a, q3e): the two are kept equal by
    tests/render/test_quiz.py. Question and option texts are HTML the builder has sanitized; tasks,
    roles and the reference are plain text."""
    out = []
    for n, q in enumerate(items, 1):
        k = f"q{n}"
        scenario = ' data-scenario="1"' if q.get("s") else ""
        html = (f'<fieldset class="question ds-card" tabindex="-1" data-question="{escape(q["id"])}" data-type="{escape(q["t"])}"'
                f' data-goals="{escape(q["g"])}"{scenario} aria-describedby="{k}e {k}f">'
                f'<legend><span class="qnum">{n}.</span> '
                + (f'<span class="ds-tag" data-variant="outline">{escape(ui["scenario"])}</span> ' if scenario else "")
                + q["q"] + "</legend>")
        if q["t"] == "matching":
            html += f'<p class="help">{escape(ui["match_help"])}</p>'
            for pair, task in q["p"]:
                i = k + escape(pair)
                roles = "".join(f'<option value="{escape(pair)}.{r}">{escape(role)}</option>' for r, role in enumerate(q["roles"]))
                html += (f'<div class="ds-field" data-pair="{escape(pair)}"><label class="ds-label" for="{i}">{escape(task)}</label>'
                         f'<select class="ds-input" id="{i}"><option value="">{escape(ui["choose_role"])}</option>{roles}</select></div>')
        else:
            kind = "checkbox" if q["t"] == "multiple" else "radio"
            html += f'<p class="help">{escape(ui["choose_all" if q["t"] == "multiple" else "choose_one"])}</p>'
            for option, label in q["o"]:
                i = k + escape(option)
                html += (f'<div class="ds-field" data-option="{escape(option)}"><input class="ds-input" type="{kind}" id="{i}"'
                         f' name="{k}" value="{escape(option)}"><label for="{i}">{label}</label></div>')
        html += (f'<p class="ds-validation-message" id="{k}e" role="alert" data-question-error></p>'
                 f'<div class="feedback" id="{k}f"></div><p class="reference">{escape(ui["reference"])}: {escape(q["r"])}</p>'
                 "</fieldset>")
        out.append(html)
    return "\n".join(out)


def _course_data(course: Course, pages: list[SitePage], ui: dict, edition: str) -> str:
    """What the page script needs to know about the whole course, as one small shared file."""
    data = {
        "id": course.id, "version": course.version, "edition": edition, "mastery": course.mastery_score,
        "attempts": course.final_test_attempts,
        "pages": [[p.key, p.path, p.module] for p in pages],
        "graded": [m.quiz.id for m in course.modules if m.quiz and m.quiz.graded],
        "counting": list(course.counting_quizzes()),
        "quizzes": {m.quiz.id: len(m.quiz.questions) for m in course.modules if m.quiz},
        "reflections": [{"id": r.id, "title": typography.text(r.title), "module": typography.text(m.title), "max": REFLECTION_MAX}
                        for m in course.modules for r in m.reflections],
        "title": course.title,
    }
    final = _final_test(course)
    if final:   # the final test's quiz and module, for its truthful state on the front page, and the certificate
        data["exam"] = {"quiz": final.quiz.id, "module": final.id, "certificate": CERTIFICATE}
    learner_texts = {k: v for k, v in ui.items() if k in _script_keys()}
    return ("// Generated from the course model; do not edit.\n"
            # No spaces after separators: 583 bytes less of the real course's front page first view.
            f"window.KS_COURSE = {json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(',', ':'))};\n"
            f"window.KS_STRINGS = {json.dumps(learner_texts, ensure_ascii=False, sort_keys=True, separators=(',', ':'))};\n")
