"""Fixtures for the XBlock tests (xblock-sdk workbench + pytest-django).

Django is configured here and not in setup.cfg, so the rest of the repository's
test-suite does not depend on Django or xblock-sdk: the settings module is only
chosen when this directory is collected. This directory deliberately has no
``__init__.py``: with one, pytest would import it as a package ``xblocks``.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.xblocks.settings")
# Playwright's sync API keeps an asyncio loop running in the test thread, and Django then refuses
# database calls there (SynchronousOnlyOperation). This is Django's documented escape hatch, set for the
# whole process when this folder is collected (only these tests use Django): under pytest-xdist a
# worker that ran another folder's browser tests first still has the session browser's loop, and
# pytest-django's session-wide test database set-up (django_db_setup, before any module fixture) then
# failed for all 28 XBlock tests that touch the database.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import django  # noqa: E402  pylint: disable=wrong-import-position

django.setup()

from workbench.runtime import WorkbenchRuntime  # noqa: E402  pylint: disable=wrong-import-position
from workbench.runtime_util import reset_global_state  # noqa: E402  pylint: disable=wrong-import-position

from tests.xblocks.helpers import Published  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture
def published(monkeypatch):
    """Capture every runtime.publish (completion events) of every WorkbenchRuntime."""
    recorder = Published()
    monkeypatch.setattr(WorkbenchRuntime, "publish", lambda self, block, kind, data: recorder(block, kind, data))
    return recorder


@pytest.fixture
def parse(db):  # pylint: disable=unused-argument
    """parse(olx, user) -> block: parse OLX as the compiler emits it and load it for ``user``."""
    def _parse(olx, user="alice"):
        runtime = WorkbenchRuntime(user)
        usage_id = runtime.parse_xml_string(olx)
        return runtime.get_block(usage_id)
    return _parse


@pytest.fixture
def workbench_scenarios(transactional_db):  # pylint: disable=unused-argument
    """Load the workbench scenarios into the (fresh) test database."""
    reset_global_state()
    yield
