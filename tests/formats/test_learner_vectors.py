"""Golden vectors of the learner-data codec, written from builder/formats/scorm/budget.py.

tests/fixtures/learner-vectors.json holds a small layout, states with the suspend_data budget.py
encodes for them (current format), the same data in the older formats 1 and 2, and corrupt values
with what a decoder must make of them. tests/js/codec.test.js (node --test, run by
tests/js/test_node.py) holds assets/js/learner/codec.js to the same file, so the Python and the
JavaScript codec cannot drift apart unnoticed.
"""

from __future__ import annotations

import json
from pathlib import Path

from builder.formats.scorm import budget
from builder.formats.scorm.budget import Layout, decode, encode
from builder.model import passes

VECTORS = Path(__file__).resolve().parents[1] / "fixtures" / "learner-vectors.json"

LAYOUT = Layout(
    pages=tuple(f"m/p{i}" for i in range(8)),
    quizzes=(
        {"id": "modul", "n": 4, "q": [
            {"id": "en", "t": "single", "o": ["a", "b", "c"], "w": 1},
            {"id": "flere", "t": "multiple", "o": ["a", "b", "c", "d"], "w": 1},
            {"id": "sant", "t": "truefalse", "o": ["true", "false"], "w": 1},
            {"id": "par", "t": "matching", "p": ["x", "y"], "r": 3, "w": 2}]},
        {"id": "slutt", "n": 2, "q": [
            {"id": "s1", "t": "single", "o": ["a", "b"], "w": 1},
            {"id": "s2", "t": "single", "o": ["a", "b"], "w": 1},
            {"id": "s3", "t": "single", "o": ["a", "b"], "w": 1}]},
    ),
    homework=("lekse",),
    reflections=(("tanker", 4000, 150), ("constructor", 4000, 150)),
)

FULL = {"seen": {"m/p0": 1, "m/p3": 1, "m/p7": 1},
        "quiz": {"modul": {"a": {"en": ["b"], "flere": ["a", "d"], "sant": ["false"], "par": ["x.2", "y.0"]}, "s": 3, "n": 4}},
        "best": 7500, "hw": {"lekse": ["plan", "observe"]}, "seed": 123456,
        "tries": {"modul": {"t": 2, "p": 0}, "slutt": {"t": 31, "p": 1}}, "seq": 70,
        "refl": {"tanker": "Første linje\nandre: med kolon. Og 😀.", "constructor": "Et id som er et JS-navn."}}


def _with(data: str, field: int, value: str) -> str:
    """`data` (format 3) with field `field` (0 = SEEN … 5 = REFLECTIONS) replaced."""
    head, rest = data.split(".", 1)
    fields = rest.split(".", 5)
    fields[field] = value
    return head + "." + ".".join(fields)


def vectors() -> dict:
    full = encode(LAYOUT, FULL)
    head, rest = full.split(".", 1)
    fields = rest.split(".", 5)
    format2 = "2" + head[1:5] + "." + rest
    format1 = "1" + head[1:5] + "." + ".".join(fields[:4] + fields[5:])
    orphaned = full + "gammel-id:5:Borte"
    corrupt = {
        "seen: a character outside the alphabet": _with(full, 0, "!0"),
        "seen: a bit past the last page": _with(full, 0, "0w"),
        "quiz: an answer code past the options": _with(full, 1, fields[1][:1] + "9" + fields[1][2:]),
        "quiz: a score of 63 out of 4": _with(full, 1, "Z" + fields[1][1:]),
        "quizzes: too short": _with(full, 1, fields[1][:-2]),
        "best: over 10000": _with(full, 2, "zzz"),
        "homework: a bit past the steps": _with(full, 3, "_"),
        "tries: the wrong length": _with(full, 4, fields[4][:3]),
        "reflections: a length that is not a number": _with(full, 5, "tanker:!!:Tekst som blir igjen"),
        "reflections: cut short": full[:-5],
        "format: unknown": "9" + full[1:],
        "header: too short": "3ab.x.y",
        "fields: missing": head + ".0.~",
        "fingerprint: another course": "3zzzz" + full[5:],
        "orphan: a reflection id this layout does not carry": orphaned,
    }
    states = {"empty": {}, "full": FULL,
              "score and best out of range are clamped": dict(FULL, quiz={"modul": dict(FULL["quiz"]["modul"], s=63)}, best=99999),
              "an orphan is never encoded": dict(FULL, refl=dict(FULL["refl"], borte="Gammel tekst"))}
    return {
        "comment": "Written by tests/formats/test_learner_vectors.py from builder/formats/scorm/budget.py; do not edit.",
        "constants": budget.CONSTANTS,
        "layout": LAYOUT.runtime(),
        "encode": [{"name": name, "state": state, "data": encode(LAYOUT, state)} for name, state in states.items()],
        "rule": [{"correct": c, "total": t, "mastery": m, "passes": passes(c, t, m)}
                 for c, t, m in [(35, 44, 80), (36, 44, 80), (3, 4, 80), (4, 4, 80), (3, 4, 75), (0, 0, 80), (16, 20, 80),
                                 (15, 20, 80), (0, 5, 0), (1, 3, 33), (1, 3, 34)]],
        "decode": [{"name": name, "data": data, "state": decode(LAYOUT, data)} for name, data in
                   [("current format", full), ("format 2", format2), ("format 1", format1), ("empty", "")]
                   + list(corrupt.items())],
    }


def test_golden_vectors_are_current():
    """If this broke, the Node tests of the runtime's codec would check it against vectors that no
    longer say what budget.py writes and reads, and the two codecs could drift apart unnoticed (the
    learner's answers read back wrong after a resume). Rewrites the file; commit it."""
    fresh = json.dumps(vectors(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    old = VECTORS.read_text(encoding="utf-8") if VECTORS.exists() else ""
    if old != fresh:
        VECTORS.write_text(fresh, encoding="utf-8")
    assert old == fresh, f"{VECTORS} was out of date and has been rewritten: commit it"


def test_the_pass_rule_never_rounds():
    """If this broke, a learner at 35 of 44 (79.5 %) would see «Bestått» on the page while the LMS
    keeps the module incomplete, or a module quiz at 75 % would pass at 80."""
    assert not passes(35, 44, 80) and passes(36, 44, 80) and not passes(3, 4, 80) and passes(4, 4, 80)
    assert not passes(0, 0, 80)


def test_corrupt_values_are_set_aside_and_the_text_is_kept():
    """If this broke, a corrupt or tampered suspend_data would mark every page seen, pass a quiz with
    63 of 4, crash the reader, or lose the learner's reflections."""
    out = {v["name"]: v["state"] for v in vectors()["decode"]}
    assert out["current format"]["errors"] == [] and out["current format"]["refl"] == FULL["refl"]
    assert out["format 1"]["quiz"] == out["current format"]["quiz"] and out["format 1"]["seed"] == 0
    assert out["format 2"]["tries"] == out["current format"]["tries"]
    bad = out["seen: a character outside the alphabet"]
    assert bad["errors"] == ["seen"] and bad["seen"] == {} and bad["refl"] == FULL["refl"]
    assert out["quiz: a score of 63 out of 4"]["errors"] == ["quiz:modul"]
    assert out["quiz: a score of 63 out of 4"]["quiz"] == {} and out["quiz: a score of 63 out of 4"]["best"] == 7500
    assert out["quiz: an answer code past the options"]["errors"] == ["quiz:modul"]
    assert out["best: over 10000"]["best"] is None and out["best: over 10000"]["errors"] == ["best"]
    assert out["reflections: a length that is not a number"]["orphans"] == {"": "tanker:!!:Tekst som blir igjen"}
    assert out["reflections: cut short"]["errors"] == ["reflections"]
    assert out["reflections: cut short"]["refl"]["tanker"] == FULL["refl"]["tanker"][:-5]   # what arrived is kept
    for name in ("format: unknown", "header: too short", "fields: missing"):
        assert out[name]["orphans"][""] and out[name]["errors"] == [name.split(":")[0]]
    assert out["fingerprint: another course"]["seen"] == {} and out["fingerprint: another course"]["refl"] == FULL["refl"]
    assert out["orphan: a reflection id this layout does not carry"]["orphans"] == {"gammel-id": "Borte"}
    enc = {v["name"]: v["data"] for v in vectors()["encode"]}
    assert enc["an orphan is never encoded"] == enc["full"]
    clamped = decode(LAYOUT, enc["score and best out of range are clamped"])
    assert clamped["quiz"]["modul"]["s"] == 4 and clamped["best"] == 10000 and clamped["errors"] == []
