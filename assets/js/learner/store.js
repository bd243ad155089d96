/* One store of learner data in this browser (localStorage), with patch semantics.
 *
 * Used by the web edition's pages (kurs.js), by the SCORM runtime when it has no LMS (its offline
 * copy), and for the runtime's drafts. Every change re-reads what is stored, applies itself and
 * writes at once, so two tabs (or a tab and an older page) keep each other's changes: a tab opened
 * earlier that ticks a homework step no longer writes back an old copy over the reflection another
 * tab saved. `watch` hears the other tabs' writes (the `storage` event).
 *
 * This also covers Chromium's file:// pages that start with an empty localStorage which fills a
 * moment later: nothing is written at load, and each later write starts from what is stored then.
 *
 * Nothing read back is trusted: cleanState() keeps only values of the right kind and range, in
 * prototype-free maps (KSCodec.dict), so ids like "constructor" work and "seen": null stops nothing.
 */
var KSStore = (function () {
  "use strict";
  var dict = KSCodec.dict;

  function storage() { try { return window.localStorage || null; } catch (e) { return null; } }
  function isMap(v) { return !!v && typeof v === "object" && !Array.isArray(v); }
  function each(map, fn) { if (isMap(map)) Object.keys(map).forEach(function (k) { fn(k, map[k]); }); }
  function count(v, max) { v = +v; return isFinite(v) && v >= 0 && v === Math.floor(v) && v <= max; }
  function strings(list) { return Array.isArray(list) ? list.filter(function (x) { return typeof x === "string"; }) : []; }

  /* The learner state ({v, seen, loc, quiz, refl, hw, tries, seed, best}) of any stored value. */
  function cleanState(raw) {
    var S = KSCodec.emptyState();
    if (!isMap(raw) || raw.v !== 1) return S;
    each(raw.seen, function (k, v) { if (v) S.seen[k] = 1; });
    if (typeof raw.loc === "string") S.loc = raw.loc;
    each(raw.quiz, function (k, q) {
      if (!isMap(q) || !count(q.n, 1000) || !count(q.s, q.n)) return;
      var a = dict();
      each(q.a, function (qid, answer) { a[qid] = strings(answer); });
      S.quiz[k] = { a: a, s: +q.s, n: +q.n };
    });
    each(raw.refl, function (k, t) { if (typeof t === "string" && t) S.refl[k] = t; });
    each(raw.hw, function (k, steps) { S.hw[k] = strings(steps); });
    S.tries = cleanTries(raw.tries);
    if (count(raw.seed, Math.pow(64, KSCodec.constants.seedWidth) - 1)) S.seed = +raw.seed;
    if (raw.best != null && count(raw.best, KSCodec.constants.bestMax)) S.best = +raw.best;
    return S;
  }

  /* Checked attempts, passed, and (quiz.js) the best percentage, per quiz. */
  function cleanTries(raw) {
    var tries = dict();
    each(raw, function (k, t) {
      if (!isMap(t) || !count(t.t, 1e6)) return;
      tries[k] = { t: +t.t, p: t.p ? 1 : 0 };
      if (count(t.b, 100)) tries[k].b = +t.b;
    });
    return tries;
  }

  /* The drafts of the SCORM runtime: {v, refl:{id:{t, sent, sco}}, prog:{sco:{seen, tries}}, earlier:{id:{t, sco}}}.
     `earlier`: text that no longer belongs to a current reflection of its SCO (renamed or moved),
     shown in «Mine refleksjoner» as earlier text. */
  function cleanDrafts(raw) {
    var d = { v: 1, refl: dict(), prog: dict(), earlier: dict() };
    if (!isMap(raw) || raw.v !== 1) return d;
    each(raw.refl, function (k, e) { if (isMap(e) && typeof e.t === "string") d.refl[k] = { t: e.t, sent: !!e.sent, sco: String(e.sco || "") }; });
    each(raw.prog, function (k, p) {
      if (!isMap(p)) return;
      var seen = dict();
      each(p.seen, function (key, v) { if (v) seen[key] = 1; });
      d.prog[k] = { seen: seen, tries: cleanTries(p.tries) };
    });
    each(raw.earlier, function (k, e) { if (isMap(e) && typeof e.t === "string" && e.t) d.earlier[k] = { t: e.t, sco: String(e.sco || "") }; });
    return d;
  }

  /* A store under `key`; `clean` turns whatever is stored (or null) into a valid value. */
  function open(key, clean) {
    var memory = null, refused = false;              /* the page's own copy when storage is missing or full */
    function read() {
      var ls = refused ? null : storage(), raw = null;
      try { raw = KSCodec.parseJSON((ls ? ls.getItem(key) : memory) || "null"); } catch (e) { raw = null; }
      return clean(raw);
    }
    function update(change) {
      var value = read();
      change(value);
      var text = JSON.stringify(value), ls = storage();
      memory = text;
      if (ls && !refused) { try { ls.setItem(key, text); } catch (e) { refused = true; /* full or private mode: this page keeps it */ } }
      return value;
    }
    function watch(onChange) {
      try { window.addEventListener("storage", function (e) { if (e.key === key) onChange(read()); }); } catch (e) { /* no window */ }
    }
    return { read: read, update: update, watch: watch };
  }

  return { open: open, cleanState: cleanState, cleanDrafts: cleanDrafts };
})();
