"""Who the current user is: staff or learner, their key, name and time zone.

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
"""

from kulturskole_xblocks.dates import get_zone

# Keys of XBlockUser.opt_attrs set by edx-platform's DjangoXBlockUserService
# (common/djangoapps/xblock_django/constants.py) and by the sdk workbench.
ATTR_ANONYMOUS_USER_ID = "edx-platform.anonymous_user_id"
ATTR_USER_IS_STAFF = "edx-platform.user_is_staff"
ATTR_USER_PREFERENCES = "edx-platform.user_preferences"
ATTR_WORKBENCH_USER_ID = "xblock-workbench.user_id"

SETTINGS_BUCKET = "kulturskole_xblocks"
WORKBENCH_STAFF_SETTING = "workbench_staff_user_ids"
DEFAULT_WORKBENCH_STAFF = ("staff",)


class LmsUserMixin:
    """Reads the runtime's ``user`` and ``settings`` services (the block declares it wants them)."""

    #: Key of the XBLOCK_SETTINGS bucket read through the ``settings`` service.
    block_settings_key = SETTINGS_BUCKET

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
