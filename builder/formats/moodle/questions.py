"""The course's quiz questions as Moodle questions: one description per question, written twice —
into the backup's questions.xml (restored into the course's question bank) and into Moodle XML
(dist/moodle/<course>-questions.xml, for Question bank → Import in an existing course).

Types: single → multichoice (one answer), multiple → multichoice (several; the right answers share
+100 %, the wrong ones −100 %, so ticking everything scores 0), truefalse → truefalse,
matching → match (a role that no task belongs to is a distractor: a sub-question without text).
Each option's explanation is that answer's feedback; the legal reference (and, for matching, the
explanation of every pair) is the general feedback shown after an attempt."""

from __future__ import annotations

from dataclasses import dataclass, replace
from xml.sax.saxutils import escape

from builder.infra import typography
from builder.render import plaintext
from builder.infra import strings
from builder.model import Course, Module, Question


@dataclass(frozen=True)
class Answer:
    text: str            # HTML, or for truefalse "true"/"false"
    fraction: float
    feedback: str


@dataclass(frozen=True)
class MoodleQuestion:
    source: Question
    qtype: str           # multichoice | truefalse | match
    name: str
    text: str
    general_feedback: str
    single: bool = True
    answers: tuple[Answer, ...] = ()
    matches: tuple[tuple[str, str], ...] = ()   # (sub-question HTML, answer text)


def banks(course: Course) -> list[tuple[Module, list[MoodleQuestion]]]:
    """A category per module with a quiz: its questions (for the final test, its whole pool, so a
    Moodle quiz can draw random questions from the category). The backup's plan and the questions'
    XML both ask, so the last course's are kept (typesetting 123 questions: ~30 ms of CPU)."""
    global _last_banks
    if _last_banks is None or _last_banks[0] is not course:
        ui = strings.catalogue(course.language)
        _last_banks = (course, [(m, [convert(q, ui) for q in m.quiz.questions]) for m in course.modules if m.quiz])
    return _last_banks[1]


_last_banks: tuple[Course, list] | None = None


def fraction(value: float) -> str:
    return f"{value:.7f}"


def convert(q: Question, ui: dict[str, str]) -> MoodleQuestion:
    """A question as Moodle stores it, with Norwegian typography in every text the learner reads."""
    q = _typeset(q)
    name = plaintext.line(q.html, 100)
    reference = f"<p><strong>{escape(ui['reference'])}:</strong> {escape(q.reference)}</p>" if q.reference else ""
    if q.type == "matching":
        explained = "".join(f"<li><strong>{escape(p.task)}</strong> – {escape(p.role)}: {p.explanation_html}</li>"
                            for p in q.pairs if p.explanation_html)
        feedback = (f"<ul>{explained}</ul>" if explained else "") + reference
        used = {p.role for p in q.pairs}
        matches = tuple((f"<p>{escape(p.task)}</p>", p.role) for p in q.pairs) + \
            tuple(("", role) for role in q.roles if role not in used)
        return MoodleQuestion(q, "match", name, q.html, feedback, matches=matches)
    if q.type == "truefalse":
        answers = tuple(Answer(o.id, 1.0 if o.correct else 0.0, o.explanation_html) for o in q.options)
        return MoodleQuestion(q, "truefalse", name, q.html, reference, answers=answers)
    right = [o for o in q.options if o.correct]
    wrong = [o for o in q.options if not o.correct]
    if q.type == "single":
        answers = tuple(Answer(o.html, 1.0 if o.correct else 0.0, o.explanation_html) for o in q.options)
        return MoodleQuestion(q, "multichoice", name, q.html, reference, single=True, answers=answers)
    answers = tuple(Answer(o.html, 1.0 / len(right) if o.correct else -1.0 / len(wrong), o.explanation_html)
                    for o in q.options)
    return MoodleQuestion(q, "multichoice", name, q.html, reference, single=False, answers=answers)


def _typeset(q: Question) -> Question:
    html, text = typography.document, typography.text
    return replace(q, html=html(q.html), reference=text(q.reference), roles=tuple(text(r) for r in q.roles),
                   options=tuple(replace(o, html=html(o.html), explanation_html=html(o.explanation_html)) for o in q.options),
                   pairs=tuple(replace(p, task=text(p.task), role=text(p.role), explanation_html=html(p.explanation_html))
                               for p in q.pairs))


def moodle_xml(course: Course) -> bytes:
    """Moodle XML (the format of Question bank → Import): a category per module, then its questions."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]

    def text(value: str) -> str:
        return f"<text>{escape(value)}</text>"

    for module, questions in banks(course):
        out.append('<question type="category">'
                   f"<category>{text('$course$/top/' + category_name(module))}</category>"
                   f'<info format="html">{text(escape(module.summary))}</info>'
                   f"<idnumber>{escape(module.id)}</idnumber></question>")
        for mq in questions:
            q = mq.source
            out.append(f'<question type="{mq.qtype}">')
            out.append(f"<name>{text(mq.name)}</name>")
            out.append(f'<questiontext format="html">{text(mq.text)}</questiontext>')
            out.append(f'<generalfeedback format="html">{text(mq.general_feedback)}</generalfeedback>')
            out.append(f"<defaultgrade>1</defaultgrade><penalty>{'1' if mq.qtype == 'truefalse' else '0'}</penalty>"
                       f"<hidden>0</hidden><idnumber>{escape(q.id)}</idnumber>")
            if mq.qtype == "multichoice":
                out.append(f"<single>{'true' if mq.single else 'false'}</single><shuffleanswers>true</shuffleanswers>"
                           "<answernumbering>abc</answernumbering><showstandardinstruction>1</showstandardinstruction>")
            if mq.qtype == "match":
                out.append("<shuffleanswers>true</shuffleanswers>")
                for sub, answer in mq.matches:
                    out.append(f'<subquestion format="html">{text(sub)}<answer>{text(answer)}</answer></subquestion>')
            for a in mq.answers:
                kind = "moodle_auto_format" if mq.qtype == "truefalse" else "html"
                out.append(f'<answer fraction="{_percent(a.fraction)}" format="{kind}">{text(a.text)}'
                           f'<feedback format="html">{text(a.feedback)}</feedback></answer>')
            out.append("</question>")
    out.append("</quiz>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _percent(value: float) -> str:
    """Moodle XML writes fractions as percentages with up to 5 decimals (33.33333)."""
    return f"{value * 100:.5f}".rstrip("0").rstrip(".")


def category_name(module: Module) -> str:
    return module.title
