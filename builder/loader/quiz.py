"""quiz.yml: questions of four kinds, each with a reference and an explanation per option."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from builder.errors import Problems, did_you_mean
from builder.loader import yamlsrc
from builder.loader.validate import ID_HINT, valid_id
from builder.model import TYPES, Option, Pair, Question, Quiz, Source
from builder.infra import strings

_COMMON = {"id": str, "type": str, "text": str, "reference": str, "goals": list}
_OPTIONAL = {"scenario": bool}
_BY_TYPE = {
    "single": ({"options": list}, {}),
    "multiple": ({"options": list}, {}),
    "truefalse": ({"correct": bool, "if_true": str, "if_false": str}, {}),
    "matching": ({"roles": list, "pairs": list}, {}),
}


def load_quiz(path: Path, module_id: str, goals, renderer, problems: Problems, language: str) -> Quiz | None:
    data = yamlsrc.load(path, problems)
    if data is None:
        return None
    f = yamlsrc.Fields(data, path, problems, "quiz.yml", required={"title": str, "questions": list},
                       optional={"graded": bool, "draw": dict})
    source = Source(problems.show(path), f.line)
    questions = []
    items = f.get("questions", [])
    for i, item in enumerate(items):
        q = _load_question(item, items.lines[i], path, goals, renderer, problems, language)
        if q is not None:
            questions.append(q)
    draw = ()
    if "draw" in f.map:
        draw = _load_draw(f.map["draw"], f.line_of("draw"), questions, path, goals, problems)
    return Quiz(module_id, f.get("title", ""), f.get("graded", False), tuple(questions), source, draw)


def _load_draw(mapping, line, questions, path, goals, problems) -> tuple[tuple[str, int], ...]:
    """`draw: {k1: 4, k2: 4}`: per attempt, how many questions of each competence goal. The pool of a
    goal is the quiz's questions with that goal, so each question must have exactly one goal."""
    known = [g.id for g in goals]
    example = ", ".join(f"{g}: 4" for g in known[:2])
    if not isinstance(mapping, yamlsrc.Map):
        problems.add(path, line, "`draw:` must list the competence goals with a number each",
                     f"write for example `draw: {{{example}}}`")
        return ()
    if "count" in mapping or "goals" in mapping:
        problems.add(path, line, "`draw:` now counts the questions per competence goal, from this quiz's own questions",
                     f"write one line per goal with the number of questions per attempt, for example `draw: {{{example}}}`, "
                     "and write the test's questions under `questions:`")
        return ()
    counts = {}
    for gid, n in mapping.items():
        where = mapping.lines[gid]
        if gid not in known:
            problems.add(path, where, f"there is no competence goal '{gid}'", did_you_mean(gid, known) or f"use one of: {', '.join(known)}")
        elif not isinstance(n, int) or isinstance(n, bool) or n < 1:
            problems.add(path, where, f"'{gid}' in `draw:` must be a whole number from 1 up",
                         f"write how many questions of {gid} each attempt shows, for example `{gid}: 4`")
        else:
            counts[gid] = n
    for q in questions:
        if len(q.goals) != 1:
            problems.add(path, q.source.line, f"the question '{q.id}' has {len(q.goals)} competence goals; in a quiz with "
                         "`draw:` each question belongs to exactly one", "keep the goal the question tests, e.g. `goals: [k1]`")
        elif q.goals[0] not in counts and q.goals[0] in known:
            problems.add(path, q.source.line, f"the question '{q.id}' is never shown: `draw:` has no line for {q.goals[0]}",
                         f"add `{q.goals[0]}: 1` (or more) under `draw:`, or give the question another goal")
    for gid, n in counts.items():
        have = sum(q.goals == (gid,) for q in questions)
        if have < n:
            problems.add(path, mapping.lines[gid], f"each attempt draws {n} questions of {gid}, but the quiz has {have}",
                         f"write at least {n - have} more question(s) with `goals: [{gid}]`, or lower the number")
    return tuple((gid, counts[gid]) for gid in known if gid in counts)


def _goal_list(items, line, path, goals, problems) -> list[str]:
    known = [g.id for g in goals]
    out = []
    for i, gid in enumerate(items):
        if gid not in known:
            problems.add(path, items.lines[i] if hasattr(items, "lines") else line,
                         f"there is no competence goal '{gid}'", did_you_mean(gid, known) or f"use one of: {', '.join(known)}")
        else:
            out.append(gid)
    return out


def _load_question(item, line, path, goals, renderer, problems, language) -> Question | None:
    qtype = item.get("type") if isinstance(item, dict) else None
    if qtype not in TYPES:
        where = item.lines.get("type", line) if isinstance(item, yamlsrc.Map) else line
        problems.add(path, where, f"unknown question type '{qtype}'" if qtype else "the question has no `type:`",
                     did_you_mean(qtype, TYPES) or f"use one of: {', '.join(TYPES)}")
        qtype = None
    required, optional = _BY_TYPE.get(qtype, ({}, {}))
    f = yamlsrc.Fields(item, path, problems, "a question", required={**_COMMON, **required},
                       optional={**_OPTIONAL, **optional, **({} if qtype else {k: object for t in _BY_TYPE.values() for k in t[0]})},
                       line=line)
    if not f.ok or qtype is None:
        return None
    qid = f.get("id", "")
    if not valid_id(qid):
        problems.add(path, f.line_of("id"), f"'{qid}' is not a valid question id", ID_HINT)
    html, _ = renderer.render(f.get("text", ""), path, f.text_line("text"), inline=True)
    goal_ids = _goal_list(f.get("goals", []), f.line_of("goals"), path, goals, problems)
    common = dict(id=qid, type=qtype, html=html, reference=f.get("reference", ""), goals=tuple(goal_ids),
                  scenario=f.get("scenario", False), source=Source(problems.show(path), f.line))

    if qtype == "truefalse":
        answer = f.get("correct", True)
        # Only their ids: the renderer shows them as the edition's «Sant»/«Usant» (builder/model/markup.py).
        options = (
            Option("true", "", answer is True, _explanation(renderer, f, "if_true", path)),
            Option("false", "", answer is False, _explanation(renderer, f, "if_false", path)),
        )
        return Question(options=options, **common)

    if qtype == "matching":
        listed = f.get("roles", [])
        roles = []
        for i, role in enumerate(yamlsrc.texts(listed, path, problems, "a role")):
            if role in roles:
                # Two equal roles are two radio buttons with one value: the right answer would count as wrong.
                problems.add(path, f.line_of("roles"), f"the role '{role}' is listed twice in `roles:`",
                             "remove one of them")
            else:
                roles.append(role)
        if len(roles) < 2:
            problems.add(path, f.line_of("roles"), "a matching question needs at least two roles",
                         "list them like `roles: [Kommunestyret, Kommunedirektøren]`")
        items = f.get("pairs", [])
        pairs = []
        for i, p in enumerate(items):
            pf = yamlsrc.Fields(p, path, problems, "a pair", required={"task": str, "role": str, "explanation": str},
                                optional={}, line=items.lines[i])
            role = pf.get("role", "")
            if role and role not in roles:
                problems.add(path, pf.line_of("role"), f"the role '{role}' is not in `roles:`",
                             did_you_mean(role, roles) or "add it to `roles:` or fix the spelling")
            pairs.append(Pair(f"t{i + 1}", pf.get("task", ""), role, _explanation(renderer, pf, "explanation", path)))
        if len(items) < 2:
            problems.add(path, f.line_of("pairs"), "a matching question needs at least two pairs",
                         "add `- task: ...` / `role: ...` / `explanation: ...` entries under `pairs:`")
        return Question(roles=tuple(roles), pairs=tuple(pairs), **common)

    items = f.get("options", [])
    options = []
    for i, o in enumerate(items):
        of = yamlsrc.Fields(o, path, problems, "an option", required={"text": str, "explanation": str},
                            optional={"correct": bool}, line=items.lines[i])
        text_html, _ = renderer.render(of.get("text", ""), path, of.text_line("text"), inline=True)
        options.append(Option(chr(ord("a") + i), text_html, of.get("correct", False), _explanation(renderer, of, "explanation", path)))
    correct = sum(o.correct for o in options)
    if len(items) < 2:
        problems.add(path, f.line_of("options"), "a question needs at least two options", "add more `- text: ...` options")
    elif qtype == "single" and correct != 1:
        problems.add(path, f.line_of("options"),
                     f"a single-choice question needs exactly one correct option, this one has {correct}",
                     "mark one option with `correct: true`, or use `type: multiple` when several are right")
    elif qtype == "multiple" and correct == 0:
        problems.add(path, f.line_of("options"), "the question has no correct option", "mark the right options with `correct: true`")
    return Question(options=tuple(options), **common)


def _explanation(renderer, fields, key, path) -> str:
    """An explanation of an option. The page already says whether the learner's choice was right,
    so an explanation that opens with its own verdict would make the learner read it twice."""
    text = fields.get(key, "")
    opening = _verdict_opening(renderer.language).match(text)
    if opening:
        renderer.problems.add(path, fields.line_of(key), f"the explanation starts with '{opening.group(1)}'",
                              "leave the verdict out (the page already says whether the choice is right) "
                              "and start with why")
    return renderer.render(text, path, fields.text_line(key), inline=True)[0]


@lru_cache(maxsize=None)
def _verdict_opening(language: str) -> re.Pattern:
    """«Riktig.», «Nei,» …: the verdict words of the language's catalogue at the start of a text."""
    verdicts = [w.strip() for w in strings.catalogue(language)["explanation_verdicts"].split(",")]
    return re.compile(r"\s*(" + "|".join(re.escape(w) for w in verdicts) + r")\s*[.,!:]", re.I)

