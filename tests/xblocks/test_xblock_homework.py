"""Homework XBlock: OLX round trip, checklist, due date, submission, staff overview, escaping."""

import csv
import io
import json
from io import BytesIO

import pytest
from lxml import etree
from workbench.runtime import WorkbenchRuntime
from xblock.core import XBlockMixin
from xblock.fields import Date, Scope, ScopeIds
from xblock.runtime import Mixologist

from tests.xblocks.helpers import HOMEWORK_OLX, as_user, call, view_html
from kulturskole_xblocks.homework.block import HomeworkXBlock

pytestmark = pytest.mark.filterwarnings("ignore:Runtime.user_id is deprecated")

STEPS = [
    {"phase": "plan", "text": "Velg én situasjon der elevene kan medvirke"},
    {"phase": "act", "text": "Prøv det ut – «én time» & mer"},
    {"phase": "observe", "text": "Noter hva som skjer"},
    {"phase": "reflect", "text": "Snakk sammen i gruppen"},
]


def compiler_tag(steps_json):
    """The tag as the compiler emits it; steps is a JSON string in a single-quoted attribute."""
    escaped = steps_json.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;")
    return (
        '<kulturskole_homework url_name="g2_homework" xblock-family="xblock.v1" '
        'display_name="Hjemmeoppgave før samling 2" gathering_id="samling-2" '
        'gathering_title="Samling 2: Medvirkning" due_text="Innen 12. januar kl. 18" '
        'deliverable="Et kort notat.&#10;Maks én side." '
        f"steps='{escaped}' min_length=\"20\" max_length=\"3000\"/>"
    )


EXPECTED = {
    "display_name": "Hjemmeoppgave før samling 2",
    "gathering_id": "samling-2",
    "gathering_title": "Samling 2: Medvirkning",
    "due_text": "Innen 12. januar kl. 18",
    "deliverable": "Et kort notat.\nMaks én side.",
    "steps": STEPS,
    "min_length": 20,
    "max_length": 3000,
}


def body(payload):
    return json.dumps(payload)


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_compiler_tag_round_trips_through_parse_and_export(parse, ensure_ascii):
    """If this broke, homework compiled from the course source would import into Open edX with
    missing steps, the wrong gathering or the wrong limits."""
    block = parse(compiler_tag(json.dumps(STEPS, ensure_ascii=ensure_ascii)))
    assert {name: getattr(block, name) for name in EXPECTED} == EXPECTED

    out = BytesIO()
    block.runtime.export_to_xml(block, out)
    node = etree.fromstring(out.getvalue())
    assert node.tag == "kulturskole_homework"
    assert json.loads(node.get("steps")) == STEPS
    for private in ("checked_steps", "draft", "submitted_text", "submissions"):
        assert node.get(private) is None
    again = parse(etree.tostring(node))
    assert {name: getattr(again, name) for name in EXPECTED} == EXPECTED


def parse_without_storing(olx):
    """HomeworkXBlock.parse_xml's result before any store sees it (the workbench's JSON store
    would hide the problem by re-pairing surrogates on the way back; a UTF-8 store would not)."""
    runtime = WorkbenchRuntime("alice")
    def_id = runtime.id_generator.create_definition("kulturskole_homework")
    keys = ScopeIds("alice", "kulturskole_homework", def_id, runtime.id_generator.create_usage(def_id))
    return runtime.mixologist.mix(HomeworkXBlock).parse_xml(etree.fromstring(olx), runtime, keys)


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_characters_outside_the_bmp_survive_import_and_reexport(parse, ensure_ascii):
    """If this broke, an emoji in a step (or any character outside the BMP) would become two
    broken surrogates on import, which a UTF-8 database refuses; XBlock's own export (and so a
    Studio export) writes such characters as JSON escapes that trigger it."""
    steps = [{"phase": "act", "text": "Spill for elevene 🎻 og 𝄞"}]
    olx = compiler_tag(json.dumps(steps, ensure_ascii=ensure_ascii))
    parsed = parse_without_storing(olx)
    assert parsed.steps == steps
    json.dumps(parsed.steps, ensure_ascii=False).encode("utf-8")  # what a UTF-8 store does

    out = BytesIO()
    parse(olx).runtime.export_to_xml(parse(olx), out)
    assert "\\ud83c" in out.getvalue().decode("utf-8")
    assert parse_without_storing(out.getvalue()).steps == steps


def test_view_shows_gathering_due_text_steps_and_deliverable(parse):
    """If this broke, learners would not see what to do before the gathering or by when."""
    html = view_html(parse(HOMEWORK_OLX))
    assert "Før samlingen: Samling 2: Medvirkning" in html
    assert "Frist:" in html and "Innen 12. januar kl. 18" in html
    assert "<legend>Stegene i aksjonslæringen</legend>" in html
    for label in ("Planlegg:", "Handle:", "Observer:", "Reflekter:"):
        assert label in html
    assert "Dette skal leveres" in html and "0 av 4 steg fullført" in html
    assert html.count('type="checkbox"') == 4


def test_inherited_due_date_wins_over_due_text(parse):
    """If this broke, learners in the LMS would see the compiler's text instead of the due date
    Studio manages (and which may have been moved since)."""

    class InheritedDue(XBlockMixin):
        """Stands in for edx-platform's InheritanceMixin."""
        due = Date(scope=Scope.settings, default=None)

    block = parse(HOMEWORK_OLX)
    runtime = block.runtime
    runtime.mixologist = Mixologist([InheritedDue])
    olx = HOMEWORK_OLX.replace("<kulturskole_homework ", '<kulturskole_homework due="2026-01-12T17:00:00Z" ')
    with_due = runtime.get_block(runtime.parse_xml_string(olx))
    # Call the view directly: WorkbenchRuntime.render() would first overwrite ``due`` with "now".
    html = with_due.student_view().content
    assert '<time datetime="2026-01-12T17:00:00+00:00">12.01.2026 kl. 18:00 (CET)</time>' in html
    assert "Innen 12. januar kl. 18" not in html
    # The workbench's own "block.due = now" attribute (not a field) is ignored.
    assert "Innen 12. januar kl. 18" in view_html(block)


def test_ticked_steps_are_saved_per_user(parse, published):
    """If this broke, a learner's ticks would disappear on reload or show up for someone else."""
    block = parse(HOMEWORK_OLX)
    response = call(block, "toggle_step", body({"step": 0, "done": True}))
    assert response.status_code == 200
    assert response.json["checked"] == [0] and response.json["progress"] == "1 av 4 steg fullført"
    call(as_user(block, "alice"), "toggle_step", body({"step": 2, "done": True}))
    call(as_user(block, "alice"), "toggle_step", body({"step": 0, "done": False}))

    alice = as_user(block, "alice")
    assert alice.checked_steps == [2]
    html = view_html(alice)
    assert 'data-step="2" aria-describedby' in html and html.count(" checked>") == 1
    assert as_user(block, "bob").checked_steps == []
    assert " checked>" not in view_html(as_user(block, "bob"))
    assert published.of_type("completion") == []  # ticking is not completing


@pytest.mark.parametrize("payload, status", [
    ({"step": 7, "done": True}, 400),
    ({"step": -1, "done": True}, 400),
    ({"step": "1", "done": True}, 400),
    ({"step": 1.0, "done": True}, 400),
    ({"step": True, "done": True}, 400),
    ({"step": 1, "done": "yes"}, 400),
    ({"step": 1, "done": 1}, 400),
    ({"step": 1}, 400),
    ([1, True], 400),
])
def test_bad_toggle_requests_are_rejected(parse, payload, status):
    """If this broke, a malformed request could tick a step that does not exist or crash."""
    block = parse(HOMEWORK_OLX)
    assert call(block, "toggle_step", body(payload)).status_code == status
    assert call(block, "toggle_step", b"{oops").status_code == 400
    assert as_user(block, "alice").checked_steps == []


def test_submit_completes_and_validates(parse, published):
    """If this broke, handing in the homework would not mark it complete, or oversized and
    non-text submissions would be stored."""
    block = parse(HOMEWORK_OLX)  # max_length="300"
    assert call(block, "submit", body({"text": "x" * 301})).status_code == 413
    assert call(block, "submit", body({"text": 3})).status_code == 400
    assert call(block, "submit", body({"text": "   "})).status_code == 400
    assert published.of_type("completion") == []
    response = call(block, "submit", body({"text": "Vi observerte mye."}))
    assert response.status_code == 200
    assert published.of_type("completion") == [{"completion": 1.0}]
    assert as_user(block, "alice").submitted_text == "Vi observerte mye."
    assert "Levert " in view_html(as_user(block, "alice"))


def test_staff_overview_and_csv_include_steps(parse):
    """If this broke, the facilitator could not see who handed in and how far each got."""
    block = parse(HOMEWORK_OLX)
    for step in (0, 1, 2):
        call(as_user(block, "alice"), "toggle_step", body({"step": step, "done": True}))
    call(as_user(block, "alice"), "submit", body({"text": "=farlig formel"}))
    call(as_user(block, "bob"), "save_draft", body({"text": "Bobs utkast"}))

    assert "ks-staff" not in view_html(as_user(block, "bob"))
    assert call(as_user(block, "bob"), "export_csv", method="GET").status_code == 403

    html = view_html(as_user(block, "fasilitator"))
    assert "Antall innleveringer: 1" in html and "3 av 4 steg fullført" in html
    assert "Bobs utkast" not in html
    rows = list(csv.reader(io.StringIO(
        call(as_user(block, "staff"), "export_csv", method="GET").body.decode("utf-8-sig"))))
    assert rows[0] == ["Deltaker", "Levert (UTC)", "Fullførte steg", "Tegn", "Tekst"]
    assert rows[1][0] == "alice" and rows[1][2] == "3 av 4 steg fullført" and rows[1][4] == "'=farlig formel"


def test_html_is_escaped_in_steps_deliverable_and_learner_text(parse):
    """If this broke, markup in the course source or a learner's submission would run as HTML."""
    evil_steps = json.dumps([{"phase": "plan", "text": "<img src=x onerror=alert(1)>"}, "<b>fet</b>"])
    olx = compiler_tag(evil_steps).replace('deliverable="Et kort notat.&#10;Maks én side."',
                                           'deliverable="&lt;script&gt;alert(2)&lt;/script&gt;"')
    block = parse(olx)
    call(block, "submit", body({"text": "<script>alert(3)</script> og mer tekst her"}))
    for user in ("alice", "staff"):
        html = view_html(as_user(block, user))
        assert "<img src=x" not in html and "<b>fet" not in html and "<script>alert" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in view_html(as_user(block, "staff"))


def test_malformed_steps_do_not_break_the_view(parse):
    """If this broke, one bad item in the compiled steps list would break the whole homework page."""
    steps = json.dumps(["Bare tekst", 42, {"phase": "dance", "text": "Ukjent fase"}, {"phase": "plan"}, None])
    block = parse(compiler_tag(steps))
    html = view_html(block)
    assert "Bare tekst" in html and "Ukjent fase" in html and "dance" not in html
    assert html.count('type="checkbox"') == 2
    assert call(block, "toggle_step", body({"step": 1, "done": True})).status_code == 400  # 42 is no step
    assert call(block, "toggle_step", body({"step": 2, "done": True})).status_code == 200
