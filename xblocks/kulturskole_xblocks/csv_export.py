"""The facilitator's CSV download of all submissions, safe to open in a spreadsheet.

A learner's text may start with, or hold after a comma, semicolon, tab or line break, something a
spreadsheet reads as a formula (`=HYPERLINK(…)`, `+47…`, `@SUM(…)`): OWASP's "CSV injection". A
Norwegian spreadsheet splits on `;`, another program on `,` or tab, and one that ignores quotes
sees every such part as a cell of its own. So every cell is quoted, and every part that starts
with a formula character (after spaces) gets an apostrophe in front: the spreadsheet shows it as
text, and the facilitator reads the learner's words with one extra `'`.
"""

import csv
import io
import re

# A cell, or a part of it after a separator or line break, that starts (after spaces) with one of
# these characters is read as a formula by LibreOffice Calc, Excel or Google Sheets.
_FORMULA_PART = re.compile(r"(^|[,;\t\r\n])([ ]*)(?=[=+\-@\t\r])")


def csv_safe(value):
    """The cell's text with every part a spreadsheet could read as a formula made text (a leading ')."""
    text = "" if value is None else str(value)
    return _FORMULA_PART.sub(lambda m: m.group(1) + m.group(2) + "'", text)


def build_csv(header, rows):
    """UTF-8 CSV (with BOM so spreadsheet programs detect the encoding), every cell quoted and neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
