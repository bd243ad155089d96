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
:mod:`kulturskole_xblocks.submission`.

OLX (what the course compiler emits, inline in a vertical)::

    <kulturskole_reflection url_name="week1_reflection" xblock-family="xblock.v1"
        display_name="Refleksjon etter samling 1" prompt="Hva overrasket deg?"
        guidance="Tenk på én konkret situasjon." min_length="100" max_length="1200"/>

``prompt`` and ``guidance`` are plain text (HTML is shown literally; newlines
are kept). ``min_length``/``max_length`` are character counts; ``max_length`` is
capped at :data:`kulturskole_xblocks.submission.HARD_MAX_CHARS`.
"""

from xblock.fields import Integer, Scope, String
from xblock.utils.resources import ResourceLoader

from kulturskole_xblocks.submission import SubmissionXBlockBase


class ReflectionXBlock(SubmissionXBlockBase):
    """A reflection prompt with per-learner draft/submit and a facilitator overview."""

    TRANSLATIONS_PACKAGE = __package__
    LOADER = ResourceLoader(__name__)
    TEMPLATE = "templates/reflection.html"

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
    max_length = Integer(
        display_name="Maximum length", scope=Scope.content, default=2000,
        help="Most characters a text may have.",
    )

    def view_context(self, translate, zone, base_id):  # pylint: disable=unused-argument
        """The prompt labels the text box; the guidance under it also describes the box."""
        return {
            "label": self.prompt or translate("Your reflection"),
            "guidance": self.guidance,
            "described_by": f"{base_id}-guidance" if self.guidance else "",
        }
