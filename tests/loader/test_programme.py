"""A region's dated programme: the programme file, the warnings, the calendar, the homework
packages, and the guide and workbook, all built through the `kulturskole` command as a facilitator
runs it. The example course has three gatherings and one homework (hjem-kartlegging, in module
roller, handed out at samling 1, due 7 days before samling 2)."""

from __future__ import annotations

import os
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from lxml import etree
from pypdf import PdfReader

from builder import messages
from builder.model import dates
from builder.cli import main
from tests.conftest import EXAMPLE, ROOT

PROGRAMME = """\
region: Fjellregionen
municipalities: [Tolga, Tynset, Os]
gatherings:
  - id: samling-1
    date: {first}
    place: Tynset kulturhus
  - id: samling-2
    date: 2028-01-19
    place: Tolga samfunnshus
  - id: samling-3
    date: 2028-09-20
"""


def write_programme(folder: Path, first: str = "2027-09-15", text: str | None = None) -> Path:
    path = folder / "region.yml"
    path.write_text(text if text is not None else PROGRAMME.format(first=first), encoding="utf-8")
    return path


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def build(course: Path, out: Path, *args) -> None:
    result = run("build", "--course", course, "--out", out, *args)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """The example course built in every format for a made-up region: (dist folder, programme file)."""
    tmp = tmp_path_factory.mktemp("region")
    course = EXAMPLE
    programme = write_programme(tmp)
    build(course, tmp / "dist", "--programme", programme)
    return tmp / "dist", programme


def events(ics: Path) -> dict[str, object]:
    cal = Calendar.from_ical(ics.read_bytes())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


DEADLINE = date(2028, 1, 12)     # samling 2 on 19.1.2028, due_days_before 7


def test_calendar_has_every_gathering_and_deadline_on_the_programme_dates(region):
    """The facilitator imports programme.ics and sees each gathering (with its place) and each deadline on its day.
    If this broke, a two-day gathering would block only its first day in everyone's calendar, and day 2 would be
    booked for something else."""
    dist, _ = region
    found = events(dist / "programme.ics")
    by_summary = {str(e["summary"]): e for e in found.values()}
    assert len(found) == 3 + 1
    starts = {s: e.decoded("dtstart") for s, e in by_summary.items()}
    assert starts == {"Samling 1: Oppstart": date(2027, 9, 15), "Samling 2: Oppfølging": date(2028, 1, 19),
                      "Samling 3: Avslutning": date(2028, 9, 20), "Frist: Kartlegg rollene": DEADLINE}
    assert str(by_summary["Samling 1: Oppstart"]["location"]) == "Tynset kulturhus"
    assert "Bli kjent og kartlegg." in str(by_summary["Samling 1: Oppstart"]["description"])
    # «Oppstart» runs over the two days of its script (DTEND is exclusive), the rest and the deadline one day.
    lengths = {s: (e.decoded("dtend") - e.decoded("dtstart")).days for s, e in by_summary.items()}
    assert lengths == {"Samling 1: Oppstart": 2, "Samling 2: Oppfølging": 1, "Samling 3: Avslutning": 1,
                       "Frist: Kartlegg rollene": 1}


def test_rebuilding_with_a_moved_date_keeps_the_uids(tmp_path, example_course):
    """Re-importing an updated programme updates the events in Outlook/Google instead of duplicating them."""
    build(example_course, tmp_path / "a", "--format", "calendar", "--programme", write_programme(tmp_path))
    programme = write_programme(tmp_path, "2027-10-06")
    os.utime(programme, (programme.stat().st_atime, programme.stat().st_mtime + 3600))   # edited an hour later
    build(example_course, tmp_path / "b", "--format", "calendar", "--programme", programme)
    before, after = events(tmp_path / "a/programme.ics"), events(tmp_path / "b/programme.ics")
    assert set(before) == set(after) and len(before) == 4
    # Calendars take an update only when it is a newer version of the event.
    assert all(after[uid]["sequence"] > before[uid]["sequence"] for uid in before)
    assert all(after[uid].decoded("dtstamp") > before[uid].decoded("dtstamp") for uid in before)
    moved = [uid for uid in before if before[uid].decoded("dtstart") != after[uid].decoded("dtstart")]
    assert len(moved) == 1 and after[moved[0]].decoded("dtstart") == date(2027, 10, 6)


def test_the_deadline_is_the_same_in_every_edition(region):
    """Calendar, OLX due, web and SCORM homework pages, handout, guide and workbook all give 12.1.2028."""
    dist, _ = region
    text = dates.norwegian(DEADLINE)
    (deadline_event,) = [e for e in events(dist / "programme.ics").values() if "Frist" in str(e["summary"])]
    assert deadline_event.decoded("dtstart") == DEADLINE

    import tarfile
    with tarfile.open(next((dist / "olx").glob("*.tar.gz"))) as tar:
        seq = etree.fromstring(tar.extractfile("course/sequential/roller_hjem_hjem-kartlegging.xml").read())
    assert seq.get("due") == "2028-01-12T22:59:00Z"          # 23:59 in Oslo (CET) on the deadline day

    def deadline_in(html: str) -> str:
        match = re.search(r'data-deadline="hjem-kartlegging">(.*?)</', html, re.S)
        assert match, "no deadline on the page"
        return re.sub(r"<[^>]+>", "", match.group(1)).strip()

    assert deadline_in((dist / "web/roller/hjemmearbeid.html").read_text(encoding="utf-8")) == text
    with zipfile.ZipFile(dist / "scorm12/modules/roller.zip") as zf:
        assert deadline_in(zf.read("roller/hjemmearbeid.html").decode()) == text
    with zipfile.ZipFile(dist / "homework/hjemmearbeid-1-roller.zip") as zf:
        assert deadline_in(zf.read("roller/hjemmearbeid.html").decode()) == text
    assert deadline_in((dist / "homework/hjemmearbeid-1-roller.html").read_text(encoding="utf-8")) == text
    assert deadline_in((dist / "fasilitatorveiledning.html").read_text(encoding="utf-8")) == text
    assert deadline_in((dist / "arbeidsbok.html").read_text(encoding="utf-8")) == text
    assert text in pdf_text(dist / "fasilitatorveiledning.pdf")
    assert text in pdf_text(dist / "homework/hjemmearbeid-1-roller.pdf")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def outline(path: Path) -> list[str]:
    def walk(items):
        for item in items:
            yield from walk(item) if isinstance(item, list) else [item.title]
    return list(walk(PdfReader(path).outline))


def test_homework_packages_are_named_for_the_facilitator(region):
    """dist/homework/ has, per gathering, the module's SCORM 1.2 zip and a one-page handout."""
    dist, _ = region
    names = sorted(p.name for p in (dist / "homework").iterdir())
    assert names == ["hjemmearbeid-1-roller.html", "hjemmearbeid-1-roller.pdf", "hjemmearbeid-1-roller.zip"]
    with zipfile.ZipFile(dist / "homework/hjemmearbeid-1-roller.zip") as zf:
        assert "<schemaversion>1.2</schemaversion>" in zf.read("imsmanifest.xml").decode()
        assert "roller/hjemmearbeid.html" in zf.namelist()
    handout = PdfReader(dist / "homework/hjemmearbeid-1-roller.pdf")
    assert len(handout.pages) == 1
    text = pdf_text(dist / "homework/hjemmearbeid-1-roller.pdf")
    for expected in ("Kartlegg rollene", "Et kart over rollene.", "Ordfører", "Kommunalsjef", "Frist"):
        assert expected in text


def test_guide_and_workbook_are_searchable_tagged_pdfs_with_the_expected_headings(region):
    """A facilitator (or a screen reader) finds every gathering as a heading and can search the text."""
    dist, _ = region
    guide, workbook = dist / "fasilitatorveiledning.pdf", dist / "arbeidsbok.pdf"
    headings = outline(guide)
    for expected in ("Fasilitatorveiledning – Eksempelkurs", "Programmet i oversikt", "Samling 1: Oppstart",
                     "Samling 2: Oppfølging", "Samling 3: Avslutning", "Slik setter du opp kurset",
                     "Moodle og KS Læring", "Open edX", "Nettutgaven"):
        assert expected in headings, headings
    text = pdf_text(guide)
    for expected in ("Fjellregionen", "Tolga, Tynset, Os", "Hvem bør være med i gruppa?", "Samarbeid i din kommune",
                     "hjemmearbeid-1-roller.zip", "15.9.2027"):
        assert expected in text
    assert "Refleksjon: Samarbeid i din kommune" in outline(workbook)
    assert "Kartlegg rollene" in pdf_text(workbook)
    for path in (guide, workbook):
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
        assert str(root["/Lang"]).startswith("nb")
        assert len(reader.pages) >= 2
        fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
                 for f in (page["/Resources"].get("/Font") or {}).values()}
        assert fonts and all("Sans" in f for f in fonts), fonts     # the print style sheet was applied
    (alt,) = figure_alts(PdfReader(guide).trailer["/Root"]["/StructTreeRoot"])
    assert alt.startswith("Tidslinje med 3 samlinger: Samling 1 15.9.2027; Samling 2 19.1.2028")
    assert "Frister for hjemmeoppgavene: 12.1.2028" in alt


def figure_alts(node) -> list[str]:
    """The alt texts of the Figure elements in a PDF's structure tree, as a screen reader gets them."""
    node = node.get_object()
    found = [str(node["/Alt"])] if node.get("/S") == "/Figure" and "/Alt" in node else []
    kids = node.get("/K")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict):
            found += figure_alts(kid)
    return found


def test_without_dates_every_format_still_builds(tmp_path, example_course):
    """The README's plain `kulturskole build` works and the guide counts weeks; a calendar from an
    earlier dated build is removed, because its dates are no longer the programme's."""
    build(example_course, tmp_path / "dist", "--format", "calendar", "--start-date", "2027-10-13")
    assert (tmp_path / "dist/programme.ics").exists()
    build(example_course, tmp_path / "dist")
    assert not (tmp_path / "dist/programme.ics").exists()
    text = pdf_text(tmp_path / "dist/fasilitatorveiledning.pdf")
    assert "uke 12" in text and re.search(r"7\s+dager\s+før\s+samling\s+2\s+\(«Oppfølging»\)", text), text


def test_start_date_alone_dates_the_weeks(tmp_path, example_course):
    """--start-date gives each gathering week N the date start + N weeks, in the calendar too."""
    build(example_course, tmp_path / "dist", "--format", "calendar", "--start-date", "2027-10-13")
    starts = sorted(e.decoded("dtstart") for e in events(tmp_path / "dist/programme.ics").values())
    assert starts == [date(2027, 10, 13), date(2027, 12, 29), date(2028, 1, 5), date(2028, 5, 10)]


@pytest.mark.parametrize("gatherings, line, message", [
    ("  - {id: samling-1, date: 2027-09-15}\n  - {id: samling-2, date: 2027-09-15}\n  - {id: samling-3, date: 2028-09-20}\n",
     7, "is on the same date as 'samling-1'"),
    ("  - {id: samling-1, date: 2027-09-15}\n  - {id: samling-2, date: 2027-13-01}\n  - {id: samling-3, date: 2028-09-20}\n",
     7, "'2027-13-01' is not a date"),
    ("  - {id: samling-1, date: 2027-09-15, modules: [rollr]}\n  - {id: samling-2, date: 2028-01-19}\n  - {id: samling-3, date: 2028-09-20}\n",
     6, "unknown module 'rollr' — did you mean 'roller'?"),
    ("  - {id: samling-1, date: 2027-09-15}\n  - {id: samlig-2, date: 2028-01-19}\n  - {id: samling-3, date: 2028-09-20}\n",
     7, "no gathering 'samlig-2' — did you mean 'samling-2'?"),
    ("  - {id: samling-1, date: 2027-09-15}\n  - {id: samling-2, date: 2028-09-21}\n  - {id: samling-3, date: 2028-09-20}\n",
     8, "'samling-3' (2028-09-20) is before 'samling-2'"),
])
def test_bad_programme_files_get_clear_errors(tmp_path, example_course, gatherings, line, message):
    """A mistake in the programme file names the file, the line and what to do, and nothing is built."""
    text = "region: Fjellregionen\nmunicipalities: [Tolga]\nstart_date: 2027-09-01\n\ngatherings:\n" + gatherings
    programme = write_programme(tmp_path, text=text)
    result = run("build", "--course", example_course, "--out", tmp_path / "dist", "--programme", programme)
    assert result.exit_code == 1
    assert f"region.yml:{line}: " in result.output and message in result.output, result.output
    assert result.output.rstrip().endswith(("problem found", "problems found")) and not (tmp_path / "dist").exists()


def test_a_gathering_before_the_start_date_is_an_error(tmp_path, example_course):
    """--start-date (or the file's start_date) after the first gathering is caught, with the line."""
    programme = write_programme(tmp_path)
    result = run("check", "--course", example_course, "--programme", programme, "--start-date", "2027-10-01")
    assert result.exit_code == 1
    assert "region.yml:4: the gathering 'samling-1' (2027-09-15) is before the start date 2027-10-01" in result.output


def test_holidays_breaks_and_the_election_period_are_warned_about_but_do_not_stop_the_build(tmp_path, example_course):
    """The facilitator is told which dates to look at again; the packages are built all the same."""
    text = ("region: Fjellregionen\nmunicipalities: [Tolga]\ngatherings:\n"
            "  - {id: samling-1, date: 2029-05-17}\n"       # grunnlovsdagen
            "  - {id: samling-2, date: 2031-01-09}\n"       # deadline 2.1.2031 is in the Christmas break
            "  - {id: samling-3, date: 2031-09-10}\n")      # after the local elections of 8.9.2031
    programme = write_programme(tmp_path, text=text)
    result = run("check", "--course", example_course, "--programme", programme)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3, warnings
    assert "region.yml:4: the gathering 'samling-1' is on a public holiday: 17.5.2029 is Constitution Day" in warnings[0]
    assert "the deadline of the homework 'hjem-kartlegging' (2.1.2031) is in the Christmas break" in result.output
    bokmal = run("check", "--course", example_course, "--programme", programme, env={"KULTURSKOLE_LANG": "nb"}).output
    assert "region.yml:4: samlingen «samling-1» er på en helligdag: 17.5.2029 er grunnlovsdagen" in bokmal
    assert "fristen for hjemmeoppgaven «hjem-kartlegging» (2.1.2031) er i juleferien" in bokmal
    assert ("does not fit in one election period (13.9.2027 – 7.9.2031; local elections on 8.9.2031): "
            "the gathering 'samling-3' 10.9.2031") in result.output
    result = run("build", "--course", example_course, "--out", tmp_path / "dist", "--format", "calendar",
                 "--programme", programme)
    assert result.exit_code == 0 and result.output.count("warning:") == 3
    assert (tmp_path / "dist/programme.ics").exists()


def test_a_gathering_before_the_new_kommunestyre_is_constituted_is_warned_about(tmp_path, example_course):
    """A region that starts two days after the local elections is told that the new councillors (and their
    komitéledere) are not in place yet; the same programme one week into November is not."""
    result = run("check", "--course", example_course, "--programme", write_programme(tmp_path, "2027-09-15"))
    assert result.exit_code == 0, result.output
    assert ("region.yml:4: the gathering 'samling-1' (15.9.2027) comes after the local elections of 13.9.2027 "
            "but before the new kommunestyre is constituted (by 31.10.2027)") in result.output
    for first in ("2027-10-31", "2027-11-03"):
        later = run("check", "--course", example_course, "--programme", write_programme(tmp_path, first))
        assert later.exit_code == 0, later.output
        assert ("before the new kommunestyre is constituted" in later.output) == (first == "2027-10-31"), first


def test_the_example_region_in_the_course_is_clean():
    """course/region-eksempel.yml is what editors copy: it must fit the political year without a single warning."""
    result = run("check", "--course", ROOT / "course", "--programme", ROOT / "course" / "region-eksempel.yml")
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output, result.output


def test_norwegian_public_holidays():
    """Easter-based holidays land on the right days (Easter Sunday 2027: 28 March; 2028: 16 April)."""
    assert dates.easter_sunday(2027) == date(2027, 3, 28) and dates.easter_sunday(2030) == date(2030, 4, 21)
    h = {day: messages.translated(name) for day, name in dates.public_holidays(2028).items()}   # as an editor reads them
    assert h[date(2028, 4, 13)] == "skjærtorsdag" and h[date(2028, 4, 14)] == "langfredag"
    assert h[date(2028, 4, 17)] == "andre påskedag" and h[date(2028, 5, 25)] == "Kristi himmelfartsdag"
    assert h[date(2028, 6, 5)] == "andre pinsedag" and h[date(2028, 5, 17)] == "grunnlovsdagen"
    assert len(h) == 12 and date(2028, 4, 18) not in h


def test_the_same_programme_file_gives_the_same_calendar(tmp_path, example_course):
    """Rebuilding an unchanged programme gives identical bytes, so a release's checksums can be compared."""
    programme = write_programme(tmp_path)
    build(example_course, tmp_path / "a", "--format", "calendar", "--format", "guide", "--programme", programme)
    build(example_course, tmp_path / "b", "--format", "calendar", "--format", "guide", "--programme", programme)
    for name in ("programme.ics", "fasilitatorveiledning.pdf", "arbeidsbok.pdf"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_homework_handed_out_away_from_its_theme_is_warned_about(tmp_path, example_course):
    """Moving a theme to another gathering in the programme file, but not its homework, is pointed out."""
    text = PROGRAMME.format(first="2027-09-15").replace(
        "    place: Tolga samfunnshus\n", "    place: Tolga samfunnshus\n    modules: [roller]\n")
    result = run("check", "--course", example_course, "--programme", write_programme(tmp_path, text=text))
    assert result.exit_code == 0
    assert ("the homework 'hjem-kartlegging' is handed out at 'samling-1', but its module 'roller' is worked on "
            "at 'samling-2'") in result.output


def test_every_mistake_in_a_programme_file_is_reported_in_one_run(tmp_path, example_course):
    """The facilitator fixes a bad file in one pass instead of one error per build."""
    text = ("region: X\nmunicipalities: [A]\ngatherings:\n"
            "  - {id: samling-1, date: 2027-09-15}\n"
            "  - {id: samling-2, date: 15.1.2028}\n"
            "  - {id: samling-3, date: 2027-09-15, modules: [rollr]}\n")
    result = run("check", "--course", example_course, "--programme", write_programme(tmp_path, text=text))
    assert result.exit_code == 1
    for expected in ("region.yml:5: '15.1.2028' is not a date", "region.yml:6: the gathering 'samling-3' is on the same date",
                     "region.yml:6: the gathering 'samling-3' names an unknown module 'rollr'", "3 problems found"):
        assert expected in result.output, result.output
