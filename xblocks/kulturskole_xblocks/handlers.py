"""Capped, validated JSON handlers.

:func:`json_request_handler` replaces ``XBlock.json_handler``. It only accepts POST,
refuses bodies larger than :data:`MAX_BODY_BYTES` before reading them (HTTP 413),
decodes UTF-8 and JSON (HTTP 400) and requires a JSON object (HTTP 400). Handlers
then check types and lengths with :func:`require_text` and friends, which raise
``JsonHandlerError`` with a translated message, so the learner sees "the text is too
long" rather than a stack trace.
"""

import json
import re
from functools import wraps

from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

#: Largest request body a handler reads at all (bytes). A maximal text
#: (HARD_MAX_CHARS characters, JSON-escaped at worst 6 bytes each) fits.
MAX_BODY_BYTES = 64 * 1024

# C0 control characters other than tab and newline are dropped from learner text.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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
