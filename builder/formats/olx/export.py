"""Write one course model as an Open edX OLX tree (the folder that becomes course/ in the tarball).

Layout (docs.openedx.org, OLX directory structure; the same as a Studio export):

    course.xml                      <course url_name=RUN org=KS course=NUMBER/>
    course/RUN.xml                  chapters, one per module
    chapter/ sequential/ vertical/  one file each, linked by url_name pointers
    html/NAME.xml + html/NAME.html  text components (the model's rendered Markdown)
    problem/NAME.xml                quiz questions as CAPA problems
    policies/RUN/policy.json        course settings (only here, not repeated in course/RUN.xml)
    policies/RUN/grading_policy.json, policies/assets.json
    about/ info/ static/

Our XBlocks are written inline in their vertical, as Open edX requires for custom blocks.

url_names are `<module>_<kind>` or `<module>_<kind>_<id>`: module and element ids use only
a-z, 0-9 and hyphens, and every kind word is different, so no two names can collide.
"""

from __future__ import annotations

import hashlib
import html as htmlmod
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from builder.render import designsystem, figures
from builder.infra import strings, typography
from builder.render.templating import effort, gathering_name, participant
from builder.render.timeline import fill_slots
from builder.model import Course, Homework, Module, Quiz, Reflection, markup
from builder.formats.olx import (ASSIGNMENT_ROLES, COURSE_IMAGE, FINAL_TEST, HOMEWORK, HOMEWORK_TAG, ORG, OUR_XBLOCKS,
                         REFLECTION_TAG, SELF_TEST, assignment_types)
from builder.formats.olx.capa import problem
from builder.model.dates import norwegian
from builder.formats.olx.dates import DAY_START, DEADLINE, utc
from builder.formats.olx.image import course_image_png
from builder.formats.olx.labels import labels
from builder.formats.olx.xml import element, to_bytes
from builder.infra import cache
from builder.infra.cache import model_digest
from builder.render.links import relink_media, relink_terms
from builder.render.plaintext import text as plain
from builder.render.site import outline_digest

XBLOCK_FAMILY = "xblock.v1"


def run_name(version: str) -> str:
    """The course run: 'v' + the major version, so patch and minor releases re-import into the same run."""
    major = version.split(".")[0].strip() or "0"
    return "v" + "".join(c for c in major if c.isalnum())


@dataclass
class Summary:
    """What the export wrote, for the build's progress line and for tests."""
    run: str = ""
    number: str = ""
    chapters: int = 0
    problems: int = 0
    due_dates: int = 0
    homework: int = 0
    graders: list = field(default_factory=list)


class Export:
    def __init__(self, course: Course, number: str, display_name: str):
        self.course = course
        self.number = number
        self.display_name = display_name
        self.run = run_name(course.version)
        self.ui = labels(course.language)
        self.dates = course.timeline.dates()
        self.gatherings = {g.id: g for g in course.timeline.gatherings}
        self.names: dict[str, set[str]] = {}
        self.formats: Counter = Counter()       # sequentials per assignment type (its name in the edition)
        self.types = assignment_types(self.ui)
        self.summary = Summary(run=self.run, number=number)
        self._written: dict[PurePosixPath, bytes] | None = None     # what the chapter being kept wrote
        # The tree, posix path → bytes: kept in memory and packed from there (format.py), where writing
        # its ~400 files into a temporary folder and reading them back was ~0.1 s of the OLX format's
        # ~0.3–0.5 s of CPU in a warm build after a page edit (measured 01:10, load ~20).
        self.files: dict[str, bytes] = {}

    def put(self, path: PurePosixPath, content) -> None:
        """One file of the tree (an XML element, text or bytes), noted while a chapter is kept."""
        data = content.encode("utf-8") if isinstance(content, str) else content if isinstance(content, bytes) \
            else to_bytes(content)
        self.files[path.as_posix()] = data
        if self._written is not None:
            self._written[path] = data

    # -- helpers ----------------------------------------------------------------------------

    def name(self, tag: str, value: str) -> str:
        taken = self.names.setdefault(tag, set())
        if value in taken:  # cannot happen with the naming scheme above; guard against edits to it
            raise ValueError(f"duplicate url_name {value!r} for <{tag}>")
        taken.add(value)
        return value

    def write_html(self, out: PurePosixPath, url_name: str, title: str, body: str) -> None:
        self.put(out / "html" / f"{url_name}.xml", element("html", {"filename": url_name, "display_name": title}))
        ui = strings.catalogue(self.course.language)
        # Figures as files in static/: Studio's editor keeps an <img>, and our stylesheet does not go there.
        body = figures.fill_slots(fill_slots(body, self.course, ui), self.course, ui, image_prefix="/static/")
        # Open edX turns /jump_to_id/<url_name> into the address of that unit (the glossary page's vertical).
        body = relink_terms(body, self.course.glossary, lambda module, page: f"/jump_to_id/{module}_side_{page}")
        body = self.styled_boxes(body)
        self.put(out / "html" / f"{url_name}.html", relink_media(typography.document(body), "/static/").rstrip() + "\n")

    def styled_boxes(self, body: str) -> str:
        """Open edX does not load our stylesheet: the boxes carry their look as inline styles
        (the same Designsystemet tokens as in the web edition, light scheme)."""
        if 'class="ks-box ' not in body:
            return body
        styles = designsystem.box_styles(self.course.colour)

        def box(m):
            background, line = styles[m.group(1)]
            return (f'<div class="ks-box ks-box-{m.group(1)}" role="note" style="background:{background};'
                    f"border:1px solid {line};border-left:8px solid {line};border-radius:8px;padding:12px 20px;"
                    f'margin:16px 0;color:#292c30"><p class="ks-box-title" style="font-weight:600;margin:0 0 8px">')
        return markup.BOX_OPENING.sub(box, body)

    def vertical(self, out: PurePosixPath, parent, url_name: str, title: str):
        element("vertical", {"url_name": self.name("vertical", url_name)}, parent=parent)
        return url_name, element("vertical", {"display_name": title})

    def sequential(self, out: PurePosixPath, chapter, url_name: str, title: str, **attrs):
        element("sequential", {"url_name": self.name("sequential", url_name)}, parent=chapter)
        fmt = attrs.get("format")
        if fmt:
            self.formats[fmt] += 1
        return element("sequential", {"display_name": title, **attrs})

    # -- the tree ---------------------------------------------------------------------------

    def write(self, folder: Path) -> Summary:
        """The tree written into `folder` (tree() is what the format packs)."""
        summary = self.tree()
        for rel, data in self.files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
        return summary

    def tree(self) -> Summary:
        """Make every file of the tree into `files`."""
        run, out = self.run, PurePosixPath()
        self.put(out / "course.xml", element("course", {"url_name": run, "org": ORG, "course": self.number}))
        root = element("course")
        context = cache.key_or_none(lambda: outline_digest(self.course))
        for module in self.course.modules:
            element("chapter", {"url_name": self.name("chapter", module.id)}, parent=root)
            self.kept_chapter(out, module, context)
            self.summary.chapters += 1
        self.put(out / "course" / f"{run}.xml", root)
        self.policies(out)
        self.about_and_info(out)
        static = out / "static"
        self.put(static / COURSE_IMAGE, course_image_png(len(self.course.timeline.gatherings)))
        for media in self.course.media:
            self.put(static / media.name, media.data)
        ui = strings.catalogue(self.course.language)
        for fig in self.course.figures:
            self.put(static / figures.file_name(fig), figures.svg(fig, self.course, ui, standalone=True))
        return self.summary

    def kept_chapter(self, out: PurePosixPath, module: Module, context: str | None) -> None:
        """chapter(), or its files and names from the build cache when exactly this module was
        exported before in a course whose other modules differed at most in their pages' texts
        (`context`: everything of the course but those texts, builder/render/site.py). A chapter reads
        its own module whole and of the others only what their outlines hold (titles, the timeline's
        steps, the glossary), so after a page edit one chapter is exported, not 16. Measured 19:05
        (warm build after a one-page edit, the olx format alone, one core, load 14–20): 0.33–0.37 s
        of CPU, of which the 16 chapters were ~55 %."""
        key = cache.key("olx-chapter", context, model_digest(module)) if context else None
        made = []

        def make():
            names_before = {tag: set(values) for tag, values in self.names.items()}
            formats_before, counts_before = Counter(self.formats), {c: getattr(self.summary, c) for c in _COUNTERS}
            self._written = {}
            try:
                self.chapter(out, module)
                written = {path.relative_to(out).as_posix(): data for path, data in self._written.items()}
            finally:
                self._written = None
            made.append(module.id)
            return (written,
                    {tag: sorted(values - names_before.get(tag, set())) for tag, values in self.names.items()},
                    dict(self.formats - formats_before),
                    {c: getattr(self.summary, c) - counts_before[c] for c in _COUNTERS})

        files, names, formats, counts = cache.kept("olx-chapter", key, make, pickled=True)
        if made:            # exported now: written, named and counted already
            return
        for rel, data in files.items():
            self.put(out / rel, data)
        for tag, values in names.items():
            for value in values:
                self.name(tag, value)
        self.formats.update(formats)
        for counter, n in counts.items():
            setattr(self.summary, counter, getattr(self.summary, counter) + n)

    def chapter(self, out: PurePosixPath, module: Module) -> None:
        chapter = element("chapter", {"display_name": module.title})
        self.reading(out, chapter, module)
        if module.quiz and module.quiz.questions:
            self.quiz(out, chapter, module, module.quiz)
        if module.reflections:
            self.reflections(out, chapter, module)
        for hw in module.homework:
            self.homework(out, chapter, module, hw)
        self.put(out / "chapter" / f"{module.id}.xml", chapter)

    def reading(self, out: PurePosixPath, chapter, module: Module) -> None:
        m = module.id
        if not (module.pages or module.dialogue_questions or module.sources):
            return
        seq_name = f"{m}_lesing"
        seq = self.sequential(out, chapter, seq_name, self.ui["reading"])
        for page in module.pages:
            vname, vert = self.vertical(out, seq, f"{m}_side_{page.id}", page.title)
            hname = self.name("html", f"{m}_tekst_{page.id}")
            element("html", {"url_name": hname}, parent=vert)
            self.write_html(out, hname, page.title, page.html)
            self.put(out / "vertical" / f"{vname}.xml", vert)
        if module.dialogue_questions or module.sources:
            title = self.ui["dialogue_questions"] if module.dialogue_questions else self.ui["sources"]
            vname, vert = self.vertical(out, seq, f"{m}_samtale", title)
            hname = self.name("html", f"{m}_samtaletekst")
            element("html", {"url_name": hname}, parent=vert)
            self.write_html(out, hname, title, self.dialogue_html(module))
            self.put(out / "vertical" / f"{vname}.xml", vert)
        self.put(out / "sequential" / f"{seq_name}.xml", seq)

    def dialogue_html(self, module: Module) -> str:
        esc = htmlmod.escape
        parts = []
        if module.dialogue_questions:
            parts.append("<ol>" + "".join(f"<li>{esc(q)}</li>" for q in module.dialogue_questions) + "</ol>")
        if module.sources:
            if module.dialogue_questions:
                parts.append(f"<h2>{esc(self.ui['sources'])}</h2>")
            parts.append("<ul>" + "".join(_source_item(s) for s in module.sources) + "</ul>")
        return "\n".join(parts)

    def quiz(self, out: PurePosixPath, chapter, module: Module, quiz: Quiz) -> None:
        m = module.id
        seq_name = f"{m}_quiz"
        fmt = self.types[FINAL_TEST if quiz.graded else SELF_TEST]
        seq = self.sequential(out, chapter, seq_name, quiz.title, graded="true", format=fmt)
        vname, vert = self.vertical(out, seq, f"{m}_oppgaver", quiz.title)
        if quiz.graded:
            hname = self.name("html", f"{m}_testinfo")
            element("html", {"url_name": hname}, parent=vert)
            info = (f"<p>{htmlmod.escape(self.ui['graded_quiz'])} "
                    f"{htmlmod.escape(self.ui['pass_mark'].format(mastery=self.course.mastery_score))}</p>")
            self.write_html(out, hname, quiz.title, info)
        for i, question in enumerate(drawn_once(quiz), start=1):
            pname = self.name("problem", f"{m}_sp_{question.id}")
            element("problem", {"url_name": pname}, parent=vert)
            self.put(out / "problem" / f"{pname}.xml",
                  problem(question, self.ui["question"].format(n=i), self.ui, graded=quiz.graded))
            self.summary.problems += 1
        self.put(out / "vertical" / f"{vname}.xml", vert)
        self.put(out / "sequential" / f"{seq_name}.xml", seq)

    def reflections(self, out: PurePosixPath, chapter, module: Module) -> None:
        m = module.id
        seq_name = f"{m}_refleksjon"
        seq = self.sequential(out, chapter, seq_name, self.ui["reflections"])
        for r in module.reflections:
            vname, vert = self.vertical(out, seq, f"{m}_refl_{r.id}", r.title)
            vert.append(self.reflection_block(f"{m}_reflsvar_{r.id}", r))
            self.put(out / "vertical" / f"{vname}.xml", vert)
        self.put(out / "sequential" / f"{seq_name}.xml", seq)

    def reflection_block(self, url_name: str, r: Reflection):
        return element(REFLECTION_TAG, {
            "url_name": self.name(REFLECTION_TAG, url_name), "xblock-family": XBLOCK_FAMILY,
            "display_name": r.title, "prompt": plain(r.prompt_html), "guidance": plain(r.guidance_html),
            "min_length": r.min_length, "max_length": r.max_length,
        })

    def homework(self, out: PurePosixPath, chapter, module: Module, hw: Homework) -> None:
        m = module.id
        seq_name = f"{m}_hjem_{hw.id}"
        opens = self.dates.get(hw.after)
        due = self.course.timeline.due_date(hw)
        seq = self.sequential(out, chapter, seq_name, hw.title,
                              start=utc(opens, DAY_START) if opens else None,
                              due=utc(due, DEADLINE) if due else None,
                              graded="true", format=self.types[HOMEWORK])
        self.summary.homework += 1
        self.summary.due_dates += due is not None
        vname, vert = self.vertical(out, seq, f"{m}_hjemenhet_{hw.id}", hw.title)
        hname = self.name("html", f"{m}_hjemtekst_{hw.id}")
        element("html", {"url_name": hname}, parent=vert)
        self.write_html(out, hname, self.ui["homework_intro"], self.homework_html(hw))
        vert.append(self.homework_block(f"{m}_hjemsvar_{hw.id}", hw, due))
        self.put(out / "vertical" / f"{vname}.xml", vert)
        self.put(out / "sequential" / f"{seq_name}.xml", seq)

    def homework_html(self, hw: Homework) -> str:
        esc, ui = htmlmod.escape, self.ui

        def named(g):
            return gathering_name(g, ui, self.course.timeline)
        first, second = self.gatherings[hw.after], self.gatherings[hw.before]
        parts = [
            "<dl>",
            f"<dt>{esc(ui['homework'])}</dt><dd>{esc(ui['homework_between'].format(first=named(first), second=named(second)))}</dd>",
            f"<dt>{esc(ui['effort'])}</dt><dd>{esc(effort(hw, ui))}</dd>",
            "</dl>",
        ]
        if hw.intro_html:
            parts.append(hw.intro_html)
        if hw.crew:
            parts.append(f"<h2>{esc(ui['participants'])}</h2>")
            parts.append("<ul>" + "".join(f"<li>{esc(participant(p, ui))}</li>" for p in hw.crew) + "</ul>")
        return "\n".join(parts)

    def homework_block(self, url_name: str, hw: Homework, due: date | None):
        second = self.gatherings[hw.before]
        if due is not None:
            due_text = f"{norwegian(due)} kl. 23:59"
        else:
            due_text = self.ui["deadline_days"].format(n=hw.due_days_before, gathering=gathering_name(second, self.ui, self.course.timeline))
        steps = [{"phase": step, "text": plain(step_html)} for step, step_html in hw.steps_html]
        return element(HOMEWORK_TAG, {
            "url_name": self.name(HOMEWORK_TAG, url_name), "xblock-family": XBLOCK_FAMILY,
            "display_name": hw.title, "gathering_id": second.id, "gathering_title": second.title,
            "steps": json.dumps(steps, ensure_ascii=False), "deliverable": plain(hw.deliverable_html),
            "due_text": due_text,
        })

    # -- policies ---------------------------------------------------------------------------

    def course_window(self) -> tuple[str, str]:
        """Course start and end. From the timeline when it has dates; otherwise the election
        period (1 January of its first year to 31 December of its last), a placeholder that
        Studio's Schedule & Details page is there to change."""
        if self.dates:
            return utc(min(self.dates.values()), DAY_START), utc(max(self.dates.values()), DEADLINE)
        begin, end = self.course.timeline.election_period
        return utc(date(begin, 1, 1), DAY_START), utc(date(end, 12, 31), DEADLINE)

    def graders(self) -> list[dict]:
        """One GRADER entry per assignment type in use. The final test carries the whole weight;
        self-tests and homework are graded (so they show on the Progress and Dates pages) with
        weight 0. Without a final test, the first type in use carries the weight."""
        order = [r for r in ASSIGNMENT_ROLES if self.formats[self.types[r]]] or [FINAL_TEST]
        return [{"type": self.types[r], "short_label": self.ui[f"label_{r}"], "min_count": max(self.formats[self.types[r]], 1),
                 "drop_count": 0, "weight": 1.0 if i == 0 else 0.0} for i, r in enumerate(order)]

    def policies(self, out: PurePosixPath) -> None:
        start, end = self.course_window()
        settings = {
            "display_name": self.display_name,
            "display_organization": self.course.organisation or None,
            "language": self.course.language,
            "self_paced": False,
            "start": start,
            "end": end,
            "course_image": COURSE_IMAGE,
            "advanced_modules": sorted(OUR_XBLOCKS),
        }
        policy = {f"course/{self.run}": {k: v for k, v in settings.items() if v is not None}}
        graders = self.graders()
        self.summary.graders = graders
        grading = {"GRADER": graders, "GRADE_CUTOFFS": {"Pass": self.course.mastery_score / 100}}
        self.put(out / "policies" / self.run / "policy.json", _json(policy))
        self.put(out / "policies" / self.run / "grading_policy.json", _json(grading))
        self.put(out / "policies" / "assets.json", _json({}))

    def about_and_info(self, out: PurePosixPath) -> None:
        esc, ui, course = htmlmod.escape, self.ui, self.course
        minutes = sum(m.minutes for m in course.modules)
        parts = ['<section class="about">', f"<h2>{esc(course.title)}</h2>"]
        if course.subtitle:
            parts.append(f"<p>{esc(course.subtitle)}</p>")
        parts.append(f"<p>{esc(ui['minutes_total'].format(n=minutes))}</p>")
        parts.append("</section>")
        if course.goals:
            parts += ['<section class="about">', f"<h2>{esc(ui['goals'])}</h2>", "<ol>"]
            parts += [f"<li><strong>{esc(g.title)}.</strong> {esc(g.text)}</li>" for g in course.goals]
            parts += ["</ol>", "</section>"]
        parts += ['<section class="about">', f"<h2>{esc(ui['about_modules'])}</h2>", "<ul>"]
        for m in course.modules:
            summary = f" {esc(m.summary)}" if m.summary else ""
            parts.append(f"<li><strong>{esc(m.title)}.</strong>{summary} ({esc(ui['minutes'].format(n=m.minutes))})</li>")
        parts += ["</ul>", "</section>"]
        if course.timeline.gatherings:
            parts += ['<section class="about">', f"<h2>{esc(ui['about_dates'])}</h2>", "<ol>"]
            for g in course.timeline.gatherings:
                when = self.dates.get(g.id)
                when_text = norwegian(when) if when else (ui["week"].format(n=g.week) if g.week is not None else "")
                bits = [b for b in (when_text, g.place) if b]
                parts.append(f"<li><strong>{esc(g.title)}</strong>" + (f" ({esc(', '.join(bits))})" if bits else "")
                             + (f". {esc(g.agenda)}" if g.agenda else "") + "</li>")
            parts += ["</ol>"]
            if not self.dates:
                parts.append(f"<p>{esc(ui['no_dates'])}</p>")
            parts += ["</section>"]
        self.put(out / "about" / "overview.html", "\n".join(parts) + "\n")
        self.put(out / "about" / "short_description.html", esc(course.subtitle or course.title) + "\n")
        self.put(out / "info" / "updates.html", "<ol></ol>\n")
        seen, links = set(), []
        for m in course.modules:
            for s in m.sources:
                if (s.url or s.title) not in seen:
                    seen.add(s.url or s.title)
                    links.append(_source_item(s))
        handouts = (f'<h3 class="handouts-header">{esc(ui["handouts"])}</h3>\n<ol>{"".join(links)}</ol>\n'
                    if links else "<ol></ol>\n")
        self.put(out / "info" / "handouts.html", handouts)


# The Summary counters a chapter adds to.
_COUNTERS = ("problems", "homework", "due_dates")


def _source_item(source) -> str:
    """A source as a list item: a link when it has an address, its title alone when it has none
    (an empty href would only reload the unit)."""
    esc = htmlmod.escape
    title = esc(source.title)
    return f'<li><a href="{esc(source.url)}">{title}</a></li>' if source.url else f"<li>{title}</li>"


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def drawn_once(quiz: Quiz) -> list:
    """The questions of a quiz in the course export. A final test with `draw:` gets one fixed draw
    per competence goal (the same in every build): CAPA has no per-attempt draw from a pool of our
    own, and 45 problems would make an exam of 45 questions."""
    if not quiz.draw:
        return list(quiz.questions)
    order = {q.id: i for i, q in enumerate(quiz.questions)}
    chosen = []
    for goal, count in quiz.draw:
        chosen += sorted(quiz.pool(goal), key=lambda q: hashlib.sha256(q.id.encode()).hexdigest())[:count]
    return sorted(chosen, key=lambda q: order[q.id])
