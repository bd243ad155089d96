"""The facilitator's CSV download of all submissions."""

import csv
import io

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value):
    """Neutralise a cell a spreadsheet would run as a formula by prefixing an apostrophe."""
    text = "" if value is None else str(value)
    if text.lstrip(" ").startswith(CSV_FORMULA_PREFIXES):
        return "'" + text
    return text


def build_csv(header, rows):
    """UTF-8 CSV (with BOM so spreadsheet programs detect the encoding), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
