"""Quiz questions as native CAPA problems.

single, truefalse -> <multiplechoiceresponse> with a radio <choicegroup> (shuffled for single)
multiple          -> <choiceresponse> with a <checkboxgroup>
matching          -> <optionresponse> with one dropdown <optioninput> per task (pair)

Each option's explanation becomes a hint shown after the learner submits (<choicehint>; for
checkboxes one for "selected" and one for "not selected", so the explanation shows either way;
<optionhint> on every role of a dropdown). The question's reference is the <solution>.
"""

from __future__ import annotations

from builder.model import Question
from builder.infra import typography
from builder.render.links import relink_media
from builder.formats.olx import xml


def append_html(parent, html: str) -> None:
    """Question HTML into the problem, with images pointing at the course's static files."""
    xml.append_html(parent, relink_media(typography.document(html), "/static/"))


element = xml.element

# A dropdown's options are joined into a Python-like tuple string by CAPA, ('A','B'), so a
# straight apostrophe in a role name would break it; the typographic one reads the same.
_APOSTROPHE = ("'", "\u2019")


def problem(question: Question, display_name: str, labels: dict, graded: bool):
    attrs = {"display_name": display_name, "weight": "1.0"}
    if graded:
        attrs.update(max_attempts="2", showanswer="finished")
    else:
        attrs.update(showanswer="attempted")
    root = element("problem", attrs)
    if question.type == "single":
        # Open edX shows the choices in a per-learner order, so position is no clue (as in our pages).
        _choice(root, question, labels, "multiplechoiceresponse", "choicegroup", {"type": "MultipleChoice", "shuffle": "true"})
    elif question.type == "truefalse":                  # «Sant, Usant» stays: its order tells nothing
        _choice(root, question, labels, "multiplechoiceresponse", "choicegroup", {"type": "MultipleChoice"})
    elif question.type == "multiple":
        _choice(root, question, labels, "choiceresponse", "checkboxgroup", {})
    elif question.type == "matching":
        _matching(root, question, labels)
    else:  # the loader only lets the four types through
        raise ValueError(f"unknown question type {question.type!r}")
    return root


def _label_and_help(response, question: Question, labels: dict, help_key: str) -> None:
    label = element("label", parent=response)
    append_html(label, question.html)
    help_text = labels[help_key]
    if question.scenario:
        help_text = f"{labels['scenario']}. {help_text}"
    element("description", parent=response).text = help_text


def _choice(root, question: Question, labels: dict, response_tag: str, group_tag: str, group_attrs: dict) -> None:
    response = element(response_tag, parent=root)
    _label_and_help(response, question, labels, "choose_all" if response_tag == "choiceresponse" else "choose_one")
    group = element(group_tag, group_attrs, parent=response)
    for option in question.options:
        choice = element("choice", {"correct": "true" if option.correct else "false"}, parent=group)
        append_html(choice, option.html)
        if option.explanation_html:
            if response_tag == "choiceresponse":
                for selected in ("true", "false"):
                    append_html(element("choicehint", {"selected": selected}, parent=choice), option.explanation_html)
            else:
                append_html(element("choicehint", parent=choice), option.explanation_html)
    _solution(response, question, labels)


def _matching(root, question: Question, labels: dict) -> None:
    response = element("optionresponse", parent=root)
    _label_and_help(response, question, labels, "match_help")
    roles = [role.replace(*_APOSTROPHE) for role in question.roles]
    for pair in question.pairs:
        dropdown = element("optioninput", {"label": pair.task}, parent=response)
        for role in roles:
            option = element("option", {"correct": "True" if role == pair.role.replace(*_APOSTROPHE) else "False"},
                             parent=dropdown)
            option.text = role
            if pair.explanation_html:
                append_html(element("optionhint", parent=option), pair.explanation_html)
    _solution(response, question, labels)


def _solution(response, question: Question, labels: dict) -> None:
    if not question.reference:
        return
    box = element("div", {"class": "detailed-solution"}, parent=element("solution", parent=response))
    element("p", parent=box).text = labels["reference"]
    element("p", parent=box).text = typography.text(question.reference)
