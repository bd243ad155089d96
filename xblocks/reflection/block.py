"""Reflection XBlock (OLX tag ``kulturskole_reflection``).

The learner answers a reflection prompt in free text, saves drafts, and submits.
The text is stored per user (``Scope.user_state``: ``draft``, ``submitted_text``,
``submitted_at``); submitting publishes ``completion`` 1.0.

Facilitators (course staff) see a list of all learners' submitted texts under
the form, and can download them as CSV (handler ``export_csv``). Because a block
only sees the current user's state, and the workbench has no submissions API,
each submit also copies the text into the ``Scope.user_state_summary`` field
``submissions`` (``{learner_key: {"text", "submitted_at"}}``), which both the
workbench and the LMS store per block usage. The staff view reads that field
only; drafts never leave the learner's own state. Details and limits of this
design, and how staff is detected in the LMS and in the workbench, are in
:mod:`xblocks.common`.

OLX (what the course compiler emits, inline in a vertical)::

    <kulturskole_reflection url_name="week1_reflection" xblock-family="xblock.v1"
        display_name="Refleksjon etter samling 1" prompt="Hva overrasket deg?"
        guidance="Tenk på én konkret situasjon." min_length="100" max_length="1200"/>

``prompt`` and ``guidance`` are plain text (HTML is shown literally; newlines
are kept). ``min_length``/``max_length`` are character counts; ``max_length`` is
capped at :data:`xblocks.common.HARD_MAX_CHARS`.
"""

from web_fragments.fragment import Fragment
from xblock.fields import Integer, Scope, String
from xblock.utils.resources import ResourceLoader

from xblocks.common import SubmissionXBlockBase, dom_id

LOADER = ResourceLoader(__name__)


class ReflectionXBlock(SubmissionXBlockBase):
    """A reflection prompt with per-learner draft/submit and a facilitator overview."""

    TRANSLATIONS_PACKAGE = __package__

    display_name = String(
        display_name="Display name", scope=Scope.settings, default="Refleksjon",
        help="Heading shown above the reflection.",
    )
    prompt = String(
        display_name="Prompt", scope=Scope.content, default="Hva har du lært?",
        help="The question the learner reflects on (plain text).",
    )
    guidance = String(
        display_name="Guidance", scope=Scope.content, default="",
        help="Optional help text shown under the prompt (plain text).",
    )
    min_length = Integer(
        display_name="Minimum length", scope=Scope.content, default=0,
        help="Fewest characters a submission must have.",
    )
    max_length = Integer(
        display_name="Maximum length", scope=Scope.content, default=2000,
        help="Most characters a text may have.",
    )

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The learner's form, plus the submissions overview for staff."""
        translate = self.translator()
        zone = self.user_zone()
        self.sync_submission_summary()
        min_chars, max_chars = self.limits()
        base_id = dom_id(self.scope_ids.usage_id)
        context = {
            "id": base_id,
            "display_name": self.display_name,
            "prompt": self.prompt or translate("Your reflection"),
            "guidance": self.guidance,
            "limits_text": self.limits_text(translate),
            "text": self.current_text(),
            "min_length": min_chars,
            "max_length": max_chars,
            "status": self.status_message(translate, zone),
            "submitted": bool(self.submitted_at),
            "t": {
                "save_draft": translate("Save draft"),
                "submit": translate("Submit"),
                "staff_heading": translate("Submissions (facilitator view)"),
                "download_csv": translate("Download as CSV"),
                "no_submissions": translate("No submissions yet."),
                "learner": translate("Learner"),
                "submitted": translate("Submitted"),
                "characters": translate("Characters"),
                "text": translate("Text"),
            },
        }
        context.update(self.staff_context(translate, zone))
        html = LOADER.render_django_template("templates/reflection.html", context)
        frag = Fragment(html)
        frag.add_css(LOADER.load_unicode("static/css/reflection.css"))
        frag.add_javascript(LOADER.load_unicode("static/js/reflection.js"))
        frag.initialize_js("KulturskoleReflectionXBlock", {
            "minLength": min_chars,
            "maxLength": max_chars,
            "messages": self.common_messages(translate),
        })
        return frag

    @staticmethod
    def workbench_scenarios():
        """Scenarios from ``scenarios/*.xml`` for the xblock-sdk workbench."""
        return LOADER.load_scenarios_from_path("scenarios")
