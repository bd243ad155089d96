"""Machinery shared by the kulturskole XBlocks (reflection and homework).

Both blocks let a learner write a text, keep it as a draft, submit it, and let the
facilitator (course staff) read every submission. This module holds the parts
that are identical for the two blocks:

Translations
    Source strings are English and are translated at render time.
    :class:`Translator` asks the runtime's ``i18n`` service for the active
    language and looks the string up in the block's own bundled catalog
    (``xblocks/<block>/translations/<locale>/LC_MESSAGES/django.mo``) first, then
    in the ``i18n`` service. The order matters in the LMS: its
    ``XBlockI18nService`` only finds bundled catalogs at
    ``<root package>/translations/<locale>/LC_MESSAGES/text.mo`` (here the root
    package would be ``xblocks``, shared by both blocks) and otherwise falls back
    to the platform's own Django catalog, which would give accidental and
    inconsistent wording. Norwegian bokmål is the default: every language that is
    not English (including none at all) gets the ``nb`` catalog.

Views
    Both views render the same text form and facilitator overview: the
    templates ``shared/templates/submission_form.html`` and
    ``staff_overview.html``, which each block's own template includes, and the
    stylesheet and script in ``shared/static/``, which
    :meth:`SubmissionXBlockBase.student_view` adds before the block's own.
    Subclasses only supply their own context (:meth:`view_context`), resources
    and, for homework, extra staff columns.

Request validation
    :func:`json_request_handler` replaces ``XBlock.json_handler``. It only accepts
    POST, refuses bodies larger than :data:`MAX_BODY_BYTES` before reading them
    (HTTP 413), decodes UTF-8 and JSON (HTTP 400) and requires a JSON object
    (HTTP 400). Handlers then check types and lengths with :func:`require_text`
    and friends, which raise ``JsonHandlerError`` with a translated message, so
    the learner sees "the text is too long" rather than a stack trace.

Who is staff
    :meth:`SubmissionXBlockBase.user_is_staff` checks, in this order:

    1. the LMS user service: ``opt_attrs["edx-platform.user_is_staff"]`` (what
       current edx-platform releases provide through ``DjangoXBlockUserService``);
    2. ``runtime.user_is_staff`` (the attribute older LMS runtimes set);
    3. the xblock-sdk workbench, which has no notion of staff at all: any
       ``?student=<id>`` is accepted. There the user ids listed in the Django
       setting ``XBLOCK_SETTINGS["kulturskole_xblocks"]["workbench_staff_user_ids"]``
       (default ``["staff"]``) count as staff, read through the workbench's
       ``settings`` service. This branch is only taken when the user service is
       the workbench's (its user carries ``opt_attrs["xblock-workbench.user_id"]``),
       so the setting can never grant anything in the LMS.

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

import csv
import gettext as gettext_module
import io
import json
import re
from datetime import datetime, timezone
from functools import wraps
from importlib.resources import files
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.template import Context, Engine, Template
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Dict, Integer, Scope, String
from xblock.utils.resources import ResourceLoader

#: Largest request body a handler reads at all (bytes). A maximal text
#: (HARD_MAX_CHARS characters, JSON-escaped at worst 6 bytes each) fits.
MAX_BODY_BYTES = 64 * 1024
#: Upper bound for any configured max_length, whatever the OLX says.
HARD_MAX_CHARS = 10000
#: Default language when the runtime reports none or one we do not ship.
DEFAULT_LANGUAGE = "nb"
#: Shown when the learner has no time zone preference.
DEFAULT_TIME_ZONE = "Europe/Oslo"

# Keys of XBlockUser.opt_attrs set by edx-platform's DjangoXBlockUserService
# (common/djangoapps/xblock_django/constants.py) and by the sdk workbench.
ATTR_ANONYMOUS_USER_ID = "edx-platform.anonymous_user_id"
ATTR_USER_IS_STAFF = "edx-platform.user_is_staff"
ATTR_USER_PREFERENCES = "edx-platform.user_preferences"
ATTR_WORKBENCH_USER_ID = "xblock-workbench.user_id"

SETTINGS_BUCKET = "kulturskole_xblocks"
WORKBENCH_STAFF_SETTING = "workbench_staff_user_ids"
DEFAULT_WORKBENCH_STAFF = ("staff",)

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# C0 control characters other than tab and newline are dropped from learner text.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


#: Resources of the ``xblocks`` package itself: the shared parts live in ``shared/``.
SHARED = ResourceLoader(__name__)


def _(text):
    """Mark a string for translation without translating it (for tables built at import time)."""
    return text


# --------------------------------------------------------------------------------------
# Translation
# --------------------------------------------------------------------------------------

_CATALOGS = {}


def resolve_language(code):
    """Map a Django language code to the catalog we ship: "en" (source strings) or "nb"."""
    if code and str(code).lower().replace("_", "-").split("-")[0] == "en":
        return "en"
    return DEFAULT_LANGUAGE


def load_catalog(package, language):
    """Return the bundled GNU gettext catalog of ``package`` for ``language``, or None."""
    key = (package, language)
    if key not in _CATALOGS:
        localedir = str(files(package).joinpath("translations"))
        try:
            _CATALOGS[key] = gettext_module.translation("django", localedir, languages=[language])
        except OSError:
            _CATALOGS[key] = None
    return _CATALOGS[key]


def active_language(i18n_service):
    """The language the runtime is rendering in, or None when it cannot tell."""
    getter = getattr(i18n_service, "get_language", None) if i18n_service is not None else None
    try:
        if getter is None:
            from django.utils import translation  # pylint: disable=import-outside-toplevel
            getter = translation.get_language
        return getter()
    except Exception:  # pylint: disable=broad-except
        # Django not configured (plain unit-test runtime): use the default.
        return None


class Translator:
    """gettext for one block and one request: bundled catalog first, then the i18n service."""

    def __init__(self, package, i18n_service):
        self.service = i18n_service
        self.language = resolve_language(active_language(i18n_service))
        self.catalog = None if self.language == "en" else load_catalog(package, self.language)

    def gettext(self, message):
        """Translate ``message`` (an English source string)."""
        if self.catalog is not None:
            translated = self.catalog.gettext(message)
            if translated != message:
                return translated
        service_gettext = getattr(self.service, "gettext", None)
        if service_gettext is not None:
            try:
                return service_gettext(message)
            except Exception:  # pylint: disable=broad-except
                return message
        return message

    __call__ = gettext


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

def utc_now_iso():
    """Current time as an ISO 8601 string in UTC, seconds precision."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def parse_iso(value):
    """Parse an ISO 8601 string (``Z`` allowed); None when empty or invalid."""
    if isinstance(value, datetime):
        parsed = value
    elif not value:
        return None
    else:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def get_zone(name):
    """ZoneInfo for ``name``; the default zone (or UTC) when unknown."""
    for candidate in (name, DEFAULT_TIME_ZONE):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return timezone.utc


def format_datetime(value, translate, zone):
    """Human date and time in the learner's zone, e.g. "12.01.2026 kl. 18:00 (CET)"."""
    moment = parse_iso(value)
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    text = translate("{date} at {time}").format(
        date=local.strftime(translate("%Y-%m-%d")),
        time=local.strftime("%H:%M"),
    )
    abbreviation = local.tzname()
    return f"{text} ({abbreviation})" if abbreviation else text


# --------------------------------------------------------------------------------------
# Request validation
# --------------------------------------------------------------------------------------

def read_json_object(request, translate):
    """Read a capped request body and return the JSON object in it (400/413 otherwise)."""
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        raise JsonHandlerError(413, translate("The request is too large."))
    raw = request.body_file.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise JsonHandlerError(413, translate("The request is too large."))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise JsonHandlerError(400, translate("The request must be UTF-8 encoded.")) from err
    try:
        data = json.loads(text)
    except ValueError as err:
        raise JsonHandlerError(400, translate("Invalid JSON.")) from err
    if not isinstance(data, dict):
        raise JsonHandlerError(400, translate("The request must be a JSON object."))
    return data


def json_response(payload, status=200):
    """A JSON webob Response."""
    return Response(json.dumps(payload), status=status, content_type="application/json", charset="utf-8")


def json_request_handler(func):
    """Decorate ``func(self, data, suffix)`` as a capped, validated JSON POST handler.

    Like ``XBlock.json_handler``, but the body size is limited before parsing and
    every error message goes through the block's translator.
    """
    @XBlock.handler
    @wraps(func)
    def wrapper(self, request, suffix=""):
        translate = self.translator()
        try:
            if request.method != "POST":
                raise JsonHandlerError(405, translate("Only POST requests are allowed."))
            data = read_json_object(request, translate)
            result = func(self, data, suffix)
        except JsonHandlerError as err:
            response = err.get_response()
            if err.status_code == 405:
                response.headers["Allow"] = "POST"
            return response
        return json_response(result)
    return wrapper


def clean_text(text):
    """Normalise newlines and drop control characters (tab and newline are kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS.sub("", text)


def require_text(data, field, translate, max_chars, min_chars=0):
    """Return ``data[field]`` as cleaned text, enforcing type (400) and length (413/400)."""
    value = data.get(field)
    if not isinstance(value, str):
        raise JsonHandlerError(400, translate('The field "{field}" must be text.').format(field=field))
    value = clean_text(value)
    if len(value) > max_chars:
        raise JsonHandlerError(
            413, translate("The text is too long: at most {max} characters.").format(max=max_chars))
    if min_chars and len(value.strip()) < min_chars:
        raise JsonHandlerError(
            400, translate("The text is too short: write at least {min} characters.").format(min=min_chars))
    return value


def require_bool(data, field, translate):
    """Return ``data[field]``, which must be a JSON boolean (400 otherwise)."""
    value = data.get(field)
    if not isinstance(value, bool):
        raise JsonHandlerError(400, translate('The field "{field}" must be true or false.').format(field=field))
    return value


def require_int(data, field, translate):
    """Return ``data[field]``, which must be a JSON integer (400 otherwise; booleans rejected)."""
    value = data.get(field)
    if isinstance(value, bool) or not isinstance(value, int):
        raise JsonHandlerError(400, translate('The field "{field}" must be a whole number.').format(field=field))
    return value


# --------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------

def csv_safe(value):
    """Neutralise a cell a spreadsheet would run as a formula by prefixing an apostrophe."""
    text = "" if value is None else str(value)
    if text.lstrip(" ").startswith(CSV_FORMULA_PREFIXES):
        return "'" + text
    return text


def build_csv(header, rows):
    """UTF-8 CSV (with BOM so spreadsheet programs detect the encoding), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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


# --------------------------------------------------------------------------------------
# Base block
# --------------------------------------------------------------------------------------

@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("settings")
class SubmissionXBlockBase(CompletableXBlockMixin, XBlock):
    """Abstract base: a per-learner text with draft/submit, a staff overview and CSV export.

    Not registered as an entry point. Subclasses provide ``display_name``, their
    content fields, ``max_length`` (each with its own default),
    ``TRANSLATIONS_PACKAGE``, ``LOADER``, ``TEMPLATE`` and :meth:`view_context`.
    """

    #: Key of the XBLOCK_SETTINGS bucket read through the ``settings`` service.
    block_settings_key = SETTINGS_BUCKET
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

    def _current_user(self):
        """The XBlockUser of the current request, or None."""
        service = self.runtime.service(self, "user")
        if service is None:
            return None
        try:
            return service.get_current_user()
        except Exception:  # pylint: disable=broad-except
            return None

    def _workbench_staff_ids(self):
        service = self.runtime.service(self, "settings")
        bucket = {}
        if service is not None:
            try:
                bucket = service.get_settings_bucket(self, default={}) or {}
            except Exception:  # pylint: disable=broad-except
                bucket = {}
        ids = bucket.get(WORKBENCH_STAFF_SETTING, DEFAULT_WORKBENCH_STAFF)
        return {str(uid) for uid in ids}

    def user_is_staff(self):
        """True for course staff (the facilitator); see the module docstring."""
        user = self._current_user()
        attrs = getattr(user, "opt_attrs", None) or {}
        if ATTR_USER_IS_STAFF in attrs:
            return bool(attrs[ATTR_USER_IS_STAFF])
        runtime_flag = getattr(self.runtime, "user_is_staff", None)
        if isinstance(runtime_flag, bool):
            return runtime_flag
        if ATTR_WORKBENCH_USER_ID in attrs:
            user_id = self.scope_ids.user_id
            return user_id is not None and str(user_id) in self._workbench_staff_ids()
        return False

    def learner_key(self):
        """Stable key of the current learner in the ``submissions`` summary."""
        user = self._current_user()
        attrs = getattr(user, "opt_attrs", None) or {}
        anonymous_id = attrs.get(ATTR_ANONYMOUS_USER_ID)
        if anonymous_id:
            return str(anonymous_id)
        return str(self.scope_ids.user_id)

    def learner_label(self, key):
        """Readable name for a summary key (username in the LMS, the key itself elsewhere)."""
        service = self.runtime.service(self, "user")
        lookup = getattr(service, "get_user_by_anonymous_id", None)
        if lookup is not None:
            try:
                user = lookup(key)
            except Exception:  # pylint: disable=broad-except
                user = None
            username = getattr(user, "username", None)
            if username:
                return str(username)
        return str(key)

    def user_zone(self):
        """The learner's time zone preference (LMS), else Europe/Oslo."""
        user = self._current_user()
        attrs = getattr(user, "opt_attrs", None) or {}
        preferences = attrs.get(ATTR_USER_PREFERENCES) or {}
        return get_zone(preferences.get("time_zone") if isinstance(preferences, dict) else None)

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
