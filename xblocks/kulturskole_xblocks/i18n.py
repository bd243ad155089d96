"""Translations of the blocks' texts.

Source strings are English and are translated at render time. :class:`Translator`
asks the runtime's ``i18n`` service for the active language and looks the string up
in the block's own bundled catalog
(``kulturskole_xblocks/<block>/translations/<locale>/LC_MESSAGES/django.mo``) first,
then in the ``i18n`` service. The order matters in the LMS: its
``XBlockI18nService`` only finds bundled catalogs at
``<root package>/translations/<locale>/LC_MESSAGES/text.mo`` (here the root package
would be ``kulturskole_xblocks``, shared by both blocks) and otherwise falls back to
the platform's own Django catalog, which would give accidental and inconsistent
wording. Norwegian bokmål is the default: every language that is not English
(including none at all) gets the ``nb`` catalog.
"""

import gettext as gettext_module
from importlib.resources import files

#: Default language when the runtime reports none or one we do not ship.
DEFAULT_LANGUAGE = "nb"


def _(text):
    """Mark a string for translation without translating it (for tables built at import time)."""
    return text


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
