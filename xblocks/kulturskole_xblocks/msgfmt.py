"""Compile the blocks' gettext catalogs with the standard library only.

Usage (from the repository root)::

    python -m kulturskole_xblocks.msgfmt            # compile every kulturskole_xblocks/*/translations/*/LC_MESSAGES/django.po
    python -m kulturskole_xblocks.msgfmt --check    # exit 1 if a .mo is missing or older than its .po content

The .po files are edited by hand (there is no babel/polib dependency); the
test-suite checks that every string the code translates has an ``nb`` entry
and that the committed ``.mo`` files match the ``.po`` files.
It does what CPython's ``Tools/i18n/msgfmt.py`` does for the subset of the
format used here: no contexts, no plural entries, no fuzzy entries.
"""

import ast
import re
import struct
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

# Translatable calls in the Python sources: translate("..."), _("...").
_SOURCE_CALL = re.compile(r"""\b(?:translate|_)\(\s*(?P<literal>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)""")


def parse_po(text):
    """Return {msgid: msgstr} of a .po file (the header has msgid ""); fuzzy entries are left out."""
    messages = {}
    entry = None  # [msgid, msgstr, fuzzy]
    section = None
    fuzzy_next = False
    for line_number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#,"):
            fuzzy_next = fuzzy_next or "fuzzy" in line
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            _store(messages, entry)
            entry = [_literal(line[6:], line_number), None, fuzzy_next]
            fuzzy_next, section = False, "msgid"
        elif line.startswith("msgstr ") and entry is not None:
            entry[1], section = _literal(line[7:], line_number), "msgstr"
        elif line.startswith('"') and section == "msgid":
            entry[0] += _literal(line, line_number)
        elif line.startswith('"') and section == "msgstr":
            entry[1] += _literal(line, line_number)
        else:
            raise ValueError(f"line {line_number}: unsupported syntax: {line!r}")
    _store(messages, entry)
    return messages


def _store(messages, entry):
    if entry is not None and entry[1] is not None and not entry[2]:
        messages[entry[0]] = entry[1]


def _literal(token, line_number):
    token = token.strip()
    if not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"line {line_number}: expected a quoted string")
    return ast.literal_eval(token)


def build_mo(messages):
    """GNU .mo bytes (little-endian, no hash table) for {msgid: msgstr}."""
    keys = sorted(messages)
    ids = b""
    strs = b""
    offsets = []
    for key in keys:
        msgid = key.encode("utf-8")
        msgstr = messages[key].encode("utf-8")
        offsets.append((len(ids), len(msgid), len(strs), len(msgstr)))
        ids += msgid + b"\0"
        strs += msgstr + b"\0"
    count = len(keys)
    key_table_start = 7 * 4
    value_table_start = key_table_start + count * 8
    ids_start = value_table_start + count * 8
    strs_start = ids_start + len(ids)
    key_table = []
    value_table = []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_table += [id_length, ids_start + id_offset]
        value_table += [str_length, strs_start + str_offset]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, key_table_start, value_table_start, 0, 0)
    return (header + struct.pack(f"{len(key_table)}i", *key_table)
            + struct.pack(f"{len(value_table)}i", *value_table) + ids + strs)


def po_files(root=PACKAGE_DIR):
    """All django.po files of the blocks."""
    return sorted(root.glob("*/translations/*/LC_MESSAGES/django.po"))


def compile_po(po_path):
    """Write the .mo next to ``po_path``; return its path."""
    mo_path = po_path.with_suffix(".mo")
    mo_path.write_bytes(build_mo(parse_po(po_path.read_text(encoding="utf-8"))))
    return mo_path


def is_current(po_path):
    """True when the .mo next to ``po_path`` holds exactly the .po's content."""
    mo_path = po_path.with_suffix(".mo")
    return mo_path.exists() and mo_path.read_bytes() == build_mo(parse_po(po_path.read_text(encoding="utf-8")))


def source_strings(paths):
    """Translatable string literals used in the given Python files."""
    found = set()
    for path in paths:
        for match in _SOURCE_CALL.finditer(Path(path).read_text(encoding="utf-8")):
            found.add(ast.literal_eval(match.group("literal")))
    return found


def block_sources(block_dir):
    """The Python files whose strings a block's catalog must cover: the block's own and the shared modules."""
    return sorted(Path(block_dir).glob("*.py")) + sorted(p for p in PACKAGE_DIR.glob("*.py") if p.name != "msgfmt.py")


def main(argv=None):
    """Command line entry point."""
    argv = sys.argv[1:] if argv is None else argv
    status = 0
    for po_path in po_files():
        if "--check" in argv:
            if not is_current(po_path):
                print(f"out of date: {po_path.with_suffix('.mo')}")
                status = 1
        else:
            print(f"compiled {compile_po(po_path)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
