"""The base of both blocks: a per-learner text with draft/submit, a staff overview and CSV export.

Views
    Both views render the same text form and facilitator overview: the
    templates ``shared/templates/submission_form.html`` and
    ``staff_overview.html``, which each block's own template includes, and the
    stylesheet and script in ``shared/static/``, which
    :meth:`SubmissionXBlockBase.student_view` adds before the block's own.
    Subclasses only supply their own context (:meth:`view_context`), resources
    and, for homework, extra staff columns.

Listing the submissions of all learners
    A block instance only sees the current user's ``Scope.user_state``. The LMS
    could list all learners through edx-submissions or the user-state client,
    but neither exists in the workbench. Both runtimes do store
    ``Scope.user_state_summary`` fields (one value per block usage, shared by all
    users; xblock-poll keeps its tally the same way). So on every submit the block
    writes ``submissions[learner_key] = {"text", "submitted_at", ...}`` into the
    summary field ``submissions``. The staff view and the CSV export read only
    that field; drafts are never copied there, so learners' unsent drafts stay
    private.

    ``learner_key`` is the LMS's course-specific anonymous user id when the user
    service provides one, else the runtime's user id (the ``?student=`` value in
    the workbench). Names are not stored: the staff view resolves an anonymous
    id to a username through ``user_service.get_user_by_anonymous_id`` when the
    runtime offers it (LMS), and shows the key otherwise (workbench).

    Known limits: the summary is one JSON value read by every render of the
    block, so it suits group-sized courses (tens to a few hundred learners at
    the capped text length), and two learners submitting at the same instant can
    race (last write wins in the LMS). The learner's own state is never lost;
    :meth:`SubmissionXBlockBase.sync_submission_summary` re-adds a missing or
    stale entry the next time that learner opens the block.
"""

import re
from importlib.resources import files

from django.template import Context, Engine, Template
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Dict, Integer, Scope, String
from xblock.utils.resources import ResourceLoader

from kulturskole_xblocks.csv_export import build_csv
from kulturskole_xblocks.dates import format_datetime, utc_now_iso
from kulturskole_xblocks.handlers import json_request_handler, require_text
from kulturskole_xblocks.i18n import Translator
from kulturskole_xblocks.users import LmsUserMixin

#: Upper bound for any configured max_length, whatever the OLX says.
HARD_MAX_CHARS = 10000

#: Resources of the ``kulturskole_xblocks`` package itself: the shared parts live in ``shared/``.
SHARED = ResourceLoader(__name__)


def render_template(loader, template_path, context):
    """Render a block's Django template, whose ``{% include %}`` tags find the shared templates.

    ``ResourceLoader.render_django_template`` builds an engine without template
    directories, so it cannot include anything; this engine looks in
    ``xblocks/shared/templates/`` (a directory on disk, as for the catalogs).
    """
    engine = Engine(dirs=[str(files(__package__).joinpath("shared", "templates"))])
    return Template(loader.load_unicode(template_path), engine=engine).render(Context(context))


def dom_id(value):
    """A string usable in an HTML id attribute, derived from a usage id."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-") or "block"


def clamp_limits(min_length, max_length):
    """Sanitise OLX-provided limits: 1 <= max <= HARD_MAX_CHARS and 0 <= min <= max."""
    try:
        max_chars = int(max_length)
    except (TypeError, ValueError):
        max_chars = HARD_MAX_CHARS
    max_chars = max(1, min(max_chars, HARD_MAX_CHARS))
    try:
        min_chars = int(min_length)
    except (TypeError, ValueError):
        min_chars = 0
    min_chars = max(0, min(min_chars, max_chars))
    return min_chars, max_chars


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("settings")
class SubmissionXBlockBase(LmsUserMixin, CompletableXBlockMixin, XBlock):
    """Abstract base: a per-learner text with draft/submit, a staff overview and CSV export.

    Not registered as an entry point. Subclasses provide ``display_name``, their
    content fields, ``max_length`` (each with its own default),
    ``TRANSLATIONS_PACKAGE``, ``LOADER``, ``TEMPLATE`` and :meth:`view_context`.
    """

    #: Package holding ``translations/`` (set by subclasses).
    TRANSLATIONS_PACKAGE = None
    #: Field name the JS sends the text in.
    TEXT_FIELD = "text"
    #: ResourceLoader of the block's own module (set by subclasses).
    LOADER = None
    #: The block's own template, relative to its package; it includes the shared parts.
    TEMPLATE = None
    #: The block's own stylesheets and scripts, added after the shared ones.
    CSS = ()
    JS = ()
    #: JavaScript function that initialises the view (the shared form unless the block adds to it).
    JS_INIT = "KulturskoleSubmissionXBlock"

    min_length = Integer(
        display_name="Minimum length", scope=Scope.content, default=0,
        help="Fewest characters a submission must have.",
    )

    draft = String(
        scope=Scope.user_state, default="",
        help="The learner's last saved, possibly unsubmitted, text.",
    )
    submitted_text = String(
        scope=Scope.user_state, default="",
        help="The text the learner last submitted.",
    )
    submitted_at = String(
        scope=Scope.user_state, default="",
        help="When the learner last submitted (ISO 8601, UTC); empty if never.",
    )
    submissions = Dict(
        scope=Scope.user_state_summary, default={},
        help="Submitted texts of all learners for the staff view: {learner_key: {text, submitted_at, ...}}.",
    )

    # ---- services ---------------------------------------------------------------

    def translator(self):
        """The Translator for the current request."""
        return Translator(self.TRANSLATIONS_PACKAGE, self.runtime.service(self, "i18n"))

    # ---- limits and state ----------------------------------------------------------

    def limits(self):
        """(min_chars, max_chars) after sanitising the OLX values."""
        return clamp_limits(getattr(self, "min_length", 0), getattr(self, "max_length", HARD_MAX_CHARS))

    def summary_extra(self):
        """Extra per-learner values stored with a submission (subclasses add to it)."""
        return {}

    def summary_entry(self):
        """The summary value describing the current learner's submission."""
        entry = {"text": self.submitted_text, "submitted_at": self.submitted_at}
        entry.update(self.summary_extra())
        return entry

    def sync_submission_summary(self):
        """Make the shared summary match this learner's submission (self-healing after races)."""
        if not self.submitted_at:
            return
        key = self.learner_key()
        entry = self.summary_entry()
        if self.submissions.get(key) != entry:
            updated = dict(self.submissions)
            updated[key] = entry
            self.submissions = updated

    def status_message(self, translate, zone):
        """The learner's current status as one sentence (text, never colour alone)."""
        if self.submitted_at:
            when = format_datetime(self.submitted_at, translate, zone)
            if self.draft != self.submitted_text:
                return translate("Submitted {when}. You have unsubmitted changes.").format(when=when)
            return translate("Submitted {when}.").format(when=when)
        if self.draft:
            return translate("Draft saved. Not submitted yet.")
        return translate("Not submitted yet.")

    def current_text(self):
        """The text to put in the learner's text box."""
        return self.draft if self.draft or not self.submitted_text else self.submitted_text

    def common_labels(self, translate):
        """Labels of the shared form and staff overview templates (``t`` in the context)."""
        return {
            "save_draft": translate("Save draft"),
            "submit": translate("Submit"),
            "staff_heading": translate("Submissions (facilitator view)"),
            "download_csv": translate("Download as CSV"),
            "no_submissions": translate("No submissions yet."),
            "learner": translate("Learner"),
            "submitted": translate("Submitted"),
            "characters": translate("Characters"),
            "text": translate("Text"),
        }

    def common_messages(self, translate):
        """Strings the JavaScript shows (passed as init data; never learner text)."""
        min_chars, max_chars = self.limits()
        return {
            "saving": translate("Saving…"),
            "draftSaved": translate("Draft saved. Not submitted yet."),
            "submitted": translate("Your text has been submitted."),
            "networkError": translate("Could not save. Check your connection and try again."),
            "errorPrefix": translate("Error:"),
            "empty": translate("Write something before you submit."),
            "tooShort": translate("The text is too short: write at least {min} characters.").format(min=min_chars),
            "tooLong": translate("The text is too long: at most {max} characters.").format(max=max_chars),
            "counter": translate("{count} of {max} characters"),
        }

    def limits_text(self, translate):
        """A sentence describing the length limits."""
        min_chars, max_chars = self.limits()
        if min_chars:
            return translate("Write at least {min} and at most {max} characters.").format(
                min=min_chars, max=max_chars)
        return translate("Write at most {max} characters.").format(max=max_chars)

    # ---- staff overview -------------------------------------------------------------

    def staff_rows(self, translate, zone):
        """Submissions for the staff table, newest first, as dicts of display values."""
        rows = []
        for key, entry in self.submissions.items():
            if not isinstance(entry, dict):
                continue
            text = str(entry.get("text", ""))
            row = {
                "learner": self.learner_label(key),
                "submitted_at": str(entry.get("submitted_at", "")),
                "submitted_display": format_datetime(entry.get("submitted_at"), translate, zone),
                "characters": len(text),
                "text": text,
            }
            row.update(self.staff_row_extra(entry, translate))
            rows.append(row)
        rows.sort(key=lambda row: row["submitted_at"], reverse=True)
        return rows

    def staff_row_extra(self, entry, translate):  # pylint: disable=unused-argument
        """Extra display values for one staff table row (subclasses add to it)."""
        return {}

    def staff_extra_columns(self, translate):  # pylint: disable=unused-argument
        """(header, row key) pairs of block-specific columns, after the submission time in table and CSV."""
        return []

    def csv_columns(self, translate):
        """(header, row key) pairs of the CSV export."""
        return [
            (translate("Learner"), "learner"),
            (translate("Submitted (UTC)"), "submitted_at"),
            *self.staff_extra_columns(translate),
            (translate("Characters"), "characters"),
            (translate("Text"), "text"),
        ]

    def staff_context(self, translate, zone):
        """Template context of the staff section; empty dict for non-staff."""
        if not self.user_is_staff():
            return {}
        rows = self.staff_rows(translate, zone)
        extra_columns = self.staff_extra_columns(translate)
        for row in rows:
            # Django templates cannot look a key up by a variable, so the cells come as a list.
            row["extra_cells"] = [row.get(key, "") for _title, key in extra_columns]
        return {
            "is_staff": True,
            "extra_headers": [title for title, _key in extra_columns],
            "rows": rows,
            "count_text": translate("Number of submissions: {count}").format(count=len(rows)),
            "csv_url": self.runtime.handler_url(self, "export_csv"),
        }

    @XBlock.handler
    def export_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """Staff only: all submissions as a CSV file."""
        translate = self.translator()
        if not self.user_is_staff():
            return JsonHandlerError(403, translate("Only course staff can see the submissions.")).get_response()
        zone = self.user_zone()
        columns = self.csv_columns(translate)
        rows = self.staff_rows(translate, zone)
        body = build_csv([title for title, _key in columns], [[row.get(key, "") for _t, key in columns]
                                                               for row in rows])
        filename = re.sub(r"[^A-Za-z0-9_-]+", "_", f"{self.scope_ids.block_type}_submissions") + ".csv"
        response = Response(body=body, content_type="text/csv", charset="utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    # ---- view ------------------------------------------------------------------------

    def view_context(self, translate, zone, base_id):
        """The block's own template context: ``label`` of the text box, optional ``guidance``,
        ``described_by`` (id of the block's text that also describes the box) and its own ``t``."""
        raise NotImplementedError

    def js_messages(self, translate):
        """Strings the block's JavaScript shows (subclasses add to the shared ones)."""
        return self.common_messages(translate)

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The block's own content and the shared text form, plus the submissions overview for staff."""
        translate = self.translator()
        zone = self.user_zone()
        self.sync_submission_summary()
        min_chars, max_chars = self.limits()
        base_id = dom_id(self.scope_ids.usage_id)
        context = {
            "id": base_id,
            "display_name": self.display_name,
            "limits_text": self.limits_text(translate),
            "text": self.current_text(),
            "min_length": min_chars,
            "max_length": max_chars,
            "status": self.status_message(translate, zone),
            "submitted": bool(self.submitted_at),
        }
        own = self.view_context(translate, zone, base_id)
        context.update(own, t={**self.common_labels(translate), **own.get("t", {})})
        context.update(self.staff_context(translate, zone))
        frag = Fragment(render_template(self.LOADER, self.TEMPLATE, context))
        frag.add_css(SHARED.load_unicode("shared/static/css/submission.css"))
        for path in self.CSS:
            frag.add_css(self.LOADER.load_unicode(path))
        frag.add_javascript(SHARED.load_unicode("shared/static/js/submission.js"))
        for path in self.JS:
            frag.add_javascript(self.LOADER.load_unicode(path))
        frag.initialize_js(self.JS_INIT, {
            "minLength": min_chars,
            "maxLength": max_chars,
            "messages": self.js_messages(translate),
        })
        return frag

    @classmethod
    def workbench_scenarios(cls):
        """Scenarios from the block's ``scenarios/*.xml`` for the xblock-sdk workbench."""
        return cls.LOADER.load_scenarios_from_path("scenarios")

    # ---- learner handlers -------------------------------------------------------------

    @json_request_handler
    def save_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save the learner's text without submitting it."""
        translate = self.translator()
        _min_chars, max_chars = self.limits()
        self.draft = require_text(data, self.TEXT_FIELD, translate, max_chars)
        return {
            "ok": True,
            "status": self.status_message(translate, self.user_zone()),
        }

    @json_request_handler
    def submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Submit the learner's text: stored per user, copied to the staff summary, completion published."""
        translate = self.translator()
        min_chars, max_chars = self.limits()
        text = require_text(data, self.TEXT_FIELD, translate, max_chars, min_chars).strip()
        if not text:
            raise JsonHandlerError(400, translate("Write something before you submit."))
        self.draft = text
        self.submitted_text = text
        self.submitted_at = utc_now_iso()
        self.sync_submission_summary()
        self.runtime.publish(self, "completion", {"completion": 1.0})
        return {
            "ok": True,
            "submitted_at": self.submitted_at,
            "status": self.status_message(translate, self.user_zone()),
        }
