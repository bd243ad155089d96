"""How long a module takes, computed from its content rather than written by hand.

A learner reads the pages and, per quiz attempt, the questions, the options and the explanations
shown after checking; answers each question; and writes each reflection at least at its minimum
length. Reading speed belongs to the audience and is stated once, in course.yml
(`reading_speed`, words per minute); the other rates are here, with where they come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Screen reading for comprehension by adults is about 200–240 words a minute for easy text; dense
# text on law and governance, read by politicians new to it, is slower. 180 is the default when
# course.yml says nothing (the learner walkthrough estimated this course at 200).
READING_SPEED = 180
# Writing a reflection is thinking more than typing: about 30 characters a minute, so a reflection's
# minimum of 150 characters takes 5 minutes (the walkthrough's 5–10 minutes per reflection).
WRITING_SPEED = 30
SECONDS_TO_ANSWER = 15       # choosing an answer once a question is read
TOLERANCE = 0.25             # a stated time this far from the computed one needs a reason

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class StudyTime:
    reading: int     # minutes: pages and quiz
    writing: int     # minutes: reflections

    @property
    def total(self) -> int:
        return self.reading + self.writing


def words(html: str) -> int:
    return len(_WORD.findall(_TAG.sub(" ", html)))


def _question_words(q) -> int:
    return words(q.html) + sum(words(o.html) + words(o.explanation_html) for o in q.options) + \
        sum(len(p.task.split()) + words(p.explanation_html) for p in q.pairs)


def computed(module, reading_speed: int = READING_SPEED) -> StudyTime:
    """The minutes a learner spends on `module` (rounded up to whole minutes, each part at least 1
    when there is anything to do)."""
    seconds = sum(p.words for p in module.pages) * 60 / reading_speed
    quiz = module.quiz
    if quiz and quiz.questions:
        per_question = sum(_question_words(q) for q in quiz.questions) / len(quiz.questions) * 60 / reading_speed
        seconds += quiz.per_attempt * (per_question + SECONDS_TO_ANSWER)
    writing = sum(r.min_length for r in module.reflections) * 60 / WRITING_SPEED
    return StudyTime(_minutes(seconds), _minutes(writing))


def _minutes(seconds: float) -> int:
    return -(-int(seconds) // 60) if seconds > 0 else 0


def off_by(stated: int, time: StudyTime) -> bool:
    """True when a stated time is more than TOLERANCE away from the computed one."""
    return abs(stated - time.total) > TOLERANCE * max(time.total, 1)
