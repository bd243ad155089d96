/* The learner-data codec: the learner state <-> cmi.suspend_data, pure functions, no DOM, no LMS.
 *
 * Twin of builder/formats/scorm/budget.py (which documents the format and computes its worst case).
 * The two are bound by tests/fixtures/learner-vectors.json, which a pytest writes from budget.py
 * (current and older formats, corrupt values) and tests/js/codec.test.js decodes and encodes here;
 * the constants below are checked against budget.py's there too.
 *
 * Nothing read back is trusted: decode() checks every field (characters in the alphabet, lengths,
 * answer codes within the question's options, a score within the quiz's questions, best <= 10000).
 * A bad field is set aside whole and named in `errors`; the reflections are read by id whatever
 * else is wrong, and text that cannot be placed is kept under the id "" in `orphans`, so the
 * caller can keep it for the learner. Reflection ids the layout does not know (renamed, moved to
 * another SCO) go to `orphans` too, never back into suspend_data.
 *
 * Maps keyed by ids are objects without a prototype (dict()), so an id like "constructor" or
 * "__proto__" is a key like any other.
 */
var KSCodec = (function () {
  "use strict";
  var ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var C = { alphabet: ALPHABET, format: "3", formats: "123", seedWidth: 4, maxTries: 31, passedBit: 32,
            bestMax: 10000, lineBreak: "\u2424" };

  function dict() { return Object.create(null); }
  function own(map, key) { return map != null && Object.prototype.hasOwnProperty.call(map, key); }
  /* JSON with every object prototype-free: for what comes back from localStorage. */
  function parseJSON(text) {
    return JSON.parse(text, function (k, v) {
      if (!v || typeof v !== "object" || Array.isArray(v)) return v;
      var out = dict();
      Object.keys(v).forEach(function (key) { out[key] = v[key]; });
      return out;
    });
  }

  function digits(n) { var w = 1; while (Math.pow(64, w) <= n) w++; return w; }
  function to64(n, width) {
    var out = "";
    do { out = ALPHABET.charAt(n % 64) + out; n = Math.floor(n / 64); } while (n > 0);
    while (out.length < (width || 0)) out = "0" + out;
    return out;
  }
  function valid64(s) { for (var i = 0; i < s.length; i++) if (ALPHABET.indexOf(s.charAt(i)) < 0) return false; return true; }
  function from64(s) { var n = 0; for (var i = 0; i < s.length; i++) n = n * 64 + ALPHABET.indexOf(s.charAt(i)); return n; }

  /* Line breaks are stored as U+2424 "␤": Moodle's Beacon save at page close turns a line break
     into CR LF, and the lengths in suspend_data would no longer match (budget.line_breaks_out). */
  function lineBreaksOut(text) { return String(text).replace(/\r\n|\r|\n/g, C.lineBreak); }
  function lineBreaksIn(text) { return String(text).split(C.lineBreak).join("\n"); }
  function cut(text, n) {                          /* at most n UTF-16 units, never half a character */
    var code = text.charCodeAt(n - 1);
    return text.slice(0, code >= 0xD800 && code <= 0xDBFF ? n - 1 : n);
  }
  function newSeed() { return 1 + Math.floor(Math.random() * (Math.pow(64, C.seedWidth) - 1)); }

  function emptyState() {
    return { v: 1, seen: dict(), loc: "", quiz: dict(), refl: dict(), hw: dict(), tries: dict(), seed: 0, best: null, seq: 0 };
  }

  /* ---------------------------------------------------------------- answers */

  function encodeAnswer(c, answer) {
    answer = Array.isArray(answer) ? answer : [];
    if (c.t === "matching") {
      return c.p.map(function (pair) {
        for (var i = 0; i < answer.length; i++) {
          var parts = String(answer[i]).split("."), role = +parts[1];
          if (parts[0] === pair && role >= 0 && role < c.r) return ALPHABET.charAt(role + 1);
        }
        return "0";
      }).join("");
    }
    if (c.t === "multiple") {
      var mask = 0;
      c.o.forEach(function (o, i) { if (answer.indexOf(o) >= 0) mask += Math.pow(2, i); });
      return to64(mask, c.w);
    }
    for (var j = 0; j < answer.length; j++) { var k = c.o.indexOf(answer[j]); if (k >= 0) return to64(k + 1, c.w); }
    return to64(0, c.w);
  }
  /* The answer of one code, or null when the code is outside the question (a corrupt value). */
  function decodeAnswer(c, code) {
    if (c.t === "matching") {
      var out = [];
      for (var i = 0; i < c.p.length; i++) {
        var role = ALPHABET.indexOf(code.charAt(i)) - 1;
        if (role >= c.r) return null;
        if (role >= 0) out.push(c.p[i] + "." + role);
      }
      return out;
    }
    var n = from64(code);
    if (c.t === "multiple") {
      if (n >= Math.pow(2, c.o.length)) return null;
      return c.o.filter(function (o, k) { return Math.floor(n / Math.pow(2, k)) % 2 === 1; });
    }
    if (n > c.o.length) return null;
    return n ? [c.o[n - 1]] : [];
  }

  /* ---------------------------------------------------------------- the whole value */

  /* L: the layout of the SCO (package.py: fingerprint, pages, quizzes, homework, steps, reflections:
     the ids suspend_data carries; empty in 2004, where reflections are interactions). */
  function encode(L, S) {
    var seen = "";
    for (var i = 0; i < L.pages.length; i += 6) {
      var bits = 0;
      for (var j = 0; j < 6 && i + j < L.pages.length; j++) if (own(S.seen, L.pages[i + j]) && S.seen[L.pages[i + j]]) bits += 1 << j;
      seen += ALPHABET.charAt(bits);
    }
    var quizzes = L.quizzes.map(function (q) {
      var taken = own(S.quiz, q.id) ? S.quiz[q.id] : null;
      if (!taken) return "~";
      var n = q.n || q.q.length, s = Math.max(0, Math.min(+taken.s || 0, n));
      return to64(s, digits(q.q.length)) + q.q.map(function (c) { return encodeAnswer(c, taken.a && own(taken.a, c.id) ? taken.a[c.id] : []); }).join("");
    }).join("");
    var best = S.best == null ? "" : to64(Math.max(0, Math.min(Math.floor(+S.best) || 0, C.bestMax)));
    var hw = L.homework.map(function (h) {
      var ticked = own(S.hw, h) && Array.isArray(S.hw[h]) ? S.hw[h] : [], bits = 0;
      L.steps.forEach(function (s, k) { if (ticked.indexOf(s) >= 0) bits += 1 << k; });
      return ALPHABET.charAt(bits);
    }).join("");
    var tries = to64(S.seed || 0, C.seedWidth) + L.quizzes.map(function (q) {
      var t = own(S.tries, q.id) ? S.tries[q.id] : {};
      return ALPHABET.charAt(Math.min(Math.max(+t.t || 0, 0), C.maxTries) + (t.p ? C.passedBit : 0));
    }).join("");
    var refl = L.reflections.slice().sort().filter(function (id) { return own(S.refl, id) && S.refl[id]; }).map(function (id) {
      var text = lineBreaksOut(S.refl[id]);
      return id + ":" + text.length.toString(36) + ":" + text;
    }).join("");
    /* The header's save counter: every save differs from the value the LMS gave at launch, which
       Moodle's 2004 player needs to send it at all (it sends only values that changed). */
    return C.format + L.fingerprint + to64(S.seq || 0) + "." + seen + "." + quizzes + "." + best + "." + hw + "." + tries + "." + refl;
  }

  /* The state of `data`, with `orphans` ({id: text}: reflections this layout does not carry, and
     under "" text that could not be placed) and `errors` (the fields set aside). Never throws. */
  function decode(L, data) {
    var S = emptyState(), known = dict();
    S.orphans = dict(); S.errors = [];
    L.reflections.forEach(function (id) { known[id] = true; });
    data = data == null ? "" : String(data);
    if (!data) return S;
    function unreadable(code) { S.errors.push(code); S.orphans[""] = lineBreaksIn(data); return S; }
    var version = data.charAt(0);
    if (C.formats.indexOf(version) < 0) return unreadable("format");
    var headEnd = data.indexOf(".");
    if (headEnd < 5) return unreadable("header");
    var head = data.substr(1, 4), rest = data.slice(headEnd + 1), fields = [], pos = 0;
    for (var f = 0; f < (version === "1" ? 4 : 5); f++) {
      var dot = rest.indexOf(".", pos);
      if (dot < 0) return unreadable("fields");
      fields.push(rest.slice(pos, dot)); pos = dot + 1;
    }
    if (version === "3") {
      var seq = data.slice(5, headEnd);
      if (valid64(seq) && seq.length <= 8) S.seq = from64(seq); else S.errors.push("sequence");
    }
    readReflections(rest.slice(pos), known, S);
    if (head !== L.fingerprint) return S;          /* the course changed: keep only the reflections */
    readSeen(L, fields[0], S);
    readQuizzes(L, fields[1], S);
    var best = fields[2];
    if (best) { if (valid64(best) && best.length <= 3 && from64(best) <= C.bestMax) S.best = from64(best); else S.errors.push("best"); }
    readHomework(L, fields[3], S);
    if (version !== "1") readTries(L, fields[4], S);
    return S;
  }

  function readReflections(field, known, S) {     /* id:LENGTH:text — LENGTH in UTF-16 units = String.length */
    for (var r = 0; r < field.length;) {
      var c1 = field.indexOf(":", r), c2 = c1 < 0 ? -1 : field.indexOf(":", c1 + 1);
      var length = c2 < 0 ? "" : field.slice(c1 + 1, c2);
      if (c1 <= r || !/^[0-9a-z]{1,4}$/.test(length)) {
        S.errors.push("reflections");
        S.orphans[""] = lineBreaksIn(field.slice(r));
        return;
      }
      var id = field.slice(r, c1), n = parseInt(length, 36), text = lineBreaksIn(field.substr(c2 + 1, n));
      if (c2 + 1 + n > field.length) S.errors.push("reflections");    /* cut short: kept as it is */
      if (known[id]) S.refl[id] = text; else S.orphans[id] = text;
      r = c2 + 1 + n;
    }
  }
  function readSeen(L, field, S) {
    var want = Math.ceil(L.pages.length / 6), spare = want * 6 - L.pages.length;
    var last = field.length ? ALPHABET.indexOf(field.charAt(field.length - 1)) : 0;
    if (field.length !== want || !valid64(field) || (spare && last >= Math.pow(2, 6 - spare))) { S.errors.push("seen"); return; }
    L.pages.forEach(function (key, i) { if ((ALPHABET.indexOf(field.charAt(Math.floor(i / 6))) >> (i % 6)) & 1) S.seen[key] = 1; });
  }
  function readQuizzes(L, field, S) {
    var p = 0, taken = [], bad = [];
    for (var i = 0; i < L.quizzes.length; i++) {
      var q = L.quizzes[i];
      if (field.charAt(p) === "~") { p++; continue; }
      var w = digits(q.q.length), score = field.substr(p, w), answers = dict(), inRange = true;
      p += w;
      if (score.length < w || !valid64(score)) { S.errors.push("quizzes"); return; }
      for (var k = 0; k < q.q.length; k++) {
        var c = q.q[k], code = field.substr(p, c.w);
        p += c.w;
        if (code.length < c.w || !valid64(code)) { S.errors.push("quizzes"); return; }
        var answer = decodeAnswer(c, code);
        if (answer === null) inRange = false; else answers[c.id] = answer;
      }
      var n = q.n || q.q.length, s = from64(score);
      if (!inRange || s > n) bad.push(q.id); else taken.push([q.id, { a: answers, s: s, n: n }]);
    }
    if (p !== field.length) { S.errors.push("quizzes"); return; }
    bad.forEach(function (id) { S.errors.push("quiz:" + id); });
    taken.forEach(function (t) { S.quiz[t[0]] = t[1]; });
  }
  function readHomework(L, field, S) {
    var top = Math.pow(2, L.steps.length);
    if (field.length !== L.homework.length || !valid64(field) ||
        field.split("").some(function (ch) { return ALPHABET.indexOf(ch) >= top; })) { S.errors.push("homework"); return; }
    L.homework.forEach(function (h, i) {
      var bits = ALPHABET.indexOf(field.charAt(i));
      var steps = L.steps.filter(function (s, k) { return (bits >> k) & 1; });
      if (steps.length) S.hw[h] = steps;
    });
  }
  function readTries(L, field, S) {
    if (field.length !== C.seedWidth + L.quizzes.length || !valid64(field)) { S.errors.push("tries"); return; }
    S.seed = from64(field.substr(0, C.seedWidth));
    L.quizzes.forEach(function (q, i) {
      var n = ALPHABET.indexOf(field.charAt(C.seedWidth + i));
      if (n > 0) S.tries[q.id] = { t: n % C.passedBit, p: n >= C.passedBit ? 1 : 0 };
    });
  }

  return { constants: C, dict: dict, own: own, parseJSON: parseJSON, emptyState: emptyState, encode: encode, decode: decode,
           lineBreaksOut: lineBreaksOut, lineBreaksIn: lineBreaksIn, cut: cut, newSeed: newSeed, to64: to64, digits: digits };
})();
