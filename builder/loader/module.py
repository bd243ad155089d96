"""One module folder: module.yml, the Markdown pages, and the optional quiz, reflections and homework."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from builder.errors import Problems, did_you_mean
from builder.loader import markdownsrc, yamlsrc
from builder.loader.quiz import load_quiz
from builder.loader.validate import ID_HINT, valid_id
from builder.model import studytime
from builder.model import ACTION_STEPS, Homework, Link, Module, Page, Participant, Reflection, Source
from builder.model.naming import RESERVED_PAGE_IDS

# A source is a document elsewhere: an absolute web address, or an e-mail address, with no space
# or control character in it (a browser drops those and may then read another scheme).
_WEB_ADDRESS = re.compile(r"^(?:https?://[^\s/?#]+[^\s]*|mailto:[^\s@]+@[^\s@]+)$", re.I)
_PAGE_NAME = re.compile(r"^(\d+)-(.+)\.md$")
KNOWN_FILES = {"module.yml", "quiz.yml", "reflections.yml", "homework.yml"}


def load_module(folder: Path, goals, timeline, renderer, problems: Problems, reading_speed: int = studytime.READING_SPEED) -> Module | None:
    module_id = folder.name
    if not valid_id(module_id):
        problems.add(folder, 0, f"the module folder name '{module_id}' is not a valid id", ID_HINT)
    path = folder / "module.yml"
    data = yamlsrc.load_required(path, problems, "module.yml is missing",
                                 "add it with at least `title:` and `summary:`")
    if data is None:
        return None
    f = yamlsrc.Fields(data, path, problems, "module.yml", required={"title": str, "summary": str},
                       optional={"minutes": yamlsrc.Number(1, 600), "minutes_reason": str, "goals": list,
                                 "dialogue_questions": list, "sources": list})
    goal_ids = [g.id for g in goals]
    module_goals = []
    items = f.get("goals", [])
    for i, gid in enumerate(items):
        if gid not in goal_ids:
            problems.add(path, items.lines[i], f"there is no competence goal '{gid}'",
                         did_you_mean(gid, goal_ids) or f"use one of: {', '.join(goal_ids)}")
        else:
            module_goals.append(gid)
    dialogue = yamlsrc.texts(f.get("dialogue_questions", []), path, problems, "a dialogue question")
    sources = []
    items = f.get("sources", [])
    for i, s in enumerate(items):
        sf = yamlsrc.Fields(s, path, problems, "a source", required={"title": str}, optional={"url": str}, line=items.lines[i])
        url = sf.get("url", "")
        if url and not _WEB_ADDRESS.match(url):
            shown = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", url)
            problems.add(path, sf.line_of("url"), f"the source address '{shown}' is not a web or e-mail address",
                         "write the full address starting with https:// (or mailto: for an e-mail address)")
            url = ""
        sources.append(Link(sf.get("title", ""), url))

    pages = _load_pages(folder, renderer, problems)
    for other in sorted(folder.iterdir()):
        if other.is_file() and other.name not in KNOWN_FILES and not _PAGE_NAME.match(other.name):
            hint = did_you_mean(other.name, KNOWN_FILES) or "pages are named like `01-title.md`"
            problems.add(other, 0, f"the file '{other.name}' is not part of the module", hint)

    for name in sorted(KNOWN_FILES):
        entry = folder / name
        if (entry.exists() or entry.is_symlink()) and not entry.is_file():
            # Read only when it is a file: as a folder the quiz (or reflections, homework) would vanish.
            problems.add(entry, 0, f"'{name}' is a folder, not a file", f"replace the folder by the file {name}")
    quiz = None
    if (folder / "quiz.yml").is_file():
        quiz = load_quiz(folder / "quiz.yml", module_id, goals, renderer, problems, renderer.language)
    reflections = _load_reflections(folder / "reflections.yml", goals, renderer, problems)
    homework = _load_homework(folder / "homework.yml", timeline, renderer, problems)
    if not pages and quiz is None:
        problems.add(folder, 0, f"the module '{module_id}' has no pages", "add a page such as `01-innledning.md`")
    module = Module(module_id, f.get("title", module_id), f.get("summary", ""), 0, tuple(module_goals),
                    tuple(dialogue), tuple(sources), tuple(pages), quiz, tuple(reflections), tuple(homework),
                    Source(problems.show(path), f.line_of("title")))   # a module is named where its title is
    return _timed(module, f, path, problems, reading_speed)


def _timed(module: Module, f, path: Path, problems: Problems, reading_speed: int) -> Module:
    """The module with its study time: computed from the content, or the editor's `minutes:` when it
    is close to that (or comes with `minutes_reason:`), so the time a learner is told is never a guess."""
    time = studytime.computed(module, reading_speed)
    stated = f.get("minutes", None)
    if stated is None:
        return replace(module, minutes=time.total, reading_minutes=time.reading, writing_minutes=time.writing)
    # (`minutes: 0` never gets here: yamlsrc.Number(1, 600) refuses it at its line and gives None.)
    if studytime.off_by(stated, time) and not f.get("minutes_reason", "").strip():
        problems.add(path, f.line_of("minutes"),
                     f"minutes: {stated} is more than {studytime.TOLERANCE:.0%} away from the {time.total} minutes the content takes "
                     f"({time.reading} reading at {reading_speed} words a minute, {time.writing} writing reflections)",
                     "remove the line to use the computed time, or keep it and say why in `minutes_reason:`")
    return replace(module, minutes=stated, reading_minutes=max(stated - time.writing, 0), writing_minutes=time.writing)


def _load_pages(folder, renderer, problems) -> list[Page]:
    pages, ids = [], {}
    for path in sorted(folder.glob("*.md"), key=lambda p: (int(_PAGE_NAME.match(p.name).group(1)) if _PAGE_NAME.match(p.name) else 0, p.name)):
        m = _PAGE_NAME.match(path.name)
        if not m:
            problems.add(path, 0, f"the page file name '{path.name}' has no number", "name pages like `01-innledning.md`; the number sets the order")
            continue
        page_id = m.group(2)
        if page_id in RESERVED_PAGE_IDS:
            problems.add(path, 1, f"a page cannot be called '{page_id}'; the course writes a page of that name itself",
                         f"rename the file, for example to `{m.group(1)}-om-{page_id}.md`")
        if not valid_id(page_id):
            problems.add(path, 0, f"'{page_id}' in the file name is not a valid page id", ID_HINT)
        if page_id in ids:
            problems.add(path, 0, f"two pages are called '{page_id}'", f"rename one of them (the other is {ids[page_id]})")
        ids[page_id] = path.name
        parsed = markdownsrc.read_page(path, problems)
        if parsed is None:
            continue
        meta, body, body_line = parsed
        pf = yamlsrc.Fields(meta, path, problems, "the front matter", required={"title": str}, optional={"glossary_links": bool}, line=2)
        if not body.strip():
            problems.add(path, body_line, "the page has no text", "write the page text below the front matter, or delete the file")
            continue
        html, words = renderer.render(body, path, body_line, page=True)
        if not words and "<img" not in html:
            # Only comments (which are dropped) or empty markup: the learner would get a blank page.
            first = next((i for i, line in enumerate(body.splitlines()) if line.strip()), 0)
            problems.add(path, body_line + first, "the page has no text", "write the page text below the front matter, or delete the file")
            continue
        pages.append(Page(page_id, pf.get("title", page_id), html, words, Source(problems.show(path), 1),
                          glossary_links=pf.get("glossary_links", True)))
    return pages


def _list_file(path: Path, problems, what: str) -> yamlsrc.Seq:
    """The items of an optional list file such as reflections.yml; empty when it is absent or broken."""
    if not path.is_file():
        return yamlsrc.Seq()
    data = yamlsrc.load(path, problems)
    if data is not None and not isinstance(data, yamlsrc.Seq):
        problems.add(path, getattr(data, "line", 1), f"{path.name} must be a list", f"start each {what} with `- id: ...`")
        data = None
    return yamlsrc.Seq() if data is None else data


def _load_reflections(path: Path, goals, renderer, problems) -> list[Reflection]:
    data = _list_file(path, problems, "reflection")
    goal_ids = [g.id for g in goals]
    out = []
    for i, item in enumerate(data):
        f = yamlsrc.Fields(item, path, problems, "a reflection",
                           required={"id": str, "title": str, "goal": str, "prompt": str,
                                     "max_length": yamlsrc.Number(1, 4000)},
                           optional={"guidance": str, "min_length": yamlsrc.Number(0, 4000)}, line=data.lines[i])
        rid = f.get("id", "")
        if rid and not valid_id(rid):
            problems.add(path, f.line_of("id"), f"'{rid}' is not a valid id", ID_HINT)
        goal = f.get("goal", "")
        if goal and goal not in goal_ids:
            problems.add(path, f.line_of("goal"), f"there is no competence goal '{goal}'",
                         did_you_mean(goal, goal_ids) or f"use one of: {', '.join(goal_ids)}")
        lo, hi = f.get("min_length", 0), f.get("max_length", 1000)
        if not 0 <= lo < hi <= 4000:
            problems.add(path, f.line_of("max_length"), f"the length limits {lo}–{hi} do not make sense",
                         "min_length must be smaller than max_length, and max_length at most 4000 characters")
        out.append(Reflection(rid, f.get("title", ""), goal,
                              renderer.render(f.get("prompt", ""), path, f.text_line("prompt"), inline=True)[0],
                              renderer.render(f.get("guidance", ""), path, f.text_line("guidance"))[0] if "guidance" in f.map else "",
                              lo, hi, Source(problems.show(path), f.line)))
    return out


def _load_homework(path: Path, timeline, renderer, problems) -> list[Homework]:
    data = _list_file(path, problems, "assignment")
    ids = [g.id for g in timeline.gatherings]
    next_of = {a.id: b.id for a, b in timeline.gaps()}
    by_id = {g.id: g for g in timeline.gatherings}
    out = []
    for i, item in enumerate(data):
        f = yamlsrc.Fields(item, path, problems, "a homework assignment",
                           required={"id": str, "title": str, "after": str, "due_days_before": yamlsrc.Number(0, 365),
                                     "participants": list, "steps": dict, "deliverable": str},
                           optional={"intro": str, "templates": list, "effort_hours": yamlsrc.Number(0.5, 200, whole=False),
                                     "trial_weeks": yamlsrc.Number(1, 40)},
                           line=data.lines[i])
        hid = f.get("id", "")
        if hid and not valid_id(hid):
            problems.add(path, f.line_of("id"), f"'{hid}' is not a valid id", ID_HINT)
        after = f.get("after", "")
        if after and after not in next_of:
            hint = (f"'{after}' is the last gathering; homework goes between two gatherings" if after in ids
                    else did_you_mean(after, ids) or f"use one of: {', '.join(ids[:-1])}")
            problems.add(path, f.line_of("after"), f"there is no gap after a gathering '{after}'", hint)
        due = f.get("due_days_before", 0)
        if after in next_of:
            first, second = by_id[after], by_id[next_of[after]]
            days = timeline.gap_days(first, second)
            if not 0 <= due < days:
                problems.add(path, f.line_of("due_days_before"),
                             f"the deadline of '{hid}' ({due} days before '{second.id}') falls outside "
                             f"the {days} days between '{first.id}' and '{second.id}'",
                             f"set due_days_before to a number from 0 to {max(days - 1, 0)}")
        crew = _crew(f.get("participants", []), path, problems)
        derived = sum(p.people * p.hours for p in crew)
        effort = f.get("effort_hours", 0)
        if derived and "effort_hours" in f.map:
            problems.add(path, f.line_of("effort_hours"), "the hours are stated twice: in effort_hours and in the "
                         f"participant list ({derived:g} hours in all)",
                         "remove effort_hours; the group's hours are the participants' hours added up")
        elif derived:
            effort = derived
        elif "effort_hours" not in f.map:
            problems.add(path, f.line, f"the homework '{hid}' does not say how many hours it takes",
                         "give each participant `hours:` (see course/README.md), or the group's `effort_hours:`")
        trial = f.get("trial_weeks", 0)
        steps = []
        sf = yamlsrc.Fields(f.map.get("steps"), path, problems, "steps", required={k: str for k in ACTION_STEPS},
                            optional={}, line=f.line_of("steps")) if "steps" in f.map else None
        if sf is not None:
            for step in ACTION_STEPS:
                if step in sf.map:
                    steps.append((step, renderer.render(sf.get(step, ""), path, sf.text_line(step))[0]))
        out.append(Homework(hid, f.get("title", ""), after, next_of.get(after, ""), due, effort,
                            tuple(p.who for p in crew),
                            renderer.render(f.get("intro", ""), path, f.text_line("intro"))[0] if "intro" in f.map else "",
                            tuple(steps), renderer.render(f.get("deliverable", ""), path, f.text_line("deliverable"))[0],
                            Source(problems.show(path), f.line), _ids(f, "templates", path, problems),
                            tuple(crew), max(trial, 0)))
    return out


def _crew(listed, path: Path, problems) -> list[Participant]:
    """The participant list: plain lines (`- Kulturskolerektor`), or `who:` with `hours:` each and
    `people:` when the line stands for more than one person."""
    out = []
    for i, item in enumerate(listed):
        line = listed.lines[i]
        if isinstance(item, str):
            wrong = yamlsrc.plain_text_problem(item)
            if wrong:
                problems.add(path, line, f"a participant: {wrong}", yamlsrc.PLAIN_HINT)
            out.append(Participant(item.strip()))
            continue
        if isinstance(item, yamlsrc.Map) and len(item) == 1 and not {"who", "hours", "people"} & set(item):
            # `- Ordfører: leder` is a text with an unquoted ': ', not a participant with hours.
            yamlsrc.texts(yamlsrc.seq_of([item], [line]), path, problems, "a participant")
            continue
        p = yamlsrc.Fields(item, path, problems, "a participant",
                           required={"who": str, "hours": yamlsrc.Number(0.5, 200, whole=False)},
                           optional={"people": yamlsrc.Number(1, 50)}, line=line)
        hours, people = p.get("hours", 0), p.get("people", 1)
        if "who" in p.map:
            out.append(Participant(p.get("who", ""), people, hours))
    return out


def _ids(f: yamlsrc.Fields, key: str, path: Path, problems) -> tuple[str, ...]:
    items = f.get(key, [])
    out = []
    for i, item in enumerate(items):
        if not valid_id(item):
            problems.add(path, items.lines[i], f"'{item}' under `{key}:` is not a material id", ID_HINT)
        else:
            out.append(item)
    return tuple(out)

