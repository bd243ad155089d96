"""Homework XBlock (OLX tag ``kulturskole_homework``).

Homework is tied to a gathering (samling) in the programme timeline. The block
shows the gathering, the due date, the action-learning steps (plan, act,
observe, reflect) as a checklist the learner ticks off, the deliverable, and a
text field for the submission. Ticks, draft and submission are stored per user
(``Scope.user_state``); submitting publishes ``completion`` 1.0. Facilitators
get the same overview and CSV export as in the reflection block (see
:mod:`kulturskole_xblocks.submission` for how the overview is stored and how staff is detected).

Due date: when the runtime provides the inherited ``due`` field (the LMS mixes
``InheritanceMixin`` into every block, so a ``due`` set on the sequential is
inherited) and it has a value, that date is shown. Otherwise ``due_text`` is
shown, a human-readable text the compiler fills. The sdk workbench has no
``due`` field; it only sets a plain ``block.due = now`` attribute on every
render, which is why the block checks ``"due" in self.fields`` and not
``getattr(self, "due")``.

OLX (inline in a vertical)::

    <kulturskole_homework url_name="g1_homework" xblock-family="xblock.v1"
        display_name="Hjemmeoppgave før samling 2" gathering_id="samling-2"
        gathering_title="Samling 2: Medvirkning" due_text="Innen 12. januar kl. 18"
        deliverable="Et kort notat (ca. en halv side) om hva dere observerte."
        steps='[{"phase": "plan", "text": "Velg en situasjon"}, {"phase": "act", "text": "Prøv det ut"}]'
        min_length="0" max_length="4000"/>

``steps`` is a JSON list; each item is either a string or an object with
``text`` (required) and ``phase`` (optional: ``plan``, ``act``, ``observe`` or
``reflect``; shown as a translated label). Ticks are stored by position, so
reordering the steps of a running course moves the learners' ticks with the
positions.
"""

from xblock.exceptions import JsonHandlerError
from xblock.fields import Integer, List, Scope, String
from xblock.utils.resources import ResourceLoader

from kulturskole_xblocks.dates import format_datetime, parse_iso
from kulturskole_xblocks.handlers import json_request_handler, require_bool, require_int
from kulturskole_xblocks.i18n import _
from kulturskole_xblocks.submission import SubmissionXBlockBase

#: Action-learning phases and their (translatable) labels, in cycle order.
PHASES = {
    "plan": _("Plan"),
    "act": _("Act"),
    "observe": _("Observe"),
    "reflect": _("Reflect"),
}
MAX_STEPS = 20
MAX_STEP_CHARS = 1000


def repair_surrogates(value):
    """Re-pair UTF-16 surrogate halves in all strings of a JSON value.

    XBlock parses List attributes with YAML, which turns the JSON escapes of a
    character outside the BMP ("\\ud83c\\udfbb", as ``json.dumps`` writes by default and as
    XBlock's own export writes) into two lone surrogates instead of one character.
    """
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [repair_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {key: repair_surrogates(item) for key, item in value.items()}
    return value


class HomeworkXBlock(SubmissionXBlockBase):
    """Homework for a gathering: action-learning checklist, deliverable, due date, submission."""

    TRANSLATIONS_PACKAGE = __package__
    LOADER = ResourceLoader(__name__)
    TEMPLATE = "templates/homework.html"
    CSS = ("static/css/homework.css",)
    JS = ("static/js/homework.js",)
    JS_INIT = "KulturskoleHomeworkXBlock"

    display_name = String(
        display_name="Display name", scope=Scope.settings, default="Hjemmeoppgave",
        help="Heading shown above the homework.",
    )
    gathering_id = String(
        display_name="Gathering id", scope=Scope.content, default="",
        help="Id of the gathering in the programme timeline this homework prepares for.",
    )
    gathering_title = String(
        display_name="Gathering title", scope=Scope.content, default="",
        help="Title of that gathering, shown to the learner.",
    )
    steps = List(
        display_name="Steps", scope=Scope.content, default=[],
        help='Action-learning steps: a JSON list of strings or {"phase": "plan|act|observe|reflect", "text": ...}.',
    )
    deliverable = String(
        display_name="Deliverable", scope=Scope.content, default="",
        help="What the learner hands in (plain text).",
    )
    due_text = String(
        display_name="Due (text)", scope=Scope.settings, default="",
        help="Due date as text, shown when the runtime has no inherited 'due' date.",
    )
    max_length = Integer(
        display_name="Maximum length", scope=Scope.content, default=4000,
        help="Most characters a submission may have.",
    )
    checked_steps = List(
        scope=Scope.user_state, default=[],
        help="Positions of the steps the learner has ticked off.",
    )

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Default attribute parsing, plus repairing characters outside the BMP in ``steps``."""
        block = super().parse_xml(node, runtime, keys)
        if "steps" in node.attrib:
            block.steps = repair_surrogates(block.steps)
        return block

    # ---- content helpers ----------------------------------------------------------

    def normalized_steps(self, translate):
        """The steps as dicts {index, phase, phase_label, text, done}; malformed items are skipped."""
        raw_steps = self.steps if isinstance(self.steps, list) else []
        done = self.done_indices()
        result = []
        for index, item in enumerate(raw_steps[:MAX_STEPS]):
            phase = None
            if isinstance(item, str):
                text = item
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                text = item["text"]
                phase = item.get("phase") if item.get("phase") in PHASES else None
            else:
                continue
            text = text.strip()[:MAX_STEP_CHARS]
            if not text and phase is None:
                continue
            result.append({
                "index": index,
                "phase": phase or "",
                "phase_label": translate(PHASES[phase]) if phase else "",
                "text": text,
                "done": index in done,
            })
        return result

    def step_count(self):
        """Number of positions a tick may refer to."""
        return min(len(self.steps), MAX_STEPS) if isinstance(self.steps, list) else 0

    def done_indices(self):
        """Set of ticked step positions that still exist."""
        count = self.step_count()
        return {i for i in self.checked_steps if isinstance(i, int) and 0 <= i < count}

    def progress_text(self, translate):
        """E.g. "2 of 4 steps done"."""
        steps = self.normalized_steps(translate)
        total = len(steps)
        done = len([step for step in steps if step["done"]])
        return translate("{done} of {total} steps done").format(done=done, total=total)

    # Never define anything called ``due`` on this class: in the LMS the block class
    # comes first in the MRO and would hide the inherited ``due`` field.
    def due_info(self, translate, zone):
        """(iso, display): the inherited ``due`` field when the runtime has it, else ``due_text``."""
        if "due" in self.fields:
            moment = parse_iso(getattr(self, "due", None))
            if moment is not None:
                return moment.isoformat(), format_datetime(moment, translate, zone)
        return "", self.due_text or ""

    # ---- overview hooks -------------------------------------------------------------

    def summary_extra(self):
        steps = self.normalized_steps(lambda message: message)
        return {"steps_done": len([step for step in steps if step["done"]]), "steps_total": len(steps)}

    def staff_row_extra(self, entry, translate):
        done = entry.get("steps_done", 0)
        total = entry.get("steps_total", 0)
        return {"steps": translate("{done} of {total} steps done").format(done=done, total=total)}

    def staff_extra_columns(self, translate):
        return [(translate("Steps done"), "steps")]

    # ---- view and handlers ------------------------------------------------------------

    def view_context(self, translate, zone, base_id):
        """Gathering, due date, checklist and deliverable; the deliverable also describes the text box."""
        due_iso, due_display = self.due_info(translate, zone)
        return {
            "gathering_id": self.gathering_id,
            "gathering_text": (translate("Before the gathering: {title}").format(title=self.gathering_title)
                               if self.gathering_title else ""),
            "due_iso": due_iso,
            "due_display": due_display,
            "deliverable": self.deliverable,
            "steps": self.normalized_steps(translate),
            "progress": self.progress_text(translate),
            "label": translate("Your submission"),
            "described_by": f"{base_id}-deliverable" if self.deliverable else "",
            "t": {
                "due": translate("Due"),
                "deliverable": translate("What to hand in"),
                "steps_legend": translate("Action-learning steps"),
                "steps_help": translate("Tick off each step when you have done it. Your ticks are saved at once."),
            },
        }

    def js_messages(self, translate):
        messages = super().js_messages(translate)
        messages.update({
            "stepDone": translate("Step ticked off."),
            "stepUndone": translate("Tick removed."),
        })
        return messages

    @json_request_handler
    def toggle_step(self, data, suffix=""):  # pylint: disable=unused-argument
        """Tick or untick one step: {"step": <position>, "done": true|false}."""
        translate = self.translator()
        index = require_int(data, "step", translate)
        done = require_bool(data, "done", translate)
        valid = {step["index"] for step in self.normalized_steps(translate)}
        if index not in valid:
            raise JsonHandlerError(400, translate("Unknown step."))
        ticked = self.done_indices()
        if done:
            ticked.add(index)
        else:
            ticked.discard(index)
        self.checked_steps = sorted(ticked)
        self.sync_submission_summary()
        return {
            "ok": True,
            "checked": self.checked_steps,
            "progress": self.progress_text(translate),
            "status": translate("Step ticked off.") if done else translate("Tick removed."),
        }
