"""The learner's data in cmi.suspend_data: a compact encoding, its worst case, and reflection caps.

SCORM 1.2 allows 4,096 characters of suspend_data (CMIString4096) and SCORM 2004 4th edition
64,000 (SPM): `suspend_limit` of editions.py. Overflowing it is the most common way SCORM courses
lose a learner's progress (an LMS refuses or cuts a longer value, and the resume breaks without a
word), so the size is computed here, at build time, for the worst case: every page seen, every
question answered, every homework step ticked and every reflection written to its maximum length.
The runtime (assets/js/scorm-runtime.js) implements the same encoding in
assets/js/learner/codec.js; tests/formats/test_learner_vectors.py binds the two.

Encoding, format 3 — fields separated by ".", the reflections last because they hold free text:

    "3" FINGERPRINT SEQUENCE "." SEEN "." QUIZZES "." BEST "." HOMEWORK "." TRIES "." REFLECTIONS

(Format 2, written by packages before the save counter, is the same without SEQUENCE; format 1,
written by packages before the final test drew its questions, is also without TRIES. The runtime
and decode() below still read both: the reflections always survive the update, the progress and
answers when the fingerprint still matches.)

* FINGERPRINT: 4 characters, a hash of the package's structure (pages, questions, options,
  homework). The index-based fields below are only read back when it matches, so a course that
  was updated between two sessions never restores answers into the wrong questions; the
  reflections are stored by id and survive an update.
* SEQUENCE: the save counter (base 64, at most SEQUENCE_WIDTH characters in practice). Every save
  differs from the value the LMS gave at launch, which Moodle's 2004 player needs to send it.
* SEEN: a bitmap over the package's pages in reading order, 6 pages per character.
* QUIZZES: for each quiz of the package in order, "~" when not taken (or a new attempt is under
  way), otherwise the number of correct answers followed by one fixed-width code per question of
  the quiz's whole pool: the option number in the editor's order (single, true/false), an option
  bitmask (multiple), one role number per pair (matching); 0 = no answer or not drawn this attempt.
  Options are numbered as written, never as shown, so the learner's shuffled order changes nothing.
* BEST: the best score reached so far, 0–10000 (scaled × 10000), empty before the first result.
  Status and score are never downgraded, also across sessions.
* HOMEWORK: one character per homework, a bitmask of the ticked action-learning steps.
* TRIES: the learner's shuffle seed (4 characters, 24 bits; it fixes option order and the final
  test's draw, so a resumed attempt looks the same), then one character per quiz: the number of
  checked attempts (0–31, stays at 31) plus 32 once the quiz was passed. The attempt count picks
  the draw; it also decides when a graded quiz may show its answers.
* REFLECTIONS (SCORM 1.2 only; in 2004 each reflection is a long-fill-in interaction of its own, so
  it is readable in the LMS's reports and the suspend_data stays small): for each written
  reflection `id:LENGTH:text`, LENGTH in base 36. Text is stored as written (line breaks as "␤",
  see line_breaks_out), never escaped, so a reflection of n characters costs exactly n characters plus its
  header. The length counts UTF-16 code units, like JavaScript's String.length, the textarea's
  maxlength and the LMS's own length checks.

All numbers except LENGTH use the 64-character alphabet below.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

from builder.model import ACTION_STEPS, REFLECTION_MAX, REFLECTION_MIN_12, Course, Question

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
RESERVE = 32               # characters kept free for future fields; the worst case must fit below limit − RESERVE
SEED_WIDTH = 4             # the shuffle seed: 24 bits
MAX_TRIES = 31             # attempts counted per quiz; the 6th bit of the character says "passed"
SEQUENCE_WIDTH = 4         # 64**4 saves: more than any learner makes
BOOKMARK_SUFFIX = 6        # "#" and a base-36 page-change counter after the page path


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def digits(n: int) -> int:
    """How many ALPHABET characters a number from 0 to n needs."""
    width = 1
    while 64 ** width <= n:
        width += 1
    return width


def to64(n: int, width: int = 0) -> str:
    out = ""
    while True:
        out = ALPHABET[n % 64] + out
        n //= 64
        if not n:
            break
    return out.rjust(width, "0")


def from64(s: str) -> int:
    n = 0
    for ch in s:
        n = n * 64 + ALPHABET.index(ch)
    return n


def to36(n: int) -> str:
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        out = chars[n % 36] + out
        n //= 36
        if not n:
            return out


# ---------------------------------------------------------------------------------------------
# The structure the runtime needs: what each field indexes into


def question_codec(q: Question) -> dict:
    """How one question's answer is coded: kind, options or pairs, and the code width."""
    if q.type == "matching":
        return {"id": q.id, "t": q.type, "p": [p.id for p in q.pairs], "r": len(q.roles),
                "w": len(q.pairs)}
    ids = [o.id for o in q.options]
    width = math.ceil(len(ids) / 6) if q.type == "multiple" else digits(len(ids))
    return {"id": q.id, "t": q.type, "o": ids, "w": width}


@dataclass(frozen=True)
class Layout:
    """Everything the encoding indexes: built once per package and given to the runtime as JSON."""
    pages: tuple[str, ...]                 # page keys in reading order
    quizzes: tuple[dict, ...]              # {"id", "n": questions per attempt, "q": [question codecs]}
    homework: tuple[str, ...]              # homework ids
    reflections: tuple[tuple[str, int, int], ...]   # (id, source max_length, min_length)

    @classmethod
    def of(cls, course: Course, page_keys: list[str]) -> "Layout":
        """The layout of `course` (a whole course, or the one module of a SCO); every reflection
        may hold up to REFLECTION_MAX characters before the budget caps it."""
        quizzes = tuple({"id": m.quiz.id, "n": m.quiz.per_attempt, "q": [question_codec(q) for q in m.quiz.questions]}
                        for m in course.modules if m.quiz)
        return cls(tuple(page_keys), quizzes, tuple(h.id for h in course.homework()),
                   tuple((r.id, REFLECTION_MAX, r.min_length) for r in course.reflections()))

    def runtime(self, reflections_in_suspend: bool = True) -> dict:
        """The layout as the runtime's codec (assets/js/learner/codec.js) reads it: `reflections` are
        the ids suspend_data carries (none in SCORM 2004, whose reflections are interactions)."""
        return {"fingerprint": self.fingerprint(), "pages": list(self.pages), "quizzes": [dict(q) for q in self.quizzes],
                "homework": list(self.homework), "steps": list(ACTION_STEPS),
                "reflections": [rid for rid, _, _ in self.reflections] if reflections_in_suspend else []}

    def fingerprint(self) -> str:
        shape = json.dumps([self.pages, [[q["id"], q["n"], [(c["id"], c["t"], c.get("o"), c.get("p"), c.get("r"))
                                                    for c in q["q"]]] for q in self.quizzes],
                            self.homework, ACTION_STEPS], sort_keys=True)
        return to64(int(hashlib.sha1(shape.encode()).hexdigest(), 16) % 64 ** 4, 4)

    # -- sizes ----------------------------------------------------------------------------------

    def fixed_size(self) -> int:
        """Worst-case length of everything except the reflections."""
        seen = math.ceil(len(self.pages) / 6)
        quizzes = sum(digits(len(q["q"])) + sum(c["w"] for c in q["q"]) for q in self.quizzes)
        best = digits(10000)
        homework = len(self.homework)
        tries = SEED_WIDTH + len(self.quizzes)
        return 1 + 4 + SEQUENCE_WIDTH + 1 + seen + 1 + quizzes + 1 + best + 1 + homework + 1 + tries + 1

    @staticmethod
    def reflection_size(rid: str, length: int) -> int:
        return len(rid) + 1 + len(to36(length)) + 1 + length

    def worst_case(self, caps: dict[str, int] | None = None) -> int:
        caps = caps or {}
        return self.fixed_size() + sum(self.reflection_size(rid, caps.get(rid, mx)) for rid, mx, _ in self.reflections)

    def floors(self) -> dict[str, int]:
        """The least a reflection may be cut to: its min_length, and never below REFLECTION_MIN_12 (a
        1.2 reflection is never capped below that: the build fails instead), or its own maximum when
        that is smaller."""
        return {rid: min(mx, max(mn, REFLECTION_MIN_12)) for rid, mx, mn in self.reflections}

    def caps_for(self, limit: int) -> dict[str, int] | None:
        """Reflection caps that keep the worst case within `limit − RESERVE`: one common level,
        clamped to each reflection's floor and own maximum, as high as the room allows. Short
        reflections keep their maximum; the long ones get equal room. None when even the floors
        do not fit."""
        room = limit - RESERVE - self.fixed_size()
        highs = {rid: mx for rid, mx, _ in self.reflections}
        if self.worst_case(highs) <= limit - RESERVE:
            return highs
        lows = self.floors()

        def caps_at(level: int) -> dict[str, int]:
            return {rid: min(highs[rid], max(lows[rid], level)) for rid in highs}

        def size(caps: dict[str, int]) -> int:
            return sum(self.reflection_size(rid, n) for rid, n in caps.items())

        if size(lows) > room:
            return None
        lo, hi = 0, max(highs.values())
        while lo < hi:                       # the highest level that still fits
            mid = (lo + hi + 1) // 2
            if size(caps_at(mid)) <= room:
                lo = mid
            else:
                hi = mid - 1
        return caps_at(lo)


# ---------------------------------------------------------------------------------------------
# Reference encoder/decoder. The runtime's twin is assets/js/learner/codec.js; both are held to
# tests/fixtures/learner-vectors.json, which tests/formats/test_learner_vectors.py writes from here.


CONSTANTS = {"alphabet": ALPHABET, "format": "3", "formats": "123", "seedWidth": SEED_WIDTH, "maxTries": MAX_TRIES,
             "passedBit": 32, "bestMax": 10000, "lineBreak": "\u2424"}


def _encode_answer(codec: dict, answer: list[str]) -> str:
    w = codec["w"]
    answer = answer if isinstance(answer, list) else []
    if codec["t"] == "matching":
        out = ""
        for pair in codec["p"]:
            role = next((int(v.split(".")[1]) + 1 for v in answer
                         if v.split(".")[0] == pair and _role(v) is not None and _role(v) < codec["r"]), 0)
            out += ALPHABET[role]
        return out
    if codec["t"] == "multiple":
        return to64(sum(1 << i for i, o in enumerate(codec["o"]) if o in answer), w)
    first = next((codec["o"].index(v) + 1 for v in answer if v in codec["o"]), 0)
    return to64(first, w)


def _role(value: str) -> int | None:
    parts = str(value).split(".")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def _decode_answer(codec: dict, code: str) -> list[str] | None:
    """The answer of one code, or None when the code is outside the question (a corrupt value)."""
    if codec["t"] == "matching":
        out = []
        for pair, ch in zip(codec["p"], code):
            role = ALPHABET.index(ch) - 1
            if role >= codec["r"]:
                return None
            if role >= 0:
                out.append(f"{pair}.{role}")
        return out
    n = from64(code)
    if codec["t"] == "multiple":
        return None if n >= 1 << len(codec["o"]) else [o for i, o in enumerate(codec["o"]) if n >> i & 1]
    if n > len(codec["o"]):
        return None
    return [codec["o"][n - 1]] if n else []


def encode(layout: Layout, state: dict) -> str:
    """suspend_data of `state`: only the layout's reflections (an orphan never takes a current one's room)."""
    seen_bits = [1 if state.get("seen", {}).get(k) else 0 for k in layout.pages]
    seen = "".join(ALPHABET[sum(b << j for j, b in enumerate(seen_bits[i:i + 6]))] for i in range(0, len(seen_bits), 6))
    quizzes = ""
    for quiz in layout.quizzes:
        taken = state.get("quiz", {}).get(quiz["id"])
        if not taken:
            quizzes += "~"
            continue
        n = quiz["n"] or len(quiz["q"])
        quizzes += to64(max(0, min(int(taken.get("s") or 0), n)), digits(len(quiz["q"])))
        quizzes += "".join(_encode_answer(c, (taken.get("a") or {}).get(c["id"], [])) for c in quiz["q"])
    best = "" if state.get("best") is None else to64(max(0, min(int(state["best"]), CONSTANTS["bestMax"])))
    hw = "".join(ALPHABET[sum(1 << i for i, s in enumerate(ACTION_STEPS) if s in state.get("hw", {}).get(h, []))]
                 for h in layout.homework)
    current = {rid for rid, _, _ in layout.reflections}
    texts = {rid: line_breaks_out(t) for rid, t in state.get("refl", {}).items() if t and rid in current}
    refl = "".join(f"{rid}:{to36(utf16_len(t))}:{t}" for rid, t in sorted(texts.items()))
    tries = to64(state.get("seed", 0), SEED_WIDTH)
    for quiz in layout.quizzes:
        t = state.get("tries", {}).get(quiz["id"], {})
        tries += ALPHABET[min(max(t.get("t", 0), 0), MAX_TRIES) + (32 if t.get("p") else 0)]
    return f"3{layout.fingerprint()}{to64(state.get('seq', 0))}.{seen}.{quizzes}.{best}.{hw}.{tries}.{refl}"


LINE_BREAK = "\u2424"       # "␤": how a line break is stored (runtime: lineBreaksOut)


def line_breaks_out(text: str) -> str:
    """A line break sent as is can come back from Moodle as CR LF (the Beacon API's form encoding
    at page close), which would no longer match the length prefix; so it is stored as one ␤."""
    return text.replace("\r\n", LINE_BREAK).replace("\r", LINE_BREAK).replace("\n", LINE_BREAK)


def _valid64(s: str) -> bool:
    return all(ch in ALPHABET for ch in s)


class _Units:
    """A string as UTF-16 code units, the unit of LENGTH (JavaScript's String.length)."""

    def __init__(self, text: str):
        self.b = text.encode("utf-16-le", "surrogatepass")

    def __len__(self) -> int:
        return len(self.b) // 2

    def find(self, ch: str, start: int) -> int:
        i = self.b.find(ch.encode("utf-16-le"), 2 * start)
        while i % 2:
            i = self.b.find(ch.encode("utf-16-le"), i + 1)
        return i // 2 if i >= 0 else -1

    def slice(self, a: int, b: int | None = None) -> str:
        return self.b[2 * a:None if b is None else 2 * b].decode("utf-16-le", "surrogatepass")


def _read_reflections(field: str, known: set[str], state: dict) -> None:
    units, r = _Units(field), 0
    while r < len(units):
        c1 = units.find(":", r)
        c2 = units.find(":", c1 + 1) if c1 >= 0 else -1
        length = units.slice(c1 + 1, c2) if c2 >= 0 else ""
        if c1 <= r or not (1 <= len(length) <= 4 and all(ch in "0123456789abcdefghijklmnopqrstuvwxyz" for ch in length)):
            state["errors"].append("reflections")
            state["orphans"][""] = units.slice(r).replace(LINE_BREAK, "\n")
            return
        rid, n = units.slice(r, c1), int(length, 36)
        text = units.slice(c2 + 1, min(c2 + 1 + n, len(units))).replace(LINE_BREAK, "\n")
        if c2 + 1 + n > len(units):
            state["errors"].append("reflections")
        (state["refl"] if rid in known else state["orphans"])[rid] = text
        r = c2 + 1 + n


def _read_seen(layout: Layout, field: str, state: dict) -> None:
    want = math.ceil(len(layout.pages) / 6)
    spare = want * 6 - len(layout.pages)
    if len(field) != want or not _valid64(field) or (spare and ALPHABET.index(field[-1]) >= 1 << (6 - spare)):
        state["errors"].append("seen")
        return
    for i, key in enumerate(layout.pages):
        if ALPHABET.index(field[i // 6]) >> (i % 6) & 1:
            state["seen"][key] = 1


def _read_quizzes(layout: Layout, field: str, state: dict) -> None:
    pos, taken, bad = 0, [], []
    for quiz in layout.quizzes:
        if field[pos:pos + 1] == "~":
            pos += 1
            continue
        w = digits(len(quiz["q"]))
        score, pos = field[pos:pos + w], pos + w
        if len(score) < w or not _valid64(score):
            state["errors"].append("quizzes")
            return
        answers, in_range = {}, True
        for c in quiz["q"]:
            code, pos = field[pos:pos + c["w"]], pos + c["w"]
            if len(code) < c["w"] or not _valid64(code):
                state["errors"].append("quizzes")
                return
            answer = _decode_answer(c, code)
            if answer is None:
                in_range = False
            else:
                answers[c["id"]] = answer
        n, s = quiz["n"] or len(quiz["q"]), from64(score)
        if not in_range or s > n:
            bad.append(quiz["id"])
        else:
            taken.append((quiz["id"], {"a": answers, "s": s, "n": n}))
    if pos != len(field):
        state["errors"].append("quizzes")
        return
    state["errors"] += [f"quiz:{qid}" for qid in bad]
    state["quiz"].update(taken)


def _read_homework(layout: Layout, field: str, state: dict) -> None:
    if len(field) != len(layout.homework) or not _valid64(field) or any(
            ALPHABET.index(ch) >= 1 << len(ACTION_STEPS) for ch in field):
        state["errors"].append("homework")
        return
    for h, ch in zip(layout.homework, field):
        steps = [s for i, s in enumerate(ACTION_STEPS) if ALPHABET.index(ch) >> i & 1]
        if steps:
            state["hw"][h] = steps


def _read_tries(layout: Layout, field: str, state: dict) -> None:
    if len(field) != SEED_WIDTH + len(layout.quizzes) or not _valid64(field):
        state["errors"].append("tries")
        return
    state["seed"] = from64(field[:SEED_WIDTH])
    for quiz, ch in zip(layout.quizzes, field[SEED_WIDTH:]):
        n = ALPHABET.index(ch)
        if n:
            state["tries"][quiz["id"]] = {"t": n % 32, "p": n // 32}


def empty_state() -> dict:
    return {"v": 1, "seen": {}, "loc": "", "quiz": {}, "refl": {}, "hw": {}, "tries": {}, "seed": 0, "best": None, "seq": 0}


def decode(layout: Layout, data: str | None) -> dict:
    """The state object of assets/js/kurs.js ({v, seen, loc, quiz, refl, hw, tries, seed, best, seq}) from
    suspend_data, plus `orphans` ({id: text}: reflections the layout does not carry, and under "" text
    that could not be placed) and `errors` (the fields set aside as corrupt). Never raises: nothing
    read back from an LMS is trusted (the same checks as codec.js, field by field)."""
    state = empty_state() | {"orphans": {}, "errors": []}
    if not data:
        return state

    def unreadable(code: str) -> dict:
        state["errors"].append(code)
        state["orphans"][""] = data.replace(LINE_BREAK, "\n")
        return state

    version = data[0]
    if version not in CONSTANTS["formats"]:
        return unreadable("format")
    head_end = data.find(".")
    if head_end < 5:
        return unreadable("header")
    head, rest = data[1:5], data[head_end + 1:]
    fields = rest.split(".", 4 if version == "1" else 5)
    if len(fields) < (5 if version == "1" else 6):
        return unreadable("fields")
    if version == "3":
        seq = data[5:head_end]
        if _valid64(seq) and len(seq) <= 8:
            state["seq"] = from64(seq)
        else:
            state["errors"].append("sequence")
    _read_reflections(fields[-1], {rid for rid, _, _ in layout.reflections}, state)
    if head != layout.fingerprint():
        return state                       # the course changed: keep only the reflections
    _read_seen(layout, fields[0], state)
    _read_quizzes(layout, fields[1], state)
    best = fields[2]
    if best:
        if _valid64(best) and len(best) <= 3 and from64(best) <= CONSTANTS["bestMax"]:
            state["best"] = from64(best)
        else:
            state["errors"].append("best")
    _read_homework(layout, fields[3], state)
    if version != "1":
        _read_tries(layout, fields[4], state)
    return state
