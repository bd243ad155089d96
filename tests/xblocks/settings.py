"""Django settings for the XBlock tests: the xblock-sdk workbench with in-memory state.

Also usable to try the blocks by hand (from the repository root)::

    DJANGO_SETTINGS_MODULE=tests.xblocks.settings python -m django migrate --run-syncdb
    DJANGO_SETTINGS_MODULE=tests.xblocks.settings python -m django runserver 127.0.0.1:8000

(with an in-memory database the state is gone when the server stops; set
``WORKBENCH_DATABASES`` to keep it). ``?student=staff`` shows the facilitator view.
"""

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# The workbench logs to var/workbench.log relative to the cwd; keep the tests off the disk.
LOGGING = {"version": 1, "disable_existing_loggers": False}

# The blocks' default language. Django itself has no "nb" catalog of its own
# for our strings; the blocks bring theirs (xblocks/kulturskole_xblocks/<block>/translations/).
LANGUAGE_CODE = "nb"

# Who counts as staff in the workbench (it has no notion of staff; see xblocks/kulturskole_xblocks/users.py).
XBLOCK_SETTINGS = {"kulturskole_xblocks": {"workbench_staff_user_ids": ["staff", "fasilitator"]}}

# Only our blocks' scenarios matter here; the sdk's sample blocks stay out of the index.
EXCLUDED_XBLOCKS = {
    "allscopes_demo", "attempts_scoreboard_demo", "equality_demo", "filethumbs", "helloworld_demo",
    "html_demo", "problem_demo", "sidebar_demo", "slider_demo", "textinput_demo", "thumbs",
    "view_counter_demo",
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
