"""The facilitator's CSV export opened in a real spreadsheet: LibreOffice Calc (Debian's
libreoffice-calc-nogui, headless) with Norwegian (nb-NO) settings, splitting on `;`, `,` and tab, once
honouring the quotes and once ignoring them. No cell may hold a formula."""

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tests.xblocks.helpers import as_user, call

# Learner texts that a spreadsheet would evaluate (`Bra samling;=2+5;…` in a Norwegian
# spreadsheet), in the cell and after every separator.
HOSTILE = {
    "anne": "Bra samling;=2+5;takk",
    "bjorn": "Vi lærte mye,=1+1,og mer",
    "cecilie": "Kolonner\t=1+1\tslutt",
    "dag": '=HYPERLINK("http://evil.example";"klikk")',
    "eva": "+47 er landkoden",
    "fredrik": "Linje én\n=SUM(1;2)\n@SUM(1;2)",
    "gro": "-2+3;  -4+5",
    "hans": 'Helt vanlig tekst, med "sitat" og æøå',
}
OFFICE = shutil.which("soffice")
# LibreOffice's CSV import options: separators (44 , / 59 ; / 9 tab), text delimiter, UTF-8 (76), first
# line 1, no column formats, nb-NO (1044), quoted field as text off, detect special numbers on, …,
# token 13 "evaluate formulas" on: what a facilitator gets when opening the file.
HONOUR_QUOTES = "CSV:44/59/9,34,76,1,,1044,false,true,false,false,false,-1,true"
IGNORE_QUOTES = "CSV:44/59/9,96,76,1,,1044,false,true,false,false,false,-1,true"   # ` as delimiter: none in the data
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _open_in_calc(tmp_path: Path, files: list[Path], infilter: str) -> dict[str, list[tuple[str, str]]]:
    """Each CSV as LibreOffice Calc reads it: (formula or '', shown text) of every cell."""
    out = tmp_path / "calc"
    subprocess.run([OFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    f"--infilter={infilter}", "--convert-to", "fods", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=180)
    sheets = {}
    for file in files:
        root = etree.parse(str(out / (file.stem + ".fods")))
        sheets[file.stem] = [(cell.get(f"{{{TABLE}}}formula", ""), "".join(cell.itertext()))
                             for cell in root.iter(f"{{{TABLE}}}table-cell")]
    return sheets


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice Calc is not installed: apt-get install libreoffice-calc-nogui "
                                           "(the README's test set-up command installs it)")
@pytest.mark.parametrize("infilter", [HONOUR_QUOTES, IGNORE_QUOTES], ids=["quotes-honoured", "quotes-ignored"])
def test_no_learner_text_becomes_a_formula_in_libreoffice(parse, tmp_path, infilter):
    """If this broke, a facilitator who opens the submissions in a Norwegian spreadsheet would run a
    formula a learner wrote (a link to another site, a calculation, in the worst case a command)."""
    block = parse('<kulturskole_reflection max_length="500"/>', user="anne")
    for user, text in HOSTILE.items():
        assert call(as_user(block, user), "submit", json.dumps({"text": text})).status_code == 200
    export = tmp_path / "export.csv"
    export.write_bytes(call(as_user(block, "staff"), "export_csv", method="GET").body)
    # The same texts written as a plain CSV writer would: proves that this spreadsheet set-up evaluates them.
    raw = io.StringIO()
    csv.writer(raw, lineterminator="\r\n").writerows([[user, text] for user, text in HOSTILE.items()])
    unsafe = tmp_path / "unsafe.csv"
    unsafe.write_text(raw.getvalue(), encoding="utf-8")

    sheets = _open_in_calc(tmp_path, [export, unsafe], infilter)
    assert [f for f, _ in sheets["unsafe"] if f], "the control CSV gave no formula: the check itself is broken"
    assert [(f, text) for f, text in sheets["export"] if f] == []
    shown = "\n".join(text for _, text in sheets["export"])
    for word in ("Bra samling", "takk", "landkoden", "æøå", "Linje én"):
        assert word in shown, f"the learner's text '{word}' is missing in the spreadsheet"
