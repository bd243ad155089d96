"""quiz.yml: questions of four kinds, each with a reference and an explanation per option."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from builder.errors import Problems, did_you_mean
from builder.loader import yamlsrc
from builder.loader.validate import ID_HINT, valid_id
from builder.model import TYPES, Option, Pair, Question, Quiz, Source
from builder.render import strings

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
    f = yamlsrc.Fields(data, path, problems, "quiz.yml", required={"title": str},
                       optional={"graded": bool, "questions": list, "draw": dict})
    source = Source(problems.show(path), f.line)
    questions = []
    if ("questions" in f.map) == ("draw" in f.map):
        problems.add(path, f.line, "a quiz needs either `questions:` or `draw:`",
                     "write the questions under `questions:`, or `draw: {count: 15}` to draw from the other quizzes")
    items = f.get("questions", [])
    for i, item in enumerate(items):
        q = _load_question(item, items.lines[i], path, goals, renderer, problems, language)
        if q is not None:
            questions.append(q)
    count, draw_goals = 0, ()
    if "draw" in f.map:
        d = yamlsrc.Fields(f.map["draw"], path, problems, "draw", required={"count": int},
                           optional={"goals": list}, line=f.line_of("draw"))
        count = d.get("count", 0)
        draw_goals = tuple(_goal_list(d.get("goals", []), d.line_of("goals"), path, goals, problems))
        source = Source(source.path, d.line_of("count"))
    return Quiz(module_id, f.get("title", ""), f.get("graded", False), tuple(questions), "draw" in f.map, source,
                count, draw_goals)


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
    html, _ = renderer.render(f.get("text", ""), path, f.line_of("text"), inline=True)
    goal_ids = _goal_list(f.get("goals", []), f.line_of("goals"), path, goals, problems)
    common = dict(id=qid, type=qtype, html=html, reference=f.get("reference", ""), goals=tuple(goal_ids),
                  scenario=f.get("scenario", False), source=Source(problems.show(path), f.line))

    if qtype == "truefalse":
        ui = strings.catalogue(language)
        answer = f.get("correct", True)
        options = (
            Option("true", ui["true"], answer is True, _explanation(renderer, f, "if_true", path)),
            Option("false", ui["false"], answer is False, _explanation(renderer, f, "if_false", path)),
        )
        return Question(options=options, **common)

    if qtype == "matching":
        roles = [r for r in f.get("roles", []) if isinstance(r, str)]
        for r in roles:
            if yamlsrc.plain_text_problem(r):
                problems.add(path, f.line_of("roles"), f"a role: {yamlsrc.plain_text_problem(r)}", yamlsrc.PLAIN_HINT)
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
        text_html, _ = renderer.render(of.get("text", ""), path, of.line_of("text"), inline=True)
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
    return renderer.render(text, path, fields.line_of(key), inline=True)[0]


@lru_cache(maxsize=None)
def _verdict_opening(language: str) -> re.Pattern:
    """«Riktig.», «Nei,» …: the verdict words of the language's catalogue at the start of a text."""
    verdicts = [w.strip() for w in strings.catalogue(language)["explanation_verdicts"].split(",")]
    return re.compile(r"\s*(" + "|".join(re.escape(w) for w in verdicts) + r")\s*[.,!:]", re.I)


def draw_questions(modules, goals, problems):
    """Fill quizzes that draw from the bank, with a selection that is the same in every build."""
    bank = [q for m in modules if m.quiz and not m.quiz.drawn for q in m.quiz.questions]
    out = []
    for m in modules:
        if m.quiz is None or not m.quiz.drawn:
            out.append(m)
            continue
        count, goal_ids, line = m.quiz.draw_count, m.quiz.draw_goals, m.quiz.source.line
        pool = [q for q in bank if not goal_ids or set(q.goals) & set(goal_ids)]
        if count < 1 or count > len(pool):
            problems.add(m.quiz.source.path, line, f"the quiz draws {count} questions but the bank has {len(pool)} that fit",
                         f"set count to a number from 1 to {len(pool)}" if pool else "add questions to the other quizzes")
        order = {q.id: i for i, q in enumerate(pool)}
        chosen = sorted(pool, key=lambda q: hashlib.sha256(q.id.encode()).hexdigest())[:max(count, 0)]
        chosen.sort(key=lambda q: order[q.id])
        out.append(replace(m, quiz=replace(m.quiz, questions=tuple(chosen))))
    return out
