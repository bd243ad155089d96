"""Hints for editors about quizzes: patterns a guesser could exploit, and a final-test pool too small
to vary. They never stop a build (`kulturskole check` prints them as warnings), because the pages
shuffle the options anyway; the print pages and anyone reading the sources still see the order the
editor wrote."""

from __future__ import annotations

from collections import Counter

from builder.errors import Problem
from builder.infra import strings

CLUSTER_SHARE = 0.5     # more than half of the quiz's questions with the right answer in one place
CLUSTER_MIN = 4         # and at least this many questions of the kind, so two of three is no pattern
TRUEFALSE_SHARE = 0.7   # more than 70 % of the true/false answers with the same value


def warnings(course) -> list[Problem]:
    out = []
    goal_ids = [g.id for g in course.goals]
    for module in course.modules:
        quiz = module.quiz
        if quiz is None:
            continue
        where = quiz.source
        singles = [q for q in quiz.questions if q.type == "single"]
        positions = Counter(next(i for i, o in enumerate(q.options) if o.correct) + 1 for q in singles)
        if len(singles) >= CLUSTER_MIN and positions:
            place, n = positions.most_common(1)[0]
            if n > CLUSTER_SHARE * len(singles):
                out.append(Problem(where.path, where.line,
                                   f"in {n} of {len(singles)} single-choice questions the correct answer is option {place}",
                                   "vary where the correct option stands, so the sources do not teach a pattern"))
        multiples = [q for q in quiz.questions if q.type == "multiple"]
        first = sum(all(o.correct for o in q.options[:sum(o.correct for o in q.options)]) for q in multiples)
        if len(multiples) >= CLUSTER_MIN and first > CLUSTER_SHARE * len(multiples):
            out.append(Problem(where.path, where.line,
                               f"in {first} of {len(multiples)} multiple-choice questions the correct options come first",
                               "mix the correct options in among the others"))
        truefalse = [q for q in quiz.questions if q.type == "truefalse"]
        values = Counter(next(o.id for o in q.options if o.correct) for q in truefalse)
        if len(truefalse) >= CLUSTER_MIN and values:
            value, n = values.most_common(1)[0]
            if n > TRUEFALSE_SHARE * len(truefalse):
                word = strings.catalogue(course.language)[value]
                out.append(Problem(where.path, where.line,
                                   f"{n} of {len(truefalse)} true/false answers are «{word}»",
                                   "a learner who always picks that value passes them: turn some statements around"))
        if quiz.draw:
            drawn = dict(quiz.draw)
            missing = [g for g in goal_ids if g not in drawn]
            if missing:
                out.append(Problem(where.path, where.line, f"`draw:` has no questions for {', '.join(missing)}",
                                   "add a line per goal, so the test measures every competence goal"))
            for gid, n in quiz.draw:
                have = len(quiz.pool(gid))
                if have < 2 * n:
                    out.append(Problem(where.path, where.line,
                                       f"{gid} has {have} questions for {n} per attempt, so a second attempt repeats most of them",
                                       f"write at least {2 * n} questions with `goals: [{gid}]`"))
    return out
