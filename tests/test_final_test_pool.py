"""The final test's own question pool in course/ (course/modules/sluttest/quiz.yml).

If this breaks, the graded test no longer measures all five competence goals, two attempts
could show the same questions, or the test repeats practice questions whose explanations
the learner has already seen in the modules."""

from __future__ import annotations

from builder.loader import load_course
from tests.conftest import ROOT

PER_GOAL = 8     # at least twice the 4 an attempt draws per goal, so a retake differs


def _final_test(course):
    (final,) = [m.quiz for m in course.modules if m.quiz and m.quiz.graded]
    return final


def test_every_competence_goal_has_its_own_pool_of_scenarios():
    course = load_course(ROOT / "course")
    final = _final_test(course)
    sizes = {g.id: sum(g.id in q.goals for q in final.questions) for g in course.goals}
    assert all(n >= PER_GOAL for n in sizes.values()), sizes
    assert all(len(q.goals) == 1 for q in final.questions), "each final-test question has exactly one goal"
    # Most questions put the learner in a concrete municipal situation, not a recall of facts.
    assert sum(q.scenario for q in final.questions) * 2 > len(final.questions)


def test_the_final_test_does_not_reuse_module_quiz_questions():
    course = load_course(ROOT / "course")
    final = _final_test(course)
    practice = [q for m in course.modules if m.quiz and m.quiz is not final for q in m.quiz.questions]
    assert not {q.id for q in final.questions} & {q.id for q in practice}
    assert not {q.html for q in final.questions} & {q.html for q in practice}
