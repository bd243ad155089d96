"""Reflection XBlock: OLX round trip, handlers, per-user state, staff overview, CSV, escaping."""

import csv
import io
import json
from io import BytesIO

import pytest
from django.utils import translation
from lxml import etree
from workbench.runtime import WorkbenchRuntime

from tests.xblocks.helpers import REFLECTION_OLX, as_user, call, view_html
from kulturskole_xblocks.handlers import MAX_BODY_BYTES
from kulturskole_xblocks.submission import HARD_MAX_CHARS

pytestmark = pytest.mark.filterwarnings("ignore:Runtime.user_id is deprecated")

VALID = "Jeg la merke til at elevene lyttet mer."
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'

# The exact tag the course compiler emits (inline in a vertical).
COMPILER_TAG = (
    '<kulturskole_reflection url_name="week1_reflection" xblock-family="xblock.v1" '
    'display_name="Refleksjon: samling 1" prompt="Hva &lt;b&gt;overrasket&lt;/b&gt; deg? «Sitat» &amp; æøå" '
    'guidance="Tenk på én situasjon.&#10;Skriv fritt." min_length="100" max_length="1200"/>'
)
EXPECTED_FIELDS = {
    "display_name": "Refleksjon: samling 1",
    "prompt": "Hva <b>overrasket</b> deg? «Sitat» & æøå",
    "guidance": "Tenk på én situasjon.\nSkriv fritt.",
    "min_length": 100,
    "max_length": 1200,
}


def export(block):
    """export_to_xml -> the root element."""
    out = BytesIO()
    block.runtime.export_to_xml(block, out)
    return etree.fromstring(out.getvalue())


def body(payload):
    return json.dumps(payload)


# ---- OLX -----------------------------------------------------------------------------------------

def test_compiler_tag_round_trips_through_parse_and_export(parse):
    """If this broke, a course built by the compiler would import into Open edX with wrong or
    missing prompts and limits, or a re-export from Studio would change the course."""
    block = parse(COMPILER_TAG)
    assert {name: getattr(block, name) for name in EXPECTED_FIELDS} == EXPECTED_FIELDS

    node = export(block)
    assert node.tag == "kulturskole_reflection"
    assert node.get("xblock-family") == "xblock.v1"
    assert {name: node.get(name) for name in EXPECTED_FIELDS} == {
        name: str(value) for name, value in EXPECTED_FIELDS.items()}
    # Learner state never ends up in the OLX.
    for private in ("draft", "submitted_text", "submitted_at", "submissions"):
        assert node.get(private) is None

    again = parse(etree.tostring(node))
    assert {name: getattr(again, name) for name in EXPECTED_FIELDS} == EXPECTED_FIELDS


def test_minimal_tag_uses_norwegian_defaults(parse):
    """If this broke, a reflection the compiler emits without optional attributes would show
    English or empty text to Norwegian learners."""
    block = parse('<kulturskole_reflection url_name="r" xblock-family="xblock.v1"/>')
    html = view_html(block)
    assert "Refleksjon" in html and "Hva har du lært?" in html
    assert "Skriv høyst 2000 tegn." in html


# ---- handlers --------------------------------------------------------------------------------------

def test_submit_valid_text_saves_and_publishes_completion(parse, published):
    """If this broke, a learner's submitted reflection would be lost or the unit would never be
    marked complete in the course outline."""
    block = parse(REFLECTION_OLX)
    response = call(block, "submit", body({"text": "  " + VALID + "  "}))
    assert response.status_code == 200
    data = response.json
    assert data["ok"] is True and data["status"].startswith("Levert ")
    fresh = as_user(block, "alice")
    assert fresh.submitted_text == VALID and fresh.submitted_at
    assert published.of_type("completion") == [{"completion": 1.0}]


def test_save_draft_keeps_text_without_completing(parse, published):
    """If this broke, a learner's half-written reflection would vanish on reload, or saving a
    draft would already count as done."""
    block = parse(REFLECTION_OLX)
    response = call(block, "save_draft", body({"text": "Halvferdig"}))
    assert response.status_code == 200
    assert "Utkastet er lagret" in response.json["status"]
    fresh = as_user(block, "alice")
    assert fresh.draft == "Halvferdig" and fresh.submitted_text == ""
    assert published.of_type("completion") == []
    assert "Halvferdig" in view_html(fresh)


def test_too_long_text_is_rejected_with_413(parse):
    """If this broke, learners could store texts longer than the course allows (or the server
    would accept arbitrarily large texts)."""
    block = parse(REFLECTION_OLX)  # max_length="200"
    response = call(block, "submit", body({"text": "x" * 201}))
    assert response.status_code == 413
    assert response.json["error"] == "Teksten er for lang: høyst 200 tegn."
    assert call(block, "save_draft", body({"text": "x" * 201})).status_code == 413
    assert as_user(block, "alice").submitted_text == ""


def test_oversized_body_is_refused_before_parsing(parse):
    """If this broke, anyone could make the server read and parse megabytes per request."""
    block = parse(REFLECTION_OLX)
    huge = b'{"text": "' + b"x" * MAX_BODY_BYTES + b'"}'
    assert call(block, "submit", huge).status_code == 413
    # A lying Content-Length is refused as well, without reading the body.
    response = call(block, "submit", b"{}", headers={"Content-Type": "application/json",
                                                       "Content-Length": str(MAX_BODY_BYTES + 1)})
    assert response.status_code == 413


def test_configured_max_length_is_capped(parse):
    """If this broke, a typo in the course source (max_length=10000000) would let one learner
    store megabytes of text."""
    block = parse('<kulturskole_reflection max_length="10000000"/>')
    assert block.limits() == (0, HARD_MAX_CHARS)
    assert call(block, "submit", body({"text": "x" * (HARD_MAX_CHARS + 1)})).status_code == 413


def test_too_short_text_is_rejected_with_400(parse):
    """If this broke, learners could hand in a one-word reflection where the course asks for more."""
    block = parse(REFLECTION_OLX)  # min_length="10"
    response = call(block, "submit", body({"text": "   kort   "}))
    assert response.status_code == 400
    assert response.json["error"] == "Teksten er for kort: skriv minst 10 tegn."
    # A draft may be short.
    assert call(block, "save_draft", body({"text": "kort"})).status_code == 200


@pytest.mark.parametrize("payload", [
    {"text": 42}, {"text": None}, {"text": ["a"]}, {"text": {"a": 1}}, {}, {"tekst": "feil felt"},
])
def test_wrong_type_is_rejected_with_400(parse, payload):
    """If this broke, a wrong request (or a tampered one) could crash the handler or store
    something that is not text."""
    block = parse(REFLECTION_OLX)
    for handler in ("submit", "save_draft"):
        response = call(block, handler, body(payload))
        assert response.status_code == 400, handler
        assert response.json["error"] == 'Feltet «text» må være tekst.'
    assert as_user(block, "alice").draft == ""


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]", b'"text"', b"\xff\xfe{}"])
def test_malformed_body_is_rejected_with_400(parse, raw):
    """If this broke, broken requests would give a server error (500) instead of a clear message."""
    block = parse(REFLECTION_OLX)
    response = call(block, "submit", raw)
    assert response.status_code == 400
    assert response.json["error"]


def test_get_is_not_allowed(parse):
    """If this broke, a link (GET) could change a learner's state."""
    block = parse(REFLECTION_OLX)
    response = call(block, "submit", method="GET")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_control_characters_are_dropped_and_newlines_normalised(parse):
    """If this broke, pasted text with odd control characters could break the CSV export or
    the staff table."""
    block = parse(REFLECTION_OLX)
    call(block, "submit", body({"text": "Linje én\r\nLinje to\x00\x07 ferdig"}))
    assert as_user(block, "alice").submitted_text == "Linje én\nLinje to ferdig"


# ---- per user, staff, CSV -----------------------------------------------------------------------

def test_learners_never_see_each_others_text(parse):
    """If this broke, one learner could read another learner's private reflection."""
    alice = parse(REFLECTION_OLX, user="alice")
    call(alice, "submit", body({"text": "Alices hemmelige refleksjon"}))
    bob = as_user(alice, "bob")
    call(bob, "save_draft", body({"text": "Bobs utkast"}))

    bob_html = view_html(as_user(alice, "bob"))
    assert "Alices hemmelige refleksjon" not in bob_html and "Bobs utkast" in bob_html
    alice_html = view_html(as_user(alice, "alice"))
    assert "Bobs utkast" not in alice_html and "Alices hemmelige refleksjon" in alice_html
    # Neither learner gets the facilitator overview.
    assert "ks-staff" not in bob_html and "ks-staff" not in alice_html


def test_staff_view_lists_submissions_but_not_drafts(parse):
    """If this broke, the facilitator could not read the group's reflections before the
    gathering, or would see drafts learners have not handed in."""
    alice = parse(REFLECTION_OLX, user="alice")
    call(alice, "submit", body({"text": "Alices levering her"}))
    call(as_user(alice, "bob"), "save_draft", body({"text": "Bobs private utkast"}))

    staff_html = view_html(as_user(alice, "staff"))
    assert "Innleveringer (fasilitatorvisning)" in staff_html
    assert "Antall innleveringer: 1" in staff_html
    assert "Alices levering her" in staff_html and ">alice<" in staff_html
    assert "Bobs private utkast" not in staff_html
    assert "export_csv" in staff_html


def test_non_staff_cannot_download_csv(parse):
    """If this broke, any learner could download everybody's reflections."""
    alice = parse(REFLECTION_OLX, user="alice")
    call(alice, "submit", body({"text": VALID}))
    response = call(as_user(alice, "bob"), "export_csv", method="GET")
    assert response.status_code == 403
    assert VALID not in response.text


def test_csv_download_has_submissions_and_neutralises_formulas(parse):
    """If this broke, the facilitator's spreadsheet would miss reflections, or opening it could
    run a formula a learner typed (CSV injection)."""
    block = parse('<kulturskole_reflection max_length="500"/>', user="alice")
    texts = {
        "alice": '=HYPERLINK("http://evil.example","klikk")',
        "bob": "+47 er landkoden, sa han",
        "carol": "-sånn gikk det",
        "dave": "@SUM(A1:A2)",
        "erin": "   =1+1 etter mellomrom",
        "frank": "\t=tab først",
        "gina": 'Vanlig tekst, med komma og "sitat"\nog ny linje',
    }
    for user, text in texts.items():
        assert call(as_user(block, user), "submit", body({"text": text})).status_code == 200

    response = call(as_user(block, "staff"), "export_csv", method="GET")
    assert response.status_code == 200
    assert response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert rows[0] == ["Deltaker", "Levert (UTC)", "Tegn", "Tekst"]
    by_learner = {row[0]: row for row in rows[1:]}
    assert set(by_learner) == set(texts)
    # strip() happens on submit, so "   =1+1" is stored as "=1+1 etter mellomrom".
    assert by_learner["alice"][3] == "'" + texts["alice"]
    assert by_learner["bob"][3] == "'" + texts["bob"]
    assert by_learner["carol"][3] == "'" + texts["carol"]
    assert by_learner["dave"][3] == "'" + texts["dave"]
    assert by_learner["erin"][3] == "'=1+1 etter mellomrom"
    assert by_learner["frank"][3] == "'=tab først"
    assert by_learner["gina"][3] == texts["gina"]
    assert by_learner["gina"][2] == str(len(texts["gina"]))
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))


def test_html_in_learner_text_is_escaped_in_every_view(parse, client):
    """If this broke, a learner could run JavaScript in the facilitator's browser (stored XSS)."""
    alice = parse(REFLECTION_OLX, user="alice")
    assert call(alice, "submit", body({"text": EVIL})).status_code == 200
    call(as_user(alice, "alice"), "save_draft", body({"text": EVIL + " utkast"}))

    for user in ("alice", "staff"):
        html = view_html(as_user(alice, user))
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    staff_html = view_html(as_user(alice, "staff"))
    assert staff_html.count("&lt;img src=x onerror=alert(1)&gt;") == 1  # the table, not the textarea

    # The JSON handler answers never contain raw HTML either way (served as JSON).
    response = call(as_user(alice, "alice"), "save_draft", body({"text": EVIL}))
    assert response.content_type == "application/json"


def test_author_fields_are_escaped(parse):
    """If this broke, a prompt with markup from the course source would be interpreted as HTML."""
    block = parse('<kulturskole_reflection display_name="&lt;i&gt;Tittel&lt;/i&gt;" '
                  'prompt="&lt;script&gt;x()&lt;/script&gt;" guidance="&lt;b&gt;fet&lt;/b&gt;"/>')
    html = view_html(block)
    assert "<script>x()" not in html and "<b>fet" not in html and "<i>Tittel" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


def test_summary_heals_when_an_entry_was_lost(parse):
    """If this broke, a submission lost to a concurrent write would stay missing from the
    facilitator's list even after the learner comes back."""
    alice = parse(REFLECTION_OLX, user="alice")
    call(alice, "submit", body({"text": VALID}))
    staff = as_user(alice, "staff")
    staff.submissions = {}
    staff.save()
    assert VALID not in view_html(as_user(alice, "staff"))
    view_html(as_user(alice, "alice"))  # the learner opens the unit again
    assert VALID in view_html(as_user(alice, "staff"))


# ---- staff detection in the LMS ---------------------------------------------------------------------

class FakeLmsUser:
    """What edx-platform's DjangoXBlockUserService returns."""

    def __init__(self, is_staff, anonymous_id):
        self.opt_attrs = {"edx-platform.user_is_staff": is_staff,
                          "edx-platform.anonymous_user_id": anonymous_id,
                          "edx-platform.user_preferences": {"time_zone": "UTC"}}


class FakeLmsUserService:
    def __init__(self, is_staff, anonymous_id):
        self.user = FakeLmsUser(is_staff, anonymous_id)

    def get_current_user(self):
        return self.user

    @staticmethod
    def get_user_by_anonymous_id(uid):
        return type("User", (), {"username": f"user-for-{uid}"})() if uid == "anon-1" else None


def lms_block(block, user_id, is_staff, anonymous_id):
    runtime = WorkbenchRuntime(user_id)
    runtime._services["user"] = FakeLmsUserService(is_staff, anonymous_id)  # pylint: disable=protected-access
    return runtime.get_block(block.scope_ids.usage_id)


def test_lms_staff_flag_and_anonymous_ids_are_used(parse):
    """If this broke, in the LMS the facilitator would not get the overview (or a learner would),
    and submissions would be keyed by internal user ids instead of anonymous ids."""
    block = parse(REFLECTION_OLX)
    learner = lms_block(block, "17", is_staff=False, anonymous_id="anon-1")
    call(learner, "submit", body({"text": VALID}))
    assert "anon-1" in as_user(block, "staff").submissions

    # A learner whose workbench-style id happens to be "staff" is still not staff in the LMS.
    impostor = lms_block(block, "staff", is_staff=False, anonymous_id="anon-2")
    assert not impostor.user_is_staff()
    assert call(impostor, "export_csv", method="GET").status_code == 403

    facilitator = lms_block(block, "99", is_staff=True, anonymous_id="anon-9")
    assert facilitator.user_is_staff()
    html = view_html(facilitator)
    assert "user-for-anon-1" in html and "(UTC)" in html


def test_old_lms_runtime_attribute_is_honoured(parse):
    """If this broke, facilitators on older Open edX releases (runtime.user_is_staff) would
    lose the overview."""
    block = parse(REFLECTION_OLX)
    runtime = WorkbenchRuntime("42")
    runtime._services["user"] = None  # pylint: disable=protected-access
    runtime.user_is_staff = True
    assert runtime.get_block(block.scope_ids.usage_id).user_is_staff()
    runtime.user_is_staff = False
    assert not runtime.get_block(block.scope_ids.usage_id).user_is_staff()


# ---- language -----------------------------------------------------------------------------------------

def test_norwegian_by_default_english_on_request(parse):
    """If this broke, Norwegian learners would see English buttons (or English-speaking
    learners would get Norwegian)."""
    block = parse(REFLECTION_OLX)
    html = view_html(block)
    assert "Lagre utkast" in html and ">Lever<" in html and "Ikke levert ennå." in html
    with translation.override("en"):
        english = view_html(as_user(block, "alice"))
        assert "Save draft" in english and ">Submit<" in english and "Not submitted yet." in english
        response = call(as_user(block, "alice"), "submit", body({"text": 5}))
        assert response.json["error"] == 'The field "text" must be text.'
    with translation.override("de"):  # a language we do not ship: Norwegian, not a mix
        assert "Lagre utkast" in view_html(as_user(block, "alice"))
