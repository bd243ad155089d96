"""Packaging, translations and the workbench pages (Django test client)."""

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
from django.test import Client
from workbench.runtime_util import reset_global_state
from xblock.core import XBlock

from kulturskole_xblocks.homework.block import HomeworkXBlock
from kulturskole_xblocks.msgfmt import PACKAGE_DIR, block_sources, is_current, parse_po, po_files, source_strings
from kulturskole_xblocks.reflection.block import ReflectionXBlock

pytestmark = pytest.mark.filterwarnings("ignore:Runtime.user_id is deprecated")

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = ["reflection", "homework"]


# ---- packaging ---------------------------------------------------------------------------------

def test_entry_points_are_registered():
    """If this broke, Open edX (and Studio's course import) would not find the blocks after
    `pip install`, and every unit using them would fail to load."""
    assert XBlock.load_class("kulturskole_reflection") is ReflectionXBlock
    assert XBlock.load_class("kulturskole_homework") is HomeworkXBlock
    points = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="xblock.v1")}
    assert points["kulturskole_reflection"] == "kulturskole_xblocks.reflection.block:ReflectionXBlock"
    assert points["kulturskole_homework"] == "kulturskole_xblocks.homework.block:HomeworkXBlock"


def test_every_resource_file_is_in_package_data():
    """If this broke, a template, script, stylesheet or translation would be missing from the
    installed package and the block would fail or show English on the LMS."""
    config = tomllib.loads((ROOT / "xblocks" / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kulturskole_xblocks"]
    shipped = {path for pattern in patterns for path in PACKAGE_DIR.glob(pattern) if path.is_file()}
    resources = {
        path for path in PACKAGE_DIR.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }
    assert resources, "no resource files found"
    assert resources - shipped == set()


# ---- translations ------------------------------------------------------------------------------

@pytest.mark.parametrize("block", BLOCKS)
def test_every_ui_string_has_a_norwegian_translation(block):
    """If this broke, some buttons or messages would appear in English to Norwegian learners."""
    po_path = PACKAGE_DIR / block / "translations" / "nb" / "LC_MESSAGES" / "django.po"
    catalog = parse_po(po_path.read_text(encoding="utf-8"))
    used = source_strings(block_sources(PACKAGE_DIR / block))
    assert used, "no translatable strings found"
    missing = sorted(used - set(catalog))
    assert missing == []
    placeholder = re.compile(r"\{[a-z_]+\}")
    for msgid in used:
        assert catalog[msgid].strip(), msgid
        assert sorted(placeholder.findall(catalog[msgid])) == sorted(placeholder.findall(msgid)), msgid


@pytest.mark.parametrize("po_path", po_files(), ids=lambda p: p.parts[-5])
def test_compiled_catalogs_match_po_files(po_path):
    """If this broke, a translation fixed in the .po file would not show until someone ran
    `python -m kulturskole_xblocks.msgfmt` (the committed .mo is what is shipped)."""
    assert is_current(po_path), f"run: python -m kulturskole_xblocks.msgfmt  ({po_path})"


# ---- workbench pages ----------------------------------------------------------------------------

@pytest.fixture
def scenarios(db):  # pylint: disable=unused-argument
    """The workbench scenarios loaded into this test's database."""
    reset_global_state()


def usage_of(html):
    return re.search(r"data-usage='([^']+)'", html).group(1)


def test_workbench_renders_both_scenarios_in_norwegian(client, scenarios):  # pylint: disable=unused-argument
    """If this broke, the blocks could not be tried out or demonstrated in the workbench."""
    index = client.get("/").content.decode()
    assert "/scenario/kulturskole_reflection.0/" in index and "/scenario/kulturskole_homework.0/" in index
    reflection = client.get("/scenario/kulturskole_reflection.0/?student=ola").content.decode()
    assert "Hva overrasket deg i samtalen med kollegaene dine?" in reflection and "Lagre utkast" in reflection
    homework = client.get("/scenario/kulturskole_homework.0/?student=ola").content.decode()
    assert "Stegene i aksjonslæringen" in homework and "Frist:" in homework
    assert 'class="ks-staff"' not in reflection + homework
    staff = client.get("/scenario/kulturskole_reflection.0/?student=staff").content.decode()
    assert "Innleveringer (fasilitatorvisning)" in staff


def test_handlers_need_the_csrf_token_the_runtime_sends(scenarios):  # pylint: disable=unused-argument
    """If this broke, saving from the browser would fail with 403 (or the handlers would accept
    forged cross-site posts)."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/scenario/kulturskole_reflection.0/?student=kari").content.decode()
    url = f"/handler/{usage_of(page)}/submit/?student=kari"
    payload = '{"text": "En refleksjon som er lang nok."}'
    assert client.post(url, payload, content_type="application/json").status_code == 403
    token = client.cookies["csrftoken"].value
    response = client.post(url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["ok"] is True
    page = client.get("/scenario/kulturskole_reflection.0/?student=kari").content.decode()
    assert "En refleksjon som er lang nok." in page


def test_learner_html_is_escaped_in_the_full_workbench_page(scenarios):  # pylint: disable=unused-argument
    """If this broke, a learner's text could inject script into the page the facilitator opens."""
    client = Client()
    page = client.get("/scenario/kulturskole_reflection.0/?student=kari").content.decode()
    url = f"/handler/{usage_of(page)}/submit/?student=kari"
    evil = "</textarea></script><script>alert(1)</script> ferdig tekst"
    assert client.post(url, f'{{"text": "{evil}"}}', content_type="application/json").status_code == 200
    for student in ("kari", "staff"):
        page = client.get(f"/scenario/kulturskole_reflection.0/?student={student}").content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;/textarea&gt;&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
